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

/* Writing a snapshot back into the database, in the caller's transaction:
 * as a new switch, as the switch it was taken of (original UUIDs), or over
 * an existing switch, which then holds exactly the snapshot's
 * configuration: portgroups, ports and host members that the snapshot
 * lacks are deleted, those it has are created or updated.  Rows are
 * matched by UUID first, so that a renamed portgroup or port is restored
 * as the same row, then by name.
 *
 * A snapshot without ports (a checkpoint) leaves ports as they are: their
 * rows, their settings and the portgroup each is in.  A portgroup that it
 * lacks is then deleted only if it has no port, or with 'force' (with its
 * ports): ports are VMs' connections, which such a snapshot says nothing
 * about. */

#include <config.h>

#include "lib/dvs-snapshot.h"

#include <string.h>

#include "lib/dvs-idl.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "svec.h"
#include "util.h"

/* Writes 'current' + 1 into 'row''s config_version and makes the
 * transaction fail and be retried if another client changed it meanwhile:
 * an edit is always made against the version it read. */
void
dvs_idl_bump_version(const struct ovsdb_idl_row *row,
                     const struct ovsdb_idl_column *column, int64_t current)
{
    union ovsdb_atom atom = { .integer = current + 1 };
    struct ovsdb_datum datum;

    ovsdb_idl_txn_verify(row, column);
    ovsdb_datum_init_empty(&datum);
    ovsdb_datum_add_unsafe(&datum, &atom, NULL, &column->type, NULL);
    ovsdb_idl_txn_write(row, column, &datum);
}

/* Whether the rows that 'uuids' (of Traffic_Rule) name are, in sequence
 * order, those of 'rules'. */
static bool
rules_equal(struct ovsdb_idl *idl, const struct ovsdb_datum *uuids,
            const struct dvs_snap_row *rules, size_t n_rules)
{
    const struct ovsdb_idl_table_class *table = &dvsrec_table_traffic_rule;
    bool *used;
    bool equal = true;

    if (uuids->n != n_rules) {
        return false;
    }
    used = xcalloc(n_rules, sizeof *used);
    for (size_t i = 0; i < uuids->n && equal; i++) {
        const struct ovsdb_idl_row *r = ovsdb_idl_get_row_for_uuid(
            idl, table, &uuids->keys[i].uuid);
        bool found = false;

        for (size_t j = 0; r && j < n_rules && !found; j++) {
            bool same = !used[j];
            for (size_t k = 0; same && k < table->n_columns; k++) {
                const struct ovsdb_idl_column *c = &table->columns[k];
                if (dvs_snapshot_is_config_column(table, c)) {
                    struct ovsdb_datum d;
                    if (rules[j].values[k]) {
                        ovsdb_datum_clone(&d, rules[j].values[k]);
                    } else {
                        ovsdb_datum_init_default(&d, &c->type);
                    }
                    same = ovsdb_datum_equals(&d, ovsdb_idl_read(r, c),
                                              &c->type);
                    ovsdb_datum_destroy(&d, &c->type);
                }
            }
            if (same) {
                used[j] = found = true;
            }
        }
        equal = found;
    }
    free(used);
    return equal;
}

static bool write_columns(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *,
                          const struct dvs_snap_row *, bool inserted);

/* Makes the references of 'row' what 'snap' says they mean (if it says):
 * its traffic rules new rows equal to those of 'snap' (the old ones go
 * with their last reference), its port references the ports of those
 * names that exist.  Returns true if anything changed. */
