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

#ifndef DVS_SNAPSHOT_H
#define DVS_SNAPSHOT_H 1

/* Snapshots of switch configuration: a switch with its portgroups (and
 * their ports, or not: see struct dvs_snapshot) and host members, as a JSON document whose format is documented in
 * Documentation/snapshots.md.  The same document is the "data" of a
 * Snapshot row, the file that "dvs-ctl snapshot-export" writes and the
 * checkpoints that dvs-controller keeps.
 *
 * A switch's LAGs and PVLAN map are in its snapshot too, as rows of its
 * "child tables" (dvs_snap_child_tables).
 *
 * A snapshot holds configuration only: the columns that dvs-controller
 * writes (bindings, status, errors) and the config_version counters are
 * left out, and references to rows of other tables are replaced by what
 * they mean (the portgroup's switch by nesting, a host member's host by
 * its name). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/uuid.h"

struct json;
struct svec;
struct ovsdb_datum;
struct ovsdb_idl;
struct ovsdb_idl_table_class;
struct ovsdb_idl_txn;
struct dvsrec_switch;
struct dvsrec_portgroup;

/* The format's name and the version this code writes and reads.  A newer
 * version is refused, an older one is read as it is. */
#define DVS_SNAPSHOT_FORMAT "ovs-dvs-snapshot"
#define DVS_SNAPSHOT_VERSION 3

/* One row's configuration: a value for each of its table's configuration
 * columns that the snapshot holds (NULL for the others). */
struct dvs_snap_row {
    const struct ovsdb_idl_table_class *table;
    struct uuid uuid;
    int64_t config_version;     /* As it was, for information. */
    struct ovsdb_datum **values;  /* One per column of 'table'. */

    /* What its references to rows of other tables mean (a snapshot holds
     * no UUID of those): the Traffic_Rule rows of its traffic_rules column
     * (a Switch, Portgroup or Port), in sequence order, and, for each
     * column of 'table' that refers to ports, their names (NULL for the
     * other columns).  'refs' is false if the document that it comes from
     * is older than version 3, which did not carry them: applying it then
     * leaves them as they are. */
    bool refs;
    struct dvs_snap_row *rules;
    size_t n_rules;
    struct svec **port_names;
};

struct dvs_snap_portgroup {
    struct dvs_snap_row row;
    struct dvs_snap_row *ports;
    size_t n_ports;
};

struct dvs_snap_member {
    char *host;                 /* The Host's name. */
    struct dvs_snap_row row;
};

/* Tables whose rows belong to a switch through a "switch" column and have
 * no other reference: kept with the switch, matched by 'key' on apply. */
struct dvs_snap_child_table {
    const char *member;         /* The JSON member, e.g. "lags". */
    const struct ovsdb_idl_table_class *table;
    const char *key;            /* Unique per switch, e.g. "name". */
    int since;                  /* The first format version with it. */
};
#define DVS_SNAP_N_CHILD_TABLES 3
extern const struct dvs_snap_child_table
    dvs_snap_child_tables[DVS_SNAP_N_CHILD_TABLES];

/* The lists of a switch in its document, in the order of
 * dvs_snapshot_document_from_elements()'s arguments. */
enum dvs_snap_list {
    DVS_SNAP_LIST_PORTGROUPS,
    DVS_SNAP_LIST_MEMBERS,
    DVS_SNAP_LIST_CHILDREN,     /* + i for dvs_snap_child_tables[i]. */
};
#define DVS_SNAP_N_LISTS (DVS_SNAP_LIST_CHILDREN + DVS_SNAP_N_CHILD_TABLES)

struct dvs_snap_children {
    struct dvs_snap_row *rows;
    size_t n;
    bool present;               /* False: the document is older than the
                                 * table's 'since'; applying it leaves the
                                 * table's rows alone. */
};

struct dvs_snap_switch {
    struct dvs_snap_row row;
    bool has_ports;             /* As the document's "ports" says: without
                                 * ports, applying it leaves ports alone. */
    struct dvs_snap_children children[DVS_SNAP_N_CHILD_TABLES];
    struct dvs_snap_portgroup *portgroups;
    size_t n_portgroups;
    struct dvs_snap_member *members;
    size_t n_members;
};

