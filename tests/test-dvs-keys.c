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

/* Unit tests for lib/dvs-keys.c: the registry of dvs-ctl KEY=VALUE
 * settings, checked against the schema, and the effective values of
 * policies, computed on IDL rows built without a database server. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-types.h"
#include "openvswitch/shash.h"
#include "util.h"

#include "tests/test-dvs.h"

static const struct {
    enum dvs_level level;
    const struct ovsdb_idl_table_class *table;
} levels[] = {
    { DVS_SWITCH, &dvsrec_table_switch },
    { DVS_PORTGROUP, &dvsrec_table_portgroup },
    { DVS_PORT, &dvsrec_table_port },
};

/* Returns key 'name', which must exist. */
static const struct dvs_key *
key(const char *name)
{
    const struct dvs_key *k = dvs_key_find(name);
    if (!k) {
        fail_msg("no key %s", name);
    }
    return k;
}

/* Returns the column of 'table' that key 'name' sets, which must exist. */
static const struct ovsdb_idl_column *
column(const char *name, const struct ovsdb_idl_table_class *table)
{
    const struct ovsdb_idl_column *c = dvs_key_column(key(name), table);
    if (!c) {
        fail_msg("key %s has no column in table %s", name, table->name);
    }
    return c;
}

/* Parses 'value' for key 'name' in 'table', checks that it succeeds and
 * that it formats as 'expected', and that the formatted text parses back to
 * the same datum. */
static void
check_parse(const char *name, const struct ovsdb_idl_table_class *table,
            const char *value, const char *expected)
{
    const struct dvs_key *k = key(name);
    const struct ovsdb_idl_column *c = column(name, table);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ovsdb_datum datum, again;

    ASSERT_OK(dvs_key_parse(k, c, value, &datum));
    assert_true(ovsdb_datum_conforms_to_type(&datum, &c->type));
    dvs_key_format(k, c, &datum, &s);
    assert_string_equal(ds_cstr(&s), expected);

    ASSERT_OK(dvs_key_parse(k, c, ds_cstr(&s), &again));
    assert_true(ovsdb_datum_equals(&datum, &again, &c->type));

    ovsdb_datum_destroy(&datum, &c->type);
    ovsdb_datum_destroy(&again, &c->type);
    ds_destroy(&s);
}

/* Parses 'value' for key 'name' in 'table' and checks that it fails with
 * message 'expected' and leaves an empty datum. */
static void
check_parse_error(const char *name, const struct ovsdb_idl_table_class *table,
                  const char *value, const char *expected)
{
    const struct ovsdb_idl_column *c = column(name, table);
    struct ovsdb_datum datum;

    ASSERT_ERROR(dvs_key_parse(key(name), c, value, &datum), expected);
    assert_int_equal(datum.n, 0);
    ovsdb_datum_destroy(&datum, &c->type);
}

/* Checks that dvs_key_accepted() for key 'name' in 'table' is 'expected'. */
static void
check_accepted(const char *name, const struct ovsdb_idl_table_class *table,
               const char *expected)
{
    char *accepted = dvs_key_accepted(key(name), column(name, table));
    assert_string_equal(accepted, expected);
    free(accepted);
}

/* The registry. */

static void
test_key_find(void **state OVS_UNUSED)
{
    const struct dvs_key *k = dvs_key_find("mac-limit");

    assert_non_null(k);
    assert_string_equal(k->name, "mac-limit");
    assert_string_equal(k->column, "mac_limit");
    assert_int_equal(k->type, DVS_KEY_INTEGER);
    assert_int_equal(k->levels, DVS_POLICY_LEVELS);
    assert_string_equal(k->gate, "mac_learning");
    assert_null(k->group);
    assert_string_equal(k->builtin, "4096");

    k = dvs_key_find("trunk");
    assert_non_null(k);
    assert_string_equal(k->column, "trunks");
    assert_string_equal(k->group, "vlan");

    k = dvs_key_find("mtu");
    assert_non_null(k);
    assert_int_equal(k->levels, DVS_SWITCH);
    assert_null(k->gate);

    /* Keys are typed with dashes: column names and near misses are not
     * keys. */
    assert_null(dvs_key_find("mac_limit"));
    assert_null(dvs_key_find("Mac-Limit"));
    assert_null(dvs_key_find("mac-limit "));
    assert_null(dvs_key_find(""));
    assert_null(dvs_key_find("no-such-key"));
}

static void
test_key_names_unique(void **state OVS_UNUSED)
{
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(dvs_key_find(keys[i].name), &keys[i]);
        assert_true(keys[i].levels != 0);
        assert_int_equal(keys[i].levels & ~DVS_POLICY_LEVELS, 0);
    }
}

static void
test_level_and_source_names(void **state OVS_UNUSED)
{
    assert_string_equal(dvs_level_name(DVS_SWITCH), "switch");
    assert_string_equal(dvs_level_name(DVS_PORTGROUP), "portgroup");
    assert_string_equal(dvs_level_name(DVS_PORT), "port");
    assert_string_equal(dvs_source_name(DVS_FROM_PORT), "port");
    assert_string_equal(dvs_source_name(DVS_FROM_PORTGROUP), "portgroup");
    assert_string_equal(dvs_source_name(DVS_FROM_SWITCH), "switch");
    assert_string_equal(dvs_source_name(DVS_FROM_DEFAULT), "default");
}

/* Returns true if the enumeration of 'base', a string type, holds 's'. */
static bool
enum_contains(const struct ovsdb_base_type *base, const char *s)
{
    union ovsdb_atom atom = { .s = json_string_create(s) };
    bool found = base->enum_ && ovsdb_datum_find_key(base->enum_, &atom,
                                                     OVSDB_TYPE_STRING, NULL);
    json_destroy(atom.s);
    return found;
}

/* Checks that 'c', the column of 'k' in some table, has a type that fits
 * the key's type. */
