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

/* Unit tests for lib/dvs-state.c: the desired state of a host, its
 * comparison, and its conversion to and from StateUpdate messages. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-state.h"
#include "lib/dvs-intern.h"
#include "openvswitch/dynamic-string.h"
#include "lib/dvs-lag.h"
#include "proto/dvs.pb-c.h"
#include "util.h"

#include "tests/test-dvs.h"

/* A state with two bridges and four groups. */
static void
build_state(struct dvs_host_state *state)
{
    struct dvs_bridge *br;
    struct dvs_flow_group *g;

    dvs_host_state_init(state);

    br = dvs_host_state_add_bridge(state, "sw0");
    dvs_bridge_add_uplink(br, "uplink1", "eth1");
    dvs_bridge_add_uplink(br, "uplink2", "eth2");
    dvs_bridge_set_bond_mode(br, "active-backup");
    br->mtu = 9000;
    br->vxlan = true;
    dvs_bridge_set_vtep_ip(br, "192.168.0.1");
    dvs_lag_add_uplink(dvs_bridge_add_lag(br, "lag1", "passive", "fast",
                                          "none"), "uplink2");

    br = dvs_host_state_add_bridge(state, "sw1");
    dvs_bridge_add_uplink(br, "uplink1", "eth3");

    g = dvs_host_state_add_group(state, "sw0/base", "sw0");
    dvs_flow_group_add_flow(g, 0, 0, "", "drop");
    dvs_flow_group_add_flow(g, 10, 0, "", "resubmit(,20)");
    dvs_flow_group_add_flow(g, 20, 0, "", "drop");

    g = dvs_host_state_add_group(state, "sw0/port/p1/local", "sw0");
    dvs_flow_group_add_flow(g, 0, 100,
                            "in_port=${port:p1},vlan_tci=0x0000/0x1000",
                            "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],"
                            "resubmit(,10)");
    dvs_flow_group_add_flow(g, 10, 100, "reg6=10,dl_dst=00:00:00:00:00:01",
                            "output:${port:p1}");

    g = dvs_host_state_add_group(state, "sw0/seg/10/flood", "sw0");
    dvs_flow_group_add_flow(g, 20, 100, "reg6=10,reg4=0",
                            "output:${port:p1},output:${uplink}");

    g = dvs_host_state_add_group(state, "sw1/base", "sw1");
    dvs_flow_group_add_flow(g, 0, 0, "", "drop");
}

static char *
format_state(const struct dvs_host_state *state)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    dvs_host_state_format(state, &s);
    return ds_steal_cstr(&s);
}

static void
assert_states_equal(const struct dvs_host_state *a,
                    const struct dvs_host_state *b)
{
    if (!dvs_host_state_equal(a, b)) {
        char *fa = format_state(a);
        char *fb = format_state(b);
        fail_msg("states differ:\n%s---\n%s", fa, fb);
    }
}

/* Packs 'update' and unpacks it again, as on the wire. */
static Dvs__StateUpdate *
round_trip(const Dvs__StateUpdate *update)
{
    size_t len = dvs__state_update__get_packed_size(update);
    uint8_t *buf = xmalloc(len + 1);
    Dvs__StateUpdate *copy;

    assert_int_equal(dvs__state_update__pack(update, buf), len);
    copy = dvs__state_update__unpack(NULL, len, buf);
    assert_non_null(copy);
    free(buf);
    return copy;
}

static void
test_bridges(void **state_ OVS_UNUSED)
{
    struct dvs_host_state state;
    struct dvs_bridge *br, *again;

    dvs_host_state_init(&state);
    assert_null(dvs_host_state_find_bridge(&state, "sw0"));

    br = dvs_host_state_add_bridge(&state, "sw0");
    assert_string_equal(br->name, "sw0");
    assert_int_equal(br->n_uplinks, 0);
    assert_null(br->bond_mode);
    assert_int_equal(br->mtu, 0);
    assert_false(br->vxlan);
    assert_null(br->vtep_ip);
    dvs_bridge_add_uplink(br, "uplink1", "eth1");
    dvs_bridge_add_uplink(br, "uplink2", "eth2");
    assert_int_equal(br->n_uplinks, 2);
    assert_string_equal(br->uplinks[1].name, "uplink2");
    assert_string_equal(br->uplinks[1].pnic, "eth2");
    assert_ptr_equal(dvs_host_state_find_bridge(&state, "sw0"), br);
    assert_null(dvs_host_state_find_bridge(&state, "sw"));

    /* Adding again replaces. */
    again = dvs_host_state_add_bridge(&state, "sw0");
    assert_int_equal(again->n_uplinks, 0);
    assert_ptr_equal(dvs_host_state_find_bridge(&state, "sw0"), again);
    assert_int_equal(hmap_count(&state.bridges), 1);

    dvs_host_state_add_bridge(&state, "sw1");
    assert_int_equal(hmap_count(&state.bridges), 2);
    dvs_host_state_remove_bridge(&state, again);
    assert_null(dvs_host_state_find_bridge(&state, "sw0"));
    assert_non_null(dvs_host_state_find_bridge(&state, "sw1"));

    dvs_host_state_clear(&state);
    assert_int_equal(hmap_count(&state.bridges), 0);
    dvs_host_state_destroy(&state);
}

