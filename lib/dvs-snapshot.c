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

/* Snapshots of switch configuration as JSON (Documentation/snapshots.md).
 * Column values are written in OVSDB's own JSON notation for data
 * (RFC 7047 <value>), so that the schema, not this file, says what each
 * column holds, and a column added to the schema is in snapshots without
 * a change here. */

#include <config.h>

#include "lib/dvs-snapshot.h"

#include <stdio.h>
#include <string.h>

#include "lib/dvs-columns.h"
#include "lib/dvs-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "svec.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "smap.h"
#include "util.h"

/* Status and the edit counters are not configuration: never in a
 * snapshot and never written back. */
bool
dvs_snapshot_is_config_column(const struct ovsdb_idl_table_class *table,
                              const struct ovsdb_idl_column *column)
{
    /* References are rows of other tables: a snapshot holds what they
     * mean instead (nesting, host names). */
    return (column->type.key.type != OVSDB_TYPE_UUID
            && column->type.value.type != OVSDB_TYPE_UUID
            && strcmp(column->name, "config_version")
            && !dvs_column_is_status(table, column));
}

const struct dvs_snap_child_table dvs_snap_child_tables[] = {
    { "lags", &dvsrec_table_lag, "name", 1 },
    { "pvlan_entries", &dvsrec_table_pvlan_entry, "secondary_vlan", 1 },
    { "mirror_sessions", &dvsrec_table_mirror_session, "name", 3 },
};

/* The format version of the document being read (snap_row_from_json()
 * needs it deep down). */
static int64_t reading_version = DVS_SNAPSHOT_VERSION;
BUILD_ASSERT_DECL(ARRAY_SIZE(dvs_snap_child_tables)
                  == DVS_SNAP_N_CHILD_TABLES);

const struct ovsdb_idl_column *
dvs_snap_find_column(const struct ovsdb_idl_table_class *table,
                     const char *name)
{
    for (size_t i = 0; i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return &table->columns[i];
        }
    }
    return NULL;
}

/* Rows. */

static void
snap_row_init(struct dvs_snap_row *row,
              const struct ovsdb_idl_table_class *table)
{
    row->table = table;
    row->uuid = UUID_ZERO;
    row->config_version = 0;
    row->values = xcalloc(table->n_columns, sizeof *row->values);
    row->refs = true;
    row->rules = NULL;
    row->n_rules = 0;
    row->port_names = xcalloc(table->n_columns, sizeof *row->port_names);
}

/* Whether 'column' refers to rows of table 'name'. */
static bool
refers_to(const struct ovsdb_idl_column *column, const char *name)
{
    return (column->type.key.type == OVSDB_TYPE_UUID
            && column->type.key.uuid.refTableName
            && !strcmp(column->type.key.uuid.refTableName, name));
}

const struct ovsdb_idl_column *
dvs_snap_rules_column(const struct ovsdb_idl_table_class *table)
{
    for (size_t i = 0; i < table->n_columns; i++) {
        if (refers_to(&table->columns[i], "Traffic_Rule")) {
            return &table->columns[i];
        }
    }
    return NULL;
}

bool
dvs_snap_is_port_ref(const struct ovsdb_idl_column *column)
{
    return refers_to(column, "Port");
}

static void snap_row_destroy(struct dvs_snap_row *);

static void
snap_row_destroy_refs(struct dvs_snap_row *row)
{
    for (size_t i = 0; i < row->n_rules; i++) {
        snap_row_destroy(&row->rules[i]);
    }
    free(row->rules);
    row->rules = NULL;
    row->n_rules = 0;
    if (row->port_names) {
        for (size_t i = 0; i < row->table->n_columns; i++) {
            if (row->port_names[i]) {
                svec_destroy(row->port_names[i]);
                free(row->port_names[i]);
            }
        }
        free(row->port_names);
        row->port_names = NULL;
    }
}

static void
snap_row_destroy(struct dvs_snap_row *row)
{
    snap_row_destroy_refs(row);
    if (row->values) {
        for (size_t i = 0; i < row->table->n_columns; i++) {
            if (row->values[i]) {
                ovsdb_datum_destroy(row->values[i],
                                    &row->table->columns[i].type);
                free(row->values[i]);
            }
        }
        free(row->values);
        row->values = NULL;
    }
}

static int
compare_rules(const void *a_, const void *b_)
{
    const struct dvs_snap_row *a = a_, *b = b_;
    const struct ovsdb_idl_column *seq
        = dvs_snap_find_column(a->table, "sequence");
    size_t idx = seq - a->table->columns;
    return ovsdb_datum_compare_3way(a->values[idx], b->values[idx],
                                    &seq->type);
}

static void snap_row_from_idl(struct dvs_snap_row *,
                              const struct ovsdb_idl_row *,
                              const struct ovsdb_idl_table_class *);