static void
check_column_type(const struct dvs_key *k, const struct ovsdb_idl_column *c)
{
    const struct ovsdb_type *type = &c->type;

    switch (k->type) {
    case DVS_KEY_BOOL:
        assert_int_equal(type->key.type, OVSDB_TYPE_BOOLEAN);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_max, 1);
        break;
    case DVS_KEY_INTEGER:
        assert_int_equal(type->key.type, OVSDB_TYPE_INTEGER);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_max, 1);
        /* The range comes from the schema, so the schema must give one. */
        assert_true(type->key.integer.min > INT64_MIN);
        assert_true(type->key.integer.max < INT64_MAX);
        break;
    case DVS_KEY_ENUM:
        assert_int_equal(type->key.type, OVSDB_TYPE_STRING);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_non_null(type->key.enum_);
        assert_int_equal(type->n_max, 1);
        break;
    case DVS_KEY_TEXT:
        assert_int_equal(type->key.type, OVSDB_TYPE_STRING);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_min, 1);
        assert_int_equal(type->n_max, 1);
        break;
    case DVS_KEY_MAC:
    case DVS_KEY_IP:
    case DVS_KEY_IP_PORT:
        assert_int_equal(type->key.type, OVSDB_TYPE_STRING);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_max, 1);
        break;
    case DVS_KEY_IP_LIST:
        assert_int_equal(type->key.type, OVSDB_TYPE_STRING);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_max, UINT_MAX);
        break;
    case DVS_KEY_VLAN_RANGES:
        assert_int_equal(type->key.type, OVSDB_TYPE_INTEGER);
        assert_int_equal(type->value.type, OVSDB_TYPE_VOID);
        assert_int_equal(type->n_max, UINT_MAX);
        /* dvs_parse_vlan_ranges() and dvs_key_accepted() say 0 to 4094. */
        assert_int_equal(type->key.integer.min, 0);
        assert_int_equal(type->key.integer.max, 4094);
        break;
    case DVS_KEY_NAME_ORDER:
        assert_int_equal(type->key.type, OVSDB_TYPE_INTEGER);
        assert_int_equal(type->key.integer.min, 1);
        assert_int_equal(type->value.type, OVSDB_TYPE_STRING);
        assert_true(type->value.string.maxLen > 0);
        assert_int_equal(type->n_max, UINT_MAX);
        break;
    case DVS_KEY_GATE:
        /* One key of Portgroup's override_allowed map. */
        assert_string_equal(c->name, "override_allowed");
        assert_int_equal(type->key.type, OVSDB_TYPE_STRING);
        assert_int_equal(type->value.type, OVSDB_TYPE_BOOLEAN);
        assert_true(enum_contains(&type->key, k->column));
        break;
    default:
        fail_msg("%s: unknown key type %d", k->name, k->type);
    }
}

/* Guards the registry against schema drift: every key's column exists, with
 * a type that fits, in the table of every level where the key may be set. */
static void
test_key_columns_in_schema(void **state OVS_UNUSED)
{
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *k = &keys[i];

        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            const struct ovsdb_idl_column *c;

            if (!(k->levels & levels[j].level)) {
                continue;
            }
            c = dvs_key_column(k, levels[j].table);
            if (!c) {
                fail_msg("key %s: table %s has no column %s", k->name,
                         levels[j].table->name, k->column);
            }
            if (k->type != DVS_KEY_GATE) {
                assert_string_equal(c->name, k->column);
            }
            check_column_type(k, c);
        }
    }
}

/* Policies can be set at every level, name an override gate that the
 * schema knows, and keys of one group share their gate. */
static void
test_key_policies(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *override_allowed
        = &dvsrec_portgroup_col_override_allowed;
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *k = &keys[i];

        if (k->type == DVS_KEY_GATE) {
            assert_int_equal(k->levels, DVS_PORTGROUP);
            assert_null(k->gate);
            /* The gate's default is the one dvs_gate_default() applies. */
            assert_non_null(k->builtin);
            assert_string_equal(k->builtin, dvs_gate_default(k->column)
                                            ? "true" : "false");
        }
        if (k->group) {
            assert_non_null(k->gate);
        }
        if (!k->gate) {
            continue;
        }
        assert_int_equal(k->levels, DVS_POLICY_LEVELS);
        if (!enum_contains(&override_allowed->type.key, k->gate)) {
            fail_msg("key %s: gate %s is not a key of override_allowed",
                     k->name, k->gate);
        }
        for (size_t j = 0; j < n; j++) {
            if (keys[j].group && k->group
                && !strcmp(keys[j].group, k->group)) {
                assert_string_equal(keys[j].gate, k->gate);
            }
        }
    }
    assert_true(dvs_gate_default("blocked"));
    assert_false(dvs_gate_default("vlan"));
    assert_false(dvs_gate_default("security"));
    assert_false(dvs_gate_default("teaming"));
}

/* Every built-in default is a value its key accepts, and formats back to
 * itself. */
static void
test_key_builtins_parse(void **state OVS_UNUSED)
{
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *k = &keys[i];

        if (!k->builtin) {
            continue;
        }
        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            if (k->levels & levels[j].level) {
                check_parse(k->name, levels[j].table, k->builtin,
                            k->builtin);
            }
        }
    }
}

/* The built-in defaults that Documentation/defaults.md lists, and which
 * keys it lists as policies (inherited port -> portgroup -> switch). */
static void
test_key_builtins_documented(void **state OVS_UNUSED)
{
    static const struct {
        const char *key;
        const char *builtin;
        bool policy;
    } defaults[] = {
        { "blocked", "false", true }, { "vlan", "0", true },
        { "trunk", NULL, true }, { "pvlan", NULL, true },
        { "promiscuous", "false", true }, { "mac-changes", "false", true },
        { "forged-transmits", "false", true },
        { "mac-learning", "false", true }, { "mac-limit", "4096", true },
        { "mac-limit-policy", "drop", true },
        { "unicast-flooding", "true", true }, { "mac-aging", "300", true },
        { "teaming", "loadbalance_srcid", true },
        { "notify-switches", "true", true }, { "failback", "true", true },
        { "failure-detection", "link_status", true },
        { "active-uplinks", NULL, true }, { "standby-uplinks", NULL, true },
        { "in-shaping", "false", true }, { "out-shaping", "false", true },
        { "in-average", "100000000", true },
        { "out-average", "100000000", true },
        { "in-peak", "100000000", true }, { "out-peak", "100000000", true },
        { "in-burst", "104857600", true }, { "out-burst", "104857600", true },
        { "ipfix", "false", true }, { "dhcp-guard", "false", true },
        { "router-guard", "false", true },

        { "mtu", "1500", false }, { "lldp", "listen", false },
        { "multicast-filtering", "legacy", false },
        { "ipfix-active-timeout", "60", false },
        { "ipfix-idle-timeout", "15", false },
        { "ipfix-sampling-rate", "4096", false },
        { "ipfix-internal-only", "false", false },
        { "health-check-vlan-mtu", "false", false },
        { "health-check-teaming", "false", false },
        { "health-check-interval", "60", false },
        { "type", "static", false }, { "num-ports", "8", false },
        { "auto-expand", "true", false },
        { "blocked-override-allowed", "true", false },
        { "vlan-override-allowed", "false", false },
        { "security-override-allowed", "false", false },
        { "mac-learning-override-allowed", "false", false },
        { "teaming-override-allowed", "false", false },
        { "shaping-override-allowed", "false", false },
        { "ipfix-override-allowed", "false", false },
        { "traffic-filter-override-allowed", "false", false },
        { "vendor-config-override-allowed", "false", false },
        { "description", NULL, false },
    };
    const struct dvs_key *keys;
    size_t n, n_policies = 0;

    for (size_t i = 0; i < ARRAY_SIZE(defaults); i++) {
        const struct dvs_key *k = key(defaults[i].key);
        if (defaults[i].builtin) {
            assert_non_null(k->builtin);
            assert_string_equal(k->builtin, defaults[i].builtin);
        } else {
            assert_null(k->builtin);
        }
        if (defaults[i].policy) {
            assert_non_null(k->gate);
            n_policies++;
        } else {
            assert_null(k->gate);
        }
    }

    /* The page lists every policy. */
    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        n_policies -= keys[i].gate != NULL;
    }
    assert_int_equal(n_policies, 0);
}