static void
test_bridge_equal(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b;
    struct dvs_bridge *ba, *bb;

    dvs_host_state_init(&a);
    dvs_host_state_init(&b);
    ba = dvs_host_state_add_bridge(&a, "sw0");
    bb = dvs_host_state_add_bridge(&b, "sw0");
    assert_true(dvs_bridge_equal(ba, bb));

    dvs_bridge_add_uplink(ba, "uplink1", "eth1");
    assert_false(dvs_bridge_equal(ba, bb));
    dvs_bridge_add_uplink(bb, "uplink1", "eth2");
    assert_false(dvs_bridge_equal(ba, bb));

    bb = dvs_host_state_add_bridge(&b, "sw0");
    dvs_bridge_add_uplink(bb, "uplink1", "eth1");
    assert_true(dvs_bridge_equal(ba, bb));

    ba->mtu = 1500;
    assert_false(dvs_bridge_equal(ba, bb));
    bb->mtu = 1500;
    ba->vxlan = true;
    assert_false(dvs_bridge_equal(ba, bb));
    bb->vxlan = true;
    dvs_bridge_set_vtep_ip(ba, "10.0.0.1");
    assert_false(dvs_bridge_equal(ba, bb));
    dvs_bridge_set_vtep_ip(bb, "10.0.0.1");
    assert_true(dvs_bridge_equal(ba, bb));
    dvs_bridge_set_bond_mode(bb, "balance-slb");
    assert_false(dvs_bridge_equal(ba, bb));
    dvs_bridge_set_bond_mode(bb, NULL);
    assert_true(dvs_bridge_equal(ba, bb));

    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
}

static void
test_groups(void **state_ OVS_UNUSED)
{
    struct dvs_host_state state;
    struct dvs_flow_group *g, *again;

    dvs_host_state_init(&state);
    g = dvs_host_state_add_group(&state, "sw0/base", "sw0");
    assert_string_equal(g->key, "sw0/base");
    assert_string_equal(g->bridge, "sw0");
    assert_int_equal(g->n_flows, 0);
    for (int i = 0; i < 100; i++) {
        dvs_flow_group_add_flow(g, i % 3, i, "", "drop");
    }
    assert_int_equal(g->n_flows, 100);
    assert_int_equal(g->flows[99].priority, 99);
    assert_int_equal(g->flows[99].table, 0);
    assert_string_equal(g->flows[99].actions, "drop");
    assert_ptr_equal(dvs_host_state_find_group(&state, "sw0/base"), g);
    assert_null(dvs_host_state_find_group(&state, "sw0/bas"));

    again = dvs_host_state_add_group(&state, "sw0/base", "sw1");
    assert_int_equal(again->n_flows, 0);
    assert_string_equal(again->bridge, "sw1");
    assert_int_equal(hmap_count(&state.groups), 1);

    dvs_host_state_add_group(&state, "sw0/other", "sw0");
    dvs_host_state_remove_group(&state, again);
    assert_null(dvs_host_state_find_group(&state, "sw0/base"));
    assert_int_equal(hmap_count(&state.groups), 1);
    dvs_host_state_destroy(&state);
}

/* The states of two hosts with the same group hold its texts once, and
 * let them go with the last state that holds them. */
