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

#ifndef DVS_KEYS_H
#define DVS_KEYS_H 1

/* The KEY=VALUE settings of switches, portgroups and ports.
 *
 * Each key names one column of the configuration database.  Ranges and
 * enumerations come from the column's type in the schema, so the schema
 * stays the single statement of them; this table adds what the schema
 * cannot say: the user-facing name, the syntax of values such as MAC
 * addresses or VLAN ranges, where a key may be set, which override gate
 * governs it on ports, and the built-in default.
 *
 * Policies (keys with a 'gate') are inherited port -> portgroup -> switch ->
 * built-in default, VDS's InheritablePolicy. */

#include <stdbool.h>
#include <stdint.h>
#include "compiler.h"

struct ds;
struct ovsdb_datum;
struct ovsdb_idl_column;
struct ovsdb_idl_table_class;
struct dvsrec_switch;
struct dvsrec_portgroup;
struct dvsrec_port;

enum dvs_level {
    DVS_SWITCH = 1 << 0,
    DVS_PORTGROUP = 1 << 1,
    DVS_PORT = 1 << 2,
    DVS_POLICY_LEVELS = DVS_SWITCH | DVS_PORTGROUP | DVS_PORT,
};

enum dvs_key_type {
    DVS_KEY_BOOL,         /* true|false. */
    DVS_KEY_INTEGER,      /* Range from the schema. */
    DVS_KEY_ENUM,         /* Values from the schema. */
    DVS_KEY_TEXT,         /* Free text (descriptions). */
    DVS_KEY_MAC,          /* A unicast MAC address. */
    DVS_KEY_IP,           /* An IPv4 or IPv6 address. */
    DVS_KEY_IP_LIST,      /* Comma-separated IP addresses (a set). */
    DVS_KEY_IP_PORT,      /* IP:PORT. */
    DVS_KEY_VLAN_RANGES,  /* 10-20,30 (a set of integers). */
    DVS_KEY_NAME_ORDER,   /* a,b,c kept in order (map position->name). */
    DVS_KEY_GATE,         /* A key of a Portgroup's override_allowed map. */
};

struct dvs_key {
    const char *name;         /* As typed: "mac-limit". */
    const char *column;       /* "mac_limit", or for DVS_KEY_GATE the
                               * override_allowed map key. */
    enum dvs_key_type type;
    unsigned int levels;      /* DVS_* bits where it may be set. */
    const char *gate;         /* Policies: the override gate that lets a
                               * port override it.  NULL otherwise. */
    const char *group;        /* Keys that form one policy and are inherited
                               * together (vlan, trunk, pvlan), or NULL. */
    const char *builtin;      /* Built-in default, as typed, or NULL. */
};

const struct dvs_key *dvs_key_find(const char *name);
const struct dvs_key *dvs_key_all(size_t *n);
const struct ovsdb_idl_column *dvs_key_column(
    const struct dvs_key *, const struct ovsdb_idl_table_class *);
const char *dvs_level_name(enum dvs_level);

/* dvs_key_parse() parses a value for a column of the key's table (see
 * dvs_key_column()).  For a DVS_KEY_GATE, the datum is the one entry of the
 * Portgroup's override_allowed map that the gate names, for a caller to
 * merge into the map, and dvs_key_format() formats that entry. */
char *dvs_key_parse(const struct dvs_key *, const struct ovsdb_idl_column *,
                    const char *value, struct ovsdb_datum *)
    OVS_WARN_UNUSED_RESULT;
void dvs_key_format(const struct dvs_key *, const struct ovsdb_idl_column *,
                    const struct ovsdb_datum *, struct ds *);
char *dvs_key_accepted(const struct dvs_key *,
                       const struct ovsdb_idl_column *);

/* Effective values. */
enum dvs_source {
    DVS_FROM_PORT,
    DVS_FROM_PORTGROUP,
    DVS_FROM_SWITCH,
    DVS_FROM_DEFAULT,
};
const char *dvs_source_name(enum dvs_source);
void dvs_source_format(enum dvs_source, const struct dvsrec_switch *,
                       const struct dvsrec_portgroup *,
                       const struct dvsrec_port *, struct ds *);

bool dvs_override_allowed(const struct dvsrec_portgroup *, const char *gate);
bool dvs_gate_default(const char *gate);
enum dvs_source dvs_key_effective(const struct dvs_key *,
                                  const struct dvsrec_switch *,
                                  const struct dvsrec_portgroup *,
                                  const struct dvsrec_port *,
                                  struct ds *value);
char *dvs_key_effective_string(const char *name,
                               const struct dvsrec_switch *,
                               const struct dvsrec_portgroup *,
                               const struct dvsrec_port *);
bool dvs_key_effective_bool(const char *name, const struct dvsrec_switch *,
                            const struct dvsrec_portgroup *,
                            const struct dvsrec_port *);
uint64_t dvs_key_effective_uint(const char *name,
                                const struct dvsrec_switch *,
                                const struct dvsrec_portgroup *,
                                const struct dvsrec_port *);

#endif /* dvs-keys.h */