static bool
write_refs(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
           const struct dvs_snap_row *snap, bool inserted)
{
    const struct ovsdb_idl_table_class *table = snap->table;
    struct ovsdb_idl *idl = row->table->idl;
    bool changed = false;

    if (!snap->refs) {
        return false;
    }
    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *column = &table->columns[i];
        struct ovsdb_datum datum;

        if (column == dvs_snap_rules_column(table)) {
            if (!inserted && rules_equal(idl, ovsdb_idl_read(row, column),
                                         snap->rules, snap->n_rules)) {
                continue;
            }
            ovsdb_datum_init_empty(&datum);
            for (size_t j = 0; j < snap->n_rules; j++) {
                const struct ovsdb_idl_row *r = ovsdb_idl_txn_insert(
                    txn, &dvsrec_table_traffic_rule, NULL);
                union ovsdb_atom atom = { .uuid = r->uuid };

                write_columns(txn, r, &snap->rules[j], true);
                ovsdb_datum_add_unsafe(&datum, &atom, NULL, &column->type,
                                       NULL);
            }
        } else if (dvs_snap_is_port_ref(column)) {
            const struct svec *names = snap->port_names[i];
            const struct dvsrec_port *port;

            ovsdb_datum_init_empty(&datum);
            DVSREC_PORT_FOR_EACH (port, idl) {
                if (names && svec_contains(names, port->name)) {
                    union ovsdb_atom atom = { .uuid = port->header_.uuid };
                    ovsdb_datum_add_unsafe(&datum, &atom, NULL,
                                           &column->type, NULL);
                }
            }
            ovsdb_datum_sort_unique(&datum, &column->type);
            if (!inserted && ovsdb_datum_equals(&datum,
                                                ovsdb_idl_read(row, column),
                                                &column->type)) {
                ovsdb_datum_destroy(&datum, &column->type);
                continue;
            }
        } else {
            continue;
        }
        ovsdb_idl_txn_write(row, column, &datum);
        changed = true;
    }
    return changed;
}

/* Writes every configuration column of 'row' from 'snap' (a column that
 * 'snap' lacks gets its default), and what its references mean.  Returns
 * true if anything changed. */
static bool
write_columns(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
              const struct dvs_snap_row *snap, bool inserted)
{
    const struct ovsdb_idl_table_class *table = snap->table;
    bool changed = write_refs(txn, row, snap, inserted);

    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *column = &table->columns[i];
        struct ovsdb_datum datum;

        if (!dvs_snapshot_is_config_column(table, column)) {
            continue;
        }
        if (snap->values[i]) {
            ovsdb_datum_clone(&datum, snap->values[i]);
        } else {
            ovsdb_datum_init_default(&datum, &column->type);
        }
        if (!inserted && ovsdb_datum_equals(&datum,
                                            ovsdb_idl_read(row, column),
                                            &column->type)) {
            ovsdb_datum_destroy(&datum, &column->type);
            continue;
        }
        ovsdb_idl_txn_write(row, column, &datum);
        changed = true;
    }
    return changed;
}

static const struct uuid *
persist_uuid(const struct dvs_snap_row *snap,
             enum dvs_snapshot_apply_mode mode)
{
    return (mode == DVS_APPLY_ORIGINAL_IDENTITY ? &snap->uuid : NULL);
}

/* Ports. */

static const struct dvsrec_port *
match_port(struct ovsdb_idl *idl, const struct dvs_snap_row *snap)
{
    const struct dvsrec_port *port = dvsrec_port_get_for_uuid(idl,
                                                              &snap->uuid);
    if (!port) {
        const char *name = dvs_snap_row_name(snap);
        DVSREC_PORT_FOR_EACH (port, idl) {
            if (!strcmp(port->name, name)) {
                break;
            }
        }
    }
    return port;
}

/* Makes the ports of 'pg' those of 'snap'.  'pg' is new if 'inserted'. */
static char * OVS_WARN_UNUSED_RESULT
apply_ports(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
            const struct dvs_snap_portgroup *snap,
            const struct dvsrec_portgroup *pg, bool inserted,
            enum dvs_snapshot_apply_mode mode)
{
    const struct dvsrec_port **kept = xcalloc(snap->n_ports, sizeof *kept);
    const struct dvsrec_port *port;

    for (size_t i = 0; i < snap->n_ports; i++) {
        const struct dvs_snap_row *sp = &snap->ports[i];

        port = match_port(idl, sp);
        if (port && mode != DVS_APPLY_EXISTING) {
            free(kept);
            return xasprintf("port %s already exists (in portgroup %s)",
                             port->name,
                             port->portgroup ? port->portgroup->name : "?");
        }
        if (port) {
            /* A port restored into its portgroup, possibly from another
             * portgroup it had moved to. */
            if (port->portgroup != pg) {
                dvsrec_port_set_portgroup(port, pg);
            }
            if (write_columns(txn, &port->header_, sp, false)) {
                dvs_idl_bump_version(&port->header_,
                                     &dvsrec_port_col_config_version,
                                     port->config_version);
            }
        } else {
            const struct uuid *uuid = persist_uuid(sp, mode);
            port = (uuid ? dvsrec_port_insert_persist_uuid(txn, uuid)
                    : dvsrec_port_insert(txn));
            dvsrec_port_set_portgroup(port, pg);
            write_columns(txn, &port->header_, sp, true);
            dvsrec_port_set_config_version(port, 1);
        }
        kept[i] = port;
    }