/* Returns the member of 'json' at the path given by the null-terminated
 * list of object member names, or NULL if there is none. */
static const struct json *
json_path(const struct json *json, ...)
{
    const char *name;
    va_list args;

    va_start(args, json);
    while (json && (name = va_arg(args, const char *)) != NULL) {
        json = (json->type == JSON_OBJECT
                ? shash_find_data(json_object(json), name)
                : NULL);
    }
    va_end(args);
    return json;
}

/* Reads ovsdb-schema/dvs.ovsschema.  __FILE__ names this file relative to
 * the build directory, where the tests run. */
static struct json *
read_schema(void)
{
    char *dir = dir_name(__FILE__);
    char *file = xasprintf("%s/../ovsdb-schema/dvs.ovsschema", dir);
    struct json *schema = json_from_file(file);

    if (schema->type != JSON_OBJECT) {
        fail_msg("%s: cannot read the schema", file);
    }
    free(file);
    free(dir);
    return schema;
}

/* The C IDL of OVS 3.1 drops string length constraints from column types,
 * so the length of the names in ordered name lists is checked against the
 * schema itself. */
static void
test_key_name_length_from_schema(void **state OVS_UNUSED)
{
    struct json *schema = read_schema();
    const struct dvs_key *keys;
    size_t n, n_checked = 0;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *k = &keys[i];

        if (k->type != DVS_KEY_NAME_ORDER) {
            continue;
        }
        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            const struct ovsdb_idl_table_class *table = levels[j].table;
            const struct json *max;
            char *name, *error;
            int64_t len;

            if (!(k->levels & levels[j].level)) {
                continue;
            }
            max = json_path(schema, "tables", table->name, "columns",
                            k->column, "type", "value", "maxLength", NULL);
            if (!max || max->type != JSON_INTEGER) {
                fail_msg("%s.%s: no maxLength in the schema", table->name,
                         k->column);
            }
            len = json_integer(max);

            name = xmalloc(len + 2);
            memset(name, 'u', len + 1);
            name[len + 1] = '\0';
            error = xasprintf("%s: \"%s\" is not a valid name (accepted: 1 "
                              "to %"PRId64" characters)", k->name, name, len);
            check_parse_error(k->name, table, name, error);
            name[len] = '\0';
            check_parse(k->name, table, name, name);
            free(error);
            free(name);
            n_checked++;
        }
    }
    assert_int_equal(n_checked, 7);
    json_destroy(schema);
}

/* Parsing and formatting. */

static void
test_parse_bool(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *c = column("blocked", &dvsrec_table_port);
    struct ovsdb_datum datum;

    ASSERT_OK(dvs_key_parse(key("blocked"), c, "true", &datum));
    assert_int_equal(datum.n, 1);
    assert_true(datum.keys[0].boolean);
    ovsdb_datum_destroy(&datum, &c->type);

    check_parse("blocked", &dvsrec_table_port, "false", "false");
    check_parse("blocked", &dvsrec_table_switch, "yes", "true");
    check_parse("promiscuous", &dvsrec_table_portgroup, "off", "false");
    check_parse("ipfix-internal-only", &dvsrec_table_switch, "on", "true");

    check_parse_error("blocked", &dvsrec_table_port, "1",
                      "blocked: \"1\" is not a boolean (accepted: true or "
                      "false)");
    check_parse_error("auto-expand", &dvsrec_table_portgroup, "TRUE",
                      "auto-expand: \"TRUE\" is not a boolean (accepted: "
                      "true or false)");
}

/* Integer ranges come from the schema. */
static void
test_parse_integer(void **state OVS_UNUSED)
{
    struct ovsdb_datum datum;
    const struct ovsdb_idl_column *c = column("vlan", &dvsrec_table_port);

    ASSERT_OK(dvs_key_parse(key("vlan"), c, "4094", &datum));
    assert_int_equal(datum.n, 1);
    assert_int_equal(datum.keys[0].integer, 4094);
    ovsdb_datum_destroy(&datum, &c->type);

    check_parse("vlan", &dvsrec_table_port, "0", "0");
    check_parse_error("vlan", &dvsrec_table_port, "4095",
                      "vlan: \"4095\" is not valid (accepted: an integer "
                      "from 0 to 4094)");
    check_parse_error("vlan", &dvsrec_table_switch, "-1",
                      "vlan: \"-1\" is not valid (accepted: an integer from "
                      "0 to 4094)");
    check_parse_error("vlan", &dvsrec_table_switch, "ten",
                      "vlan: \"ten\" is not valid (accepted: an integer from "
                      "0 to 4094)");

    check_parse("mac-limit", &dvsrec_table_portgroup, "1", "1");
    check_parse("mac-limit", &dvsrec_table_portgroup, "4096", "4096");
    check_parse_error("mac-limit", &dvsrec_table_portgroup, "0",
                      "mac-limit: \"0\" is not valid (accepted: an integer "
                      "from 1 to 4096)");
    check_parse_error("mac-limit", &dvsrec_table_portgroup, "4097",
                      "mac-limit: \"4097\" is not valid (accepted: an "
                      "integer from 1 to 4096)");

    check_parse("pvlan", &dvsrec_table_port, "101", "101");
    check_parse_error("pvlan", &dvsrec_table_port, "0",
                      "pvlan: \"0\" is not valid (accepted: an integer from "
                      "1 to 4094)");
    check_parse_error("mtu", &dvsrec_table_switch, "1279",
                      "mtu: \"1279\" is not valid (accepted: an integer from "
                      "1280 to 9000)");
    check_parse("mtu", &dvsrec_table_switch, "9000", "9000");
    check_parse("in-average", &dvsrec_table_switch, "100000000000",
                "100000000000");
    check_parse("ipfix-obs-domain", &dvsrec_table_switch, "4294967295",
                "4294967295");
    check_parse_error("ipfix-obs-domain", &dvsrec_table_switch,
                      "4294967296",
                      "ipfix-obs-domain: \"4294967296\" is not valid "
                      "(accepted: an integer from 0 to 4294967295)");
}

