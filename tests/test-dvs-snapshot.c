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

/* Unit tests for the snapshot format (lib/dvs-snapshot.c,
 * Documentation/snapshots.md): documents read and written back unchanged,
 * and every malformed document refused with a message that says where. */

#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "ovsdb-data.h"
#include "ovsdb-idl-provider.h"
#include "svec.h"
#include "util.h"

#include "tests/test-dvs.h"

/* A switch with two portgroups, ports and a host member, in the canonical
 * notation that dvs_snapshot_to_json() writes. */
static const char example[] =
    "{\"format\": \"ovs-dvs-snapshot\", \"version\": 3, \"ports\": true,"
    " \"switches\": [{"
    "  \"uuid\": \"8a2c1d4e-0000-4000-8000-000000000001\","
    "  \"config_version\": 7,"
    "  \"columns\": {\"name\": \"sw0\", \"mtu\": 9000,"
    "                \"uplink_names\": [\"map\", [[1, \"uplink1\"],"
    "                                             [2, \"uplink2\"]]],"
    "                \"trunks\": [\"set\", [10, 20]],"
    "                \"lldp\": [\"set\", []]},"
    "  \"traffic_rules\": [{\"columns\": {\"sequence\": 10,"
    "                                    \"action\": \"drop\","
    "                                    \"direction\": \"incoming\"}},"
    "                     {\"columns\": {\"sequence\": 20,"
    "                                    \"action\": \"tag\","
    "                                    \"dscp\": 46}}],"
    "  \"portgroups\": ["
    "    {\"uuid\": \"8a2c1d4e-0000-4000-8000-000000000002\","
    "     \"config_version\": 3,"
    "     \"columns\": {\"name\": \"db\", \"vni\": 5001},"
    "     \"ports\": []},"
    "    {\"uuid\": \"8a2c1d4e-0000-4000-8000-000000000003\","
    "     \"config_version\": 1,"
    "     \"columns\": {\"name\": \"web\", \"vlan\": 10,"
    "                   \"override_allowed\": [\"map\", [[\"vlan\", true]]]},"
    "     \"ports\": [{\"uuid\": \"8a2c1d4e-0000-4000-8000-000000000004\","
    "                  \"config_version\": 2,"
    "                  \"columns\": {\"name\": \"vm1\","
    "                                \"mac\": \"00:00:00:00:00:01\"},"
    "                  \"traffic_rules\": [{\"columns\": {"
    "                      \"sequence\": 5, \"action\": \"allow\"}}]}]}],"
    "  \"host_members\": [{\"host\": \"h1\","
    "                      \"columns\": {\"vtep_ip\": \"192.0.2.1\","
    "                                    \"uplinks\": [\"map\","
    "                                        [[\"uplink1\", \"eth1\"]]]}}],"
    "  \"lags\": [{\"uuid\": \"8a2c1d4e-0000-4000-8000-000000000008\","
    "            \"config_version\": 0,"
    "            \"columns\": {\"name\": \"lag1\", \"mode\": \"active\"}}],"
    "  \"pvlan_entries\": ["
    "    {\"uuid\": \"8a2c1d4e-0000-4000-8000-000000000009\","
    "                     \"config_version\": 0,"
    "                     \"columns\": {\"primary_vlan\": 100,"
    "                                 \"secondary_vlan\": 101,"
    "                                 \"type\": \"isolated\"}}],"
    "  \"mirror_sessions\": ["
    "    {\"uuid\": \"8a2c1d4e-0000-4000-8000-00000000000a\","
    "     \"config_version\": 0,"
    "     \"columns\": {\"name\": \"m1\", \"session_type\": \"dvPortMirror\"},"
    "     \"port_names\": {\"source_rx\": [\"vm1\"],"
    "                      \"dest_ports\": [\"vm2\"]}}]"
    "}]}";

