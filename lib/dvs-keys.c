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

#include <config.h>
#include "lib/dvs-keys.h"

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "svec.h"
#include "ovs-thread.h"
#include "util.h"

#define SW DVS_SWITCH
#define PG DVS_PORTGROUP
#define PT DVS_PORT
#define ALL DVS_POLICY_LEVELS

/* The longest name in an ordered name list (uplink_names, active_uplinks,
 * standby_uplinks): the schema's "maxLength" for their values.  The C IDL
 * that OVS 3.1's ovsdb-idlc generates does not carry string length
 * constraints (every string column says 0 to UINT_MAX), so the limit is
 * restated here; tests/test-dvs-keys.c checks it against the schema. */
#define NAME_ORDER_MAX_LEN 32

/* Every key, in the order 'dvs-ctl' prints them.  The built-in defaults are
 * also listed, for users, in Documentation/defaults.md and dvs(5). */
static const struct dvs_key keys[] = {
    /* name, column, type, levels, gate, group, builtin */
    {"description", "description", DVS_KEY_TEXT, ALL, NULL, NULL, NULL},

    /* Switch. */
    {"mtu", "mtu", DVS_KEY_INTEGER, SW, NULL, NULL, "1500"},
    {"uplinks", "uplink_names", DVS_KEY_NAME_ORDER, SW, NULL, NULL,
     "uplink1,uplink2,uplink3,uplink4"},
    {"lldp", "lldp", DVS_KEY_ENUM, SW, NULL, NULL, "listen"},
    {"multicast-filtering", "multicast_filtering", DVS_KEY_ENUM, SW,
     NULL, NULL, "legacy"},
    {"switch-ip", "switch_ip", DVS_KEY_IP, SW, NULL, NULL, NULL},
    {"ipfix-collector", "ipfix_collector", DVS_KEY_IP_PORT, SW,
     NULL, NULL, NULL},
    {"ipfix-obs-domain", "ipfix_obs_domain", DVS_KEY_INTEGER, SW,
     NULL, NULL, "0"},
    {"ipfix-active-timeout", "ipfix_active_timeout", DVS_KEY_INTEGER, SW,
     NULL, NULL, "60"},
    {"ipfix-idle-timeout", "ipfix_idle_timeout", DVS_KEY_INTEGER, SW,
     NULL, NULL, "15"},
    {"ipfix-sampling-rate", "ipfix_sampling_rate", DVS_KEY_INTEGER, SW,
     NULL, NULL, "4096"},
    {"ipfix-internal-only", "ipfix_internal_only", DVS_KEY_BOOL, SW,
     NULL, NULL, "false"},
    {"health-check-vlan-mtu", "health_check_vlan_mtu", DVS_KEY_BOOL, SW,
     NULL, NULL, "false"},
    {"health-check-teaming", "health_check_teaming", DVS_KEY_BOOL, SW,
     NULL, NULL, "false"},
    {"health-check-interval", "health_check_interval", DVS_KEY_INTEGER, SW,
     NULL, NULL, "60"},

    /* Portgroup. */
    {"type", "type", DVS_KEY_ENUM, PG, NULL, NULL, "static"},
    {"num-ports", "num_ports", DVS_KEY_INTEGER, PG, NULL, NULL, "8"},
    {"auto-expand", "auto_expand", DVS_KEY_BOOL, PG, NULL, NULL, "true"},
    {"vni", "vni", DVS_KEY_INTEGER, PG, NULL, NULL, NULL},
    {"remote-vteps", "remote_vteps", DVS_KEY_IP_LIST, PG, NULL, NULL, NULL},
    {"blocked-override-allowed", "blocked", DVS_KEY_GATE, PG,
     NULL, NULL, "true"},
    {"vlan-override-allowed", "vlan", DVS_KEY_GATE, PG, NULL, NULL, "false"},
    {"security-override-allowed", "security", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"mac-learning-override-allowed", "mac_learning", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"teaming-override-allowed", "teaming", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"shaping-override-allowed", "shaping", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"ipfix-override-allowed", "ipfix", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"traffic-filter-override-allowed", "traffic_filter", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},
    {"vendor-config-override-allowed", "vendor_config", DVS_KEY_GATE, PG,
     NULL, NULL, "false"},

    /* Port. */
    {"mac", "mac", DVS_KEY_MAC, PT, NULL, NULL, NULL},

    /* Policies, VDS-MODEL section 3. */
    {"blocked", "blocked", DVS_KEY_BOOL, ALL, "blocked", NULL, "false"},
    {"vlan", "vlan", DVS_KEY_INTEGER, ALL, "vlan", "vlan", "0"},
    {"trunk", "trunks", DVS_KEY_VLAN_RANGES, ALL, "vlan", "vlan", NULL},
    {"pvlan", "pvlan", DVS_KEY_INTEGER, ALL, "vlan", "vlan", NULL},
    {"promiscuous", "promiscuous", DVS_KEY_BOOL, ALL, "security", NULL,
     "false"},
    {"mac-changes", "mac_changes", DVS_KEY_BOOL, ALL, "security", NULL,
     "false"},
    {"forged-transmits", "forged_transmits", DVS_KEY_BOOL, ALL, "security",
     NULL, "false"},
    {"mac-learning", "mac_learning", DVS_KEY_BOOL, ALL, "mac_learning", NULL,
     "false"},
    {"mac-limit", "mac_limit", DVS_KEY_INTEGER, ALL, "mac_learning", NULL,
     "4096"},
    {"mac-limit-policy", "mac_limit_policy", DVS_KEY_ENUM, ALL,
     "mac_learning", NULL, "drop"},
    {"unicast-flooding", "unicast_flooding", DVS_KEY_BOOL, ALL,
     "mac_learning", NULL, "true"},
    {"mac-aging", "mac_aging", DVS_KEY_INTEGER, ALL, "mac_learning", NULL,
     "300"},
    {"teaming", "teaming_policy", DVS_KEY_ENUM, ALL, "teaming", NULL,
     "loadbalance_srcid"},
    {"notify-switches", "notify_switches", DVS_KEY_BOOL, ALL, "teaming",
     NULL, "true"},
    {"failback", "failback", DVS_KEY_BOOL, ALL, "teaming", NULL, "true"},
    {"failure-detection", "failure_detection", DVS_KEY_ENUM, ALL, "teaming",
     NULL, "link_status"},
    {"active-uplinks", "active_uplinks", DVS_KEY_NAME_ORDER, ALL, "teaming",
     NULL, NULL},
    {"standby-uplinks", "standby_uplinks", DVS_KEY_NAME_ORDER, ALL,
     "teaming", NULL, NULL},
    {"in-shaping", "in_shaping", DVS_KEY_BOOL, ALL, "shaping", NULL,
     "false"},
    {"in-average", "in_average", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "100000000"},
    {"in-peak", "in_peak", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "100000000"},
    {"in-burst", "in_burst", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "104857600"},
    {"out-shaping", "out_shaping", DVS_KEY_BOOL, ALL, "shaping", NULL,
     "false"},
    {"out-average", "out_average", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "100000000"},
    {"out-peak", "out_peak", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "100000000"},
    {"out-burst", "out_burst", DVS_KEY_INTEGER, ALL, "shaping", NULL,
     "104857600"},
    {"ipfix", "ipfix", DVS_KEY_BOOL, ALL, "ipfix", NULL, "false"},
    {"dhcp-guard", "dhcp_guard", DVS_KEY_BOOL, ALL, "traffic_filter", NULL,
     "false"},
    {"router-guard", "router_guard", DVS_KEY_BOOL, ALL, "traffic_filter",
     NULL, "false"},
};