/* Reads into 'snap' what the references of 'row' mean. */
static void
snap_refs_from_idl(struct dvs_snap_row *snap, const struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table_class *table = snap->table;
    struct ovsdb_idl *idl = row->table->idl;

    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *column = &table->columns[i];
        const struct ovsdb_datum *d;

        if (refers_to(column, "Traffic_Rule")) {
            d = ovsdb_idl_read(row, column);
            snap->rules = xcalloc(d->n, sizeof *snap->rules);
            for (size_t j = 0; j < d->n; j++) {
                const struct ovsdb_idl_row *r = ovsdb_idl_get_row_for_uuid(
                    idl, &dvsrec_table_traffic_rule, &d->keys[j].uuid);
                if (r) {
                    snap_row_from_idl(&snap->rules[snap->n_rules++], r,
                                      &dvsrec_table_traffic_rule);
                    snap->rules[snap->n_rules - 1].uuid = UUID_ZERO;
                }
            }
            qsort(snap->rules, snap->n_rules, sizeof *snap->rules,
                  compare_rules);
        } else if (dvs_snap_is_port_ref(column)) {
            d = ovsdb_idl_read(row, column);
            snap->port_names[i] = xmalloc(sizeof *snap->port_names[i]);
            svec_init(snap->port_names[i]);
            for (size_t j = 0; j < d->n; j++) {
                const struct dvsrec_port *p = dvsrec_port_get_for_uuid(
                    idl, &d->keys[j].uuid);
                if (p) {
                    svec_add(snap->port_names[i], p->name);
                }
            }
            svec_sort(snap->port_names[i]);
        }
    }
}

static void
snap_row_from_idl(struct dvs_snap_row *snap, const struct ovsdb_idl_row *row,
                  const struct ovsdb_idl_table_class *table)
{
    snap_row_init(snap, table);
    snap->uuid = row->uuid;
    snap_refs_from_idl(snap, row);
    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *column = &table->columns[i];

        if (!strcmp(column->name, "config_version")) {
            const struct ovsdb_datum *d = ovsdb_idl_read(row, column);
            snap->config_version = d->n ? d->keys[0].integer : 0;
        } else if (dvs_snapshot_is_config_column(table, column)) {
            snap->values[i] = xmalloc(sizeof *snap->values[i]);
            ovsdb_datum_clone(snap->values[i], ovsdb_idl_read(row, column));
        }
    }
}

const char *
dvs_snap_row_name(const struct dvs_snap_row *row)
{
    const struct ovsdb_idl_column *column
        = dvs_snap_find_column(row->table, "name");
    size_t idx = column ? column - row->table->columns : 0;

    return (column && row->values[idx] && row->values[idx]->n == 1
            ? json_string(row->values[idx]->keys[0].s)
            : "");
}

static struct json *
snap_row_columns_to_json(const struct dvs_snap_row *row)
{
    struct json *columns = json_object_create();
    for (size_t i = 0; i < row->table->n_columns; i++) {
        if (row->values[i]) {
            const struct ovsdb_idl_column *column = &row->table->columns[i];
            json_object_put(columns, column->name,
                            ovsdb_datum_to_json(row->values[i],
                                                &column->type));
        }
    }
    return columns;
}

static struct json *
snap_row_to_json(const struct dvs_snap_row *row)
{
    struct json *json = json_object_create();
    struct json *ports = json_object_create();

    json_object_put_format(json, "uuid", UUID_FMT, UUID_ARGS(&row->uuid));
    json_object_put(json, "config_version",
                    json_integer_create(row->config_version));
    json_object_put(json, "columns", snap_row_columns_to_json(row));
    if (row->n_rules) {
        struct json *rules = json_array_create_empty();
        for (size_t i = 0; i < row->n_rules; i++) {
            struct json *rule = json_object_create();
            json_object_put(rule, "columns",
                            snap_row_columns_to_json(&row->rules[i]));
            json_array_add(rules, rule);
        }
        json_object_put(json, "traffic_rules", rules);
    }
    for (size_t i = 0; i < row->table->n_columns; i++) {
        const struct svec *names = row->port_names[i];
        if (names && names->n) {
            struct json *array = json_array_create_empty();
            for (size_t j = 0; j < names->n; j++) {
                json_array_add(array, json_string_create(names->names[j]));
            }
            json_object_put(ports, row->table->columns[i].name, array);
        }
    }
    if (shash_count(json_object(ports))) {
        json_object_put(json, "port_names", ports);
    } else {
        json_destroy(ports);
    }
    return json;
}

/* Reading JSON: every error names where it is. */

static char * OVS_WARN_UNUSED_RESULT
get_member(const struct json *object, const char *name,
           enum json_type type, bool optional, const char *where,
           const struct json **valuep)
{
    const struct json *value = (object->type == JSON_OBJECT
                                ? shash_find_data(json_object(object), name)
                                : NULL);
    *valuep = NULL;
    if (!value) {
        return (optional ? NULL
                : xasprintf("%s: missing \"%s\"", where, name));
    }
    if (value->type != type) {
        return xasprintf("%s: \"%s\" is not %s", where, name,
                         type == JSON_ARRAY ? "an array"
                         : type == JSON_OBJECT ? "an object"
                         : type == JSON_STRING ? "a string"
                         : "an integer");
    }
    *valuep = value;
    return NULL;
}

static char * OVS_WARN_UNUSED_RESULT
snap_row_from_json(struct dvs_snap_row *, const struct json *,
                   const struct ovsdb_idl_table_class *, const char *key,
                   const char *where_);