/* A snapshot holds ports or not: the named snapshots that dvs-ctl takes
 * do, so that they restore a switch whole; dvs-controller's checkpoints do
 * not, so that they stay small and are taken only when the switch or its
 * portgroups change, and a rollback to one leaves ports alone. */
struct dvs_snapshot {
    struct dvs_snap_switch *switches;
    size_t n_switches;
    bool has_ports;
};

struct ovsdb_idl_column;
struct ovsdb_idl_row;

bool dvs_snapshot_is_config_column(const struct ovsdb_idl_table_class *,
                                   const struct ovsdb_idl_column *);
void dvs_idl_bump_version(const struct ovsdb_idl_row *,
                          const struct ovsdb_idl_column *version_column,
                          int64_t current);

void dvs_snapshot_from_idl(struct ovsdb_idl *, const struct dvsrec_switch *,
                           bool with_ports, struct dvs_snapshot *);
struct json *dvs_snapshot_to_json(const struct dvs_snapshot *);
char *dvs_snapshot_to_string(const struct dvs_snapshot *)
    OVS_WARN_UNUSED_RESULT;

/* A switch's document (without ports) kept row by row: each row's element
 * serialised once, the document written from them (see dvs-snapshot.c). */
struct json *dvs_snap_element_from_idl(const struct ovsdb_idl_row *,
                                       const struct ovsdb_idl_table_class *);
char *dvs_snapshot_document_from_elements(
    const struct dvsrec_switch *,
    struct json **const elements[DVS_SNAP_N_LISTS],
    const size_t n_elements[DVS_SNAP_N_LISTS], size_t size_hint)
    OVS_WARN_UNUSED_RESULT;

char *dvs_snapshot_from_json(const struct json *, struct dvs_snapshot *)
    OVS_WARN_UNUSED_RESULT;
char *dvs_snapshot_from_string(const char *, struct dvs_snapshot *)
    OVS_WARN_UNUSED_RESULT;
void dvs_snapshot_destroy(struct dvs_snapshot *);

struct dvsrec_snapshot;
char *dvs_snapshot_document(const struct dvsrec_snapshot *)
    OVS_WARN_UNUSED_RESULT;
const struct dvsrec_snapshot *dvs_snapshot_latest_checkpoint(
    struct ovsdb_idl *, const struct dvsrec_switch *);

const char *dvs_snap_row_name(const struct dvs_snap_row *);
const struct ovsdb_idl_column *dvs_snap_rules_column(
    const struct ovsdb_idl_table_class *);
bool dvs_snap_is_port_ref(const struct ovsdb_idl_column *);
const struct ovsdb_idl_column *dvs_snap_find_column(
    const struct ovsdb_idl_table_class *, const char *name);
bool dvs_snap_row_belongs_to(const struct ovsdb_idl_row *,
                             const struct ovsdb_idl_table_class *,
                             const struct uuid *switch_uuid);
const struct dvs_snap_switch *dvs_snapshot_find_switch(
    const struct dvs_snapshot *, const char *name);
const struct dvs_snap_portgroup *dvs_snapshot_find_portgroup(
    const struct dvs_snapshot *, const char *name,
    const struct dvs_snap_switch **);

/* How dvs_snapshot_apply() uses the snapshot of a switch, as VDS's import
 * types. */
enum dvs_snapshot_apply_mode {
    DVS_APPLY_NEW_IDENTITY,     /* A new switch, with new UUIDs. */
    DVS_APPLY_ORIGINAL_IDENTITY,  /* Recreated with the original UUIDs. */
    DVS_APPLY_EXISTING,         /* Makes an existing switch equal to it. */
};

char *dvs_snapshot_apply(struct ovsdb_idl *, struct ovsdb_idl_txn *,
                         const struct dvs_snap_switch *,
                         enum dvs_snapshot_apply_mode,
                         const struct dvsrec_switch *target,
                         const char *new_name, bool force)
    OVS_WARN_UNUSED_RESULT;
char *dvs_snapshot_apply_portgroup(struct ovsdb_idl *, struct ovsdb_idl_txn *,
                                   const struct dvs_snap_portgroup *,
                                   bool with_ports,
                                   const struct dvsrec_portgroup *target)
    OVS_WARN_UNUSED_RESULT;

#endif /* dvs-snapshot.h */