const struct dvs_key *
dvs_key_find(const char *name)
{
    /* By name, built once: the controller looks keys up for every port it
     * translates. */
    static struct shash by_name = SHASH_INITIALIZER(&by_name);
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
            shash_add_once(&by_name, keys[i].name, &keys[i]);
        }
        ovsthread_once_done(&once);
    }
    return shash_find_data(&by_name, name);
}

const struct dvs_key *
dvs_key_all(size_t *n)
{
    *n = ARRAY_SIZE(keys);
    return keys;
}

const char *
dvs_level_name(enum dvs_level level)
{
    switch (level) {
    case DVS_SWITCH:
        return "switch";
    case DVS_PORTGROUP:
        return "portgroup";
    case DVS_PORT:
        return "port";
    case DVS_POLICY_LEVELS:
    default:
        return "object";
    }
}

static const struct ovsdb_idl_column *
find_key_column(const struct dvs_key *key,
                const struct ovsdb_idl_table_class *table)
{
    const char *name = key->type == DVS_KEY_GATE ? "override_allowed"
                                                 : key->column;
    for (size_t i = 0; i < table->n_columns; i++) {
        if (!strcmp(table->columns[i].name, name)) {
            return &table->columns[i];
        }
    }
    return NULL;
}

/* Returns the column of 'table' that 'key' sets, or NULL if 'table' has no
 * such column.  Gates all live in the Portgroup's override_allowed map.
 *
 * The answers for the tables of the policy levels are looked up once: the
 * controller asks for every key of every port it translates. */
