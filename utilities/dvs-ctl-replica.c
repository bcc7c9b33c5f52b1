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
 *     asks for that port's row only (dvs_ctl_pre_port());
 *
 *   - the generic database commands (list, get, set, find, wait-until...)
 *     ask db-ctl-base for the columns they use, of every row;
 *
 *   - DVS_Global is always replicated: every transaction that writes needs
 *     its row, and --wait=hv reads its hv_cfg. */

#include <config.h>

#include <string.h>

#include "db-ctl-base.h"
#include "lib/dvs-idl.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "sset.h"
#include "utilities/dvs-ctl.h"

/* Ports asked for by name, unless some command needs them all. */
static struct sset port_names = SSET_INITIALIZER(&port_names);
static bool all_ports;

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
    all_ports = true;
}

/* Prerequisites of a command whose first argument names the one port it
 * works on (port-set, port-show, port-del): the switch and portgroup the
 * port inherits from, and what validation reads, are in the other tables.
 * The one check that reads other ports, that a MAC is unique in its switch,
 * needs them all when the command sets "mac". */
void
dvs_ctl_pre_port(struct ctl_context *ctx)
{
    replicate_all_but_ports(ctx->idl);
    replicate_table(ctx->idl, &dvsrec_table_port);
    sset_add(&port_names, ctx->argv[1]);
    for (int i = 2; i < ctx->argc; i++) {
        if (!strncmp(ctx->argv[i], "mac=", 4)) {
            all_ports = true;
        }
    }
}

/* A generic database command ran its prerequisites: it reads every row of
 * the tables it registered columns of, ports included. */
void
dvs_ctl_replica_all_rows(void)
{
    all_ports = true;
}

/* Called once every command's prerequisites have run, before the first
 * connection: restricts the Port rows replicated to those asked for. */
void
dvs_ctl_replica_done(struct ovsdb_idl *idl)
{
    replicate_table(idl, &dvsrec_table_dvs_global);
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