    if (!inserted) {
        DVSREC_PORT_FOR_EACH (port, idl) {
            if (port->portgroup != pg) {
                continue;
            }
            bool found = false;
            for (size_t i = 0; i < snap->n_ports && !found; i++) {
                found = kept[i] == port;
            }
            if (!found) {
                dvsrec_port_delete(port);
            }
        }
    }
    free(kept);
    return NULL;
}

/* Portgroups. */

static char * OVS_WARN_UNUSED_RESULT
apply_portgroup_row(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                    const struct dvs_snap_portgroup *snap, bool with_ports,
                    const struct dvsrec_portgroup **pgp,
                    const struct dvsrec_switch *sw,
                    enum dvs_snapshot_apply_mode mode)
{
    const struct dvsrec_portgroup *pg = *pgp;
    bool inserted = !pg;

    if (pg) {
        if (write_columns(txn, &pg->header_, &snap->row, false)) {
            dvs_idl_bump_version(&pg->header_,
                                 &dvsrec_portgroup_col_config_version,
                                 pg->config_version);
        }
    } else {
        const struct uuid *uuid = persist_uuid(&snap->row, mode);
        pg = (uuid ? dvsrec_portgroup_insert_persist_uuid(txn, uuid)
              : dvsrec_portgroup_insert(txn));
        dvsrec_portgroup_set_switch_(pg, sw);
        write_columns(txn, &pg->header_, &snap->row, true);
        dvsrec_portgroup_set_config_version(pg, 1);
        *pgp = pg;
    }
    return (with_ports ? apply_ports(idl, txn, snap, pg, inserted, mode)
            : NULL);
}

/* Restores one portgroup, 'target', from 'snap', and its ports if
 * 'with_ports' (the snapshot holds ports). */
char *
dvs_snapshot_apply_portgroup(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                             const struct dvs_snap_portgroup *snap,
                             bool with_ports,
                             const struct dvsrec_portgroup *target)
{
    /* The edit is made against the version read, even when it turns out
     * to change nothing. */
    ovsdb_idl_txn_verify(&target->header_,
                         &dvsrec_portgroup_col_config_version);
    return apply_portgroup_row(idl, txn, snap, with_ports, &target,
                               target->switch_, DVS_APPLY_EXISTING);
}

static const struct dvsrec_portgroup *
match_portgroup(struct ovsdb_idl *idl, const struct dvs_snap_row *snap)
{
    const struct dvsrec_portgroup *pg
        = dvsrec_portgroup_get_for_uuid(idl, &snap->uuid);
    if (!pg) {
        const char *name = dvs_snap_row_name(snap);
        DVSREC_PORTGROUP_FOR_EACH (pg, idl) {
            if (!strcmp(pg->name, name)) {
                break;
            }
        }
    }
    return pg;
}

/* Deletes 'pg', which the snapshot being applied lacks, with its ports if
 * 'with_ports', else only if it has none. */
static char * OVS_WARN_UNUSED_RESULT
delete_portgroup(struct ovsdb_idl *idl, const struct dvsrec_portgroup *pg,
                 bool with_ports)
{
    const struct dvsrec_port *port;
    size_t n_ports = 0;

    DVSREC_PORT_FOR_EACH (port, idl) {
        if (port->portgroup == pg) {
            n_ports++;
        }
    }
    if (n_ports && !with_ports) {
        return xasprintf("portgroup %s is not in the snapshot (created "
                         "after it) and has %"PRIuSIZE" port%s, which a "
                         "snapshot without ports does not restore: delete "
                         "or move %s first, or use --force to delete the "
                         "portgroup with %s",
                         pg->name, n_ports, n_ports > 1 ? "s" : "",
                         n_ports > 1 ? "them" : "it",
                         n_ports > 1 ? "its ports" : "its port");
    }
    if (n_ports) {
        DVSREC_PORT_FOR_EACH (port, idl) {
            if (port->portgroup == pg) {
                dvsrec_port_delete(port);
            }
        }
    }
    dvsrec_portgroup_delete(pg);
    return NULL;
}