static void
test_round_trip(void **state OVS_UNUSED)
{
    struct json *in = json_from_string(example);
    struct dvs_snapshot snap;

    assert_int_equal(in->type, JSON_OBJECT);
    ASSERT_OK(dvs_snapshot_from_json(in, &snap));

    /* What was read. */
    assert_int_equal(snap.n_switches, 1);
    const struct dvs_snap_switch *sw = &snap.switches[0];
    assert_string_equal(dvs_snap_row_name(&sw->row), "sw0");
    assert_int_equal(sw->row.config_version, 7);
    assert_true(snap.has_ports);
    assert_true(sw->has_ports);
    assert_int_equal(sw->n_portgroups, 2);
    assert_int_equal(sw->portgroups[1].n_ports, 1);
    assert_string_equal(dvs_snap_row_name(&sw->portgroups[1].ports[0]),
                        "vm1");
    assert_int_equal(sw->n_members, 1);
    assert_string_equal(sw->members[0].host, "h1");
    assert_int_equal(sw->children[0].n, 1);
    assert_string_equal(dvs_snap_row_name(&sw->children[0].rows[0]),
                        "lag1");
    assert_int_equal(sw->children[1].n, 1);
    /* Traffic rules and mirror sessions (version 3), references by what
     * they mean. */
    assert_int_equal(sw->row.n_rules, 2);
    assert_true(sw->row.refs);
    assert_int_equal(sw->portgroups[1].ports[0].n_rules, 1);
    assert_int_equal(sw->portgroups[1].row.n_rules, 0);
    assert_int_equal(sw->children[2].n, 1);
    assert_true(sw->children[2].present);
    const struct dvs_snap_row *m1 = &sw->children[2].rows[0];
    assert_string_equal(dvs_snap_row_name(m1), "m1");
    const struct ovsdb_idl_column *rx = dvs_snap_find_column(
        &dvsrec_table_mirror_session, "source_rx");
    assert_string_equal(
        m1->port_names[rx - dvsrec_table_mirror_session.columns]->names[0],
        "vm1");
    const struct dvs_snap_switch *found;
    assert_ptr_equal(dvs_snapshot_find_portgroup(&snap, "web", &found),
                     &sw->portgroups[1]);
    assert_ptr_equal(found, sw);
    assert_ptr_equal(dvs_snapshot_find_switch(&snap, "sw0"), sw);
    assert_null(dvs_snapshot_find_switch(&snap, "sw1"));

    /* Written back: the same document. */
    struct json *out = dvs_snapshot_to_json(&snap);
    if (!json_equal(in, out)) {
        char *a = json_to_string(in, JSSF_SORT);
        char *b = json_to_string(out, JSSF_SORT);
        fail_msg("round trip changed the document:\n%s\n%s", a, b);
    }
    json_destroy(out);

    /* And through text. */
    char *text = dvs_snapshot_to_string(&snap);
    struct dvs_snapshot again;
    ASSERT_OK(dvs_snapshot_from_string(text, &again));
    out = dvs_snapshot_to_json(&again);
    assert_true(json_equal(in, out));
    json_destroy(out);
    free(text);

    dvs_snapshot_destroy(&again);
    dvs_snapshot_destroy(&snap);
    json_destroy(in);
}

/* Every configuration column of every table a snapshot holds survives a
 * round trip: a column added to the schema is in snapshots without a change
 * to the code.  Each column gets its default, or, where the schema requires
 * a value, the smallest it accepts. */
static struct json *
all_columns(const struct ovsdb_idl_table_class *table, const char *name)
{
    struct json *columns = json_object_create();
    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *c = &table->columns[i];
        struct ovsdb_datum datum;

        if (!dvs_snapshot_is_config_column(table, c)) {
            continue;
        }
        if (!strcmp(c->name, "name")) {
            json_object_put_string(columns, "name", name);
            continue;
        }
        if (c->type.n_min && c->type.key.enum_) {
            json_object_put(columns, c->name,
                            ovsdb_atom_to_json(&c->type.key.enum_->keys[0],
                                               c->type.key.type));
            continue;
        } else if (c->type.n_min && c->type.key.type == OVSDB_TYPE_INTEGER) {
            json_object_put(columns, c->name, json_integer_create(
                                c->type.key.integer.min));
            continue;
        }
        ovsdb_datum_init_default(&datum, &c->type);
        json_object_put(columns, c->name,
                        ovsdb_datum_to_json(&datum, &c->type));
        ovsdb_datum_destroy(&datum, &c->type);
    }
    return columns;
}