const struct ovsdb_idl_column *
dvs_key_column(const struct dvs_key *key,
               const struct ovsdb_idl_table_class *table)
{
    static const struct ovsdb_idl_table_class *const tables[] = {
        &dvsrec_table_switch, &dvsrec_table_portgroup, &dvsrec_table_port,
    };
    static const struct ovsdb_idl_column *columns[ARRAY_SIZE(keys)]
                                                [ARRAY_SIZE(tables)];
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
            for (size_t j = 0; j < ARRAY_SIZE(tables); j++) {
                columns[i][j] = find_key_column(&keys[i], tables[j]);
            }
        }
        ovsthread_once_done(&once);
    }
    if (key >= keys && key < &keys[ARRAY_SIZE(keys)]) {
        for (size_t j = 0; j < ARRAY_SIZE(tables); j++) {
            if (table == tables[j]) {
                return columns[key - keys][j];
            }
        }
    }
    return find_key_column(key, table);
}

static bool
column_is_optional(const struct ovsdb_idl_column *column)
{
    return column->type.n_min == 0;
}

/* Describes the values 'key' accepts, from the schema where it says. */
char *
dvs_key_accepted(const struct dvs_key *key,
                 const struct ovsdb_idl_column *column)
{
    const struct ovsdb_base_type *base = &column->type.key;
    struct ds s = DS_EMPTY_INITIALIZER;

    switch (key->type) {
    case DVS_KEY_BOOL:
    case DVS_KEY_GATE:
        ds_put_cstr(&s, "true or false");
        break;
    case DVS_KEY_INTEGER:
        ds_put_format(&s, "an integer from %"PRId64" to %"PRId64,
                      base->integer.min, base->integer.max);
        break;
    case DVS_KEY_ENUM:
        ds_put_cstr(&s, "one of ");
        for (size_t i = 0; base->enum_ && i < base->enum_->n; i++) {
            ds_put_format(&s, "%s%s", i ? ", " : "",
                          json_string(base->enum_->keys[i].s));
        }
        break;
    case DVS_KEY_TEXT:
        ds_put_cstr(&s, "any text");
        break;
    case DVS_KEY_MAC:
        ds_put_cstr(&s, "a unicast MAC address xx:xx:xx:xx:xx:xx");
        break;
    case DVS_KEY_IP:
        ds_put_cstr(&s, "an IPv4 or IPv6 address");
        break;
    case DVS_KEY_IP_LIST:
        ds_put_cstr(&s, "IP addresses separated by commas");
        break;
    case DVS_KEY_IP_PORT:
        ds_put_cstr(&s, "IP:PORT");
        break;
    case DVS_KEY_VLAN_RANGES:
        ds_put_cstr(&s, "VLAN ids and ranges from 0 to 4094, such as "
                    "10-20,30");
        break;
    case DVS_KEY_NAME_ORDER:
        ds_put_format(&s, "names separated by commas, in order, at most %u",
                      base->integer.max ? (unsigned) base->integer.max : 32);
        break;
    }
    if (key->type != DVS_KEY_GATE && column_is_optional(column)) {
        ds_put_cstr(&s, "; \"inherit\" or \"default\" clears it");
    }
    return ds_steal_cstr(&s);
}