/* Reads the members "traffic_rules" and "port_names" of row 'json'
 * (version 3) into 'row'. */
static char * OVS_WARN_UNUSED_RESULT
snap_refs_from_json(struct dvs_snap_row *row, const struct json *json,
                    const char *where)
{
    const struct ovsdb_idl_table_class *table = row->table;
    const struct json *rules, *ports;
    char *error;

    row->refs = reading_version >= 3;
    error = get_member(json, "traffic_rules", JSON_ARRAY, true, where,
                       &rules);
    if (!error) {
        error = get_member(json, "port_names", JSON_OBJECT, true, where,
                           &ports);
    }
    if (error) {
        return error;
    }
    if (rules && !dvs_snap_rules_column(table)) {
        return xasprintf("%s: a %s has no traffic rules", where,
                         table->name);
    }
    size_t n = rules ? json_array(rules)->n : 0;
    row->rules = xcalloc(n, sizeof *row->rules);
    for (size_t i = 0; i < n; i++) {
        char *what = xasprintf("%s: traffic rule", where);
        row->n_rules++;
        error = snap_row_from_json(&row->rules[i], json_array(rules)->elems[i],
                                   &dvsrec_table_traffic_rule, "sequence",
                                   what);
        free(what);
        if (error) {
            return error;
        }
    }

    struct shash no_ports = SHASH_INITIALIZER(&no_ports);
    struct shash_node *node;
    SHASH_FOR_EACH (node, ports ? json_object(ports) : &no_ports) {
        const struct ovsdb_idl_column *column
            = dvs_snap_find_column(table, node->name);
        const struct json *names = node->data;

        if (!column || !dvs_snap_is_port_ref(column)) {
            return xasprintf("%s: \"port_names\": \"%s\" is not a column "
                             "of table %s that names ports", where,
                             node->name, table->name);
        }
        if (names->type != JSON_ARRAY) {
            return xasprintf("%s: \"port_names\": \"%s\" is not an array",
                             where, node->name);
        }
        struct svec *svec = xmalloc(sizeof *svec);
        svec_init(svec);
        row->port_names[column - table->columns] = svec;
        for (size_t i = 0; i < json_array(names)->n; i++) {
            const struct json *name = json_array(names)->elems[i];
            if (name->type != JSON_STRING) {
                return xasprintf("%s: \"port_names\": \"%s\" holds a "
                                 "non-string", where, node->name);
            }
            svec_add(svec, json_string(name));
        }
    }
    return NULL;
}

/* Reads the row of 'table' in 'json'.  Column 'key' must be there: it
 * names the row in messages ("where_ KEY-VALUE: ..."). */
static char * OVS_WARN_UNUSED_RESULT
snap_row_from_json(struct dvs_snap_row *row, const struct json *json,
                   const struct ovsdb_idl_table_class *table,
                   const char *key, const char *where_)
{
    const struct json *uuid, *version, *columns;
    char *where = xstrdup(where_);
    char *error;

    snap_row_init(row, table);
    if (json->type != JSON_OBJECT) {
        error = xasprintf("%s: not an object", where);
        goto out;
    }
    error = get_member(json, "uuid", JSON_STRING, true, where, &uuid);
    if (!error) {
        error = get_member(json, "config_version", JSON_INTEGER, true, where,
                           &version);
    }
    if (!error) {
        error = get_member(json, "columns", JSON_OBJECT, false, where,
                           &columns);
    }
    if (error) {
        goto out;
    }
    if (uuid && !uuid_from_string(&row->uuid, json_string(uuid))) {
        error = xasprintf("%s: \"%s\" is not a UUID", where,
                          json_string(uuid));
        goto out;
    }
    row->config_version = version ? json_integer(version) : 0;

    /* The row's name makes the messages that follow clearer. */
    const struct json *name = shash_find_data(json_object(columns), key);
    if (!name || (name->type == JSON_STRING && !*json_string(name))) {
        error = xasprintf("%s: the columns have no \"%s\"", where, key);
        goto out;
    }
    free(where);
    if (name->type == JSON_STRING) {
        where = xasprintf("%s %s", where_, json_string(name));
    } else {
        char *s = json_to_string(name, 0);
        where = xasprintf("%s %s", where_, s);
        free(s);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, json_object(columns)) {
        const struct ovsdb_idl_column *column
            = dvs_snap_find_column(table, node->name);
        if (!column || !dvs_snapshot_is_config_column(table, column)) {
            error = xasprintf("%s: \"%s\" is not a configuration column of "
                              "table %s", where, node->name, table->name);
            goto out;
        }

        struct ovsdb_datum *datum = xmalloc(sizeof *datum);
        struct ovsdb_error *e = ovsdb_datum_from_json(datum, &column->type,
                                                      node->data, NULL);
        if (e) {
            char *s = ovsdb_error_to_string_free(e);
            error = xasprintf("%s: column %s: %s", where, node->name, s);
            free(s);
            free(datum);
            goto out;
        }
        row->values[column - table->columns] = datum;
    }
    error = snap_refs_from_json(row, json, where);

out:
    free(where);
    return error;
}

/* From the database. */

static int
compare_snap_rows(const void *a_, const void *b_)
{
    const struct dvs_snap_row *a = a_, *b = b_;
    return strcmp(dvs_snap_row_name(a), dvs_snap_row_name(b));
}