static void
test_texts_held_once(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b;
    size_t before = dvs_intern_count();

    dvs_host_state_init(&a);
    dvs_host_state_init(&b);
    for (int i = 0; i < 2; i++) {
        struct dvs_host_state *s = i ? &b : &a;
        struct dvs_flow_group *g = dvs_host_state_add_group(
            s, "sw9/port/p1/remote", "sw9");
        char *actions = xstrdup("set_field:10.0.0.1->tun_dst,output:9");

        dvs_flow_group_add_flow(g, 10, 100, "reg6=5,dl_dst=00:00:00:00:00:01",
                                actions);
        dvs_flow_group_add_flow(g, 10, 90, "reg6=5", "resubmit(,99)");
        free(actions);
    }
    const struct dvs_flow_group *ga = dvs_host_state_find_group(
        &a, "sw9/port/p1/remote");
    const struct dvs_flow_group *gb = dvs_host_state_find_group(
        &b, "sw9/port/p1/remote");
    assert_ptr_equal(ga->key, gb->key);
    assert_ptr_equal(ga->bridge, gb->bridge);
    assert_ptr_equal(ga->flows[0].match, gb->flows[0].match);
    assert_ptr_equal(ga->flows[0].actions, gb->flows[0].actions);
    assert_string_equal(gb->flows[0].actions,
                        "set_field:10.0.0.1->tun_dst,output:9");
    assert_true(dvs_flow_group_equal(ga, gb));
    /* Key, bridge, two matches and two actions. */
    assert_int_equal(dvs_intern_count(), before + 6);

    dvs_host_state_destroy(&a);
    assert_int_equal(dvs_intern_count(), before + 6);
    assert_string_equal(gb->flows[1].actions, "resubmit(,99)");
    dvs_host_state_destroy(&b);
    assert_int_equal(dvs_intern_count(), before);
}

static void
test_group_equal(void **state_ OVS_UNUSED)
{
    struct dvs_host_state s, t;
    struct dvs_flow_group *a, *b;

    dvs_host_state_init(&s);
    dvs_host_state_init(&t);
    a = dvs_host_state_add_group(&s, "k", "sw0");
    b = dvs_host_state_add_group(&s, "k2", "sw0");
    assert_false(dvs_flow_group_equal(a, b));     /* Key. */
    b = dvs_host_state_add_group(&s, "k2", "sw0");

    a = dvs_host_state_add_group(&s, "k", "sw0");
    dvs_flow_group_add_flow(a, 0, 100, "in_port=1", "drop");
    b = dvs_host_state_add_group(&t, "k", "sw0");
    assert_false(dvs_flow_group_equal(a, b));
    dvs_flow_group_add_flow(b, 0, 100, "in_port=1", "drop");
    assert_true(dvs_flow_group_equal(a, b));

    b = dvs_host_state_add_group(&t, "k", "sw1");
    dvs_flow_group_add_flow(b, 0, 100, "in_port=1", "drop");
    assert_false(dvs_flow_group_equal(a, b));     /* Bridge. */
    b = dvs_host_state_add_group(&t, "k", "sw0");
    dvs_flow_group_add_flow(b, 1, 100, "in_port=1", "drop");
    assert_false(dvs_flow_group_equal(a, b));     /* Table. */
    b = dvs_host_state_add_group(&t, "k", "sw0");
    dvs_flow_group_add_flow(b, 0, 101, "in_port=1", "drop");
    assert_false(dvs_flow_group_equal(a, b));     /* Priority. */
    b = dvs_host_state_add_group(&t, "k", "sw0");
    dvs_flow_group_add_flow(b, 0, 100, "in_port=2", "drop");
    assert_false(dvs_flow_group_equal(a, b));     /* Match. */
    b = dvs_host_state_add_group(&t, "k", "sw0");
    dvs_flow_group_add_flow(b, 0, 100, "in_port=1", "output:1");
    assert_false(dvs_flow_group_equal(a, b));     /* Actions. */

    dvs_host_state_destroy(&s);
    dvs_host_state_destroy(&t);
}

static void
test_state_equal_and_clone(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b, empty;
    struct dvs_flow_group *g;

    build_state(&a);
    dvs_host_state_clone(&b, &a);
    assert_states_equal(&a, &b);

    /* The clone is deep. */
    assert_ptr_not_equal(dvs_host_state_find_bridge(&a, "sw0")->name,
                         dvs_host_state_find_bridge(&b, "sw0")->name);

    /* A changed group. */
    g = dvs_host_state_find_group(&b, "sw0/seg/10/flood");
    dvs_flow_group_add_flow(g, 20, 100, "reg6=10,reg4=1", "output:${port:p1}");
    assert_false(dvs_host_state_equal(&a, &b));
    assert_false(dvs_host_state_equal(&b, &a));

    /* A missing group. */
    dvs_host_state_remove_group(&b, g);
    assert_false(dvs_host_state_equal(&a, &b));
    assert_false(dvs_host_state_equal(&b, &a));
    dvs_host_state_destroy(&b);

    /* A changed bridge. */
    dvs_host_state_clone(&b, &a);
    dvs_host_state_find_bridge(&b, "sw1")->mtu = 1600;
    assert_false(dvs_host_state_equal(&a, &b));
    dvs_host_state_destroy(&b);

    /* Clearing. */
    dvs_host_state_init(&empty);
    dvs_host_state_clone(&b, &a);
    dvs_host_state_clear(&b);
    assert_states_equal(&b, &empty);
    assert_false(dvs_host_state_equal(&a, &empty));

    /* Swapping. */
    dvs_host_state_swap(&a, &b);
    assert_states_equal(&a, &empty);
    assert_int_equal(hmap_count(&b.groups), 4);

    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
    dvs_host_state_destroy(&empty);
}