static void
test_every_column(void **state OVS_UNUSED)
{
    struct json *port = json_object_create();
    json_object_put(port, "columns", all_columns(&dvsrec_table_port, "p"));
    json_object_put_string(port, "uuid",
                           "8a2c1d4e-0000-4000-8000-000000000005");
    json_object_put(port, "config_version", json_integer_create(0));

    struct json *pg = json_object_create();
    json_object_put(pg, "columns", all_columns(&dvsrec_table_portgroup,
                                               "pg"));
    json_object_put_string(pg, "uuid",
                           "8a2c1d4e-0000-4000-8000-000000000006");
    json_object_put(pg, "config_version", json_integer_create(0));
    json_object_put(pg, "ports", json_array_create_1(port));

    struct json *m = json_object_create();
    struct json *m_cols = all_columns(&dvsrec_table_host_member, "");
    json_object_put_string(m, "host", "h1");
    json_object_put(m, "columns", m_cols);

    struct json *lag = json_object_create();
    json_object_put(lag, "columns", all_columns(&dvsrec_table_lag, "lag"));
    json_object_put_string(lag, "uuid",
                           "8a2c1d4e-0000-4000-8000-00000000000a");
    json_object_put(lag, "config_version", json_integer_create(0));
    struct json *pvlan = json_object_create();
    json_object_put(pvlan, "columns",
                    all_columns(&dvsrec_table_pvlan_entry, ""));
    json_object_put_string(pvlan, "uuid",
                           "8a2c1d4e-0000-4000-8000-00000000000b");
    json_object_put(pvlan, "config_version", json_integer_create(0));

    struct json *mirror = json_object_create();
    json_object_put(mirror, "columns",
                    all_columns(&dvsrec_table_mirror_session, "m"));
    json_object_put_string(mirror, "uuid",
                           "8a2c1d4e-0000-4000-8000-00000000000c");
    json_object_put(mirror, "config_version", json_integer_create(0));
    struct json *rule = json_object_create();
    json_object_put(rule, "columns",
                    all_columns(&dvsrec_table_traffic_rule, ""));

    struct json *sw = json_object_create();
    json_object_put(sw, "traffic_rules", json_array_create_1(rule));
    json_object_put(sw, "mirror_sessions", json_array_create_1(mirror));
    json_object_put(sw, "lags", json_array_create_1(lag));
    json_object_put(sw, "pvlan_entries", json_array_create_1(pvlan));
    json_object_put(sw, "columns", all_columns(&dvsrec_table_switch, "sw"));
    json_object_put_string(sw, "uuid",
                           "8a2c1d4e-0000-4000-8000-000000000007");
    json_object_put(sw, "config_version", json_integer_create(0));
    json_object_put(sw, "portgroups", json_array_create_1(pg));
    json_object_put(sw, "host_members", json_array_create_1(m));

    struct json *doc = json_object_create();
    json_object_put_string(doc, "format", DVS_SNAPSHOT_FORMAT);
    json_object_put(doc, "version", json_integer_create(3));
    json_object_put(doc, "ports", json_boolean_create(true));
    json_object_put(doc, "switches", json_array_create_1(sw));

    struct dvs_snapshot snap;
    ASSERT_OK(dvs_snapshot_from_json(doc, &snap));
    struct json *out = dvs_snapshot_to_json(&snap);
    assert_true(json_equal(doc, out));

    /* At least the columns that matter most are configuration. */
    const struct dvs_snap_row *row = &snap.switches[0].row;
    size_t n = 0;
    for (size_t i = 0; i < row->table->n_columns; i++) {
        n += row->values[i] != NULL;
    }
    assert_true(n > 40);
    json_destroy(out);
    json_destroy(doc);
    dvs_snapshot_destroy(&snap);
}

/* Replaces the first 'from' in 'example' by 'to' and returns the error of
 * reading the result. */
static char *
read_edited(const char *from, const char *to)
{
    const char *p = strstr(example, from);
    struct dvs_snapshot snap;

    assert_non_null(p);
    char *s = xasprintf("%.*s%s%s", (int) (p - example), example, to,
                        p + strlen(from));
    char *error = dvs_snapshot_from_string(s, &snap);
    assert_int_equal(snap.n_switches, 0);
    free(s);
    return error;
}

/* A document without the optional members (an older writer's, or one
 * written by hand) reads; they come back empty. */