static int
compare_snap_portgroups(const void *a, const void *b)
{
    return compare_snap_rows(&((const struct dvs_snap_portgroup *) a)->row,
                             &((const struct dvs_snap_portgroup *) b)->row);
}

static int
compare_snap_members(const void *a_, const void *b_)
{
    const struct dvs_snap_member *a = a_, *b = b_;
    return strcmp(a->host, b->host);
}

static int
compare_snap_switches(const void *a, const void *b)
{
    return compare_snap_rows(&((const struct dvs_snap_switch *) a)->row,
                             &((const struct dvs_snap_switch *) b)->row);
}

/* Whether 'row' of child table 'table' belongs to the switch with
 * 'switch_uuid' (its "switch" column). */
bool
dvs_snap_row_belongs_to(const struct ovsdb_idl_row *row,
                        const struct ovsdb_idl_table_class *table,
                        const struct uuid *switch_uuid)
{
    const struct ovsdb_idl_column *column = dvs_snap_find_column(table,
                                                                 "switch");
    const struct ovsdb_datum *d = ovsdb_idl_read(row, column);
    return d->n == 1 && uuid_equals(&d->keys[0].uuid, switch_uuid);
}

/* The child table whose rows 'child_rows' sorts now (qsort() has no
 * auxiliary argument). */
static const struct dvs_snap_child_table *sorting_child;

static int
compare_child_rows(const void *a_, const void *b_)
{
    const struct dvs_snap_row *a = a_, *b = b_;
    const struct ovsdb_idl_column *key
        = dvs_snap_find_column(sorting_child->table, sorting_child->key);
    size_t idx = key - sorting_child->table->columns;
    return ovsdb_datum_compare_3way(a->values[idx], b->values[idx],
                                    &key->type);
}

static void
snap_children_from_idl(struct dvs_snap_switch *snap, struct ovsdb_idl *idl,
                       const struct dvsrec_switch *sw)
{
    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        const struct dvs_snap_child_table *ct = &dvs_snap_child_tables[i];
        struct dvs_snap_children *c = &snap->children[i];
        const struct ovsdb_idl_row *row;
        size_t allocated = 0;

        for (row = ovsdb_idl_first_row(idl, ct->table); row;
             row = ovsdb_idl_next_row(row)) {
            if (dvs_snap_row_belongs_to(row, ct->table,
                                        &sw->header_.uuid)) {
                if (c->n >= allocated) {
                    c->rows = x2nrealloc(c->rows, &allocated,
                                         sizeof *c->rows);
                }
                snap_row_from_idl(&c->rows[c->n++], row, ct->table);
            }
        }
        c->present = true;
        sorting_child = ct;
        qsort(c->rows, c->n, sizeof *c->rows, compare_child_rows);
    }
}

static void
snap_switch_from_idl(struct dvs_snap_switch *snap, struct ovsdb_idl *idl,
                     const struct dvsrec_switch *sw, bool with_ports)
{
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_host_member *m;
    size_t allocated = 0;

    memset(snap, 0, sizeof *snap);
    snap_row_from_idl(&snap->row, &sw->header_, &dvsrec_table_switch);
    snap->has_ports = with_ports;

    DVSREC_PORTGROUP_FOR_EACH (pg, idl) {
        if (pg->switch_ != sw) {
            continue;
        }
        if (snap->n_portgroups >= allocated) {
            snap->portgroups = x2nrealloc(snap->portgroups, &allocated,
                                          sizeof *snap->portgroups);
        }
        struct dvs_snap_portgroup *sp
            = &snap->portgroups[snap->n_portgroups++];
        memset(sp, 0, sizeof *sp);
        snap_row_from_idl(&sp->row, &pg->header_, &dvsrec_table_portgroup);
        if (!with_ports) {
            continue;
        }

        const struct dvsrec_port *port;
        size_t n_allocated = 0;
        DVSREC_PORT_FOR_EACH (port, idl) {
            if (port->portgroup == pg) {
                if (sp->n_ports >= n_allocated) {
                    sp->ports = x2nrealloc(sp->ports, &n_allocated,
                                           sizeof *sp->ports);
                }
                snap_row_from_idl(&sp->ports[sp->n_ports++], &port->header_,
                                  &dvsrec_table_port);
            }
        }
        qsort(sp->ports, sp->n_ports, sizeof *sp->ports, compare_snap_rows);
    }
    qsort(snap->portgroups, snap->n_portgroups, sizeof *snap->portgroups,
          compare_snap_portgroups);

    allocated = 0;
    DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
        if (m->switch_ != sw || !m->host) {
            continue;
        }
        if (snap->n_members >= allocated) {
            snap->members = x2nrealloc(snap->members, &allocated,
                                       sizeof *snap->members);
        }
        struct dvs_snap_member *sm = &snap->members[snap->n_members++];
        sm->host = xstrdup(m->host->name);
        snap_row_from_idl(&sm->row, &m->header_, &dvsrec_table_host_member);
    }
    qsort(snap->members, snap->n_members, sizeof *snap->members,
          compare_snap_members);
    snap_children_from_idl(snap, idl, sw);
}

