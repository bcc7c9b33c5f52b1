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
 *     asks for that port's row only, and with "mac=" for the ports of that
 *     MAC (dvs_ctl_pre_port()); so does one that works on the rules of a
 *     named switch, portgroup or port (dvs_ctl_pre_owner());
 *
 *   - port-add reads the ports its checks need, and of them only the
 *     columns the checks read: a port of the new port's name (names are
 *     unique), the ports of its MAC (unique in a switch) and, for a static
 *     portgroup, the portgroup's ports (its capacity).  A port-add that
 *     chooses the new port's name reads every name (dvs_ctl_pre_port_add());
 *
 *   - a command that works on one portgroup reads its ports and no other,
 *     or none (dvs_ctl_pre_portgroup()); the commands that summarise
 *     ports read only the columns they show (dvs_ctl_pre_port_summary(),
 *     dvs_ctl_pre_port_list());
 *
 *   - a portgroup's UUID is known only once connected, so its ports are
 *     asked for when the command has found it, and the command is tried
 *     again once they are in (dvs_ctl_replica_has_ports());
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
#include "lib/dvs-parse.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "sset.h"
#include "unicode.h"
#include "utilities/dvs-ctl.h"
#include "uuid.h"
#include "uuidset.h"

/* Ports asked for by name, by MAC and by portgroup, unless some command
 * needs them all. */
static struct sset port_names = SSET_INITIALIZER(&port_names);
static struct sset port_macs = SSET_INITIALIZER(&port_macs);
static struct uuidset portgroups = UUIDSET_INITIALIZER(&portgroups);
static bool all_ports;

/* Whether some command asks for some ports only: by name, by MAC, or those
 * of a portgroup once it knows the portgroup (dvs_ctl_replica_has_ports()).
 * A name that no port can have is not asked for, but still restricts. */
static bool some_ports;

/* Whether the Port rows replicated are restricted to those asked for, and
 * the condition sequence number at which the last of them are in. */
static bool ports_restricted;
static unsigned int ports_seqno;

/* The indexes of ports that the commands of dvs-ctl's own look rows up in
 * (DVS_CTL_BY_*, dvs-ctl-index.c): their names, MACs and portgroups are
 * replicated. */
static unsigned int port_indexes;

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

/* Every table, and of Port the 'n' 'columns' only. */
static void
replicate_port_columns(struct ovsdb_idl *idl,
                       const struct ovsdb_idl_column *const columns[],
                       size_t n)
{
    replicate_all_but_ports(idl);
    ovsdb_idl_add_table(idl, &dvsrec_table_port);
    for (size_t i = 0; i < n; i++) {
        ovsdb_idl_add_column(idl, columns[i]);
    }
}

/* Prerequisites of the commands that read the whole database. */
void
dvs_ctl_pre_db(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    replicate_table(ctx->idl, &dvsrec_table_port);
    all_ports = true;
    port_indexes |= DVS_CTL_BY_ALL;
}

/* Asks for the port named 'name', if a port can have that name: the server
 * refuses a condition on a value that the column cannot hold (the command
 * then reports that there is no such port).  The IDL's copy of the schema
 * has no string constraints: the schema's are DVS_PORT_NAME_MAX and valid
 * UTF-8. */
static void
ask_for_port_name(const char *name)
{
    size_t length;
    char *error = utf8_validate(name, &length);

    if (!error && length >= 1 && length <= DVS_PORT_NAME_MAX) {
        sset_add(&port_names, name);
    }
    free(error);
    some_ports = true;
}

/* Asks for the ports that have the MAC given among the KEY=VALUE settings
 * from ctx->argv[first] on, in the form stored (a MAC that does not parse
 * fails the command before any port is read). */
static void
ask_for_macs(struct ctl_context *ctx, int first)
{
    for (int i = first; i < ctx->argc; i++) {
        struct eth_addr mac;

        if (!strncmp(ctx->argv[i], "mac=", 4)) {
            char *error = dvs_parse_unicast_mac(ctx->argv[i] + 4, &mac);
            if (error) {
                free(error);
            } else {
                sset_add_and_free(&port_macs, xasprintf(ETH_ADDR_FMT,
                                                        ETH_ADDR_ARGS(mac)));
                some_ports = true;
            }
        }
    }
}

/* Prerequisites of a command whose first argument names the one port it
 * works on (port-set, port-show, port-del): the switch and portgroup the
 * port inherits from, and what validation reads, are in the other tables.
 * The one check that reads other ports, that a MAC is unique in its switch,
 * needs the ports of that MAC when the command sets "mac". */
void
dvs_ctl_pre_port(struct ctl_context *ctx)
{
    dvs_ctl_pre_owner(ctx);
    ask_for_macs(ctx, 2);
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
    port_indexes |= DVS_CTL_BY_ALL;
    if (ctx->argc > 1) {
        ask_for_port_name(ctx->argv[1]);
    } else {
        all_ports = true;
    }
}