static void
test_full_round_trip(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b;
    Dvs__StateUpdate *update, *copy;

    build_state(&a);
    update = dvs_state_update_full(&a, 7, "epoch-1");
    assert_true(update->has_full && update->full);
    assert_int_equal(update->generation, 7);
    assert_string_equal(update->epoch, "epoch-1");
    assert_int_equal(update->n_bridges, 2);
    assert_int_equal(update->n_flow_groups, 4);
    /* Sorted. */
    assert_string_equal(update->bridges[0]->name, "sw0");
    assert_string_equal(update->bridges[1]->name, "sw1");
    assert_string_equal(update->flow_groups[0]->key, "sw0/base");
    assert_string_equal(update->flow_groups[3]->key, "sw1/base");
    assert_false(dvs_state_update_is_empty(update));

    copy = round_trip(update);
    dvs_state_update_free(update);
    assert_int_equal(copy->generation, 7);
    assert_string_equal(copy->epoch, "epoch-1");

    /* Applying a full update to a state with other content replaces it. */
    dvs_host_state_init(&b);
    dvs_host_state_add_bridge(&b, "old");
    dvs_host_state_add_group(&b, "old/base", "old");
    ASSERT_OK(dvs_state_update_apply(&b, copy));
    assert_states_equal(&a, &b);
    assert_null(dvs_host_state_find_bridge(&b, "old"));
    assert_null(dvs_host_state_find_group(&b, "old/base"));
    dvs__state_update__free_unpacked(copy, NULL);

    /* An empty full update clears. */
    dvs_host_state_clear(&a);
    update = dvs_state_update_full(&a, 8, "epoch-1");
    assert_false(dvs_state_update_is_empty(update));
    copy = round_trip(update);
    ASSERT_OK(dvs_state_update_apply(&b, copy));
    assert_states_equal(&a, &b);
    dvs_state_update_free(update);
    dvs_state_update_free(copy);

    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
}

/* Checks that the diff from 'old' to 'new', packed and unpacked, turns
 * 'old' into 'new'. */
static void
check_diff_applies(const struct dvs_host_state *old,
                   const struct dvs_host_state *new)
{
    Dvs__StateUpdate *diff = dvs_state_update_diff(old, new, 2, "e");
    Dvs__StateUpdate *copy = round_trip(diff);
    struct dvs_host_state s;

    assert_false(copy->has_full && copy->full);
    dvs_host_state_clone(&s, old);
    ASSERT_OK(dvs_state_update_apply(&s, copy));
    assert_states_equal(&s, new);
    dvs_host_state_destroy(&s);
    dvs_state_update_free(diff);
    dvs_state_update_free(copy);
}