/* Host members. */

static const struct dvsrec_host *
find_or_create_host(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                    const char *name)
{
    const struct dvsrec_host *host;
    DVSREC_HOST_FOR_EACH (host, idl) {
        if (!strcmp(host->name, name)) {
            return host;
        }
    }
    host = dvsrec_host_insert(txn);
    dvsrec_host_set_name(host, name);
    return host;
}

static void
apply_members(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
              const struct dvs_snap_switch *snap,
              const struct dvsrec_switch *sw, bool inserted)
{
    const struct dvsrec_host_member *m;

    if (!inserted) {
        DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
            if (m->switch_ != sw) {
                continue;
            }
            bool found = false;
            for (size_t i = 0; i < snap->n_members && !found; i++) {
                found = m->host && !strcmp(m->host->name,
                                           snap->members[i].host);
            }
            if (!found) {
                dvsrec_host_member_delete(m);
            }
        }
    }
    for (size_t i = 0; i < snap->n_members; i++) {
        const struct dvs_snap_member *sm = &snap->members[i];

        m = NULL;
        if (!inserted) {
            DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
                if (m->switch_ == sw && m->host
                    && !strcmp(m->host->name, sm->host)) {
                    break;
                }
            }
        }
        if (m) {
            write_columns(txn, &m->header_, &sm->row, false);
        } else {
            m = dvsrec_host_member_insert(txn);
            dvsrec_host_member_set_switch_(m, sw);
            dvsrec_host_member_set_host(m, find_or_create_host(idl, txn,
                                                               sm->host));
            write_columns(txn, &m->header_, &sm->row, true);
        }
    }
}

/* The switch's rows of the child tables (LAGs, PVLAN map): matched by
 * their key column, the others deleted. */
static void
apply_children(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
               const struct dvs_snap_switch *snap,
               const struct dvsrec_switch *sw, bool inserted,
               enum dvs_snapshot_apply_mode mode)
{
    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        const struct dvs_snap_child_table *ct = &dvs_snap_child_tables[i];
        const struct dvs_snap_children *c = &snap->children[i];
        if (!c->present) {
            /* An older document, without the table: left alone. */
            continue;
        }
        const struct ovsdb_idl_column *key
            = dvs_snap_find_column(ct->table, ct->key);
        const struct ovsdb_idl_column *switch_col
            = dvs_snap_find_column(ct->table, "switch");
        size_t key_idx = key - ct->table->columns;
        const struct ovsdb_idl_row **kept = xcalloc(c->n, sizeof *kept);
        const struct ovsdb_idl_row *row;

        for (row = inserted ? NULL : ovsdb_idl_first_row(idl, ct->table);
             row; row = ovsdb_idl_next_row(row)) {
            if (!dvs_snap_row_belongs_to(row, ct->table,
                                         &sw->header_.uuid)) {
                continue;
            }
            size_t j;
            for (j = 0; j < c->n; j++) {
                if (!kept[j] && c->rows[j].values[key_idx]
                    && ovsdb_datum_equals(ovsdb_idl_read(row, key),
                                          c->rows[j].values[key_idx],
                                          &key->type)) {
                    break;
                }
            }
            if (j < c->n) {
                kept[j] = row;
                write_columns(txn, row, &c->rows[j], false);
            } else {
                ovsdb_idl_txn_delete(row);
            }
        }
        for (size_t j = 0; j < c->n; j++) {
            if (kept[j]) {
                continue;
            }
            union ovsdb_atom atom = { .uuid = sw->header_.uuid };
            struct ovsdb_datum datum;

            const struct uuid *uuid = persist_uuid(&c->rows[j], mode);
            row = (uuid
                   ? ovsdb_idl_txn_insert_persist_uuid(txn, ct->table, uuid)
                   : ovsdb_idl_txn_insert(txn, ct->table, NULL));
            ovsdb_datum_init_empty(&datum);
            ovsdb_datum_add_unsafe(&datum, &atom, NULL, &switch_col->type,
                                   NULL);
            ovsdb_idl_txn_write(row, switch_col, &datum);
            write_columns(txn, row, &c->rows[j], true);
        }
        free(kept);
    }
}