static void
test_parse_enum(void **state OVS_UNUSED)
{
    check_parse("teaming", &dvsrec_table_port, "loadbalance_ip",
                "loadbalance_ip");
    check_parse("lldp", &dvsrec_table_switch, "both", "both");
    check_parse("type", &dvsrec_table_portgroup, "ephemeral", "ephemeral");

    check_parse_error("teaming", &dvsrec_table_port, "roundrobin",
                      "teaming: \"roundrobin\" is not valid (accepted: one "
                      "of failover_explicit, loadbalance_ip, "
                      "loadbalance_loadbased, loadbalance_srcid, "
                      "loadbalance_srcmac; \"inherit\" or \"default\" clears "
                      "it)");
    check_parse_error("lldp", &dvsrec_table_switch, "Listen",
                      "lldp: \"Listen\" is not valid (accepted: one of "
                      "advertise, both, listen, none; \"inherit\" or "
                      "\"default\" clears it)");
}

static void
test_parse_text(void **state OVS_UNUSED)
{
    /* A description is not optional in the schema, so "inherit" and the
     * empty string are just text. */
    check_parse("description", &dvsrec_table_switch, "Lab switch, rack 4",
                "Lab switch, rack 4");
    check_parse("description", &dvsrec_table_port, "inherit", "inherit");
    check_parse("description", &dvsrec_table_portgroup, "", "");
}

static void
test_parse_mac(void **state OVS_UNUSED)
{
    check_parse("mac", &dvsrec_table_port, "52:54:00:AB:cd:EF",
                "52:54:00:ab:cd:ef");
    check_parse("mac", &dvsrec_table_port, "2:0:0:0:0:1",
                "02:00:00:00:00:01");
    check_parse_error("mac", &dvsrec_table_port, "01:00:5e:00:00:01",
                      "mac: \"01:00:5e:00:00:01\" is not a unicast MAC "
                      "address (accepted: a nonzero address whose first "
                      "octet is even)");
    check_parse_error("mac", &dvsrec_table_port, "00:00:00:00:00:00",
                      "mac: \"00:00:00:00:00:00\" is not a unicast MAC "
                      "address (accepted: a nonzero address whose first "
                      "octet is even)");
    check_parse_error("mac", &dvsrec_table_port, "52:54:00:ab:cd",
                      "mac: \"52:54:00:ab:cd\" is not a MAC address "
                      "(accepted: xx:xx:xx:xx:xx:xx in hexadecimal)");
}

static void
test_parse_ip(void **state OVS_UNUSED)
{
    check_parse("switch-ip", &dvsrec_table_switch, "192.0.2.10",
                "192.0.2.10");
    check_parse("switch-ip", &dvsrec_table_switch, "2001:DB8::0001",
                "2001:db8::1");
    check_parse_error("switch-ip", &dvsrec_table_switch, "192.0.2.300",
                      "switch-ip: \"192.0.2.300\" is not an IP address "
                      "(accepted: an IPv4 address such as 192.0.2.1 or an "
                      "IPv6 address)");

    check_parse("ipfix-collector", &dvsrec_table_switch, "192.0.2.1:4739",
                "192.0.2.1:4739");
    check_parse("ipfix-collector", &dvsrec_table_switch,
                "[2001:DB8::1]:4739", "[2001:db8::1]:4739");
    check_parse_error("ipfix-collector", &dvsrec_table_switch,
                      "192.0.2.1:0",
                      "ipfix-collector: \"192.0.2.1:0\": the port must be "
                      "an integer from 1 to 65535");
}

static void
test_parse_ip_list(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *c = column("remote-vteps",
                                              &dvsrec_table_portgroup);
    struct ovsdb_datum datum;

    ASSERT_OK(dvs_key_parse(key("remote-vteps"), c,
                            "192.0.2.2,2001:DB8::1,192.0.2.1", &datum));
    assert_int_equal(datum.n, 3);
    ovsdb_datum_destroy(&datum, &c->type);

    /* A set: sorted, normalized, duplicates merged. */
    check_parse("remote-vteps", &dvsrec_table_portgroup,
                "192.0.2.2,2001:DB8::1,192.0.2.1",
                "192.0.2.1,192.0.2.2,2001:db8::1");
    check_parse("remote-vteps", &dvsrec_table_portgroup,
                "192.0.2.1,192.0.2.1", "192.0.2.1");
    check_parse("remote-vteps", &dvsrec_table_portgroup,
                "2001:db8::1,2001:DB8:0::1", "2001:db8::1");
    check_parse_error("remote-vteps", &dvsrec_table_portgroup,
                      "192.0.2.1,vtep2",
                      "remote-vteps: \"vtep2\" is not an IP address "
                      "(accepted: an IPv4 address such as 192.0.2.1 or an "
                      "IPv6 address)");
    /* Empty elements are refused, as in the other lists. */
    check_parse_error("remote-vteps", &dvsrec_table_portgroup,
                      "192.0.2.1,,192.0.2.2",
                      "remote-vteps: \"192.0.2.1,,192.0.2.2\" has an empty "
                      "element (accepted: IP addresses separated by "
                      "commas)");
    check_parse_error("remote-vteps", &dvsrec_table_portgroup,
                      "192.0.2.1,",
                      "remote-vteps: \"192.0.2.1,\" has an empty element "
                      "(accepted: IP addresses separated by commas)");
    check_parse_error("remote-vteps", &dvsrec_table_portgroup, ",",
                      "remote-vteps: \",\" has an empty element (accepted: "
                      "IP addresses separated by commas)");
}

static void
test_parse_vlan_ranges(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *c = column("trunk", &dvsrec_table_port);
    struct ovsdb_datum datum;

    ASSERT_OK(dvs_key_parse(key("trunk"), c, "30,10-20,15-25", &datum));
    assert_int_equal(datum.n, 17);
    assert_int_equal(datum.keys[0].integer, 10);
    assert_int_equal(datum.keys[15].integer, 25);
    assert_int_equal(datum.keys[16].integer, 30);
    ovsdb_datum_destroy(&datum, &c->type);

    check_parse("trunk", &dvsrec_table_port, "30,10-20,15-25", "10-25,30");
    check_parse("trunk", &dvsrec_table_switch, "0-4094", "0-4094");
    check_parse("trunk", &dvsrec_table_portgroup, "100", "100");
    check_parse_error("trunk", &dvsrec_table_port, "4095",
                      "trunk: \"4095\" is not a VLAN list (accepted: VLAN "
                      "ids and ranges from 0 to 4094, such as 10-20,30)");
    check_parse_error("trunk", &dvsrec_table_port, "20-10",
                      "trunk: \"20-10\": range 20-10 is backwards (write "
                      "low-high)");
}