static void
test_diff(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b, empty;
    struct dvs_flow_group *g;
    struct dvs_bridge *br;
    Dvs__StateUpdate *diff;

    build_state(&a);
    dvs_host_state_clone(&b, &a);
    dvs_host_state_init(&empty);

    /* Equal states: empty diff. */
    diff = dvs_state_update_diff(&a, &b, 2, "e");
    assert_true(dvs_state_update_is_empty(diff));
    assert_int_equal(diff->generation, 2);
    assert_string_equal(diff->epoch, "e");
    dvs_state_update_free(diff);
    check_diff_applies(&a, &b);

    /* One changed group, one new group, one deleted group. */
    g = dvs_host_state_add_group(&b, "sw0/seg/10/flood", "sw0");
    dvs_flow_group_add_flow(g, 20, 100, "reg6=10,reg4=0", "output:${uplink}");
    g = dvs_host_state_add_group(&b, "sw0/port/p2/remote", "sw0");
    dvs_flow_group_add_flow(g, 10, 100,
                            "reg6=10,reg4=0,dl_dst=00:00:00:00:00:02",
                            "output:${uplink}");
    dvs_host_state_remove_group(&b, dvs_host_state_find_group(
                                    &b, "sw0/port/p1/local"));
    diff = dvs_state_update_diff(&a, &b, 3, "e");
    assert_false(dvs_state_update_is_empty(diff));
    assert_int_equal(diff->n_bridges, 0);
    assert_int_equal(diff->n_deleted_bridges, 0);
    assert_int_equal(diff->n_flow_groups, 2);
    assert_string_equal(diff->flow_groups[0]->key, "sw0/port/p2/remote");
    assert_string_equal(diff->flow_groups[1]->key, "sw0/seg/10/flood");
    assert_int_equal(diff->n_deleted_flow_groups, 1);
    assert_string_equal(diff->deleted_flow_groups[0], "sw0/port/p1/local");
    dvs_state_update_free(diff);
    check_diff_applies(&a, &b);
    check_diff_applies(&b, &a);

    /* A changed bridge; a deleted bridge with its group; a new bridge. */
    br = dvs_host_state_add_bridge(&b, "sw0");
    dvs_bridge_add_uplink(br, "uplink1", "eth1");
    dvs_host_state_remove_bridge(&b, dvs_host_state_find_bridge(&b, "sw1"));
    dvs_host_state_remove_group(&b, dvs_host_state_find_group(&b,
                                                              "sw1/base"));
    dvs_host_state_add_bridge(&b, "sw2");
    g = dvs_host_state_add_group(&b, "sw2/base", "sw2");
    dvs_flow_group_add_flow(g, 0, 0, "", "drop");
    diff = dvs_state_update_diff(&a, &b, 4, "e");
    assert_int_equal(diff->n_bridges, 2);
    assert_string_equal(diff->bridges[0]->name, "sw0");
    assert_string_equal(diff->bridges[1]->name, "sw2");
    assert_int_equal(diff->n_deleted_bridges, 1);
    assert_string_equal(diff->deleted_bridges[0], "sw1");
    assert_int_equal(diff->n_deleted_flow_groups, 2);
    assert_string_equal(diff->deleted_flow_groups[0], "sw0/port/p1/local");
    assert_string_equal(diff->deleted_flow_groups[1], "sw1/base");
    dvs_state_update_free(diff);
    check_diff_applies(&a, &b);
    check_diff_applies(&b, &a);

    /* From and to nothing. */
    check_diff_applies(&empty, &a);
    check_diff_applies(&a, &empty);

    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
    dvs_host_state_destroy(&empty);
}

/* Builds an incremental update with one group 'key' on 'bridge' and one
 * flow in 'table'. */
static Dvs__StateUpdate *
one_group_update(const char *key, const char *bridge, uint32_t table)
{
    struct dvs_host_state s, empty;
    struct dvs_flow_group *g;
    Dvs__StateUpdate *update;

    dvs_host_state_init(&s);
    dvs_host_state_init(&empty);
    g = dvs_host_state_add_group(&s, key, bridge);
    dvs_flow_group_add_flow(g, 0, 0, "", "drop");
    update = dvs_state_update_diff(&empty, &s, 1, "e");
    update->flow_groups[0]->flows[0]->table = table;
    dvs_host_state_destroy(&s);
    dvs_host_state_destroy(&empty);
    return update;
}

/* Checks that applying 'update' to a copy of 'state' fails with 'expected'
 * and leaves it unchanged, then frees 'update'. */
static void
check_apply_error(const struct dvs_host_state *state,
                  Dvs__StateUpdate *update, const char *expected)
{
    struct dvs_host_state s;

    dvs_host_state_clone(&s, state);
    ASSERT_ERROR(dvs_state_update_apply(&s, update), expected);
    assert_states_equal(&s, state);
    dvs_host_state_destroy(&s);
    dvs_state_update_free(update);
}