/* Switches. */

static void
set_switch_name(const struct dvsrec_switch *sw, const char *new_name)
{
    if (new_name && strcmp(sw->name, new_name)) {
        dvsrec_switch_set_name(sw, new_name);
    }
}

/* Writes the snapshot of a switch into the database ('txn'), in 'mode':
 *
 *   - DVS_APPLY_NEW_IDENTITY: creates the switch, named 'new_name' or as in
 *     the snapshot, with new UUIDs.
 *
 *   - DVS_APPLY_ORIGINAL_IDENTITY: recreates it with the UUIDs it had.
 *
 *   - DVS_APPLY_EXISTING: makes 'target' equal to the snapshot (renamed
 *     'new_name' if given).
 *
 * In the first two modes nothing in the snapshot may exist already.  If
 * the snapshot holds no ports, a portgroup of 'target' that the snapshot
 * lacks and that has ports is an error unless 'force' (then it is deleted
 * with them).  On error, returns a message; the caller must then abort
 * 'txn'. */
char *
dvs_snapshot_apply(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                   const struct dvs_snap_switch *snap,
                   enum dvs_snapshot_apply_mode mode,
                   const struct dvsrec_switch *target, const char *new_name,
                   bool force)
{
    const char *name = new_name ? new_name : dvs_snap_row_name(&snap->row);
    const struct dvsrec_switch *sw;
    bool inserted = mode != DVS_APPLY_EXISTING;

    DVSREC_SWITCH_FOR_EACH (sw, idl) {
        if (sw != target && !strcmp(sw->name, name)) {
            return xasprintf("switch %s already exists", name);
        }
        if (mode == DVS_APPLY_ORIGINAL_IDENTITY
            && uuid_equals(&sw->header_.uuid, &snap->row.uuid)) {
            return xasprintf("switch "UUID_FMT" already exists (named %s)",
                             UUID_ARGS(&snap->row.uuid), sw->name);
        }
    }

    if (inserted) {
        const struct uuid *uuid = persist_uuid(&snap->row, mode);
        sw = (uuid ? dvsrec_switch_insert_persist_uuid(txn, uuid)
              : dvsrec_switch_insert(txn));
        write_columns(txn, &sw->header_, &snap->row, true);
        dvsrec_switch_set_config_version(sw, 1);
    } else {
        sw = target;
        if (write_columns(txn, &sw->header_, &snap->row, false)) {
            dvs_idl_bump_version(&sw->header_,
                                 &dvsrec_switch_col_config_version,
                                 sw->config_version);
        } else {
            ovsdb_idl_txn_verify(&sw->header_,
                                 &dvsrec_switch_col_config_version);
        }
    }
    set_switch_name(sw, name);

    /* Portgroups: matched (or refused, for a new switch), then those the
     * snapshot lacks deleted with their ports. */
    const struct dvsrec_portgroup **kept = xcalloc(snap->n_portgroups,
                                                   sizeof *kept);
    char *error = NULL;
    for (size_t i = 0; i < snap->n_portgroups && !error; i++) {
        const struct dvs_snap_portgroup *sp = &snap->portgroups[i];
        const struct dvsrec_portgroup *pg = match_portgroup(idl, &sp->row);

        if (pg && (inserted || pg->switch_ != sw)) {
            error = xasprintf("portgroup %s already exists (in switch %s)",
                              pg->name, pg->switch_->name);
            break;
        }
        error = apply_portgroup_row(idl, txn, sp, snap->has_ports, &pg, sw,
                                    mode);
        kept[i] = pg;
    }
    if (!error && !inserted) {
        const struct dvsrec_portgroup *pg;
        DVSREC_PORTGROUP_FOR_EACH (pg, idl) {
            if (pg->switch_ != sw) {
                continue;
            }
            bool found = false;
            for (size_t i = 0; i < snap->n_portgroups && !found; i++) {
                found = kept[i] == pg;
            }
            if (!found) {
                error = delete_portgroup(idl, pg, snap->has_ports || force);
                if (error) {
                    break;
                }
            }
        }
    }
    free(kept);
    if (!error) {
        apply_members(idl, txn, snap, sw, inserted);
        apply_children(idl, txn, snap, sw, inserted, mode);
    }
    return error;
}