/* Ordered names are a map from position (from 1) to name. */
static void
test_parse_name_order(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *c = column("uplinks",
                                              &dvsrec_table_switch);
    struct ovsdb_datum datum;
    struct ds many = DS_EMPTY_INITIALIZER;
    char *error;

    ASSERT_OK(dvs_key_parse(key("uplinks"), c, "up3,up1,up2", &datum));
    assert_int_equal(datum.n, 3);
    assert_int_equal(datum.keys[0].integer, 1);
    assert_string_equal(json_string(datum.values[0].s), "up3");
    assert_int_equal(datum.keys[1].integer, 2);
    assert_string_equal(json_string(datum.values[1].s), "up1");
    assert_int_equal(datum.keys[2].integer, 3);
    assert_string_equal(json_string(datum.values[2].s), "up2");
    ovsdb_datum_destroy(&datum, &c->type);

    check_parse("uplinks", &dvsrec_table_switch, "up3,up1,up2",
                "up3,up1,up2");
    check_parse("active-uplinks", &dvsrec_table_port, "b,a", "b,a");
    check_parse("standby-uplinks", &dvsrec_table_portgroup, "uplink4",
                "uplink4");

    check_parse_error("uplinks", &dvsrec_table_switch, "up1,up2,up1",
                      "uplinks: \"up1,up2,up1\" names \"up1\" twice "
                      "(accepted: each name once)");
    check_parse_error("active-uplinks", &dvsrec_table_switch, "up1,,up2",
                      "active-uplinks: \"up1,,up2\" has an empty element "
                      "(accepted: names separated by commas)");
    check_parse_error("uplinks", &dvsrec_table_switch, "up1,-up2",
                      "uplinks: \"-up2\" is not a valid name (accepted: "
                      "letters, digits, '-', '_' and '.', starting with a "
                      "letter or digit)");
    /* Name length from the schema: at most 32 characters. */
    check_parse("uplinks", &dvsrec_table_switch,
                "u2345678901234567890123456789012",
                "u2345678901234567890123456789012");
    check_parse_error("uplinks", &dvsrec_table_switch,
                      "u23456789012345678901234567890123",
                      "uplinks: \"u23456789012345678901234567890123\" is not "
                      "a valid name (accepted: 1 to 32 characters)");

    /* At most 32 names, the largest position the schema allows. */
    for (int i = 1; i <= 32; i++) {
        ds_put_format(&many, "%su%d", i > 1 ? "," : "", i);
    }
    ASSERT_OK(dvs_key_parse(key("uplinks"), c, ds_cstr(&many), &datum));
    assert_int_equal(datum.n, 32);
    ovsdb_datum_destroy(&datum, &c->type);

    ds_put_cstr(&many, ",u33");
    error = xasprintf("uplinks: \"%s\" names 33 uplinks (accepted: at most "
                      "32)", ds_cstr(&many));
    check_parse_error("uplinks", &dvsrec_table_switch, ds_cstr(&many),
                      error);
    free(error);
    ds_destroy(&many);
}

/* "inherit", "default" and the empty string clear an optional column. */
static void
test_parse_inherit(void **state OVS_UNUSED)
{
    static const char *names[] = {
        "vlan", "trunk", "pvlan", "blocked", "mac-limit", "teaming",
        "active-uplinks", "mac", "remote-vteps", "switch-ip", "mtu",
    };
    static const char *values[] = { "inherit", "default", "" };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const struct dvs_key *k = key(names[i]);

        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            const struct ovsdb_idl_column *c;

            if (!(k->levels & levels[j].level)) {
                continue;
            }
            c = column(names[i], levels[j].table);
            for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
                struct ovsdb_datum datum;
                ASSERT_OK(dvs_key_parse(k, c, values[v], &datum));
                assert_int_equal(datum.n, 0);
                ovsdb_datum_destroy(&datum, &c->type);
            }
        }
    }

    /* Other spellings are values, and wrong ones. */
    check_parse_error("vlan", &dvsrec_table_port, "Inherit",
                      "vlan: \"Inherit\" is not valid (accepted: an integer "
                      "from 0 to 4094)");
}

/* A gate is one key of the Portgroup's override_allowed map. */
static void
test_parse_gate(void **state OVS_UNUSED)
{
    const struct ovsdb_idl_column *c = column("vlan-override-allowed",
                                              &dvsrec_table_portgroup);
    struct ovsdb_datum datum;

    ASSERT_OK(dvs_key_parse(key("vlan-override-allowed"), c, "true",
                            &datum));
    assert_true(ovsdb_datum_conforms_to_type(&datum, &c->type));
    assert_int_equal(datum.n, 1);
    assert_string_equal(json_string(datum.keys[0].s), "vlan");
    assert_true(datum.values[0].boolean);
    ovsdb_datum_destroy(&datum, &c->type);

    check_parse("vlan-override-allowed", &dvsrec_table_portgroup, "yes",
                "true");
    check_parse("blocked-override-allowed", &dvsrec_table_portgroup,
                "false", "false");
    check_parse_error("teaming-override-allowed", &dvsrec_table_portgroup,
                      "inherit",
                      "teaming-override-allowed: \"inherit\" is not a "
                      "boolean (accepted: true or false)");
}

/* The datum that dvs_key_parse() returns holds the only reference to its
 * strings, so that destroying it frees them. */