/* Adds 'key', with 'value' if 'type' is a map, to 'datum' and takes
 * ownership of them: ovsdb_datum_add_unsafe() adds copies. */
static void
datum_add(struct ovsdb_datum *datum, const struct ovsdb_type *type,
          union ovsdb_atom key, union ovsdb_atom *value)
{
    ovsdb_datum_add_unsafe(datum, &key, value, type, NULL);
    ovsdb_atom_destroy(&key, type->key.type);
    if (value) {
        ovsdb_atom_destroy(value, type->value.type);
    }
}

static char *
parse_value(const struct dvs_key *key, const struct ovsdb_idl_column *column,
            const char *value, struct ovsdb_datum *datum)
{
    const struct ovsdb_type *type = &column->type;
    const struct ovsdb_base_type *base = &type->key;
    union ovsdb_atom atom;
    char *error = NULL;

    switch (key->type) {
    case DVS_KEY_BOOL:
        error = dvs_parse_bool(value, &atom.boolean);
        if (!error) {
            datum_add(datum, type, atom, NULL);
        }
        break;

    case DVS_KEY_GATE: {
        /* The gate's entry of the override_allowed map. */
        union ovsdb_atom allowed;
        error = dvs_parse_bool(value, &allowed.boolean);
        if (!error) {
            atom.s = json_string_create(key->column);
            datum_add(datum, type, atom, &allowed);
        }
        break;
    }

    case DVS_KEY_INTEGER:
        error = dvs_parse_integer(value, base->integer.min, base->integer.max,
                                  &atom.integer);
        if (!error) {
            datum_add(datum, type, atom, NULL);
        }
        break;

    case DVS_KEY_ENUM: {
        union ovsdb_atom probe = { .s = json_string_create(value) };
        if (!ovsdb_datum_find_key(base->enum_, &probe, OVSDB_TYPE_STRING,
                                  NULL)) {
            char *accepted = dvs_key_accepted(key, column);
            error = xasprintf("\"%s\" is not valid (accepted: %s)",
                              value, accepted);
            free(accepted);
            json_destroy(probe.s);
        } else {
            datum_add(datum, type, probe, NULL);
        }
        break;
    }

    case DVS_KEY_TEXT:
        atom.s = json_string_create(value);
        datum_add(datum, type, atom, NULL);
        break;

    case DVS_KEY_MAC: {
        struct eth_addr mac;
        error = dvs_parse_unicast_mac(value, &mac);
        if (!error) {
            atom.s = json_string_create_nocopy(
                xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(mac)));
            datum_add(datum, type, atom, NULL);
        }
        break;
    }

    case DVS_KEY_IP:
    case DVS_KEY_IP_PORT: {
        char *normalized;
        error = (key->type == DVS_KEY_IP
                 ? dvs_parse_ip(value, &normalized)
                 : dvs_parse_ip_port(value, &normalized));
        if (!error) {
            atom.s = json_string_create_nocopy(normalized);
            datum_add(datum, type, atom, NULL);
        }
        break;
    }

    case DVS_KEY_IP_LIST: {
        char *copy = xstrdup(value), *save = NULL, *token;
        if (!*value || value[0] == ',' || value[strlen(value) - 1] == ','
            || strstr(value, ",,")) {
            /* strtok_r() would skip empty elements silently. */
            error = xasprintf("\"%s\" has an empty element (accepted: IP "
                              "addresses separated by commas)", value);
        }
        for (token = strtok_r(copy, ",", &save); token && !error;
             token = strtok_r(NULL, ",", &save)) {
            char *normalized;
            error = dvs_parse_ip(token, &normalized);
            if (!error) {
                atom.s = json_string_create_nocopy(normalized);
                datum_add(datum, type, atom, NULL);
            }
        }
        free(copy);
        break;
    }

    case DVS_KEY_VLAN_RANGES: {
        int64_t *vlans;
        size_t n;
        error = dvs_parse_vlan_ranges(value, &vlans, &n);
        if (!error) {
            for (size_t i = 0; i < n; i++) {
                atom.integer = vlans[i];
                datum_add(datum, type, atom, NULL);
            }
            free(vlans);
        }
        break;
    }

    case DVS_KEY_NAME_ORDER: {
        struct svec names;
        error = dvs_parse_name_list(value, MIN(type->value.string.maxLen,
                                               NAME_ORDER_MAX_LEN),
                                    &names);
        if (!error && names.n > type->key.integer.max) {
            error = xasprintf("\"%s\" names %"PRIuSIZE" uplinks (accepted: "
                              "at most %"PRId64")", value, names.n,
                              type->key.integer.max);
        }
        for (size_t i = 0; !error && i < names.n; i++) {
            union ovsdb_atom name = {
                .s = json_string_create(names.names[i])
            };
            atom.integer = i + 1;
            datum_add(datum, type, atom, &name);
        }
        svec_destroy(&names);
        break;
    }
    }
    return error;
}