/* Takes a snapshot of 'sw', or of every switch if 'sw' is NULL, with the
 * ports of its portgroups if 'with_ports'.  Rows are in name order, so
 * that equal configurations give equal documents. */
void
dvs_snapshot_from_idl(struct ovsdb_idl *idl, const struct dvsrec_switch *sw,
                      bool with_ports, struct dvs_snapshot *snap)
{
    memset(snap, 0, sizeof *snap);
    snap->has_ports = with_ports;
    if (sw) {
        snap->switches = xmalloc(sizeof *snap->switches);
        snap_switch_from_idl(&snap->switches[0], idl, sw, with_ports);
        snap->n_switches = 1;
        return;
    }

    size_t allocated = 0;
    DVSREC_SWITCH_FOR_EACH (sw, idl) {
        if (snap->n_switches >= allocated) {
            snap->switches = x2nrealloc(snap->switches, &allocated,
                                        sizeof *snap->switches);
        }
        snap_switch_from_idl(&snap->switches[snap->n_switches++], idl, sw,
                             with_ports);
    }
    qsort(snap->switches, snap->n_switches, sizeof *snap->switches,
          compare_snap_switches);
}

/* To JSON. */

static struct json *
snap_member_to_json(const struct dvs_snap_member *m)
{
    struct json *json = json_object_create();
    json_object_put_string(json, "host", m->host);
    json_object_put(json, "columns", snap_row_columns_to_json(&m->row));
    return json;
}

/* Puts into 'json', a switch's row, its lists 'lists' (arrays of their
 * elements, in order), whose ownership it takes. */
static void
snap_switch_put_lists(struct json *json, struct json *lists[DVS_SNAP_N_LISTS])
{
    json_object_put(json, "portgroups", lists[DVS_SNAP_LIST_PORTGROUPS]);
    json_object_put(json, "host_members", lists[DVS_SNAP_LIST_MEMBERS]);
    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        json_object_put(json, dvs_snap_child_tables[i].member,
                        lists[DVS_SNAP_LIST_CHILDREN + i]);
    }
}

static struct json *
snap_switch_to_json(const struct dvs_snap_switch *sw, bool with_ports)
{
    struct json *json = snap_row_to_json(&sw->row);
    struct json *lists[DVS_SNAP_N_LISTS];

    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        lists[i] = json_array_create_empty();
    }
    for (size_t i = 0; i < sw->n_portgroups; i++) {
        const struct dvs_snap_portgroup *pg = &sw->portgroups[i];
        struct json *pg_json = snap_row_to_json(&pg->row);
        if (with_ports) {
            struct json *ports = json_array_create_empty();
            for (size_t j = 0; j < pg->n_ports; j++) {
                json_array_add(ports, snap_row_to_json(&pg->ports[j]));
            }
            json_object_put(pg_json, "ports", ports);
        }
        json_array_add(lists[DVS_SNAP_LIST_PORTGROUPS], pg_json);
    }
    for (size_t i = 0; i < sw->n_members; i++) {
        json_array_add(lists[DVS_SNAP_LIST_MEMBERS],
                       snap_member_to_json(&sw->members[i]));
    }
    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        const struct dvs_snap_children *c = &sw->children[i];
        for (size_t j = 0; j < c->n; j++) {
            json_array_add(lists[DVS_SNAP_LIST_CHILDREN + i],
                           snap_row_to_json(&c->rows[j]));
        }
    }
    snap_switch_put_lists(json, lists);
    return json;
}

/* The document that holds 'switches', an array of switches' JSON, whose
 * ownership it takes. */
static struct json *
snap_document_json(struct json *switches, bool has_ports)
{
    struct json *json = json_object_create();
    json_object_put_string(json, "format", DVS_SNAPSHOT_FORMAT);
    json_object_put(json, "version",
                    json_integer_create(DVS_SNAPSHOT_VERSION));
    json_object_put(json, "ports", json_boolean_create(has_ports));
    json_object_put(json, "switches", switches);
    return json;
}

struct json *
dvs_snapshot_to_json(const struct dvs_snapshot *snap)
{
    struct json *switches = json_array_create_empty();
    for (size_t i = 0; i < snap->n_switches; i++) {
        json_array_add(switches, snap_switch_to_json(&snap->switches[i],
                                                     snap->has_ports));
    }
    return snap_document_json(switches, snap->has_ports);
}

/* How snapshot documents are written, as stored and exported. */
#define SNAP_DOCUMENT_FLAGS (JSSF_PRETTY | JSSF_SORT)

static char *
snap_document_to_string(const struct json *json)
{
    return json_to_string(json, SNAP_DOCUMENT_FLAGS);
}

char *
dvs_snapshot_to_string(const struct dvs_snapshot *snap)
{
    struct json *json = dvs_snapshot_to_json(snap);
    char *s = snap_document_to_string(json);
    json_destroy(json);
    return s;
}

/* A switch's document written row by row.
 *
 * The text of the document is the same as dvs_snapshot_to_string() gives:
 * each element of the switch's lists is serialised on its own, as the
 * pretty printer writes it at its depth in the document (the document's
 * object, "switches", the switch's object, the list: 4 levels), and
 * copied into the document as it is. */