static void
test_optional_members(void **state OVS_UNUSED)
{
    static const char doc[] =
        "{\"format\": \"ovs-dvs-snapshot\", \"version\": 1, \"switches\": [{"
        "  \"columns\": {\"name\": \"sw0\"}}]}";
    struct dvs_snapshot snap;

    ASSERT_OK(dvs_snapshot_from_string(doc, &snap));
    assert_int_equal(snap.n_switches, 1);
    assert_int_equal(snap.switches[0].n_portgroups, 0);
    assert_int_equal(snap.switches[0].n_members, 0);
    assert_true(uuid_is_zero(&snap.switches[0].row.uuid));

    struct json *out = dvs_snapshot_to_json(&snap);
    struct json *sw = json_array(shash_find_data(json_object(out),
                                                 "switches"))->elems[0];
    static const char *const members[] = {
        "portgroups", "host_members", "lags", "pvlan_entries",
    };
    for (size_t i = 0; i < ARRAY_SIZE(members); i++) {
        const struct json *m = shash_find_data(json_object(sw), members[i]);
        assert_non_null(m);
        assert_int_equal(json_array(m)->n, 0);
    }
    json_destroy(out);
    dvs_snapshot_destroy(&snap);
}

/* A document of version 1 (no "ports" member) holds ports; it is written
 * back as version 2 with "ports": true. */
static void
test_version_1(void **state OVS_UNUSED)
{
    const char *p = strstr(example, "\"version\": 3, \"ports\": true,");
    char *v1 = xasprintf("%.*s\"version\": 1,%s", (int) (p - example),
                         example,
                         p + strlen("\"version\": 3, \"ports\": true,"));
    struct dvs_snapshot snap;

    ASSERT_OK(dvs_snapshot_from_string(v1, &snap));
    assert_true(snap.has_ports);
    assert_true(snap.switches[0].has_ports);
    assert_int_equal(snap.switches[0].portgroups[1].n_ports, 1);
    /* Older than version 3: traffic rules and mirror sessions were not
     * carried, applying it leaves them alone. */
    assert_false(snap.switches[0].row.refs);
    assert_false(snap.switches[0].children[2].present);
    assert_true(snap.switches[0].children[0].present);

    struct json *in = json_from_string(example);
    struct json *out = dvs_snapshot_to_json(&snap);
    assert_true(json_equal(in, out));
    json_destroy(in);
    json_destroy(out);
    dvs_snapshot_destroy(&snap);
    free(v1);
}

/* A snapshot without ports (a checkpoint) has portgroups without a "ports"
 * member, and says so. */
static void
test_without_ports(void **state OVS_UNUSED)
{
    static const char doc[] =
        "{\"format\": \"ovs-dvs-snapshot\", \"version\": 2,"
        " \"ports\": false,"
        " \"switches\": [{\"columns\": {\"name\": \"sw0\"},"
        "  \"portgroups\": [{\"columns\": {\"name\": \"web\","
        "                                 \"vlan\": 10}}]}]}";
    struct dvs_snapshot snap;

    ASSERT_OK(dvs_snapshot_from_string(doc, &snap));
    assert_false(snap.has_ports);
    assert_false(snap.switches[0].has_ports);
    assert_int_equal(snap.switches[0].n_portgroups, 1);
    assert_int_equal(snap.switches[0].portgroups[0].n_ports, 0);

    struct json *out = dvs_snapshot_to_json(&snap);
    const struct json *ports = shash_find_data(json_object(out), "ports");
    assert_int_equal(ports->type, JSON_FALSE);
    const struct json *sw = json_array(shash_find_data(json_object(out),
                                                       "switches"))->elems[0];
    const struct json *pgs = shash_find_data(json_object(sw), "portgroups");
    const struct json *pg = json_array(pgs)->elems[0];
    assert_null(shash_find_data(json_object(pg), "ports"));
    json_destroy(out);
    dvs_snapshot_destroy(&snap);
}