/* Parses 'value' for 'key' into '*datum', a value of 'column'.  On error,
 * returns a message that names the key and what it accepts. */
char *
dvs_key_parse(const struct dvs_key *key, const struct ovsdb_idl_column *column,
              const char *value, struct ovsdb_datum *datum)
{
    char *error;

    ovsdb_datum_init_empty(datum);
    if (key->type != DVS_KEY_GATE && column_is_optional(column)
        && (!strcmp(value, "inherit") || !strcmp(value, "default")
            || (!*value && key->type != DVS_KEY_TEXT))) {
        if (key->type != DVS_KEY_NAME_ORDER || key->gate || !key->builtin) {
            return NULL;
        }
        /* An empty list is a value of its own (a switch without uplinks),
         * so the default of a list is stored, not implied. */
        value = key->builtin;
    }

    error = parse_value(key, column, value, datum);
    if (!error) {
        ovsdb_datum_sort_unique(datum, &column->type);
        if (datum->n > column->type.n_max) {
            error = xasprintf("\"%s\" has more than %u values", value,
                              column->type.n_max);
        }
    }
    if (error) {
        char *full = xasprintf("%s: %s", key->name, error);
        free(error);
        ovsdb_datum_destroy(datum, &column->type);
        ovsdb_datum_init_empty(datum);
        return full;
    }
    return NULL;
}

/* Appends 'datum', a value of 'column', to 's' in the syntax
 * dvs_key_parse() accepts. */
void
dvs_key_format(const struct dvs_key *key,
               const struct ovsdb_idl_column *column,
               const struct ovsdb_datum *datum, struct ds *s)
{
    const struct ovsdb_type *type = &column->type;

    switch (key->type) {
    case DVS_KEY_VLAN_RANGES: {
        int64_t *vlans = xmalloc(datum->n * sizeof *vlans);
        for (size_t i = 0; i < datum->n; i++) {
            vlans[i] = datum->keys[i].integer;
        }
        dvs_format_vlan_ranges(vlans, datum->n, s);
        free(vlans);
        break;
    }

    case DVS_KEY_NAME_ORDER:
        /* The datum is sorted by position. */
        for (size_t i = 0; i < datum->n; i++) {
            ds_put_format(s, "%s%s", i ? "," : "",
                          json_string(datum->values[i].s));
        }
        break;

    case DVS_KEY_GATE: {
        /* Only this gate's entry of the override_allowed map. */
        union ovsdb_atom gate = { .s = json_string_create(key->column) };
        unsigned int pos;
        if (ovsdb_datum_find_key(datum, &gate, OVSDB_TYPE_STRING, &pos)) {
            ds_put_cstr(s, datum->values[pos].boolean ? "true" : "false");
        }
        json_destroy(gate.s);
        break;
    }

    case DVS_KEY_BOOL:
    case DVS_KEY_INTEGER:
    case DVS_KEY_ENUM:
    case DVS_KEY_TEXT:
    case DVS_KEY_MAC:
    case DVS_KEY_IP:
    case DVS_KEY_IP_LIST:
    case DVS_KEY_IP_PORT:
        for (size_t i = 0; i < datum->n; i++) {
            if (i) {
                ds_put_char(s, ',');
            }
            if (type->key.type == OVSDB_TYPE_STRING) {
                ds_put_cstr(s, json_string(datum->keys[i].s));
            } else {
                ovsdb_atom_to_string(&datum->keys[i], type->key.type, s);
            }
        }
        break;
    }
}