#define SNAP_ELEMENT_DEPTH 4
#define SNAP_SPACES_PER_LEVEL 2 /* As json_to_string() indents. */

/* The element of a list of a switch's document for 'row', a row of the
 * switch's portgroups, host members or child tables, or the switch's own
 * row (without its lists), as dvs_snapshot_to_json() writes it without
 * ports. */
static struct json *
snap_element_from_idl(const struct ovsdb_idl_row *row,
                      const struct ovsdb_idl_table_class *table)
{
    struct json *json;

    if (table == &dvsrec_table_host_member) {
        const struct dvsrec_host_member *m
            = CONTAINER_OF(row, struct dvsrec_host_member, header_);
        struct dvs_snap_member sm = { .host = m->host->name };
        snap_row_from_idl(&sm.row, row, table);
        json = snap_member_to_json(&sm);
        snap_row_destroy(&sm.row);
    } else {
        struct dvs_snap_row sr;
        snap_row_from_idl(&sr, row, table);
        json = snap_row_to_json(&sr);
        snap_row_destroy(&sr);
    }
    return json;
}

/* The element of 'row' in its list (see snap_element_from_idl()),
 * serialised at the depth where the document holds it, for
 * dvs_snapshot_document_from_elements(): a JSON_SERIALIZED_OBJECT, whose
 * text json_serialized_object() gives. */
struct json *
dvs_snap_element_from_idl(const struct ovsdb_idl_row *row,
                          const struct ovsdb_idl_table_class *table)
{
    struct json *json = snap_element_from_idl(row, table);
    char *flat = json_to_string(json, SNAP_DOCUMENT_FLAGS);
    struct ds ds = DS_EMPTY_INITIALIZER;

    json_destroy(json);
    for (const char *p = flat; *p; p++) {
        ds_put_char(&ds, *p);
        if (*p == '\n') {
            /* The pretty printer escapes new-lines in strings: this one
             * starts a line, which goes deeper. */
            ds_put_char_multiple(&ds, ' ',
                                 SNAP_SPACES_PER_LEVEL * SNAP_ELEMENT_DEPTH);
        }
    }
    free(flat);

    /* A string and a serialised object differ only in how they are
     * written out. */
    json = json_string_create_nocopy(ds_steal_cstr(&ds));
    json->type = JSON_SERIALIZED_OBJECT;
    return json;
}

/* The snapshot document, without ports, of switch 'sw' whose lists hold
 * 'elements[i]' (n_elements[i] of them, in order, from
 * dvs_snap_element_from_idl()) for each list 'i' (enum dvs_snap_list):
 * the same text as dvs_snapshot_to_string() gives for 'sw'.  'size_hint'
 * is the length expected (that of the last one, say), so that a large
 * document is not copied as it grows. */
char *
dvs_snapshot_document_from_elements(
    const struct dvsrec_switch *sw,
    struct json **const elements[DVS_SNAP_N_LISTS],
    const size_t n_elements[DVS_SNAP_N_LISTS], size_t size_hint)
{
    struct json *sw_json = snap_element_from_idl(&sw->header_,
                                                 &dvsrec_table_switch);
    struct json *lists[DVS_SNAP_N_LISTS];

    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        struct json **elems = xmalloc(n_elements[i] * sizeof *elems);
        for (size_t j = 0; j < n_elements[i]; j++) {
            elems[j] = json_clone(elements[i][j]);
        }
        lists[i] = json_array_create(elems, n_elements[i]);
    }
    snap_switch_put_lists(sw_json, lists);

    struct json *switches = json_array_create_empty();
    json_array_add(switches, sw_json);
    struct json *json = snap_document_json(switches, false);
    struct ds text = DS_EMPTY_INITIALIZER;
    ds_reserve(&text, size_hint);
    json_to_ds(json, SNAP_DOCUMENT_FLAGS, &text);
    json_destroy(json);
    return ds_steal_cstr(&text);
}

/* From JSON. */