static void
test_errors(void **state OVS_UNUSED)
{
    struct dvs_snapshot snap;

    ASSERT_ERROR(dvs_snapshot_from_string("[1]", &snap),
                 "snapshot: not a JSON object");
    char *error = dvs_snapshot_from_string("{", &snap);
    assert_non_null(error);
    assert_true(!strncmp(error, "snapshot: not valid JSON: ", 26));
    free(error);

    ASSERT_ERROR(read_edited("\"ovs-dvs-snapshot\"", "\"other\""),
                 "snapshot: format \"other\" is not \"ovs-dvs-snapshot\"");
    ASSERT_ERROR(read_edited("\"version\": 3", "\"version\": 4"),
                 "snapshot: format version 4 is not supported (this "
                 "version of ovs-dvs reads versions 1 to 3)");
    ASSERT_ERROR(read_edited("\"version\": 3", "\"version\": \"2\""),
                 "snapshot: \"version\" is not an integer");
    /* Version 2 says whether it holds ports, and then means it. */
    ASSERT_ERROR(read_edited("\"ports\": true,", ""),
                 "snapshot: missing \"ports\"");
    ASSERT_ERROR(read_edited("\"ports\": true,", "\"ports\": 1,"),
                 "snapshot: \"ports\" is not true or false");
    ASSERT_ERROR(read_edited("\"ports\": true,", "\"ports\": false,"),
                 "portgroup db: has \"ports\" but the snapshot says it "
                 "holds no ports (\"ports\": false)");
    ASSERT_ERROR(read_edited("\"switches\"", "\"switchez\""),
                 "snapshot: missing \"switches\"");
    ASSERT_ERROR(read_edited("\"name\": \"sw0\", ", ""),
                 "switch: the columns have no \"name\"");
    ASSERT_ERROR(read_edited("\"mtu\": 9000", "\"mtu\": 100"),
                 "switch sw0: column mtu: constraint violation: 100 is "
                 "not in the valid range 1280 to 9000 (inclusive)");
    ASSERT_ERROR(read_edited("\"mtu\": 9000", "\"mtu\": \"big\""),
                 "switch sw0: column mtu: syntax \"\"big\"\": syntax "
                 "error: expected integer");
    /* Status columns and references are not configuration. */
    ASSERT_ERROR(read_edited("\"mtu\": 9000", "\"config_version\": 3"),
                 "switch sw0: \"config_version\" is not a configuration "
                 "column of table Switch");
    ASSERT_ERROR(read_edited("\"mac\": \"00:00:00:00:00:01\"",
                             "\"up\": true"),
                 "port vm1: \"up\" is not a configuration column of table "
                 "Port");
    ASSERT_ERROR(read_edited("\"vni\": 5001", "\"switch\": 1"),
                 "portgroup db: \"switch\" is not a configuration column "
                 "of table Portgroup");
    ASSERT_ERROR(read_edited("\"8a2c1d4e-0000-4000-8000-000000000002\"",
                             "\"not-a-uuid\""),
                 "portgroup: \"not-a-uuid\" is not a UUID");
    ASSERT_ERROR(read_edited("\"ports\": []", "\"ports\": {}"),
                 "portgroup db: \"ports\" is not an array");
    ASSERT_ERROR(read_edited("\"host\": \"h1\"", "\"host\": 1"),
                 "switch sw0: \"host\" is not a string");
    ASSERT_ERROR(read_edited("\"secondary_vlan\": 101, ", ""),
                 "switch sw0: PVLAN_Entry: the columns have no "
                 "\"secondary_vlan\"");
    ASSERT_ERROR(read_edited("\"mode\": \"active\"",
                             "\"mode\": \"sometimes\""),
                 "switch sw0: LAG lag1: column mode: constraint violation: "
                 "sometimes is not one of the allowed values ([active, "
                 "passive])");
    ASSERT_ERROR(read_edited("\"sequence\": 10,", ""),
                 "switch sw0: traffic rule: the columns have no "
                 "\"sequence\"");
    ASSERT_ERROR(read_edited("\"action\": \"drop\"", "\"action\": \"nuke\""),
                 "switch sw0: traffic rule 10: column action: constraint "
                 "violation: nuke is not one of the allowed values ([allow, "
                 "drop, tag])");
    ASSERT_ERROR(read_edited("\"source_rx\": [\"vm1\"]",
                             "\"session_type\": [\"vm1\"]"),
                 "switch sw0: Mirror_Session m1: \"port_names\": "
                 "\"session_type\" is not a column of table Mirror_Session "
                 "that names ports");
    ASSERT_ERROR(read_edited("\"source_rx\": [\"vm1\"]",
                             "\"source_rx\": [1]"),
                 "switch sw0: Mirror_Session m1: \"port_names\": "
                 "\"source_rx\" holds a non-string");
    ASSERT_ERROR(read_edited("\"vtep_ip\"", "\"lacp_status\""),
                 "switch sw0: host h1: \"lacp_status\" is not a "
                 "configuration column of table Host_Member");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_every_column),
        cmocka_unit_test(test_optional_members),
        cmocka_unit_test(test_version_1),
        cmocka_unit_test(test_without_ports),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