const char *
dvs_source_name(enum dvs_source source)
{
    switch (source) {
    case DVS_FROM_PORT:
        return "port";
    case DVS_FROM_PORTGROUP:
        return "portgroup";
    case DVS_FROM_SWITCH:
        return "switch";
    case DVS_FROM_DEFAULT:
    default:
        return "default";
    }
}

/* Appends to 's' where a value that dvs_key_effective() found for 'sw',
 * 'pg' and 'port' comes from: the object, as "portgroup pg1", or
 * "default". */
void
dvs_source_format(enum dvs_source source, const struct dvsrec_switch *sw,
                  const struct dvsrec_portgroup *pg,
                  const struct dvsrec_port *port, struct ds *s)
{
    const char *name = (source == DVS_FROM_PORT && port ? port->name
                        : source == DVS_FROM_PORTGROUP && pg ? pg->name
                        : source == DVS_FROM_SWITCH && sw ? sw->name
                        : NULL);

    ds_put_cstr(s, dvs_source_name(source));
    if (name) {
        ds_put_format(s, " %s", name);
    }
}

/* VDS lets ports override blocking by default and nothing else. */
bool
dvs_gate_default(const char *gate)
{
    return !strcmp(gate, "blocked");
}

bool
dvs_override_allowed(const struct dvsrec_portgroup *pg, const char *gate)
{
    for (size_t i = 0; i < pg->n_override_allowed; i++) {
        if (!strcmp(pg->key_override_allowed[i], gate)) {
            return pg->value_override_allowed[i];
        }
    }
    return dvs_gate_default(gate);
}

/* The keys that form one policy with each key of 'keys' (itself alone for
 * a key in no group), as indexes into 'keys' that end with SIZE_MAX: found
 * once, for the controller asks for every key of every port it
 * translates. */
static const size_t *
key_group_members(const struct dvs_key *key)
{
    static size_t *members[ARRAY_SIZE(keys)];
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
            size_t n = 0;

            members[i] = xmalloc((ARRAY_SIZE(keys) + 1) * sizeof *members[i]);
            for (size_t j = 0; j < ARRAY_SIZE(keys); j++) {
                if (j == i || (keys[i].group && keys[j].group
                               && !strcmp(keys[i].group, keys[j].group))) {
                    members[i][n++] = j;
                }
            }
            members[i][n] = SIZE_MAX;
        }
        ovsthread_once_done(&once);
    }
    return members[key - keys];
}

/* Returns true if 'row' of 'table' sets 'key', or for a key in a group, any
 * key of that group. */
static bool
row_sets_key(const struct ovsdb_idl_row *row,
             const struct ovsdb_idl_table_class *table,
             const struct dvs_key *key)
{
    if (key < keys || key >= &keys[ARRAY_SIZE(keys)]) {
        const struct ovsdb_idl_column *column = dvs_key_column(key, table);
        return column && ovsdb_idl_read(row, column)->n;
    }
    for (const size_t *i = key_group_members(key); *i != SIZE_MAX; i++) {
        const struct ovsdb_idl_column *column = dvs_key_column(&keys[*i],
                                                               table);
        if (column && ovsdb_idl_read(row, column)->n) {
            return true;
        }
    }
    return false;
}

/* Computes the value of 'key' in effect for the most specific of 'port'
 * (may be NULL), 'pg' (may be NULL) and 'sw', appends it to 'value' and
 * returns where it comes from.  Policies are inherited, and a port's own
 * value counts only where its portgroup lets ports override the policy;
 * other keys belong to one object only. */