static char * OVS_WARN_UNUSED_RESULT
snap_switch_from_json(struct dvs_snap_switch *sw, const struct json *json,
                      bool with_ports)
{
    const struct json *pgs, *members;
    char *error;

    memset(sw, 0, sizeof *sw);
    sw->has_ports = with_ports;
    error = snap_row_from_json(&sw->row, json, &dvsrec_table_switch, "name",
                               "switch");
    if (error) {
        return error;
    }

    char *where = xasprintf("switch %s", dvs_snap_row_name(&sw->row));
    error = get_member(json, "portgroups", JSON_ARRAY, true, where, &pgs);
    if (!error) {
        error = get_member(json, "host_members", JSON_ARRAY, true, where,
                           &members);
    }
    if (error) {
        goto out;
    }

    size_t n = pgs ? json_array(pgs)->n : 0;
    sw->portgroups = xcalloc(n, sizeof *sw->portgroups);
    for (size_t i = 0; i < n; i++) {
        const struct json *pg_json = json_array(pgs)->elems[i];
        struct dvs_snap_portgroup *pg = &sw->portgroups[i];
        const struct json *ports;

        sw->n_portgroups++;
        error = snap_row_from_json(&pg->row, pg_json,
                                   &dvsrec_table_portgroup, "name",
                                   "portgroup");
        if (!error) {
            char *pg_where = xasprintf("portgroup %s",
                                       dvs_snap_row_name(&pg->row));
            error = get_member(pg_json, "ports", JSON_ARRAY, true, pg_where,
                               &ports);
            if (!error && ports && !with_ports) {
                error = xasprintf("%s: has \"ports\" but the snapshot says "
                                  "it holds no ports (\"ports\": false)",
                                  pg_where);
            }
            free(pg_where);
        }
        if (error) {
            goto out;
        }

        size_t n_ports = ports ? json_array(ports)->n : 0;
        pg->ports = xcalloc(n_ports, sizeof *pg->ports);
        for (size_t j = 0; j < n_ports; j++) {
            pg->n_ports++;
            error = snap_row_from_json(&pg->ports[j],
                                       json_array(ports)->elems[j],
                                       &dvsrec_table_port, "name", "port");
            if (error) {
                goto out;
            }
        }
    }

    n = members ? json_array(members)->n : 0;
    sw->members = xcalloc(n, sizeof *sw->members);
    for (size_t i = 0; i < n; i++) {
        const struct json *m_json = json_array(members)->elems[i];
        struct dvs_snap_member *m = &sw->members[i];
        const struct json *host, *columns;

        error = get_member(m_json, "host", JSON_STRING, false, where, &host);
        if (!error) {
            error = get_member(m_json, "columns", JSON_OBJECT, false, where,
                               &columns);
        }
        if (error) {
            goto out;
        }
        sw->n_members++;
        m->host = xstrdup(json_string(host));
        snap_row_init(&m->row, &dvsrec_table_host_member);

        struct shash_node *node;
        SHASH_FOR_EACH (node, json_object(columns)) {
            const struct ovsdb_idl_table_class *table
                = &dvsrec_table_host_member;
            const struct ovsdb_idl_column *column
                = dvs_snap_find_column(table, node->name);
            if (!column || !dvs_snapshot_is_config_column(table, column)) {
                error = xasprintf("%s: host %s: \"%s\" is not a "
                                  "configuration column of table "
                                  "Host_Member", where, m->host, node->name);
                goto out;
            }
            struct ovsdb_datum *datum = xmalloc(sizeof *datum);
            struct ovsdb_error *e = ovsdb_datum_from_json(
                datum, &column->type, node->data, NULL);
            if (e) {
                char *s = ovsdb_error_to_string_free(e);
                error = xasprintf("%s: host %s: column %s: %s", where,
                                  m->host, node->name, s);
                free(s);
                free(datum);
                goto out;
            }
            m->row.values[column - dvsrec_table_host_member.columns] = datum;
        }
    }

    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        const struct dvs_snap_child_table *ct = &dvs_snap_child_tables[i];
        struct dvs_snap_children *c = &sw->children[i];
        const struct json *rows;

        error = get_member(json, ct->member, JSON_ARRAY, true, where, &rows);
        if (error) {
            goto out;
        }
        c->present = reading_version >= ct->since;
        size_t n_rows = rows ? json_array(rows)->n : 0;
        c->rows = xcalloc(n_rows, sizeof *c->rows);
        for (size_t j = 0; j < n_rows; j++) {
            char *what = xasprintf("%s: %s", where, ct->table->name);
            c->n++;
            error = snap_row_from_json(&c->rows[j], json_array(rows)->elems[j],
                                       ct->table, ct->key, what);
            free(what);
            if (error) {
                goto out;
            }
        }
    }

out:
    free(where);
    return error;
}

/* Reads a snapshot document.  On error, returns a message that says what
 * is wrong and where, and leaves 'snap' empty. */
char *
dvs_snapshot_from_json(const struct json *json, struct dvs_snapshot *snap)
{
    const struct json *format, *version, *switches;
    char *error;

    memset(snap, 0, sizeof *snap);
    if (json->type != JSON_OBJECT) {
        return xstrdup("snapshot: not a JSON object");
    }
    error = get_member(json, "format", JSON_STRING, false, "snapshot",
                       &format);
    if (error) {
        return error;
    }
    if (strcmp(json_string(format), DVS_SNAPSHOT_FORMAT)) {
        return xasprintf("snapshot: format \"%s\" is not \"%s\"",
                         json_string(format), DVS_SNAPSHOT_FORMAT);
    }
    error = get_member(json, "version", JSON_INTEGER, false, "snapshot",
                       &version);
    if (!error) {
        error = get_member(json, "switches", JSON_ARRAY, false, "snapshot",
                           &switches);
    }
    if (error) {
        return error;
    }
    if (json_integer(version) < 1
        || json_integer(version) > DVS_SNAPSHOT_VERSION) {
        return xasprintf("snapshot: format version %"PRId64" is not supported "
                         "(this version of ovs-dvs reads versions 1 to %d)",
                         json_integer(version), DVS_SNAPSHOT_VERSION);
    }

    /* Version 1 always held ports; version 2 says whether it does. */
    snap->has_ports = true;
    if (json_integer(version) >= 2) {
        const struct json *ports = shash_find_data(json_object(json),
                                                   "ports");
        if (!ports) {
            return xstrdup("snapshot: missing \"ports\"");
        }
        if (ports->type != JSON_TRUE && ports->type != JSON_FALSE) {
            return xstrdup("snapshot: \"ports\" is not true or false");
        }
        snap->has_ports = ports->type == JSON_TRUE;
    }

    size_t n = json_array(switches)->n;
    snap->switches = xcalloc(n, sizeof *snap->switches);
    reading_version = json_integer(version);
    for (size_t i = 0; i < n; i++) {
        snap->n_switches++;
        error = snap_switch_from_json(&snap->switches[i],
                                      json_array(switches)->elems[i],
                                      snap->has_ports);
        if (error) {
            break;
        }
    }
    reading_version = DVS_SNAPSHOT_VERSION;
    if (error) {
        dvs_snapshot_destroy(snap);
        return error;
    }
    return NULL;
}