static void
test_apply_validation(void **state_ OVS_UNUSED)
{
    struct dvs_host_state state, empty;
    Dvs__StateUpdate *update;

    build_state(&state);
    dvs_host_state_init(&empty);

    /* A group on a bridge the state lacks. */
    check_apply_error(&state, one_group_update("sw9/base", "sw9", 0),
                      "flow group \"sw9/base\": bridge \"sw9\" is not in "
                      "the state");

    /* The same in a full update, where only its own bridges count. */
    update = one_group_update("sw0/base", "sw0", 0);
    update->full = true;
    check_apply_error(&state, update,
                      "flow group \"sw0/base\": bridge \"sw0\" is not in "
                      "the state");

    /* A LAG of ports the bridge does not have. */
    update = dvs_state_update_full(&state, 3, "e");
    update->bridges[0]->lags[0]->uplinks[0][0] = 'X';
    check_apply_error(&state, update,
                      "bridge \"sw0\": LAG lag1: port \"Xplink2\" is not "
                      "an uplink of the bridge");

    /* Table range. */
    check_apply_error(&state, one_group_update("sw0/x", "sw0", 255),
                      "flow group \"sw0/x\": flow 1: table 255 is out of "
                      "range (0 to 254)");
    update = one_group_update("sw0/x", "sw0", 254);
    ASSERT_OK(dvs_state_update_apply(&state, update));
    assert_int_equal(dvs_host_state_find_group(&state, "sw0/x")
                     ->flows[0].table, 254);
    dvs_state_update_free(update);
    dvs_host_state_remove_group(&state,
                                dvs_host_state_find_group(&state, "sw0/x"));

    /* Priority range. */
    update = one_group_update("sw0/x", "sw0", 0);
    update->flow_groups[0]->flows[0]->priority = 65536;
    check_apply_error(&state, update,
                      "flow group \"sw0/x\": flow 1: priority 65536 is out "
                      "of range (0 to 65535)");

    /* Empty actions. */
    update = one_group_update("sw0/x", "sw0", 0);
    free(update->flow_groups[0]->flows[0]->actions);
    update->flow_groups[0]->flows[0]->actions = xstrdup("");
    check_apply_error(&state, update,
                      "flow group \"sw0/x\": flow 1 has no actions "
                      "(\"drop\" drops)");

    /* Empty key. */
    check_apply_error(&state, one_group_update("", "sw0", 0),
                      "flow group 1 has an empty key");

    /* Empty bridge. */
    check_apply_error(&state, one_group_update("sw0/x", "", 0),
                      "flow group \"sw0/x\" names no bridge");

    /* Duplicate keys, in a full update of a good state. */
    update = dvs_state_update_full(&state, 1, "e");
    free(update->flow_groups[1]->key);
    update->flow_groups[1]->key = xstrdup(update->flow_groups[0]->key);
    check_apply_error(&state, update,
                      "flow group \"sw0/base\" appears twice");

    /* Duplicate bridges. */
    update = dvs_state_update_full(&state, 1, "e");
    free(update->bridges[1]->name);
    update->bridges[1]->name = xstrdup("sw0");
    check_apply_error(&state, update, "bridge \"sw0\" appears twice");

    /* Empty bridge name. */
    update = dvs_state_update_full(&state, 1, "e");
    free(update->bridges[1]->name);
    update->bridges[1]->name = xstrdup("");
    check_apply_error(&state, update, "bridge 2 has an empty name");

    /* Empty uplink NIC. */
    update = dvs_state_update_full(&state, 1, "e");
    free(update->bridges[0]->uplinks[1]->pnic);
    update->bridges[0]->uplinks[1]->pnic = xstrdup("");
    check_apply_error(&state, update,
                      "bridge \"sw0\": uplink 2 has an empty name or NIC");

    /* Deleting a bridge whose groups stay. */
    update = dvs_state_update_diff(&empty, &empty, 1, "e");
    free(update->deleted_bridges);
    update->deleted_bridges = xmalloc(sizeof *update->deleted_bridges);
    update->deleted_bridges[0] = xstrdup("sw1");
    update->n_deleted_bridges = 1;
    check_apply_error(&state, update,
                      "flow group \"sw1/base\": bridge \"sw1\" is deleted "
                      "but the group is not");

    /* Deleting a group twice, or updating and deleting it. */
    update = one_group_update("sw0/base", "sw0", 0);
    free(update->deleted_flow_groups);
    update->deleted_flow_groups = xmalloc(
        2 * sizeof *update->deleted_flow_groups);
    update->deleted_flow_groups[0] = xstrdup("sw0/seg/10/flood");
    update->deleted_flow_groups[1] = xstrdup("sw0/seg/10/flood");
    update->n_deleted_flow_groups = 2;
    check_apply_error(&state, update,
                      "flow group \"sw0/seg/10/flood\" is deleted twice");
    update = one_group_update("sw0/base", "sw0", 0);
    free(update->deleted_flow_groups);
    update->deleted_flow_groups = xmalloc(
        sizeof *update->deleted_flow_groups);
    update->deleted_flow_groups[0] = xstrdup("sw0/base");
    update->n_deleted_flow_groups = 1;
    check_apply_error(&state, update,
                      "flow group \"sw0/base\" is both updated and deleted");

    /* A full update that lists deletions. */
    update = dvs_state_update_full(&state, 1, "e");
    free(update->deleted_flow_groups);
    update->deleted_flow_groups = xmalloc(
        sizeof *update->deleted_flow_groups);
    update->deleted_flow_groups[0] = xstrdup("sw0/old");
    update->n_deleted_flow_groups = 1;
    check_apply_error(&state, update,
                      "a full update lists deleted bridges or flow groups");

    /* An invalid update after valid parts changes nothing: the good group
     * in front of the bad one is not applied. */
    update = dvs_state_update_full(&state, 1, "e");
    update->full = false;
    update->flow_groups[3]->flows[0]->table = 300;
    free(update->flow_groups[0]->flows[0]->actions);
    update->flow_groups[0]->flows[0]->actions = xstrdup("output:1");
    check_apply_error(&state, update,
                      "flow group \"sw1/base\": flow 1: table 300 is out of "
                      "range (0 to 254)");

    /* Deleting what is not there is fine. */
    update = dvs_state_update_diff(&empty, &empty, 1, "e");
    free(update->deleted_flow_groups);
    update->deleted_flow_groups = xmalloc(
        sizeof *update->deleted_flow_groups);
    update->deleted_flow_groups[0] = xstrdup("nothing");
    update->n_deleted_flow_groups = 1;
    ASSERT_OK(dvs_state_update_apply(&state, update));
    dvs_state_update_free(update);

    /* A group may move to a new bridge in the update that deletes its old
     * one. */
    {
        struct dvs_host_state new;
        struct dvs_flow_group *g;

        dvs_host_state_clone(&new, &state);
        dvs_host_state_remove_bridge(&new, dvs_host_state_find_bridge(
                                         &new, "sw1"));
        dvs_host_state_add_bridge(&new, "sw2");
        g = dvs_host_state_add_group(&new, "sw1/base", "sw2");
        dvs_flow_group_add_flow(g, 0, 0, "", "drop");
        update = dvs_state_update_diff(&state, &new, 1, "e");
        assert_int_equal(update->n_deleted_bridges, 1);
        assert_int_equal(update->n_deleted_flow_groups, 0);
        ASSERT_OK(dvs_state_update_apply(&state, update));
        assert_states_equal(&state, &new);
        dvs_state_update_free(update);
        dvs_host_state_destroy(&new);
    }

    dvs_host_state_destroy(&state);
    dvs_host_state_destroy(&empty);
}