static void
test_parse_no_leaked_strings(void **state OVS_UNUSED)
{
    static const struct {
        const char *key;
        const struct ovsdb_idl_table_class *table;
        const char *value;
    } cases[] = {
        { "teaming", &dvsrec_table_port, "loadbalance_ip" },
        { "description", &dvsrec_table_switch, "text" },
        { "mac", &dvsrec_table_port, "52:54:00:00:00:01" },
        { "switch-ip", &dvsrec_table_switch, "192.0.2.1" },
        { "ipfix-collector", &dvsrec_table_switch, "192.0.2.1:4739" },
        { "remote-vteps", &dvsrec_table_portgroup, "192.0.2.1,192.0.2.2" },
        { "uplinks", &dvsrec_table_switch, "up1,up2" },
        { "vlan-override-allowed", &dvsrec_table_portgroup, "true" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct ovsdb_idl_column *c = column(cases[i].key,
                                                  cases[i].table);
        const struct ovsdb_type *type = &c->type;
        struct ovsdb_datum datum;

        ASSERT_OK(dvs_key_parse(key(cases[i].key), c, cases[i].value,
                                &datum));
        assert_true(datum.n > 0);
        for (size_t j = 0; j < datum.n; j++) {
            if (type->key.type == OVSDB_TYPE_STRING) {
                assert_int_equal(datum.keys[j].s->count, 1);
            }
            if (type->value.type == OVSDB_TYPE_STRING) {
                assert_int_equal(datum.values[j].s->count, 1);
            }
        }
        ovsdb_datum_destroy(&datum, type);
    }
}

static void
test_format_round_trip(void **state OVS_UNUSED)
{
    static const struct {
        const char *key;
        const char *value;
    } cases[] = {
        { "blocked", "true" }, { "vlan", "4094" }, { "pvlan", "1" },
        { "trunk", "1,3,5-7,4094" }, { "teaming", "failover_explicit" },
        { "active-uplinks", "uplink2,uplink1" }, { "mac-aging", "86400" },
        { "in-burst", "1000" }, { "description", "a b,c" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            if (key(cases[i].key)->levels & levels[j].level) {
                check_parse(cases[i].key, levels[j].table, cases[i].value,
                            cases[i].value);
            }
        }
    }

    /* An empty datum formats as nothing. */
    const struct ovsdb_idl_column *c = column("trunk", &dvsrec_table_port);
    struct ovsdb_datum empty;
    struct ds s = DS_EMPTY_INITIALIZER;

    ovsdb_datum_init_empty(&empty);
    dvs_key_format(key("trunk"), c, &empty, &s);
    dvs_key_format(key("vlan"), column("vlan", &dvsrec_table_port), &empty,
                   &s);
    assert_string_equal(ds_cstr(&s), "");
    ds_destroy(&s);
}

static void
test_accepted(void **state OVS_UNUSED)
{
    check_accepted("blocked", &dvsrec_table_port,
                   "true or false; \"inherit\" or \"default\" clears it");
    check_accepted("vlan", &dvsrec_table_switch,
                   "an integer from 0 to 4094; \"inherit\" or \"default\" "
                   "clears it");
    check_accepted("mac-limit", &dvsrec_table_portgroup,
                   "an integer from 1 to 4096; \"inherit\" or \"default\" "
                   "clears it");
    check_accepted("lldp", &dvsrec_table_switch,
                   "one of advertise, both, listen, none; \"inherit\" or "
                   "\"default\" clears it");
    check_accepted("description", &dvsrec_table_switch, "any text");
    check_accepted("mac", &dvsrec_table_port,
                   "a unicast MAC address xx:xx:xx:xx:xx:xx; \"inherit\" or "
                   "\"default\" clears it");
    check_accepted("switch-ip", &dvsrec_table_switch,
                   "an IPv4 or IPv6 address; \"inherit\" or \"default\" "
                   "clears it");
    check_accepted("remote-vteps", &dvsrec_table_portgroup,
                   "IP addresses separated by commas; \"inherit\" or "
                   "\"default\" clears it");
    check_accepted("ipfix-collector", &dvsrec_table_switch,
                   "IP:PORT; \"inherit\" or \"default\" clears it");
    check_accepted("trunk", &dvsrec_table_port,
                   "VLAN ids and ranges from 0 to 4094, such as 10-20,30; "
                   "\"inherit\" or \"default\" clears it");
    check_accepted("uplinks", &dvsrec_table_switch,
                   "names separated by commas, in order, at most 32; "
                   "\"inherit\" or \"default\" clears it");
    check_accepted("vlan-override-allowed", &dvsrec_table_portgroup,
                   "true or false");

    /* Every key describes its values wherever it may be set. */
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < ARRAY_SIZE(levels); j++) {
            if (keys[i].levels & levels[j].level) {
                char *accepted = dvs_key_accepted(
                    &keys[i], dvs_key_column(&keys[i], levels[j].table));
                assert_true(strlen(accepted) > 5);
                free(accepted);
            }
        }
    }
}

/* Effective values, on rows of an IDL that has no server: rows inserted in
 * a transaction that is never committed are readable through the typed
 * structs and ovsdb_idl_read(). */

struct fixture {
    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    const struct dvsrec_switch *sw;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;
};

static int
fixture_setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);

    f->idl = ovsdb_idl_create_unconnected(&dvsrec_idl_class, true);
    f->txn = ovsdb_idl_txn_create(f->idl);

    f->sw = dvsrec_switch_insert(f->txn);
    dvsrec_switch_set_name(f->sw, "sw0");
    f->pg = dvsrec_portgroup_insert(f->txn);
    dvsrec_portgroup_set_name(f->pg, "pg0");
    dvsrec_portgroup_set_switch_(f->pg, f->sw);
    f->port = dvsrec_port_insert(f->txn);
    dvsrec_port_set_name(f->port, "port0");
    dvsrec_port_set_portgroup(f->port, f->pg);

    *state = f;
    return 0;
}

static int
fixture_teardown(void **state)
{
    struct fixture *f = *state;

    ovsdb_idl_txn_destroy(f->txn);
    ovsdb_idl_destroy(f->idl);
    free(f);
    return 0;
}

/* Sets key 'name' of 'row', in 'table', to 'value', as dvs-ctl does. */
static void
set(const struct ovsdb_idl_row *row, const struct ovsdb_idl_table_class *table,
    const char *name, const char *value)
{
    const struct ovsdb_idl_column *c = column(name, table);
    struct ovsdb_datum datum;

    ASSERT_OK(dvs_key_parse(key(name), c, value, &datum));
    ovsdb_idl_txn_write(row, c, &datum);
}

static void
set_sw(const struct fixture *f, const char *name, const char *value)
{
    set(&f->sw->header_, &dvsrec_table_switch, name, value);
}

static void
set_pg(const struct fixture *f, const char *name, const char *value)
{
    set(&f->pg->header_, &dvsrec_table_portgroup, name, value);
}

static void
set_port(const struct fixture *f, const char *name, const char *value)
{
    set(&f->port->header_, &dvsrec_table_port, name, value);
}

/* Sets 'gate' of the portgroup's override_allowed map to 'allowed', keeping
 * the other gates. */
static void
set_gate(const struct fixture *f, const char *gate, bool allowed)
{
    const struct dvsrec_portgroup *pg = f->pg;
    size_t n = pg->n_override_allowed;
    const char **keys = xmalloc((n + 1) * sizeof *keys);
    bool *values = xmalloc((n + 1) * sizeof *values);
    size_t j = 0;

    for (size_t i = 0; i < n; i++) {
        if (strcmp(pg->key_override_allowed[i], gate)) {
            keys[j] = pg->key_override_allowed[i];
            values[j++] = pg->value_override_allowed[i];
        }
    }
    keys[j] = gate;
    values[j++] = allowed;
    dvsrec_portgroup_set_override_allowed(pg, keys, values, j);
    free(keys);
    free(values);
}

/* Checks that the effective value of key 'name' for the most specific of
 * 'port', 'pg' and 'sw' is 'expected', written "VALUE (SOURCE)". */
#define CHECK_EFFECTIVE(NAME, SW, PG, PORT, EXPECTED)                   \
    check_effective(NAME, SW, PG, PORT, EXPECTED, __FILE__, __LINE__)

static void
check_effective(const char *name, const struct dvsrec_switch *sw,
                const struct dvsrec_portgroup *pg,
                const struct dvsrec_port *port, const char *expected,
                const char *file, int line)
{
    struct ds value = DS_EMPTY_INITIALIZER;
    enum dvs_source source;

    source = dvs_key_effective(key(name), sw, pg, port, &value);
    ds_put_format(&value, " (%s)", dvs_source_name(source));
    _assert_string_equal(ds_cstr(&value), expected, file, line);
    ds_destroy(&value);
}

/* With nothing set, every policy takes its built-in default at every
 * level. */