char *
dvs_snapshot_from_string(const char *s, struct dvs_snapshot *snap)
{
    struct json *json = json_from_string(s);
    char *error;

    if (json->type == JSON_STRING) {
        /* json_from_string() reports a syntax error this way. */
        error = xasprintf("snapshot: not valid JSON: %s", json_string(json));
        memset(snap, 0, sizeof *snap);
    } else {
        error = dvs_snapshot_from_json(json, snap);
    }
    json_destroy(json);
    return error;
}

void
dvs_snapshot_destroy(struct dvs_snapshot *snap)
{
    for (size_t i = 0; i < snap->n_switches; i++) {
        struct dvs_snap_switch *sw = &snap->switches[i];
        snap_row_destroy(&sw->row);
        for (size_t j = 0; j < sw->n_portgroups; j++) {
            struct dvs_snap_portgroup *pg = &sw->portgroups[j];
            snap_row_destroy(&pg->row);
            for (size_t k = 0; k < pg->n_ports; k++) {
                snap_row_destroy(&pg->ports[k]);
            }
            free(pg->ports);
        }
        free(sw->portgroups);
        for (size_t j = 0; j < sw->n_members; j++) {
            free(sw->members[j].host);
            snap_row_destroy(&sw->members[j].row);
        }
        free(sw->members);
        for (size_t j = 0; j < DVS_SNAP_N_CHILD_TABLES; j++) {
            struct dvs_snap_children *c = &sw->children[j];
            for (size_t k = 0; k < c->n; k++) {
                snap_row_destroy(&c->rows[k]);
            }
            free(c->rows);
        }
    }
    free(snap->switches);
    memset(snap, 0, sizeof *snap);
}

const struct dvs_snap_switch *
dvs_snapshot_find_switch(const struct dvs_snapshot *snap, const char *name)
{
    for (size_t i = 0; i < snap->n_switches; i++) {
        if (!strcmp(dvs_snap_row_name(&snap->switches[i].row), name)) {
            return &snap->switches[i];
        }
    }
    return NULL;
}

const struct dvs_snap_portgroup *
dvs_snapshot_find_portgroup(const struct dvs_snapshot *snap,
                            const char *name,
                            const struct dvs_snap_switch **swp)
{
    for (size_t i = 0; i < snap->n_switches; i++) {
        const struct dvs_snap_switch *sw = &snap->switches[i];
        for (size_t j = 0; j < sw->n_portgroups; j++) {
            if (!strcmp(dvs_snap_row_name(&sw->portgroups[j].row), name)) {
                if (swp) {
                    *swp = sw;
                }
                return &sw->portgroups[j];
            }
        }
    }
    return NULL;
}

/* The document that "dvs-ctl snapshot-export" writes and dvs-controller
 * keeps in its --snapshot-dir for Snapshot row 's': the row's content with
 * its name, kind, creation time and description as optional members. */
char *
dvs_snapshot_document(const struct dvsrec_snapshot *s)
{
    struct json *json = json_from_string(s->data);
    if (json->type == JSON_OBJECT) {
        json_object_put_string(json, "name", s->name);
        json_object_put_string(json, "kind", s->kind);
        json_object_put(json, "created", json_integer_create(s->created));
        if (*s->description) {
            json_object_put_string(json, "description", s->description);
        }
    }
    char *text = json_to_string(json, SNAP_DOCUMENT_FLAGS);
    json_destroy(json);
    return text;
}

/* The newest checkpoint that dvs-controller saved for switch 'sw' (the
 * largest external_ids:sequence among the checkpoints whose
 * external_ids:switch-uuid is the switch's), or NULL. */
const struct dvsrec_snapshot *
dvs_snapshot_latest_checkpoint(struct ovsdb_idl *idl,
                               const struct dvsrec_switch *sw)
{
    const struct dvsrec_snapshot *s, *best = NULL;
    char uuid[UUID_LEN + 1];

    snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&sw->header_.uuid));
    DVSREC_SNAPSHOT_FOR_EACH (s, idl) {
        const char *s_uuid = smap_get(&s->external_ids, "switch-uuid");
        if (!strcmp(s->kind, "checkpoint") && s_uuid && !strcmp(s_uuid, uuid)
            && (!best
                || (smap_get_ullong(&s->external_ids, "sequence", 0)
                    > smap_get_ullong(&best->external_ids, "sequence", 0)))) {
            best = s;
        }
    }
    return best;
}