enum dvs_source
dvs_key_effective(const struct dvs_key *key, const struct dvsrec_switch *sw,
                  const struct dvsrec_portgroup *pg,
                  const struct dvsrec_port *port, struct ds *value)
{
    struct {
        const struct ovsdb_idl_row *row;
        const struct ovsdb_idl_table_class *table;
        enum dvs_source source;
    } levels[3];
    size_t n = 0;

    if (key->type == DVS_KEY_GATE) {
        /* Gates belong to portgroups, in their override_allowed map. */
        for (size_t i = 0; pg && i < pg->n_override_allowed; i++) {
            if (!strcmp(pg->key_override_allowed[i], key->column)) {
                ds_put_cstr(value, pg->value_override_allowed[i]
                                   ? "true" : "false");
                return DVS_FROM_PORTGROUP;
            }
        }
        ds_put_cstr(value, dvs_gate_default(key->column) ? "true" : "false");
        return DVS_FROM_DEFAULT;
    } else if (!key->gate) {
        /* Not a policy: only the object itself can say. */
        if (port) {
            levels[n++] = (typeof(levels[0])) {
                &port->header_, &dvsrec_table_port, DVS_FROM_PORT };
        } else if (pg) {
            levels[n++] = (typeof(levels[0])) {
                &pg->header_, &dvsrec_table_portgroup, DVS_FROM_PORTGROUP };
        } else if (sw) {
            levels[n++] = (typeof(levels[0])) {
                &sw->header_, &dvsrec_table_switch, DVS_FROM_SWITCH };
        }
    } else {
        if (port && pg && dvs_override_allowed(pg, key->gate)) {
            levels[n++] = (typeof(levels[0])) {
                &port->header_, &dvsrec_table_port, DVS_FROM_PORT };
        }
        if (pg) {
            levels[n++] = (typeof(levels[0])) {
                &pg->header_, &dvsrec_table_portgroup, DVS_FROM_PORTGROUP };
        }
        if (sw) {
            levels[n++] = (typeof(levels[0])) {
                &sw->header_, &dvsrec_table_switch, DVS_FROM_SWITCH };
        }
    }

    for (size_t i = 0; i < n; i++) {
        if (row_sets_key(levels[i].row, levels[i].table, key)) {
            const struct ovsdb_idl_column *column
                = dvs_key_column(key, levels[i].table);
            dvs_key_format(key, column,
                           ovsdb_idl_read(levels[i].row, column), value);
            return levels[i].source;
        }
    }

    if (key->builtin) {
        ds_put_cstr(value, key->builtin);
    } else if (sw && !strcmp(key->column, "active_uplinks")) {
        /* By default every uplink is active, in the switch's order. */
        const struct dvs_key *uplinks = dvs_key_find("uplinks");
        const struct ovsdb_idl_column *column
            = dvs_key_column(uplinks, &dvsrec_table_switch);
        dvs_key_format(uplinks, column, ovsdb_idl_read(&sw->header_, column),
                       value);
    }
    return DVS_FROM_DEFAULT;
}

/* The effective value of key 'name' (which must exist) for the most
 * specific of 'sw', 'pg' and 'port', in a string to free. */
char *
dvs_key_effective_string(const char *name, const struct dvsrec_switch *sw,
                         const struct dvsrec_portgroup *pg,
                         const struct dvsrec_port *port)
{
    const struct dvs_key *key = dvs_key_find(name);
    struct ds value = DS_EMPTY_INITIALIZER;

    ovs_assert(key);
    dvs_key_effective(key, sw, pg, port, &value);
    return ds_steal_cstr(&value);
}

bool
dvs_key_effective_bool(const char *name, const struct dvsrec_switch *sw,
                       const struct dvsrec_portgroup *pg,
                       const struct dvsrec_port *port)
{
    char *value = dvs_key_effective_string(name, sw, pg, port);
    bool b = !strcmp(value, "true");

    free(value);
    return b;
}

uint64_t
dvs_key_effective_uint(const char *name, const struct dvsrec_switch *sw,
                       const struct dvsrec_portgroup *pg,
                       const struct dvsrec_port *port)
{
    char *value = dvs_key_effective_string(name, sw, pg, port);
    uint64_t n = strtoull(value, NULL, 10);

    free(value);
    return n;
}