/* Prerequisites of port-add.  A new port's name must be unique in the
 * database (and a name chosen for it, unused), its MAC unique in its
 * switch, and a static portgroup has room for a number of ports: these
 * read the port of that name, the ports of that MAC and the portgroup's
 * ports (asked for when the command runs), and of them no more than their
 * names, portgroups and MACs.  The new row itself is only written. */
void
dvs_ctl_pre_port_add(struct ctl_context *ctx)
{
    static const struct ovsdb_idl_column *const columns[] = {
        &dvsrec_port_col_name, &dvsrec_port_col_portgroup,
        &dvsrec_port_col_mac,
    };

    replicate_port_columns(ctx->idl, columns, ARRAY_SIZE(columns));
    port_indexes |= DVS_CTL_BY_ALL;
    some_ports = true;
    if (ctx->argc > 2 && !strchr(ctx->argv[2], '=')) {
        ask_for_port_name(ctx->argv[2]);
        ask_for_macs(ctx, 3);
    } else {
        all_ports = true;
    }
}

/* Prerequisites of a command that works on one portgroup and reads that
 * portgroup's ports and no other (pg-set, pg-del), or none (pg-add, whose
 * new portgroup has none yet, and pg-get): they are asked for once the
 * command has found the portgroup (dvs_ctl_replica_has_ports()). */
void
dvs_ctl_pre_portgroup(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    replicate_table(ctx->idl, &dvsrec_table_port);
    port_indexes |= DVS_CTL_BY_ALL;
    some_ports = true;
}

/* What the summaries of ports show: name, portgroup, MAC, where each is
 * bound and whether it is up, its error. */
static void
replicate_port_summary(struct ovsdb_idl *idl)
{
    static const struct ovsdb_idl_column *const columns[] = {
        &dvsrec_port_col_name, &dvsrec_port_col_portgroup,
        &dvsrec_port_col_mac, &dvsrec_port_col_host, &dvsrec_port_col_up,
        &dvsrec_port_col_error,
    };

    replicate_port_columns(idl, columns, ARRAY_SIZE(columns));
    port_indexes |= DVS_CTL_BY_PORTGROUP;
}

/* Prerequisites of a command that reads every port's summary and no more
 * of it (show, dvs-list, pg-list: their port counts). */
void
dvs_ctl_pre_port_summary(struct ctl_context *ctx)
{
    replicate_port_summary(ctx->idl);
    all_ports = true;
}

/* Prerequisites of port-list [PG]: the summary of every port, or of the
 * ports of the portgroup named, asked for once it is found. */
void
dvs_ctl_pre_port_list(struct ctl_context *ctx)
{
    replicate_port_summary(ctx->idl);
    if (ctx->argc > 1) {
        some_ports = true;
    } else {
        all_ports = true;
    }
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
        ask_for_port_name(c->argv[2 + i]);
    }
}

/* Restricts the Port rows replicated to those asked for, and returns the
 * condition sequence number at which they are all in. */
static unsigned int
set_port_condition(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_condition cond;
    const struct uuidset_node *node;
    const char *s;

    ovsdb_idl_condition_init(&cond);
    SSET_FOR_EACH (s, &port_names) {
        dvsrec_port_add_clause_name(&cond, OVSDB_F_EQ, s);
    }
    SSET_FOR_EACH (s, &port_macs) {
        dvsrec_port_add_clause_mac(&cond, OVSDB_F_EQ, s);
    }
    UUIDSET_FOR_EACH (node, &portgroups) {
        dvsrec_port_add_clause_portgroup(&cond, OVSDB_F_EQ, &node->uuid);
    }
    unsigned int seqno = dvsrec_port_set_condition(idl, &cond);
    ovsdb_idl_condition_destroy(&cond);
    return seqno;
}

/* Called once every command's prerequisites have run, before the first
 * connection: restricts the Port rows replicated to those asked for. */
void
dvs_ctl_replica_done(struct ovsdb_idl *idl)
{
    replicate_table(idl, &dvsrec_table_dvs_global);
    if (port_indexes) {
        dvs_ctl_index_create(idl, port_indexes);
    }
    if (!all_ports && some_ports) {
        ports_restricted = true;
        set_port_condition(idl);
    }
}

/* Whether every port that the commands asked for, and every port of 'pg' if
 * it is nonnull, is replicated (with the columns asked for).  If not, asks
 * for them and marks the command of 'ctx' to be tried again, which it is
 * when the condition sequence number moves (they are in by then). */
bool
dvs_ctl_replica_has_ports(struct ctl_context *ctx,
                          const struct dvsrec_portgroup *pg)
{
    if (!ports_restricted) {
        return true;
    }
    /* A portgroup inserted by an earlier command of the call has no ports
     * but those the call inserts, which the IDL holds (and a new UUID on
     * each try). */
    if (pg && pg->header_.old_datum
        && !uuidset_contains(&portgroups, &pg->header_.uuid)) {
        uuidset_insert(&portgroups, &pg->header_.uuid);
        ports_seqno = set_port_condition(ctx->idl);
    }
    if (ovsdb_idl_get_condition_seqno(ctx->idl) < ports_seqno) {
        ctx->try_again = true;
        return false;
    }
    return true;
}