static void
test_effective_defaults(void **state)
{
    struct fixture *f = *state;
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *k = &keys[i];
        char *expected;

        if (!k->gate) {
            continue;
        }
        expected = xasprintf("%s (default)", k->builtin ? k->builtin : "");
        CHECK_EFFECTIVE(k->name, f->sw, NULL, NULL, expected);
        CHECK_EFFECTIVE(k->name, f->sw, f->pg, NULL, expected);
        CHECK_EFFECTIVE(k->name, f->sw, f->pg, f->port, expected);
        free(expected);
    }

    CHECK_EFFECTIVE("vlan", f->sw, f->pg, f->port, "0 (default)");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "4096 (default)");
    CHECK_EFFECTIVE("teaming", f->sw, f->pg, f->port,
                    "loadbalance_srcid (default)");
    CHECK_EFFECTIVE("trunk", f->sw, f->pg, f->port, " (default)");
    CHECK_EFFECTIVE("mtu", f->sw, NULL, NULL, "1500 (default)");
}

static void
test_effective_switch_inherited(void **state)
{
    struct fixture *f = *state;

    set_sw(f, "mac-limit", "100");
    set_sw(f, "promiscuous", "true");
    CHECK_EFFECTIVE("mac-limit", f->sw, NULL, NULL, "100 (switch)");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, NULL, "100 (switch)");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "100 (switch)");
    CHECK_EFFECTIVE("promiscuous", f->sw, f->pg, f->port, "true (switch)");
    /* Other policies keep their defaults. */
    CHECK_EFFECTIVE("mac-aging", f->sw, f->pg, f->port, "300 (default)");

    /* Cleared again with "inherit". */
    set_sw(f, "mac-limit", "inherit");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "4096 (default)");
}

static void
test_effective_portgroup_overrides(void **state)
{
    struct fixture *f = *state;

    set_sw(f, "mac-limit", "100");
    set_pg(f, "mac-limit", "200");
    set_pg(f, "teaming", "failover_explicit");
    CHECK_EFFECTIVE("mac-limit", f->sw, NULL, NULL, "100 (switch)");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, NULL, "200 (portgroup)");
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "200 (portgroup)");
    CHECK_EFFECTIVE("teaming", f->sw, f->pg, f->port,
                    "failover_explicit (portgroup)");
    CHECK_EFFECTIVE("teaming", f->sw, NULL, NULL,
                    "loadbalance_srcid (default)");
}

/* A port's own value counts only where its portgroup opens the gate. */
static void
test_effective_port_gate(void **state)
{
    struct fixture *f = *state;

    set_sw(f, "mac-limit", "100");
    set_pg(f, "mac-limit", "200");
    set_port(f, "mac-limit", "300");
    set_port(f, "mac-aging", "600");

    /* Closed by default. */
    assert_false(dvs_override_allowed(f->pg, "mac_learning"));
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "200 (portgroup)");
    CHECK_EFFECTIVE("mac-aging", f->sw, f->pg, f->port, "300 (default)");

    /* Open. */
    set_gate(f, "mac_learning", true);
    assert_true(dvs_override_allowed(f->pg, "mac_learning"));
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "300 (port)");
    CHECK_EFFECTIVE("mac-aging", f->sw, f->pg, f->port, "600 (port)");
    /* The portgroup itself is not affected. */
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, NULL, "200 (portgroup)");
    /* Other gates stay closed. */
    set_port(f, "teaming", "loadbalance_ip");
    CHECK_EFFECTIVE("teaming", f->sw, f->pg, f->port,
                    "loadbalance_srcid (default)");

    /* Closed explicitly. */
    set_gate(f, "mac_learning", false);
    assert_false(dvs_override_allowed(f->pg, "mac_learning"));
    CHECK_EFFECTIVE("mac-limit", f->sw, f->pg, f->port, "200 (portgroup)");

    /* Without its portgroup, a port's value does not count. */
    set_gate(f, "mac_learning", true);
    CHECK_EFFECTIVE("mac-limit", f->sw, NULL, f->port, "100 (switch)");
}

/* VDS lets ports override "blocked" unless the portgroup says otherwise. */
static void
test_effective_blocked_gate(void **state)
{
    struct fixture *f = *state;

    assert_true(dvs_gate_default("blocked"));
    assert_int_equal(f->pg->n_override_allowed, 0);
    assert_true(dvs_override_allowed(f->pg, "blocked"));
    assert_false(dvs_override_allowed(f->pg, "vlan"));

    set_port(f, "blocked", "true");
    CHECK_EFFECTIVE("blocked", f->sw, f->pg, f->port, "true (port)");
    CHECK_EFFECTIVE("blocked", f->sw, f->pg, NULL, "false (default)");

    /* Another gate in the map does not close it. */
    set_gate(f, "vlan", true);
    assert_true(dvs_override_allowed(f->pg, "blocked"));
    CHECK_EFFECTIVE("blocked", f->sw, f->pg, f->port, "true (port)");

    set_gate(f, "blocked", false);
    assert_false(dvs_override_allowed(f->pg, "blocked"));
    CHECK_EFFECTIVE("blocked", f->sw, f->pg, f->port, "false (default)");
    set_sw(f, "blocked", "true");
    set_port(f, "blocked", "false");
    CHECK_EFFECTIVE("blocked", f->sw, f->pg, f->port, "true (switch)");
}

/* vlan, trunk and pvlan are one policy: the most specific level that sets
 * any of them sets all of them. */
static void
test_effective_vlan_group(void **state)
{
    struct fixture *f = *state;

    set_sw(f, "vlan", "10");
    CHECK_EFFECTIVE("vlan", f->sw, f->pg, f->port, "10 (switch)");
    CHECK_EFFECTIVE("trunk", f->sw, f->pg, f->port, " (switch)");
    CHECK_EFFECTIVE("pvlan", f->sw, f->pg, f->port, " (switch)");

    /* A portgroup trunk hides the switch's VLAN id. */
    set_pg(f, "trunk", "100-200,300");
    CHECK_EFFECTIVE("trunk", f->sw, f->pg, f->port,
                    "100-200,300 (portgroup)");
    CHECK_EFFECTIVE("vlan", f->sw, f->pg, f->port, " (portgroup)");
    CHECK_EFFECTIVE("pvlan", f->sw, f->pg, f->port, " (portgroup)");
    CHECK_EFFECTIVE("vlan", f->sw, NULL, NULL, "10 (switch)");
    CHECK_EFFECTIVE("trunk", f->sw, NULL, NULL, " (switch)");

    /* A port's private VLAN, where the vlan gate is open, hides both. */
    set_port(f, "pvlan", "101");
    CHECK_EFFECTIVE("trunk", f->sw, f->pg, f->port,
                    "100-200,300 (portgroup)");
    set_gate(f, "vlan", true);
    CHECK_EFFECTIVE("pvlan", f->sw, f->pg, f->port, "101 (port)");
    CHECK_EFFECTIVE("trunk", f->sw, f->pg, f->port, " (port)");
    CHECK_EFFECTIVE("vlan", f->sw, f->pg, f->port, " (port)");
}