static void
test_format(void **state_ OVS_UNUSED)
{
    struct dvs_host_state state;
    struct dvs_flow_group *g;
    char *s;

    build_state(&state);
    /* Flows out of order in the group are printed sorted. */
    g = dvs_host_state_find_group(&state, "sw1/base");
    dvs_flow_group_add_flow(g, 0, 1000, "in_port=${local}",
                            "output:${uplink}");
    s = format_state(&state);
    assert_string_equal(
        s,
        "bridge sw0: uplinks=uplink1:eth1,uplink2:eth2 "
        "lag=lag1(passive,fast,none):uplink2 "
        "bond_mode=active-backup mtu=9000 vxlan=true vtep_ip=192.168.0.1\n"
        "bridge sw1: uplinks=uplink1:eth3\n"
        "group sw0/base (bridge sw0):\n"
        "  table=0,priority=0 actions=drop\n"
        "  table=10,priority=0 actions=resubmit(,20)\n"
        "  table=20,priority=0 actions=drop\n"
        "group sw0/port/p1/local (bridge sw0):\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],"
        "resubmit(,10)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:01 "
        "actions=output:${port:p1}\n"
        "group sw0/seg/10/flood (bridge sw0):\n"
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=output:${port:p1},output:${uplink}\n"
        "group sw1/base (bridge sw1):\n"
        "  table=0,priority=1000,in_port=${local} actions=output:${uplink}\n"
        "  table=0,priority=0 actions=drop\n");
    free(s);

    dvs_host_state_clear(&state);
    s = format_state(&state);
    assert_string_equal(s, "");
    free(s);
    dvs_host_state_destroy(&state);
}

/* Mirrors and IPFIX of a bridge: equality, the wire, validation. */
static void
add_monitoring(struct dvs_host_state *state)
{
    struct dvs_bridge *br = dvs_host_state_find_bridge(state, "sw0");
    struct dvs_mirror *m;
    struct dvs_ipfix ipfix = { "10.0.0.5:4739", 1, 42, 60, 4096 };

    m = dvs_bridge_add_mirror(br, "m2");
    svec_add(&m->select_dst, "p1");
    m->tunnel = xstrdup("erspan");
    m = dvs_bridge_add_mirror(br, "m1");
    svec_add(&m->select_src, "p1");
    svec_add(&m->select_src, "p2");
    dvs_bridge_set_ipfix(br, &ipfix);
}

