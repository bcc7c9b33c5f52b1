/*
 * Copyright (c) 2026 The ovs-dvs authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* What one dvs-ctl call replicates of the database.
 *
 * Fetching the database is most of the cost of a call that changes one
 * object: at thousands of ports, the Port table is most of the database.
 * So each command asks, from its prerequisites callback, for what it
 * reads, and dvs-ctl fetches only that:
 *
 *   - a command of dvs-ctl's own without a prerequisites callback reads the
 *     whole database (validation across objects, "show"), except the
 *     content of snapshots, which the commands that read it ask for;
 *
 *   - a command that works on one named port, and reads no other port,
 *     asks for that port's row only (dvs_ctl_pre_port()); so does one that
 *     works on the rules of a named switch, portgroup or port
 *     (dvs_ctl_pre_owner());
 *
 *   - port-add reads every port, but only the columns its checks read: the
 *     names (unique), the portgroups (a static portgroup's capacity) and the
 *     MACs (unique in a switch) (dvs_ctl_pre_port_add());
 *
 *   - the generic database commands (list, get, set, find, wait-until...)
 *     ask db-ctl-base for the columns they use, of every row; "get", "list"
 *     and "wait-until" of ports named by name, of those ports' rows only
 *     (dvs_ctl_replica_generic());
 *
 *   - DVS_Global is always replicated: every transaction that writes needs
 *     its row, and --wait=hv reads its hv_cfg. */

#include <config.h>

#include <string.h>
#include <strings.h>

#include "db-ctl-base.h"
#include "lib/dvs-idl.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "sset.h"
#include "utilities/dvs-ctl.h"
#include "uuid.h"

/* Ports asked for by name, unless some command needs them all. */
static struct sset port_names = SSET_INITIALIZER(&port_names);
static bool all_ports;

/* Whether a command of dvs-ctl's own reads ports: their names, MACs and
 * portgroups are replicated, and indexed (dvs-ctl-index.c). */
static bool ports_indexed;

static void
replicate_table(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *tc)
{
    ovsdb_idl_add_table(idl, tc);
    for (size_t i = 0; i < tc->n_columns; i++) {
        const struct ovsdb_idl_column *column = &tc->columns[i];
        if (column != &dvsrec_snapshot_col_data) {
            ovsdb_idl_add_column(idl, column);
        }
    }
}

/* Every table but Port, whose rows the caller chooses. */
static void
replicate_all_but_ports(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < DVSREC_N_TABLES; i++) {
        if (i != DVSREC_TABLE_PORT) {
            replicate_table(idl, &dvsrec_table_classes[i]);
        }
    }
}

/* Prerequisites of the commands that read the whole database. */
void
dvs_ctl_pre_db(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    replicate_table(ctx->idl, &dvsrec_table_port);
    all_ports = ports_indexed = true;
}

/* Prerequisites of a command whose first argument names the one port it
 * works on (port-set, port-show, port-del): the switch and portgroup the
 * port inherits from, and what validation reads, are in the other tables.
 * The one check that reads other ports, that a MAC is unique in its switch,
 * needs them all when the command sets "mac". */
void
dvs_ctl_pre_port(struct ctl_context *ctx)
{
    dvs_ctl_pre_owner(ctx);
    for (int i = 2; i < ctx->argc; i++) {
        if (!strncmp(ctx->argv[i], "mac=", 4)) {
            all_ports = true;
        }
    }
}

/* Prerequisites of a command whose first argument, if any, names the
 * switch, portgroup or port it works on (the owner of traffic rules): of
 * ports, the row of that name only, if there is one.  Without an argument,
 * every port. */
void
dvs_ctl_pre_owner(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    replicate_table(ctx->idl, &dvsrec_table_port);
    ports_indexed = true;
    if (ctx->argc > 1) {
        sset_add(&port_names, ctx->argv[1]);
    } else {
        all_ports = true;
    }
}

/* Prerequisites of port-add.  A new port's name must be unique in the
 * database (and a name chosen for it, unused), its MAC unique in its
 * switch, and a static portgroup has room for a number of ports: these
 * read every port, but no more than its name, portgroup and MAC.  The new
 * row itself is only written. */
void
dvs_ctl_pre_port_add(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    ovsdb_idl_add_table(ctx->idl, &dvsrec_table_port);
    ovsdb_idl_add_column(ctx->idl, &dvsrec_port_col_name);
    ovsdb_idl_add_column(ctx->idl, &dvsrec_port_col_portgroup);
    ovsdb_idl_add_column(ctx->idl, &dvsrec_port_col_mac);
    all_ports = ports_indexed = true;
}

/* Whether db-ctl-base finds 'record' among Port rows by its name alone:
 * not a UUID, not a UUID's first digits (which it also matches), not "."
 * (the only row of a table that has one). */
static bool
is_port_name_only(const char *record)
{
    struct uuid uuid;

    return (strcmp(record, ".")
            && !uuid_from_string(&uuid, record)
            && uuid_is_partial_string(record) < 4);
}

/* A generic database command ran its prerequisites.  It reads every row of
 * the tables it registered columns of, except "get", "list" and
 * "wait-until" of Port rows named by their names, which read those rows
 * only. */
void
dvs_ctl_replica_generic(const struct ctl_command *c)
{
    const char *name = c->syntax->name;
    bool named = (!strcmp(name, "get") || !strcmp(name, "wait-until")
                  || !strcmp(name, "list"));

    named = named && c->argc >= 3 && !strcasecmp(c->argv[1], "Port");
    int n_records = !strcmp(name, "list") ? c->argc - 2 : 1;
    for (int i = 0; named && i < n_records; i++) {
        named = is_port_name_only(c->argv[2 + i]);
    }
    if (!named) {
        all_ports = true;
        return;
    }
    for (int i = 0; i < n_records; i++) {
        sset_add(&port_names, c->argv[2 + i]);
    }
}

/* Called once every command's prerequisites have run, before the first
 * connection: restricts the Port rows replicated to those asked for. */
void
dvs_ctl_replica_done(struct ovsdb_idl *idl)
{
    replicate_table(idl, &dvsrec_table_dvs_global);
    if (ports_indexed) {
        dvs_ctl_index_create(idl);
    }
    if (!all_ports && !sset_is_empty(&port_names)) {
        struct ovsdb_idl_condition cond;
        const char *name;

        ovsdb_idl_condition_init(&cond);
        SSET_FOR_EACH (name, &port_names) {
            dvsrec_port_add_clause_name(&cond, OVSDB_F_EQ, name);
        }
        dvsrec_port_set_condition(idl, &cond);
        ovsdb_idl_condition_destroy(&cond);
    }
    sset_destroy(&port_names);
}