/* Where a value comes from names the object that sets it. */
static void
test_source_format(void **state)
{
    struct fixture *f = *state;
    static const struct {
        enum dvs_source source;
        const char *expected;
    } cases[] = {
        { DVS_FROM_PORT, "port port0" },
        { DVS_FROM_PORTGROUP, "portgroup pg0" },
        { DVS_FROM_SWITCH, "switch sw0" },
        { DVS_FROM_DEFAULT, "default" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ds s = DS_EMPTY_INITIALIZER;

        dvs_source_format(cases[i].source, f->sw, f->pg, f->port, &s);
        assert_string_equal(ds_cstr(&s), cases[i].expected);
        ds_destroy(&s);
    }

    /* A VLAN policy set on the portgroup, seen from the port. */
    {
        struct ds value = DS_EMPTY_INITIALIZER;
        enum dvs_source source;

        set_pg(f, "pvlan", "101");
        source = dvs_key_effective(key("pvlan"), f->sw, f->pg, f->port,
                                   &value);
        ds_put_cstr(&value, " from ");
        dvs_source_format(source, f->sw, f->pg, f->port, &value);
        assert_string_equal(ds_cstr(&value), "101 from portgroup pg0");
        ds_destroy(&value);
    }
}

/* Keys that are not policies belong to their object alone. */
static void
test_effective_not_inherited(void **state)
{
    struct fixture *f = *state;

    set_sw(f, "description", "the switch");
    CHECK_EFFECTIVE("description", f->sw, NULL, NULL,
                    "the switch (switch)");
    CHECK_EFFECTIVE("description", f->sw, f->pg, NULL, " (portgroup)");
    CHECK_EFFECTIVE("description", f->sw, f->pg, f->port, " (port)");
    set_pg(f, "description", "the portgroup");
    CHECK_EFFECTIVE("description", f->sw, f->pg, NULL,
                    "the portgroup (portgroup)");
    CHECK_EFFECTIVE("description", f->sw, f->pg, f->port, " (port)");

    CHECK_EFFECTIVE("mtu", f->sw, NULL, NULL, "1500 (default)");
    set_sw(f, "mtu", "9000");
    CHECK_EFFECTIVE("mtu", f->sw, NULL, NULL, "9000 (switch)");

    CHECK_EFFECTIVE("num-ports", f->sw, f->pg, NULL, "8 (default)");
    set_pg(f, "num-ports", "16");
    CHECK_EFFECTIVE("num-ports", f->sw, f->pg, NULL, "16 (portgroup)");

    CHECK_EFFECTIVE("mac", f->sw, f->pg, f->port, " (default)");
    set_port(f, "mac", "52:54:00:00:00:01");
    CHECK_EFFECTIVE("mac", f->sw, f->pg, f->port,
                    "52:54:00:00:00:01 (port)");
}

/* A portgroup's gates: true or false, from the portgroup or the default. */
static void
test_effective_gates(void **state)
{
    struct fixture *f = *state;

    CHECK_EFFECTIVE("blocked-override-allowed", f->sw, f->pg, NULL,
                    "true (default)");
    CHECK_EFFECTIVE("vlan-override-allowed", f->sw, f->pg, NULL,
                    "false (default)");

    set_gate(f, "teaming", true);
    CHECK_EFFECTIVE("teaming-override-allowed", f->sw, f->pg, NULL,
                    "true (portgroup)");
    CHECK_EFFECTIVE("vlan-override-allowed", f->sw, f->pg, NULL,
                    "false (default)");
    CHECK_EFFECTIVE("blocked-override-allowed", f->sw, f->pg, NULL,
                    "true (default)");
    set_gate(f, "blocked", false);
    CHECK_EFFECTIVE("blocked-override-allowed", f->sw, f->pg, NULL,
                    "false (portgroup)");
}

/* By default every uplink of the switch is active, in the switch's
 * order. */
static void
test_effective_active_uplinks(void **state)
{
    struct fixture *f = *state;

    CHECK_EFFECTIVE("active-uplinks", f->sw, f->pg, f->port, " (default)");

    set_sw(f, "uplinks", "uplink3,uplink1,uplink2");
    CHECK_EFFECTIVE("active-uplinks", f->sw, NULL, NULL,
                    "uplink3,uplink1,uplink2 (default)");
    CHECK_EFFECTIVE("active-uplinks", f->sw, f->pg, f->port,
                    "uplink3,uplink1,uplink2 (default)");
    CHECK_EFFECTIVE("standby-uplinks", f->sw, f->pg, f->port, " (default)");

    set_pg(f, "active-uplinks", "uplink2");
    CHECK_EFFECTIVE("active-uplinks", f->sw, f->pg, f->port,
                    "uplink2 (portgroup)");
    CHECK_EFFECTIVE("active-uplinks", f->sw, NULL, NULL,
                    "uplink3,uplink1,uplink2 (default)");

    set_gate(f, "teaming", true);
    set_port(f, "active-uplinks", "uplink1,uplink3");
    CHECK_EFFECTIVE("active-uplinks", f->sw, f->pg, f->port,
                    "uplink1,uplink3 (port)");
}

#define FIXTURE_TEST(FUNC) \
    cmocka_unit_test_setup_teardown(FUNC, fixture_setup, fixture_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_find),
        cmocka_unit_test(test_key_names_unique),
        cmocka_unit_test(test_level_and_source_names),
        cmocka_unit_test(test_key_columns_in_schema),
        cmocka_unit_test(test_key_policies),
        cmocka_unit_test(test_key_builtins_parse),
        cmocka_unit_test(test_key_builtins_documented),
        cmocka_unit_test(test_key_name_length_from_schema),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_parse_integer),
        cmocka_unit_test(test_parse_enum),
        cmocka_unit_test(test_parse_text),
        cmocka_unit_test(test_parse_mac),
        cmocka_unit_test(test_parse_ip),
        cmocka_unit_test(test_parse_ip_list),
        cmocka_unit_test(test_parse_vlan_ranges),
        cmocka_unit_test(test_parse_name_order),
        cmocka_unit_test(test_parse_inherit),
        cmocka_unit_test(test_parse_gate),
        cmocka_unit_test(test_parse_no_leaked_strings),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_accepted),
        FIXTURE_TEST(test_effective_defaults),
        FIXTURE_TEST(test_effective_switch_inherited),
        FIXTURE_TEST(test_effective_portgroup_overrides),
        FIXTURE_TEST(test_effective_port_gate),
        FIXTURE_TEST(test_effective_blocked_gate),
        FIXTURE_TEST(test_effective_vlan_group),
        FIXTURE_TEST(test_effective_not_inherited),
        FIXTURE_TEST(test_effective_gates),
        FIXTURE_TEST(test_effective_active_uplinks),
        FIXTURE_TEST(test_source_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