static void
test_monitoring(void **state_ OVS_UNUSED)
{
    struct dvs_host_state a, b;
    Dvs__StateUpdate *update, *copy;
    char *s;

    build_state(&a);
    add_monitoring(&a);
    s = format_state(&a);
    assert_non_null(strstr(s,
        "vtep_ip=192.168.0.1\n"
        "  ipfix: target=10.0.0.5:4739 collector_set_id=1 obs_domain_id=42 "
        "active_timeout=60 cache_max_flows=4096\n"
        "  mirror m1: select_src=p1,p2\n"
        "  mirror m2: select_dst=p1 tunnel=erspan\n"
        "bridge sw1:"));
    free(s);

    /* Through the wire, whole. */
    update = dvs_state_update_full(&a, 1, "e");
    copy = round_trip(update);
    dvs_host_state_init(&b);
    ASSERT_OK(dvs_state_update_apply(&b, copy));
    assert_states_equal(&a, &b);
    dvs_state_update_free(update);
    dvs_state_update_free(copy);

    /* A changed selection or exporter is a changed bridge. */
    struct dvs_bridge *br = dvs_host_state_find_bridge(&b, "sw0");
    svec_add(&br->mirrors[0].select_dst, "p3");
    assert_false(dvs_host_state_equal(&a, &b));
    check_diff_applies(&a, &b);
    dvs_host_state_destroy(&b);
    dvs_host_state_clone(&b, &a);
    br = dvs_host_state_find_bridge(&b, "sw0");
    br->ipfix->obs_domain_id = 43;
    assert_false(dvs_host_state_equal(&a, &b));
    check_diff_applies(&a, &b);
    dvs_bridge_set_ipfix(br, NULL);
    check_diff_applies(&a, &b);
    dvs_bridge_clear_mirrors(br);
    check_diff_applies(&a, &b);

    /* Bad mirrors from the wire are refused. */
    update = dvs_state_update_full(&a, 2, "e");
    free(update->bridges[0]->mirrors[1]->tunnel);
    update->bridges[0]->mirrors[1]->tunnel = xstrdup("vxlan");
    ASSERT_ERROR(dvs_state_update_apply(&b, update),
                 "bridge \"sw0\": mirror \"m2\": unknown tunnel type "
                 "\"vxlan\" (erspan or gre)");
    free(update->bridges[0]->mirrors[1]->name);
    update->bridges[0]->mirrors[1]->name = xstrdup("m1");
    ASSERT_ERROR(dvs_state_update_apply(&b, update),
                 "bridge \"sw0\": mirror \"m1\" appears twice");
    dvs_state_update_free(update);

    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
}

/* A LAG's VDS load-balancing algorithm as Open vSwitch hash fields:
 * exact where OVS has them, the nearest otherwise, and flagged where
 * nothing is close. */
static void
test_lag_hash_fields(void **state OVS_UNUSED)
{
    const char *approx;
    bool unsupported;

    assert_string_equal(dvs_lag_hash_fields("srcMac", &approx,
                                            &unsupported), "eth_src");
    assert_null(approx);
    assert_false(unsupported);
    assert_string_equal(dvs_lag_hash_fields("srcDestIp", &approx, NULL),
                        "symmetric_l3");
    assert_null(approx);
    assert_string_equal(dvs_lag_hash_fields("destIp", NULL, NULL), "nw_dst");
    assert_string_equal(dvs_lag_hash_fields("srcDestIpTcpUdpPort", &approx,
                                            NULL), "symmetric_l3l4+udp");
    assert_null(approx);
    assert_string_equal(dvs_lag_hash_fields("srcIpVlan", &approx,
                                            &unsupported), "nw_src");
    assert_string_equal(approx, "the VLAN is not hashed");
    assert_false(unsupported);
    assert_string_equal(dvs_lag_hash_fields(NULL, NULL, NULL),
                        "symmetric_l4");
    assert_string_equal(dvs_lag_hash_fields("vlan", &approx, &unsupported),
                        "symmetric_l4");
    assert_true(unsupported);
    assert_non_null(strstr(approx, "cannot hash the VLAN alone"));
    assert_null(dvs_lag_hash_fields("nonsense", NULL, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bridges),
        cmocka_unit_test(test_bridge_equal),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_texts_held_once),
        cmocka_unit_test(test_group_equal),
        cmocka_unit_test(test_state_equal_and_clone),
        cmocka_unit_test(test_full_round_trip),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_apply_validation),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_monitoring),
        cmocka_unit_test(test_lag_hash_fields),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
