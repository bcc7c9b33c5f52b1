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

/* Unit tests for controller/translate.c: the desired state of each host,
 * computed from configuration rows built without a database server, and
 * compared with the flows that Documentation/pipeline.md specifies. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "controller/translate.h"
#include "controller/translate-ipfix.h"
#include "hash.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-learn.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

#include "tests/test-dvs.h"

struct fixture {
    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    struct dvs_bindings bindings;
};

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);

    f->idl = ovsdb_idl_create_unconnected(&dvsrec_idl_class, true);
    f->txn = ovsdb_idl_txn_create(f->idl);
    dvs_bindings_init(&f->bindings);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    ovsdb_idl_txn_destroy(f->txn);
    ovsdb_idl_destroy(f->idl);
    dvs_bindings_destroy(&f->bindings);
    free(f);
    return 0;
}

/* Building the configuration. */

/* A switch with uplinks uplink1 and uplink2. */
static const struct dvsrec_switch *
new_switch(struct fixture *f, const char *name)
{
    const struct dvsrec_switch *sw = dvsrec_switch_insert(f->txn);
    static const int64_t keys[] = { 1, 2 };
    static const char *values[] = { "uplink1", "uplink2" };

    dvsrec_switch_set_name(sw, name);
    dvsrec_switch_set_uplink_names(sw, keys, values, 2);
    return sw;
}

static const struct dvsrec_host *
find_or_add_host(struct fixture *f, const char *name)
{
    const struct dvsrec_host *host;

    DVSREC_HOST_FOR_EACH (host, f->idl) {
        if (!strcmp(host->name, name)) {
            return host;
        }
    }
    host = dvsrec_host_insert(f->txn);
    dvsrec_host_set_name(host, name);
    return host;
}

/* Makes 'host' a member of 'sw' with VTEP 'vtep' (may be NULL) and uplinks
 * as "uplink1=eth1,uplink2=eth2" (may be NULL). */
static const struct dvsrec_host_member *
new_member(struct fixture *f, const struct dvsrec_switch *sw,
           const char *host, const char *vtep, const char *uplinks)
{
    const struct dvsrec_host_member *m = dvsrec_host_member_insert(f->txn);
    struct smap map = SMAP_INITIALIZER(&map);

    dvsrec_host_member_set_switch_(m, sw);
    dvsrec_host_member_set_host(m, find_or_add_host(f, host));
    if (vtep) {
        dvsrec_host_member_set_vtep_ip(m, vtep);
    }
    if (uplinks) {
        char *copy = xstrdup(uplinks);
        char *save_ptr = NULL;

        for (char *pair = strtok_r(copy, ",", &save_ptr); pair;
             pair = strtok_r(NULL, ",", &save_ptr)) {
            char *eq = strchr(pair, '=');
            *eq = '\0';
            smap_add(&map, pair, eq + 1);
        }
        free(copy);
    }
    dvsrec_host_member_set_uplinks(m, &map);
    smap_destroy(&map);
    return m;
}

static const struct dvsrec_portgroup *
new_pg(struct fixture *f, const struct dvsrec_switch *sw, const char *name)
{
    const struct dvsrec_portgroup *pg = dvsrec_portgroup_insert(f->txn);

    dvsrec_portgroup_set_name(pg, name);
    dvsrec_portgroup_set_switch_(pg, sw);
    return pg;
}

static const struct dvsrec_portgroup *
new_vlan_pg(struct fixture *f, const struct dvsrec_switch *sw,
            const char *name, int64_t vlan)
{
    const struct dvsrec_portgroup *pg = new_pg(f, sw, name);

    dvsrec_portgroup_set_vlan(pg, &vlan, 1);
    return pg;
}

static const struct dvsrec_portgroup *
new_vxlan_pg(struct fixture *f, const struct dvsrec_switch *sw,
             const char *name, int64_t vni, const char *remote_vtep)
{
    const struct dvsrec_portgroup *pg = new_pg(f, sw, name);

    dvsrec_portgroup_set_vni(pg, &vni, 1);
    if (remote_vtep) {
        dvsrec_portgroup_set_remote_vteps(pg, &remote_vtep, 1);
    }
    return pg;
}

/* A port of 'pg' with MAC 'mac' (may be NULL), bound on 'host' (may be
 * NULL) with attached MAC 'attached_mac' (may be NULL). */
static const struct dvsrec_port *
new_port(struct fixture *f, const struct dvsrec_portgroup *pg,
         const char *name, const char *mac, const char *host,
         const char *attached_mac)
{
    const struct dvsrec_port *port = dvsrec_port_insert(f->txn);

    dvsrec_port_set_name(port, name);
    dvsrec_port_set_portgroup(port, pg);
    if (mac) {
        dvsrec_port_set_mac(port, mac);
    }
    if (host) {
        dvs_bindings_set(&f->bindings, name, host, attached_mac, true);
    }
    return port;
}

/* Checking the result. */

/* Replaces 'state' (initialized) by the desired state of 'host', from a
 * translation of its own. */
static void
translate_one_host(struct fixture *f, const char *host,
                   struct dvs_host_state *state)
{
    struct dvs_translate *tr = dvs_translate_create(f->idl, &f->bindings);
    dvs_translate_host(tr, host, state);
    dvs_translate_destroy(tr);
}

static char *
host_state(struct fixture *f, const char *host)
{
    struct dvs_host_state state;
    struct ds s = DS_EMPTY_INITIALIZER;

    dvs_host_state_init(&state);
    translate_one_host(f, host, &state);
    dvs_host_state_format(&state, &s);
    dvs_host_state_destroy(&state);
    return ds_steal_cstr(&s);
}

/* Checks that the state of 'host' formats as 'expected'. */
static void
check_host(struct fixture *f, const char *host, const char *expected)
{
    char *actual = host_state(f, host);

    if (strcmp(actual, expected)) {
        fprintf(stderr, "state of %s:\n%s", host, actual);
    }
    assert_string_equal(actual, expected);
    free(actual);
}

/* Returns the state of 'host', to destroy. */
static void
translate(struct fixture *f, const char *host, struct dvs_host_state *state)
{
    dvs_host_state_init(state);
    translate_one_host(f, host, state);
}

/* Checks that group 'key' of 'state' formats as 'expected', or that there
 * is no such group if 'expected' is NULL. */
static void
check_group(const struct dvs_host_state *state, const char *key,
            const char *expected)
{
    const struct dvs_flow_group *g = dvs_host_state_find_group(state, key);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!expected) {
        if (g) {
            fail_msg("unexpected group %s", key);
        }
        return;
    }
    if (!g) {
        fail_msg("no group %s", key);
    }
    dvs_flow_group_format(g, &s);
    if (strcmp(ds_cstr(&s), expected)) {
        fprintf(stderr, "group %s:\n%s", key, ds_cstr(&s));
    }
    assert_string_equal(ds_cstr(&s), expected);
    ds_destroy(&s);
}

static void
check_errors(struct fixture *f, const char *expected)
{
    struct dvs_translate *tr = dvs_translate_create(f->idl, &f->bindings);
    struct ds s = DS_EMPTY_INITIALIZER;

    dvs_translate_format_errors(tr, &s);
    if (strcmp(ds_cstr(&s), expected)) {
        fprintf(stderr, "errors:\n%s", ds_cstr(&s));
    }
    assert_string_equal(ds_cstr(&s), expected);
    ds_destroy(&s);
    dvs_translate_destroy(tr);
}

/* The warning of a switch with the default MTU and VXLAN portgroups. */
#define MTU_WARNING(SW, PGS)                                            \
    "Switch " SW ": warning: mtu 1500 leaves no room for the 50 bytes "   \
    "of VXLAN overhead: VMs of VXLAN-backed " PGS " must use an MTU of "  \
    "at most 1450 (or set the switch's mtu to 1550 or more)\n"

#define BASE(SW)                                                        \
    "group " SW "/base (bridge " SW "):\n"                              \
    "  table=0,priority=0 actions=drop\n"                               \
    "  table=2,priority=0 actions=resubmit(,3)\n"                       \
    "  table=3,priority=0 actions=resubmit(,4)\n"                       \
    "  table=4,priority=0 actions=resubmit(,5)\n"                       \
    "  table=5,priority=0 actions=drop\n"                               \
    "  table=6,priority=100,reg0=0x1/0x1 actions=resubmit(,10)\n"       \
    "  table=6,priority=0 actions=drop\n"                               \
    "  table=10,priority=0 actions=resubmit(,11),resubmit(,12)\n"      \
    "  table=11,priority=0 actions=drop\n"                             \
    "  table=12,priority=0 actions=resubmit(,20)\n"                    \
    "  table=20,priority=0 actions=drop\n"                              \
    "  table=30,priority=0 actions=output:NXM_NX_REG2[]\n"              \
    "  table=31,priority=0 actions=output:NXM_NX_REG2[]\n"

/* The LLDP group of switch SW (listening, the default), then one punt
 * flow per uplink. */
#define LLDP(SW) "group " SW "/lldp (bridge " SW "):\n"
#define LLDP_PUNT(UPLINK)                                               \
    "  table=0,priority=65000,in_port=${uplink:" UPLINK "},"            \
    "dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc "                          \
    "actions=controller(userdata=01)\n"

/* Tests. */

/* Two hosts on a VLAN 10 portgroup and on a VLAN 0 one. */
static void
test_vlan_two_hosts(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg10, *pg0;

    new_member(f, sw, "hA", NULL, "uplink1=eth1,uplink2=eth2");
    new_member(f, sw, "hB", NULL, "uplink1=ens1");
    pg10 = new_vlan_pg(f, sw, "pg10", 10);
    pg0 = new_pg(f, sw, "pg0");        /* No VLAN: untagged. */

    new_port(f, pg10, "p1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, pg10, "p2", "00:00:00:00:00:02", "hB", NULL);
    new_port(f, pg0, "p3", NULL, "hA", "00:00:00:00:00:03");
    new_port(f, pg0, "p4", NULL, "hB", NULL);     /* No MAC. */
    new_port(f, pg10, "p5", "00:00:00:00:00:05", NULL, NULL);  /* Unbound. */

    check_host(f, "hA",
        "bridge sw0: uplinks=uplink1:eth1,uplink2:eth2 mtu=1500 "
        "lldp=listen\n"
        BASE("sw0")
        LLDP("sw0") LLDP_PUNT("uplink1") LLDP_PUNT("uplink2")
        "group sw0/port/p1/local (bridge sw0):\n"
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=150,in_port=${uplink:uplink2},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink2},${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:01 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/port/p1/policy (bridge sw0):\n"
        "  table=5,priority=100,in_port=${port:p1},"
        "dl_src=00:00:00:00:00:01 actions=resubmit(,10)\n"
        "group sw0/port/p2/remote (bridge sw0):\n"
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:00:02 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "group sw0/port/p3/local (bridge sw0):\n"
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:03 actions=drop\n"
        "  table=0,priority=150,in_port=${uplink:uplink2},"
        "dl_src=00:00:00:00:00:03 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p3},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink2},${uplink:uplink1}),"
        "load:0->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=0,dl_dst=00:00:00:00:00:03 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/port/p3/policy (bridge sw0):\n"
        "  table=5,priority=100,in_port=${port:p3},"
        "dl_src=00:00:00:00:00:03 actions=resubmit(,10)\n"
        "group sw0/seg/0/flood (bridge sw0):\n"
        "  table=20,priority=120,reg6=0,reg4=1,reg0=0/0x4 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1},${uplink:uplink2}),"
        "load:1->NXM_NX_REG0[2],resubmit(,21)\n"
        "  table=20,priority=100,reg6=0,reg4=0 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30)),"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=0,reg4=1 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=0,reg4=2 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/seg/0/ingress (bridge sw0):\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},"
        "vlan_tci=0x0000/0x1000 actions=load:0->NXM_NX_REG6[],"
        "load:1->NXM_NX_REG4[],resubmit(,10)\n"
        "  table=0,priority=100,in_port=${uplink:uplink2},"
        "vlan_tci=0x0000/0x1000 actions=load:0->NXM_NX_REG6[],"
        "load:1->NXM_NX_REG4[],resubmit(,10)\n"
        "group sw0/seg/10/flood (bridge sw0):\n"
        "  table=20,priority=120,reg6=10,reg4=1,reg0=0/0x4 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1},${uplink:uplink2}),"
        "load:1->NXM_NX_REG0[2],resubmit(,21)\n"
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/seg/10/ingress (bridge sw0):\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=10 "
        "actions=pop_vlan,load:10->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "resubmit(,10)\n"
        "  table=0,priority=100,in_port=${uplink:uplink2},dl_vlan=10 "
        "actions=pop_vlan,load:10->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "resubmit(,10)\n"
        "group sw0/teaming (bridge sw0):\n"
        "  table=21,priority=100,reg3=${uplink:uplink1},"
        "in_port=${uplink:uplink1} actions=resubmit(,20)\n"
        "  table=21,priority=100,reg3=${uplink:uplink2},"
        "in_port=${uplink:uplink2} actions=resubmit(,20)\n"
        "  table=21,priority=0 actions=drop\n");

    check_host(f, "hB",
        "bridge sw0: uplinks=uplink1:ens1 mtu=1500 lldp=listen\n"
        BASE("sw0")
        LLDP("sw0") LLDP_PUNT("uplink1")
        "group sw0/port/p1/remote (bridge sw0):\n"
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "group sw0/port/p2/local (bridge sw0):\n"
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:02 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p2},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:02 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/port/p2/policy (bridge sw0):\n"
        "  table=5,priority=100,in_port=${port:p2},dl_src=00:00:00:00:00:02 "
        "actions=resubmit(,10)\n"
        "group sw0/port/p3/remote (bridge sw0):\n"
        "  table=10,priority=100,reg6=0,reg4=0,dl_dst=00:00:00:00:00:03 "
        "actions=output:NXM_NX_REG3[0..15]\n"
        "group sw0/port/p4/local (bridge sw0):\n"
        "  table=0,priority=100,in_port=${port:p4},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:0->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "group sw0/port/p4/policy (bridge sw0):\n"
        "  table=5,priority=100,in_port=${port:p4} "
        "actions=resubmit(,10)\n"
        "group sw0/seg/0/flood (bridge sw0):\n"
        "  table=20,priority=100,reg6=0,reg4=0 "
        "actions=clone(load:${port:p4}->NXM_NX_REG2[],resubmit(,30)),"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=0,reg4=1 "
        "actions=clone(load:${port:p4}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=0,reg4=2 "
        "actions=clone(load:${port:p4}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/seg/0/ingress (bridge sw0):\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},"
        "vlan_tci=0x0000/0x1000 actions=load:0->NXM_NX_REG6[],"
        "load:1->NXM_NX_REG4[],resubmit(,10)\n"
        "group sw0/seg/10/flood (bridge sw0):\n"
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,"
        "set_field:4106->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/seg/10/ingress (bridge sw0):\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=10 "
        "actions=pop_vlan,load:10->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "resubmit(,10)\n");

    check_errors(f, "");
}

/* Several local ports of one segment, in name order, and the switch's
 * MTU. */
static void
test_vlan_flood_order(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state s;
    int64_t mtu = 9000;

    dvsrec_switch_set_mtu(sw, &mtu, 1);
    new_member(f, sw, "hA", NULL, "uplink2=eth2,uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 4094);
    new_port(f, pg, "vm-b", NULL, "hA", NULL);
    new_port(f, pg, "vm-c", NULL, "hA", NULL);
    new_port(f, pg, "vm-a", NULL, "hA", NULL);

    translate(f, "hA", &s);
    assert_int_equal(dvs_host_state_find_bridge(&s, "sw0")->mtu, 9000);
    assert_string_equal(dvs_host_state_find_bridge(&s, "sw0")
                        ->uplinks[0].pnic, "eth1");
    check_group(&s, "sw0/seg/4094/flood",
        "  table=20,priority=120,reg6=4094,reg4=1,reg0=0/0x4 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1},${uplink:uplink2}),"
        "load:1->NXM_NX_REG0[2],resubmit(,21)\n"
        "  table=20,priority=100,reg6=4094,reg4=0 "
        "actions=clone(load:${port:vm-a}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-b}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-c}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:8190->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=4094,reg4=1 "
        "actions=clone(load:${port:vm-a}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-b}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-c}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=4094,reg4=2 "
        "actions=clone(load:${port:vm-a}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-b}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:vm-c}->NXM_NX_REG2[],resubmit(,30))\n");
    dvs_host_state_destroy(&s);
}

/* A VXLAN portgroup with three hosts and a static remote VTEP. */
static void
test_vxlan_three_hosts(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state s;

    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    new_member(f, sw, "hB", "10.0.0.2", "uplink1=eth1");
    new_member(f, sw, "hC", "10.0.0.3", "uplink1=eth1");
    pg = new_vxlan_pg(f, sw, "web", 5000, "203.0.113.9");
    new_port(f, pg, "q1", "00:00:00:00:01:01", "hA", NULL);
    new_port(f, pg, "q2", "00:00:00:00:01:02", "hB", NULL);
    new_port(f, pg, "q3", "00:00:00:00:01:03", "hC", NULL);

    /* Segment 4096 + 5000 = 9096. */
    check_host(f, "hA",
        "bridge sw0: uplinks=uplink1:eth1 mtu=1500 vxlan=true "
        "vtep_ip=10.0.0.1 lldp=listen\n"
        "group sw0/base (bridge sw0):\n"
        "  table=0,priority=1000,in_port=${local} actions=bundle(eth_src,0,"
        "active_backup,ofport,members:${uplink:uplink1})\n"
        "  table=0,priority=1000,in_port=${uplink:uplink1},arp,"
        "arp_tpa=10.0.0.1 actions=output:${local}\n"
        "  table=0,priority=1000,in_port=${uplink:uplink1},ip,"
        "nw_dst=10.0.0.1 actions=output:${local}\n"
        "  table=0,priority=0 actions=drop\n"
        "  table=2,priority=0 actions=resubmit(,3)\n"
        "  table=3,priority=0 actions=resubmit(,4)\n"
        "  table=4,priority=0 actions=resubmit(,5)\n"
        "  table=5,priority=0 actions=drop\n"
        "  table=6,priority=100,reg0=0x1/0x1 actions=resubmit(,10)\n"
        "  table=6,priority=0 actions=drop\n"
        "  table=10,priority=0 actions=resubmit(,11),resubmit(,12)\n"
        "  table=11,priority=0 actions=drop\n"
        "  table=12,priority=0 actions=resubmit(,20)\n"
        "  table=20,priority=0 actions=drop\n"
        "  table=30,priority=0 actions=output:NXM_NX_REG2[]\n"
        "  table=31,priority=0 actions=output:NXM_NX_REG2[]\n"
        LLDP("sw0") LLDP_PUNT("uplink1")
        "group sw0/port/q1/local (bridge sw0):\n"
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:01:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:q1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:9096->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=9096,dl_dst=00:00:00:00:01:01 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/port/q1/policy (bridge sw0):\n"
        "  table=5,priority=100,in_port=${port:q1},"
        "dl_src=00:00:00:00:01:01 actions=resubmit(,10)\n"
        "group sw0/port/q2/remote (bridge sw0):\n"
        "  table=10,priority=100,reg6=9096,reg4=0,dl_dst=00:00:00:00:01:02 "
        "actions=set_field:5000->tun_id,set_field:10.0.0.2->tun_dst,"
        "output:${vxlan}\n"
        "group sw0/port/q3/remote (bridge sw0):\n"
        "  table=10,priority=100,reg6=9096,reg4=0,dl_dst=00:00:00:00:01:03 "
        "actions=set_field:5000->tun_id,set_field:10.0.0.3->tun_dst,"
        "output:${vxlan}\n"
        "group sw0/seg/9096/flood (bridge sw0):\n"
        "  table=20,priority=100,reg6=9096,reg4=0 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30)),"
        "set_field:5000->tun_id,"
        "set_field:10.0.0.2->tun_dst,output:${vxlan},"
        "set_field:10.0.0.3->tun_dst,output:${vxlan},"
        "set_field:203.0.113.9->tun_dst,output:${vxlan}\n"
        "  table=20,priority=100,reg6=9096,reg4=1 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=9096,reg4=2 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n"
        "group sw0/seg/9096/ingress (bridge sw0):\n"
        "  table=0,priority=110,in_port=${vxlan},tun_id=5000,"
        "tun_src=203.0.113.9 actions=load:9096->NXM_NX_REG6[],"
        "load:2->NXM_NX_REG4[],learn(table=10,priority=50,idle_timeout=300,"
        "NXM_NX_REG6[],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
        "load:NXM_NX_TUN_IPV4_SRC[]->NXM_NX_TUN_IPV4_DST[],"
        "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),"
        "resubmit(,10)\n"
        "  table=0,priority=100,in_port=${vxlan},tun_id=5000 "
        "actions=load:9096->NXM_NX_REG6[],load:2->NXM_NX_REG4[],resubmit(,"
        "10)\n");

    /* hC floods to hA and hB, and the remote VTEP. */
    translate(f, "hC", &s);
    check_group(&s, "sw0/seg/9096/flood",
        "  table=20,priority=100,reg6=9096,reg4=0 "
        "actions=clone(load:${port:q3}->NXM_NX_REG2[],resubmit(,30)),"
        "set_field:5000->tun_id,"
        "set_field:10.0.0.1->tun_dst,output:${vxlan},"
        "set_field:10.0.0.2->tun_dst,output:${vxlan},"
        "set_field:203.0.113.9->tun_dst,output:${vxlan}\n"
        "  table=20,priority=100,reg6=9096,reg4=1 "
        "actions=clone(load:${port:q3}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=9096,reg4=2 "
        "actions=clone(load:${port:q3}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&s, "sw0/port/q1/remote",
        "  table=10,priority=100,reg6=9096,reg4=0,dl_dst=00:00:00:00:01:01 "
        "actions=set_field:5000->tun_id,set_field:10.0.0.1->tun_dst,"
        "output:${vxlan}\n");
    check_group(&s, "sw0/port/q3/remote", NULL);
    dvs_host_state_destroy(&s);
    check_errors(f, MTU_WARNING("sw0", "portgroup web"));
}

/* IPv6 VTEPs use the IPv6 tunnel fields. */
static void
test_vxlan_ipv6(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state s;

    new_member(f, sw, "hA", "FD00:0::1", "uplink1=eth1");
    new_member(f, sw, "hB", "fd00::2", "uplink1=eth1");
    pg = new_vxlan_pg(f, sw, "web", 7, "fd00::99");
    new_port(f, pg, "q1", "00:00:00:00:01:01", "hA", NULL);
    new_port(f, pg, "q2", "00:00:00:00:01:02", "hB", NULL);

    translate(f, "hA", &s);
    assert_string_equal(dvs_host_state_find_bridge(&s, "sw0")->vtep_ip,
                        "fd00::1");
    check_group(&s, "sw0/base",
        "  table=0,priority=1000,in_port=${local} actions=bundle(eth_src,0,"
        "active_backup,ofport,members:${uplink:uplink1})\n"
        "  table=0,priority=1000,in_port=${uplink:uplink1},icmp6,"
        "icmp_type=135,nd_target=fd00::1 actions=output:${local}\n"
        "  table=0,priority=1000,in_port=${uplink:uplink1},ipv6,"
        "ipv6_dst=fd00::1 actions=output:${local}\n"
        "  table=0,priority=0 actions=drop\n"
        "  table=2,priority=0 actions=resubmit(,3)\n"
        "  table=3,priority=0 actions=resubmit(,4)\n"
        "  table=4,priority=0 actions=resubmit(,5)\n"
        "  table=5,priority=0 actions=drop\n"
        "  table=6,priority=100,reg0=0x1/0x1 actions=resubmit(,10)\n"
        "  table=6,priority=0 actions=drop\n"
        "  table=10,priority=0 actions=resubmit(,11),resubmit(,12)\n"
        "  table=11,priority=0 actions=drop\n"
        "  table=12,priority=0 actions=resubmit(,20)\n"
        "  table=20,priority=0 actions=drop\n"
        "  table=30,priority=0 actions=output:NXM_NX_REG2[]\n"
        "  table=31,priority=0 actions=output:NXM_NX_REG2[]\n");
    check_group(&s, "sw0/port/q2/remote",
        "  table=10,priority=100,reg6=4103,reg4=0,dl_dst=00:00:00:00:01:02 "
        "actions=set_field:7->tun_id,set_field:fd00::2->tun_ipv6_dst,"
        "output:${vxlan}\n");
    check_group(&s, "sw0/seg/4103/ingress",
        "  table=0,priority=110,in_port=${vxlan},tun_id=7,"
        "tun_ipv6_src=fd00::99 "
        "actions=load:4103->NXM_NX_REG6[],load:2->NXM_NX_REG4[],"
        "learn(table=10,priority=50,idle_timeout=300,NXM_NX_REG6[],"
        "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
        "load:NXM_NX_TUN_IPV6_SRC[]->NXM_NX_TUN_IPV6_DST[],"
        "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),"
        "resubmit(,10)\n"
        "  table=0,priority=100,in_port=${vxlan},tun_id=7 "
        "actions=load:4103->NXM_NX_REG6[],load:2->NXM_NX_REG4[],"
        "resubmit(,10)\n");
    dvs_host_state_destroy(&s);
}

/* The segment of every port that a flow of 'state' names, by name. */
struct port_segment {
    const char *port;
    const char *segment;        /* "reg6=S" */
};

/* Checks that every flow of 'state' that names a port names only ports of
 * the segment it works on, and that ${uplink}, ${vxlan} and the VLAN tag
 * appear only in flows of segments that may use them. */
static void
check_isolated(const struct dvs_host_state *state,
               const struct port_segment *ports, size_t n_ports)
{
    const struct dvs_flow_group *g;

    DVS_HOST_STATE_FOR_EACH_GROUP (g, state) {
        for (size_t i = 0; i < g->n_flows; i++) {
            const struct dvs_flow *flow = &g->flows[i];
            char *text;

            if (flow->table == 5) {
                /* A port's own policy: in_port alone, after table 0 gave
                 * the frame its segment. */
                continue;
            }
            text = xasprintf("%s %s,", flow->match, flow->actions);

            for (size_t j = 0; j < n_ports; j++) {
                char *ref = xasprintf("${port:%s}", ports[j].port);
                if (strstr(text, ref)) {
                    char *seg = xasprintf("%s,", ports[j].segment);
                    char *load = xasprintf("load:%s->NXM_NX_REG6[]",
                                           ports[j].segment + 5);
                    if (!strstr(text, seg) && !strstr(text, load)) {
                        fail_msg("%s: flow \"%s\" names port %s of "
                                 "segment %s", g->key, text, ports[j].port,
                                 ports[j].segment);
                    }
                    free(seg);
                    free(load);
                }
                free(ref);
            }
            free(text);
        }
    }
}

/* Ports in different portgroups and VLANs are isolated; portgroups with
 * the same VLAN share a segment. */
static void
test_isolation(void **state)
{
    static const struct port_segment ports[] = {
        { "a1", "reg6=10" }, { "a2", "reg6=10" }, { "d1", "reg6=10" },
        { "b1", "reg6=20" }, { "b2", "reg6=20" },
        { "c1", "reg6=4103" }, { "c2", "reg6=4103" },
    };
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_switch *sw1 = new_switch(f, "sw1");
    const struct dvsrec_portgroup *pga, *pgb, *pgc, *pgd, *pge;
    struct dvs_host_state s;

    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    new_member(f, sw, "hB", "10.0.0.2", "uplink1=eth1");
    new_member(f, sw1, "hA", NULL, "uplink1=eth3");
    pga = new_vlan_pg(f, sw, "pga", 10);
    pgb = new_vlan_pg(f, sw, "pgb", 20);
    pgc = new_vxlan_pg(f, sw, "pgc", 7, NULL);
    pgd = new_vlan_pg(f, sw, "pgd", 10);
    pge = new_vlan_pg(f, sw1, "pge", 10);      /* Another switch. */
    new_port(f, pga, "a1", "00:00:00:00:0a:01", "hA", NULL);
    new_port(f, pga, "a2", "00:00:00:00:0a:02", "hB", NULL);
    new_port(f, pgb, "b1", "00:00:00:00:0b:01", "hA", NULL);
    new_port(f, pgb, "b2", "00:00:00:00:0b:02", "hB", NULL);
    new_port(f, pgc, "c1", "00:00:00:00:0c:01", "hA", NULL);
    new_port(f, pgc, "c2", "00:00:00:00:0c:02", "hB", NULL);
    new_port(f, pgd, "d1", "00:00:00:00:0d:01", "hA", NULL);
    new_port(f, pge, "e1", "00:00:00:00:0e:01", "hA", NULL);

    translate(f, "hA", &s);
    check_isolated(&s, ports, ARRAY_SIZE(ports));

    /* Both switches' bridges, each with its own groups. */
    assert_int_equal(hmap_count(&s.bridges), 2);
    assert_false(dvs_host_state_find_bridge(&s, "sw1")->vxlan);
    assert_true(dvs_host_state_find_bridge(&s, "sw0")->vxlan);
    check_group(&s, "sw1/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:e1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,"
        "set_field:4106->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:e1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:e1}->NXM_NX_REG2[],resubmit(,30))\n");
    assert_string_equal(dvs_host_state_find_group(&s, "sw1/port/e1/local")
                        ->bridge, "sw1");

    /* pga and pgd share VLAN 10. */
    check_group(&s, "sw0/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:d1}->NXM_NX_REG2[],resubmit(,30)),push_vlan:0x8100,"
        "set_field:4106->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:d1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:d1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&s, "sw0/seg/20/flood",
        "  table=20,priority=100,reg6=20,reg4=0 "
        "actions=clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,"
        "set_field:4116->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=20,reg4=1 "
        "actions=clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=20,reg4=2 "
        "actions=clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&s, "sw0/seg/4103/flood",
        "  table=20,priority=100,reg6=4103,reg4=0 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "set_field:7->tun_id,"
        "set_field:10.0.0.2->tun_dst,output:${vxlan}\n"
        "  table=20,priority=100,reg6=4103,reg4=1 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=4103,reg4=2 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&s, "sw0/port/b2/remote",
        "  table=10,priority=100,reg6=20,reg4=0,dl_dst=00:00:00:00:0b:02 "
        "actions=push_vlan:0x8100,set_field:4116->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_group(&s, "sw0/port/a2/remote",
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:0a:02 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_group(&s, "sw0/port/e1/remote", NULL);
    check_group(&s, "sw1/port/a2/remote", NULL);
    dvs_host_state_destroy(&s);

    translate(f, "hB", &s);
    check_isolated(&s, ports, ARRAY_SIZE(ports));
    assert_null(dvs_host_state_find_bridge(&s, "sw1"));
    check_group(&s, "sw0/port/d1/remote",
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:0d:01 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    dvs_host_state_destroy(&s);

    /* A port whose portgroup lets it override the VLAN moves to another
     * segment. */
    {
        static const char *gate = "vlan";
        static const bool allowed = true;
        int64_t vlan = 20;
        const struct dvsrec_port *port;

        dvsrec_portgroup_set_override_allowed(pga, &gate, &allowed, 1);
        DVSREC_PORT_FOR_EACH (port, f->idl) {
            if (!strcmp(port->name, "a1")) {
                dvsrec_port_set_vlan(port, &vlan, 1);
            }
        }
        translate(f, "hA", &s);
        check_group(&s, "sw0/seg/20/flood",
            "  table=20,priority=100,reg6=20,reg4=0 "
            "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
            "clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30)),"
            "push_vlan:0x8100,"
            "set_field:4116->vlan_vid,output:NXM_NX_REG3[0..15]\n"
            "  table=20,priority=100,reg6=20,reg4=1 "
            "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
            "clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30))\n"
            "  table=20,priority=100,reg6=20,reg4=2 "
            "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
            "clone(load:${port:b1}->NXM_NX_REG2[],resubmit(,30))\n");
        dvs_host_state_destroy(&s);
    }
    check_errors(f, MTU_WARNING("sw0", "portgroup pgc"));
}

/* A member host with no bound ports gets only its bridge and the base
 * group; a host that is a member of nothing gets nothing. */
static void
test_host_without_ports(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;

    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    new_member(f, sw, "hB", "10.0.0.2", "uplink1=eth1,uplink2=eth2");
    pg = new_vxlan_pg(f, sw, "web", 5000, "203.0.113.9");
    new_port(f, pg, "q1", "00:00:00:00:01:01", "hA", NULL);

    check_host(f, "hB",
        "bridge sw0: uplinks=uplink1:eth1,uplink2:eth2 mtu=1500 "
        "vtep_ip=10.0.0.2 lldp=listen\n"
        BASE("sw0")
        LLDP("sw0") LLDP_PUNT("uplink1") LLDP_PUNT("uplink2")
        "group sw0/teaming (bridge sw0):\n"
        "  table=21,priority=100,reg3=${uplink:uplink1},"
        "in_port=${uplink:uplink1} actions=resubmit(,20)\n"
        "  table=21,priority=100,reg3=${uplink:uplink2},"
        "in_port=${uplink:uplink2} actions=resubmit(,20)\n"
        "  table=21,priority=0 actions=drop\n");
    check_host(f, "hZ", "");
}

/* A port bound on host A moves to host B: its groups move. */
static void
test_port_moves(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state a0, b0, a1, b1;
    Dvs__StateUpdate *diff;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    new_member(f, sw, "hC", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, pg, "p2", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, pg, "p3", "00:00:00:00:00:03", "hC", NULL);

    translate(f, "hA", &a0);
    translate(f, "hB", &b0);
    assert_non_null(dvs_host_state_find_group(&a0, "sw0/port/p1/local"));
    assert_int_equal(hmap_count(&b0.groups), 2);      /* Base, LLDP. */

    /* The VM moves: hB reports the binding. */
    dvs_bindings_set(&f->bindings, "p1", "hB", NULL, true);
    translate(f, "hA", &a1);
    translate(f, "hB", &b1);
    check_group(&a1, "sw0/port/p1/local", NULL);
    check_group(&a1, "sw0/port/p1/remote",
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_group(&b1, "sw0/port/p1/remote", NULL);
    check_group(&b1, "sw0/port/p1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:01 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&b1, "sw0/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,"
        "set_field:4106->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n");
    assert_non_null(dvs_host_state_find_group(&b1, "sw0/port/p2/remote"));
    assert_non_null(dvs_host_state_find_group(&b1, "sw0/port/p3/remote"));

    /* hA's incremental update: p1 local out, p1 remote in, the flood list
     * without p1. */
    diff = dvs_state_update_diff(&a0, &a1, 2, "e");
    assert_int_equal(diff->n_bridges, 0);
    assert_int_equal(diff->n_flow_groups, 2);
    assert_string_equal(diff->flow_groups[0]->key, "sw0/port/p1/remote");
    assert_string_equal(diff->flow_groups[1]->key, "sw0/seg/10/flood");
    assert_int_equal(diff->n_deleted_flow_groups, 2);
    assert_string_equal(diff->deleted_flow_groups[0], "sw0/port/p1/local");
    assert_string_equal(diff->deleted_flow_groups[1], "sw0/port/p1/policy");
    dvs_state_update_free(diff);

    dvs_host_state_destroy(&a0);
    dvs_host_state_destroy(&b0);
    dvs_host_state_destroy(&a1);
    dvs_host_state_destroy(&b1);
}

/* Invalid database content: each object is skipped, or the part of it
 * that is wrong, and reported. */
static void
test_invalid_content(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *good, *both, *vx, *unmapped;
    const struct dvsrec_host_member *mb;
    const struct dvsrec_port *bad_mac;
    struct dvs_translate *tr;
    struct dvs_host_state s;
    int64_t vlan = 30, pvlan = 101;
    bool blocked = true;

    new_member(f, sw, "hA", "10.0.0.1",
               "uplink1=eth1,uplink2=eth1,lag0-1=eth5,nosuch=eth9");
    mb = new_member(f, sw, "hB", NULL, "uplink1=eth1");
    new_member(f, sw, "hC", "not-an-ip", "uplink1=eth1");
    {
        const struct dvsrec_lag *lag = dvsrec_lag_insert(f->txn);
        dvsrec_lag_set_name(lag, "lag0");
        dvsrec_lag_set_switch_(lag, sw);
    }

    good = new_vlan_pg(f, sw, "good", 10);
    both = new_vxlan_pg(f, sw, "both", 5, NULL);
    dvsrec_portgroup_set_vlan(both, &vlan, 1);
    vx = new_vxlan_pg(f, sw, "vx", 6, NULL);
    {
        static const char *vteps[] = { "203.0.113.9", "bogus" };
        dvsrec_portgroup_set_remote_vteps(vx, vteps, 2);
    }
    unmapped = new_pg(f, sw, "unmapped");
    dvsrec_portgroup_set_pvlan(unmapped, &pvlan, 1);

    new_port(f, good, "ok", "00:00:00:00:00:01", "hA", NULL);
    bad_mac = new_port(f, good, "badmac", "zz:00:00:00:00:02", "hA", NULL);
    new_port(f, good, "badattached", NULL, "hA", "01:00:00:00:00:03");
    new_port(f, good, "okdup", NULL, "hA", "00:00:00:00:00:01");
    new_port(f, good, "stranger", NULL, "hQ", NULL);
    new_port(f, good, "blocked", "00:00:00:00:00:04", "hA", NULL);
    {
        const struct dvsrec_port *port;
        DVSREC_PORT_FOR_EACH (port, f->idl) {
            if (!strcmp(port->name, "blocked")) {
                dvsrec_port_set_blocked(port, &blocked, 1);
            }
        }
    }
    new_port(f, both, "inboth", "00:00:00:00:00:05", "hA", NULL);
    new_port(f, vx, "vxa", "00:00:00:00:00:06", "hA", NULL);
    new_port(f, vx, "vxb", "00:00:00:00:00:07", "hB", NULL);
    new_port(f, vx, "vxc", "00:00:00:00:00:08", "hC", NULL);
    new_port(f, unmapped, "pv", "00:00:00:00:00:09", "hA", NULL);

    check_errors(f,
        "Host_Member sw0/hA: uplinks: \"nosuch\" is not an uplink of switch "
        "\"sw0\"; uplinks: pNIC \"eth1\" backs both \"uplink1\" and "
        "\"uplink2\"\n"
        "Host_Member sw0/hB: vtep_ip is not set, but VXLAN-backed portgroup "
        "\"vx\" has ports bound on this host\n"
        "Host_Member sw0/hC: vtep_ip: \"not-an-ip\" is not an IP address "
        "(accepted: an IPv4 address such as 192.0.2.1 or an IPv6 address); "
        "vtep_ip is invalid, but VXLAN-backed portgroup \"vx\" has ports "
        "bound on this host\n"
        "Port badattached: attached-mac: \"01:00:00:00:00:03\" is not a "
        "unicast MAC address (accepted: a nonzero address whose first octet "
        "is even)\n"
        "Port badmac: mac: \"zz:00:00:00:00:02\" is not a MAC address "
        "(accepted: xx:xx:xx:xx:xx:xx in hexadecimal)\n"
        "Port okdup: MAC 00:00:00:00:00:01 is also the MAC of port \"ok\" "
        "in the same segment: no known-MAC flows for this port\n"
        "Port pv: pvlan 101 is not a valid secondary VLAN of the private "
        "VLAN map of switch \"sw0\": the port forwards nothing\n"
        "Port stranger: bound on host \"hQ\", which is not a member of "
        "switch \"sw0\"\n"
        "Port vxb: host \"hB\" has no valid vtep_ip on switch \"sw0\", which "
        "VXLAN-backed portgroups need\n"
        "Port vxc: host \"hC\" has no valid vtep_ip on switch \"sw0\", which "
        "VXLAN-backed portgroups need\n"
        "Portgroup both: vni is set together with vlan: a portgroup is "
        "VXLAN-backed or VLAN-backed, not both\n"
        "Portgroup vx: remote_vteps: \"bogus\" is not an IP address "
        "(accepted: an IPv4 address such as 192.0.2.1 or an IPv6 "
        "address)\n"
        MTU_WARNING("sw0", "portgroup vx"));

    /* The controller finds the errors by row. */
    tr = dvs_translate_create(f->idl, &f->bindings);
    assert_string_equal(dvs_translate_get_error(tr, &mb->header_.uuid),
                        "vtep_ip is not set, but VXLAN-backed portgroup "
                        "\"vx\" has ports bound on this host");
    assert_null(dvs_translate_get_error(tr, &good->header_.uuid));
    assert_string_equal(dvs_translate_get_error(tr, &bad_mac->header_.uuid),
                        "mac: \"zz:00:00:00:00:02\" is not a MAC address "
                        "(accepted: xx:xx:xx:xx:xx:xx in hexadecimal)");
    assert_non_null(dvs_translate_get_error(tr, &both->header_.uuid));
    assert_int_equal(dvs_translate_n_errors(tr), 13);
    dvs_translate_destroy(tr);

    translate(f, "hA", &s);
    /* The valid uplinks, in the switch's order, then the LAG's. */
    {
        const struct dvs_bridge *br = dvs_host_state_find_bridge(&s, "sw0");
        assert_int_equal(br->n_uplinks, 2);
        assert_string_equal(br->uplinks[0].name, "uplink1");
        assert_string_equal(br->uplinks[1].name, "lag0-1");
        assert_string_equal(br->uplinks[1].pnic, "eth5");
        assert_true(br->vxlan);
    }
    /* Skipped: invalid MAC, blocked, invalid portgroup, unmapped pvlan. */
    check_group(&s, "sw0/port/badmac/local", NULL);
    check_group(&s, "sw0/port/blocked/local", NULL);
    check_group(&s, "sw0/port/inboth/local", NULL);
    check_group(&s, "sw0/port/pv/local", NULL);
    check_group(&s, "sw0/seg/30/flood", NULL);
    check_group(&s, "sw0/seg/4101/flood", NULL);
    /* Without known-MAC flows: invalid attached MAC, duplicate MAC. */
    check_group(&s, "sw0/port/badattached/local",
        "  table=0,priority=100,in_port=${port:badattached},"
        "vlan_tci=0x0000/0x1000 actions=bundle_load(eth_src,0,"
        "active_backup,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:uplink1}),load:10->NXM_NX_REG6[],"
        "load:0->NXM_NX_REG4[],resubmit(,2)\n");
    check_group(&s, "sw0/port/okdup/local",
        "  table=0,priority=100,in_port=${port:okdup},"
        "vlan_tci=0x0000/0x1000 actions=bundle_load(eth_src,0,"
        "active_backup,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:uplink1}),load:10->NXM_NX_REG6[],"
        "load:0->NXM_NX_REG4[],resubmit(,2)\n");
    check_group(&s, "sw0/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:badattached}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:ok}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:okdup}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:badattached}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:ok}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:okdup}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:badattached}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:ok}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:okdup}->NXM_NX_REG2[],resubmit(,30))\n");
    /* The VXLAN segment has no other host: hB and hC have no VTEP. */
    check_group(&s, "sw0/port/vxb/remote", NULL);
    check_group(&s, "sw0/port/vxc/remote", NULL);
    check_group(&s, "sw0/seg/4102/flood",
        "  table=20,priority=100,reg6=4102,reg4=0 "
        "actions=clone(load:${port:vxa}->NXM_NX_REG2[],resubmit(,30)),"
        "set_field:6->tun_id,"
        "set_field:203.0.113.9->tun_dst,output:${vxlan}\n"
        "  table=20,priority=100,reg6=4102,reg4=1 "
        "actions=clone(load:${port:vxa}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=4102,reg4=2 "
        "actions=clone(load:${port:vxa}->NXM_NX_REG2[],resubmit(,30))\n");
    dvs_host_state_destroy(&s);

    /* hB and hC carry nothing of the VXLAN segment. */
    check_host(f, "hB", "bridge sw0: uplinks=uplink1:eth1 mtu=1500 "
               "lldp=listen\n"
               BASE("sw0") LLDP("sw0") LLDP_PUNT("uplink1"));
    check_host(f, "hC", "bridge sw0: uplinks=uplink1:eth1 mtu=1500 "
               "lldp=listen\n"
               BASE("sw0") LLDP("sw0") LLDP_PUNT("uplink1"));
}

/* A port of a VXLAN-backed portgroup ignores VLAN backing from its switch,
 * and a host's state is the same whichever way it is computed. */
static void
test_vxlan_ignores_switch_vlan(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state a, b;
    struct dvs_translate *tr;
    int64_t vlan = 99;

    dvsrec_switch_set_vlan(sw, &vlan, 1);
    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    pg = new_vxlan_pg(f, sw, "web", 1, NULL);
    new_port(f, pg, "q1", NULL, "hA", NULL);

    translate(f, "hA", &a);
    check_group(&a, "sw0/seg/4097/flood",
        "  table=20,priority=100,reg6=4097,reg4=0 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=4097,reg4=1 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=4097,reg4=2 "
        "actions=clone(load:${port:q1}->NXM_NX_REG2[],resubmit(,30))\n");

    dvs_host_state_init(&b);
    dvs_host_state_add_bridge(&b, "stale");
    tr = dvs_translate_create(f->idl, &f->bindings);
    dvs_translate_host(tr, "hA", &b);
    dvs_translate_destroy(tr);
    assert_true(dvs_host_state_equal(&a, &b));
    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
    check_errors(f, MTU_WARNING("sw0", "portgroup web"));
}

/* A trunk port: each VLAN of its ranges is its own segment, entered with
 * the VLAN's tag and left with it; VLAN 0 is its untagged frames. */
static void
test_trunk(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *tpg, *pg20;
    int64_t trunks[] = { 0, 20, 21 };
    struct dvs_host_state s;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    tpg = new_pg(f, sw, "tpg");
    dvsrec_portgroup_set_trunks(tpg, trunks, 3);
    pg20 = new_vlan_pg(f, sw, "pg20", 20);
    new_port(f, tpg, "t1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, pg20, "a1", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, pg20, "b1", "00:00:00:00:00:03", "hB", NULL);

    translate(f, "hA", &s);
    check_group(&s, "sw0/port/t1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:t1},dl_vlan=20 "
        "actions=pop_vlan,bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:20->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=0,priority=100,in_port=${port:t1},dl_vlan=21 "
        "actions=pop_vlan,bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:21->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=0,priority=100,in_port=${port:t1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:0->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=0,dl_dst=00:00:00:00:00:01 "
        "actions=clone(load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=100,reg6=20,dl_dst=00:00:00:00:00:01 "
        "actions=clone(push_vlan:0x8100,set_field:4116->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=100,reg6=21,dl_dst=00:00:00:00:00:01 "
        "actions=clone(push_vlan:0x8100,set_field:4117->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n");
    /* Flooding in VLAN 20 tags the copy for the trunk port only, and takes
     * the tag off again for the access port after it. */
    check_group(&s, "sw0/seg/20/flood",
        "  table=20,priority=100,reg6=20,reg4=0 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(push_vlan:0x8100,set_field:4116->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4116->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=20,reg4=1 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(push_vlan:0x8100,set_field:4116->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=20,reg4=2 "
        "actions=clone(load:${port:a1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(push_vlan:0x8100,set_field:4116->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&s, "sw0/seg/21/ingress",
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=21 "
        "actions=pop_vlan,load:21->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "resubmit(,10)\n");
    check_group(&s, "sw0/seg/0/ingress",
        "  table=0,priority=100,in_port=${uplink:uplink1},"
        "vlan_tci=0x0000/0x1000 actions=load:0->NXM_NX_REG6[],"
        "load:1->NXM_NX_REG4[],resubmit(,10)\n");
    check_group(&s, "sw0/seg/22/flood", NULL);
    dvs_host_state_destroy(&s);

    /* hB shares only VLAN 20 with the trunk port. */
    translate(f, "hB", &s);
    check_group(&s, "sw0/port/t1/remote",
        "  table=10,priority=100,reg6=20,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=push_vlan:0x8100,set_field:4116->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_group(&s, "sw0/seg/21/flood", NULL);
    dvs_host_state_destroy(&s);

    check_errors(f, "");
}

/* Port policies. */

static const bool yes = true, no = false;

/* The policy group of a learning port: its own MAC, multicast sources
 * dropped, every other source learned within the limit, and with policy
 * drop the limit's verdict checked in table 6. */
static void
test_mac_learning(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *drop, *allow;
    const int64_t limit = 2, aging = 60;
    struct dvs_host_state s;
    char *expected;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    drop = new_vlan_pg(f, sw, "drop", 10);
    dvsrec_portgroup_set_mac_learning(drop, &yes, 1);
    dvsrec_portgroup_set_mac_limit(drop, &limit, 1);
    dvsrec_portgroup_set_mac_aging(drop, &aging, 1);
    allow = new_vlan_pg(f, sw, "allow", 10);
    dvsrec_portgroup_set_mac_learning(allow, &yes, 1);
    dvsrec_portgroup_set_mac_limit_policy(allow, "allow");
    new_port(f, drop, "p1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, allow, "p2", NULL, "hA", NULL);

    translate(f, "hA", &s);
    expected = xasprintf(
        "  table=5,priority=110,in_port=${port:p1},"
        "dl_src=00:00:00:00:00:01 actions=resubmit(,10)\n"
        "  table=5,priority=105,in_port=${port:p1},"
        "dl_src=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop\n"
        "  table=5,priority=100,in_port=${port:p1} "
        "actions=learn(table=11,cookie=%#"PRIx64",priority=50,"
        "idle_timeout=60,limit=2,result_dst=NXM_NX_REG0[0],NXM_NX_REG6[],"
        "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
        "load:NXM_OF_IN_PORT[]->NXM_NX_REG5[0..15]),"
        "resubmit(,6)\n", dvs_learn_cookie("p1"));
    check_group(&s, "sw0/port/p1/policy", expected);
    free(expected);
    /* No MAC of its own; the default limit and aging; policy allow goes
     * straight on. */
    expected = xasprintf(
        "  table=5,priority=105,in_port=${port:p2},"
        "dl_src=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop\n"
        "  table=5,priority=100,in_port=${port:p2} "
        "actions=learn(table=11,cookie=%#"PRIx64",priority=50,"
        "idle_timeout=300,limit=4096,NXM_NX_REG6[],"
        "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
        "load:NXM_OF_IN_PORT[]->NXM_NX_REG5[0..15]),"
        "resubmit(,10)\n", dvs_learn_cookie("p2"));
    check_group(&s, "sw0/port/p2/policy", expected);
    free(expected);
    /* What the learned flows name in reg5 goes to the port that learned
     * it, in the segment it was learned in. */
    check_group(&s, "sw0/port/p1/learned",
        "  table=12,priority=100,reg5=${port:p1},reg6=10 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n");
    assert_int_not_equal(dvs_learn_cookie("p1"), dvs_learn_cookie("p2"));
    assert_int_equal(dvs_learn_cookie("p1") >> 56, 0xd6);
    dvs_host_state_destroy(&s);
    check_errors(f, "");
}

/* Forged transmits without learning: only the port's MAC when rejected,
 * anything when accepted or when the port has no MAC to check. */
static void
test_forged_transmits(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *strict, *open;
    struct dvs_host_state s;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    strict = new_vlan_pg(f, sw, "strict", 10);
    open = new_vlan_pg(f, sw, "open", 10);
    dvsrec_portgroup_set_forged_transmits(open, &yes, 1);
    new_port(f, strict, "p1", NULL, "hA", "00:00:00:00:00:01");
    new_port(f, strict, "p2", NULL, "hA", NULL);
    new_port(f, open, "p3", "00:00:00:00:00:03", "hA", NULL);

    translate(f, "hA", &s);
    check_group(&s, "sw0/port/p1/policy",
        "  table=5,priority=100,in_port=${port:p1},"
        "dl_src=00:00:00:00:00:01 actions=resubmit(,10)\n");
    check_group(&s, "sw0/port/p2/policy",
        "  table=5,priority=100,in_port=${port:p2} actions=resubmit(,10)\n");
    check_group(&s, "sw0/port/p3/policy",
        "  table=5,priority=100,in_port=${port:p3} actions=resubmit(,10)\n");
    dvs_host_state_destroy(&s);
}

/* A blocked port (on the port or its portgroup) gets a drop of what it
 * sends, and nothing else; the other hosts do not see it. */
static void
test_blocked(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg, *shut;
    const struct dvsrec_port *p1;
    struct dvs_host_state a, b;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    shut = new_vlan_pg(f, sw, "shut", 10);
    dvsrec_portgroup_set_blocked(shut, &yes, 1);
    p1 = new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL);
    dvsrec_port_set_blocked(p1, &yes, 1);
    new_port(f, shut, "p2", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, pg, "p3", "00:00:00:00:00:03", "hA", NULL);
    new_port(f, pg, "p4", "00:00:00:00:00:04", "hB", NULL);

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/p1/blocked",
        "  table=0,priority=1000,in_port=${port:p1} actions=drop\n");
    check_group(&a, "sw0/port/p2/blocked",
        "  table=0,priority=1000,in_port=${port:p2} actions=drop\n");
    check_group(&a, "sw0/port/p1/local", NULL);
    check_group(&a, "sw0/port/p1/policy", NULL);
    check_group(&a, "sw0/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:p3}->NXM_NX_REG2[],resubmit(,30))\n");
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/p1/remote", NULL);
    check_group(&b, "sw0/port/p1/blocked", NULL);
    assert_non_null(dvs_host_state_find_group(&b, "sw0/port/p3/remote"));

    /* Unblocked, it is an ordinary port again. */
    dvsrec_port_set_blocked(p1, &no, 1);
    dvs_host_state_destroy(&a);
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/p1/blocked", NULL);
    assert_non_null(dvs_host_state_find_group(&a, "sw0/port/p1/local"));
    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
    check_errors(f, "");
}

/* The guest changed its MAC: rejected, the port receives nothing (no
 * known-MAC flow, out of the flood lists); accepted, the guest's MAC is the
 * port's everywhere. */
static void
test_mac_changes(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg;
    struct dvs_host_state a, b;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", "00:00:00:00:00:99");
    new_port(f, pg, "p2", "00:00:00:00:00:02", "hA", "00:00:00:00:00:02");
    new_port(f, pg, "p3", "00:00:00:00:00:03", "hB", NULL);
    /* A learning port whose MAC change is rejected learns nothing: what it
     * learned would reach it. */
    const struct dvsrec_portgroup *nested = new_vlan_pg(f, sw, "nested", 20);
    dvsrec_portgroup_set_mac_learning(nested, &yes, 1);
    new_port(f, nested, "n1", "00:00:00:00:00:11", "hA", "00:00:00:00:00:12");
    dvs_bindings_learn(&f->bindings, "n1", "02:00:00:00:00:a1");

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/n1/policy",
        "  table=5,priority=100,in_port=${port:n1},"
        "dl_src=00:00:00:00:00:11 actions=resubmit(,10)\n");
    check_group(&a, "sw0/port/n1/learned", NULL);
    check_group(&a, "sw0/port/p1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n");
    check_group(&a, "sw0/seg/10/flood",
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:p2}->NXM_NX_REG2[],resubmit(,30))\n");
    /* It may still send, from its own MAC. */
    check_group(&a, "sw0/port/p1/policy",
        "  table=5,priority=100,in_port=${port:p1},"
        "dl_src=00:00:00:00:00:01 actions=resubmit(,10)\n");
    check_errors(f, "Port n1: the guest's MAC 00:00:00:00:00:12 is not the "
                 "port's MAC 00:00:00:00:00:11 and mac-changes is false: "
                 "the port receives no frames\n"
                 "Port p1: the guest's MAC 00:00:00:00:00:99 is not the "
                 "port's MAC 00:00:00:00:00:01 and mac-changes is false: "
                 "the port receives no frames\n");
    dvs_host_state_destroy(&a);

    dvsrec_portgroup_set_mac_changes(pg, &yes, 1);
    dvsrec_portgroup_set_mac_changes(nested, &yes, 1);
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/p1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:99 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:99 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n");
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/p1/remote",
        "  table=10,priority=100,reg6=10,reg4=0,dl_dst=00:00:00:00:00:99 "
        "actions=push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_errors(f, "");
    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);
}

/* Promiscuous ports get a copy of the segment's unicast on a first pass
 * through table 10, and are left out of unknown-unicast floods (they have
 * their copy); learning ports without unicast flooding too. */
static void
test_promiscuous_and_flooding(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg, *sniff, *nested;
    struct dvs_host_state s;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    sniff = new_vlan_pg(f, sw, "sniff", 10);
    dvsrec_portgroup_set_promiscuous(sniff, &yes, 1);
    nested = new_vlan_pg(f, sw, "nested", 10);
    dvsrec_portgroup_set_mac_learning(nested, &yes, 1);
    dvsrec_portgroup_set_unicast_flooding(nested, &no, 1);
    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, sniff, "s1", "00:00:00:00:00:a1", "hA", NULL);
    new_port(f, sniff, "s2", NULL, "hA", NULL);
    new_port(f, nested, "n1", "00:00:00:00:00:b1", "hA", NULL);

    translate(f, "hA", &s);
    check_group(&s, "sw0/seg/10/promiscuous",
        "  table=10,priority=210,reg0=0/0x2,reg6=10,"
        "dl_dst=00:00:00:00:00:a1 actions=load:1->NXM_NX_REG0[1],"
        "clone(load:${port:s2}->NXM_NX_REG2[],resubmit(,30)),resubmit(,10)\n"
        "  table=10,priority=200,reg0=0/0x2,reg6=10,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=load:1->NXM_NX_REG0[1],clone(load:${port:s1}->NXM_NX_REG2[],"
        "resubmit(,30)),"
        "clone(load:${port:s2}->NXM_NX_REG2[],resubmit(,30)),resubmit(,10)\n");
    check_group(&s, "sw0/seg/10/flood",
        "  table=20,priority=110,reg6=10,reg4=0,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,"
        "set_field:4106->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=110,reg6=10,reg4=1,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=110,reg6=10,reg4=2,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=0 "
        "actions=clone(load:${port:n1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s2}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4106->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=10,reg4=1 "
        "actions=clone(load:${port:n1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s2}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=10,reg4=2 "
        "actions=clone(load:${port:n1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:s2}->NXM_NX_REG2[],resubmit(,30))\n");
    dvs_host_state_destroy(&s);
    check_errors(f, "");
}

/* Learned MACs, which the bindings keep as the port's: known-MAC flows on
 * the port's host and towards it on the others, not for a MAC that a port
 * of the segment has, not for another segment, not without learning. */
static void
test_learned_macs(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg, *nested;
    struct dvs_host_state a, b;

    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    new_member(f, sw, "hB", "10.0.0.2", "uplink1=eth1");
    pg = new_vxlan_pg(f, sw, "web", 7, NULL);
    nested = new_vxlan_pg(f, sw, "nested", 7, NULL);
    dvsrec_portgroup_set_mac_learning(nested, &yes, 1);
    new_port(f, nested, "nh", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, pg, "w2", "00:00:00:00:00:02", "hB", NULL);
    new_port(f, pg, "w3", "00:00:00:00:00:03", "hB", NULL);
    dvs_bindings_learn(&f->bindings, "nh", "02:00:00:00:00:a1");
    dvs_bindings_learn(&f->bindings, "nh", "02:00:00:00:00:a2@4103");
    dvs_bindings_learn(&f->bindings, "nh", "02:00:00:00:00:a3@10");
    dvs_bindings_learn(&f->bindings, "nh", "00:00:00:00:00:03");
    dvs_bindings_learn(&f->bindings, "w2", "02:00:00:00:00:b1");

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/nh/learned",
        "  table=10,priority=90,reg6=4103,dl_dst=02:00:00:00:00:a1 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=90,reg6=4103,dl_dst=02:00:00:00:00:a2 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=12,priority=100,reg5=${port:nh},reg6=4103 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&a, "sw0/port/w2/learned", NULL);
    check_group(&a, "sw0/port/w2/remote",
        "  table=10,priority=100,reg6=4103,reg4=0,dl_dst=00:00:00:00:00:02 "
        "actions=set_field:7->tun_id,set_field:10.0.0.2->tun_dst,"
        "output:${vxlan}\n");
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/nh/remote",
        "  table=10,priority=100,reg6=4103,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=set_field:7->tun_id,set_field:10.0.0.1->tun_dst,"
        "output:${vxlan}\n"
        "  table=10,priority=100,reg6=4103,reg4=0,dl_dst=02:00:00:00:00:a1 "
        "actions=set_field:7->tun_id,set_field:10.0.0.1->tun_dst,"
        "output:${vxlan}\n"
        "  table=10,priority=100,reg6=4103,reg4=0,dl_dst=02:00:00:00:00:a2 "
        "actions=set_field:7->tun_id,set_field:10.0.0.1->tun_dst,"
        "output:${vxlan}\n");
    dvs_host_state_destroy(&a);
    dvs_host_state_destroy(&b);

    /* They are the port's: after a move they follow it to hB. */
    dvs_bindings_set(&f->bindings, "nh", "hB", NULL, true);
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/nh/learned",
        "  table=10,priority=90,reg6=4103,dl_dst=02:00:00:00:00:a1 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=90,reg6=4103,dl_dst=02:00:00:00:00:a2 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=12,priority=100,reg5=${port:nh},reg6=4103 "
        "actions=clone(load:${port:nh}->NXM_NX_REG2[],resubmit(,30))\n");
    dvs_host_state_destroy(&b);

    /* Learning off: the MACs it still holds are not used. */
    dvsrec_portgroup_set_mac_learning(nested, &no, 1);
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/nh/learned", NULL);
    dvs_host_state_destroy(&b);

    /* A MAC that one port learns leaves the others. */
    assert_true(dvs_bindings_learn(&f->bindings, "w2", "02:00:00:00:00:a1"));
    assert_true(dvs_bindings_forget_mac(&f->bindings, "w2",
                                        "02:00:00:00:00:a1"));
    assert_false(sset_contains(dvs_bindings_get_learned(&f->bindings, "nh"),
                               "02:00:00:00:00:a1"));
    assert_true(dvs_bindings_forget(&f->bindings, "w2", "02:00:00:00:00:a1"));
    assert_false(dvs_bindings_forget(&f->bindings, "w2", "02:00:00:00:00:a1"));
    check_errors(f, MTU_WARNING("sw0", "portgroups nested, web"));
}

/* Adds entry 'primary'/'secondary' of 'type' to the private VLAN map of
 * 'sw'. */
static void
new_pvlan(struct fixture *f, const struct dvsrec_switch *sw,
          int64_t primary, int64_t secondary, const char *type)
{
    const struct dvsrec_pvlan_entry *e = dvsrec_pvlan_entry_insert(f->txn);

    dvsrec_pvlan_entry_set_switch_(e, sw);
    dvsrec_pvlan_entry_set_primary_vlan(e, primary);
    dvsrec_pvlan_entry_set_secondary_vlan(e, secondary);
    dvsrec_pvlan_entry_set_type(e, type);
}

static const struct dvsrec_portgroup *
new_pvlan_pg(struct fixture *f, const struct dvsrec_switch *sw,
             const char *name, int64_t secondary)
{
    const struct dvsrec_portgroup *pg = new_pg(f, sw, name);

    dvsrec_portgroup_set_pvlan(pg, &secondary, 1);
    return pg;
}

/* Private VLAN 100: promiscuous 100, isolated 101, communities 102 and
 * 103.  One segment, 100; the source's class in reg7; outputs filtered by
 * it; the uplink carries each class's own VLAN. */
static void
test_pvlan(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *prom, *iso, *c102, *c103;
    struct dvs_host_state s;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    new_pvlan(f, sw, 100, 100, "promiscuous");
    new_pvlan(f, sw, 100, 101, "isolated");
    new_pvlan(f, sw, 100, 102, "community");
    new_pvlan(f, sw, 100, 103, "community");
    /* Broken entries are left out. */
    new_pvlan(f, sw, 200, 201, "isolated");
    new_pvlan(f, sw, 300, 300, "isolated");
    new_pvlan(f, sw, 100, 104, "promiscuous");
    prom = new_vlan_pg(f, sw, "prom", 100);    /* vlan=PRIMARY. */
    iso = new_pvlan_pg(f, sw, "iso", 101);
    c102 = new_pvlan_pg(f, sw, "c102", 102);
    c103 = new_pvlan_pg(f, sw, "c103", 103);
    new_port(f, prom, "p", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, iso, "i1", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, iso, "i2", "00:00:00:00:00:03", "hB", NULL);
    new_port(f, c102, "c1", "00:00:00:00:00:04", "hA", NULL);
    new_port(f, c102, "c2", "00:00:00:00:00:05", "hB", NULL);
    new_port(f, c103, "d1", "00:00:00:00:00:06", "hB", NULL);
    new_port(f, iso, "bad", NULL, "hB", NULL);
    {
        /* A port with a secondary VLAN as its VLAN is refused. */
        const struct dvsrec_port *port;
        int64_t vlan = 101;
        DVSREC_PORT_FOR_EACH (port, f->idl) {
            if (!strcmp(port->name, "bad")) {
                dvsrec_port_set_vlan(port, &vlan, 1);
                dvsrec_portgroup_set_override_allowed(iso,
                    (const char *[]) { "vlan" }, (bool[]) { true }, 1);
            }
        }
    }

    translate(f, "hA", &s);
    check_group(&s, "sw0/seg/100/ingress",
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=100 "
        "actions=pop_vlan,load:100->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "load:100->NXM_NX_REG7[],resubmit(,10)\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=101 "
        "actions=pop_vlan,load:100->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "load:101->NXM_NX_REG7[],resubmit(,10)\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=102 "
        "actions=pop_vlan,load:100->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "load:102->NXM_NX_REG7[],resubmit(,10)\n"
        "  table=0,priority=100,in_port=${uplink:uplink1},dl_vlan=103 "
        "actions=pop_vlan,load:100->NXM_NX_REG6[],load:1->NXM_NX_REG4[],"
        "load:103->NXM_NX_REG7[],resubmit(,10)\n");
    /* An isolated port: reached from promiscuous sources only, and a
     * unicast from any other is dropped rather than flooded. */
    check_group(&s, "sw0/port/i1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:02 actions=drop\n"
        "  table=0,priority=100,in_port=${port:i1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:100->NXM_NX_REG6[],load:0->NXM_NX_REG4[],"
        "load:101->NXM_NX_REG7[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=100,reg7=100,"
        "dl_dst=00:00:00:00:00:02 "
        "actions=clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=90,reg6=100,dl_dst=00:00:00:00:00:02 "
        "actions=drop\n");
    check_group(&s, "sw0/port/c1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:04 actions=drop\n"
        "  table=0,priority=100,in_port=${port:c1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:100->NXM_NX_REG6[],load:0->NXM_NX_REG4[],"
        "load:102->NXM_NX_REG7[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=100,reg7=100,"
        "dl_dst=00:00:00:00:00:04 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=100,reg6=100,reg7=102,"
        "dl_dst=00:00:00:00:00:04 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=90,reg6=100,dl_dst=00:00:00:00:00:04 "
        "actions=drop\n");
    check_group(&s, "sw0/port/p/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:100->NXM_NX_REG6[],load:0->NXM_NX_REG4[],"
        "load:100->NXM_NX_REG7[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=100,reg7=100,"
        "dl_dst=00:00:00:00:00:01 actions=clone(load:${port:p}->NXM_NX_REG2[],"
        "resubmit(,30))\n"
        "  table=10,priority=100,reg6=100,reg7=101,"
        "dl_dst=00:00:00:00:00:01 actions=clone(load:${port:p}->NXM_NX_REG2[],"
        "resubmit(,30))\n"
        "  table=10,priority=100,reg6=100,reg7=102,"
        "dl_dst=00:00:00:00:00:01 actions=clone(load:${port:p}->NXM_NX_REG2[],"
        "resubmit(,30))\n"
        "  table=10,priority=100,reg6=100,reg7=103,"
        "dl_dst=00:00:00:00:00:01 actions=clone(load:${port:p}->NXM_NX_REG2[],"
        "resubmit(,30))\n");
    /* Across hosts: i2 (isolated, on hB) is reached from promiscuous
     * sources, tagged with the primary VLAN; c2 (community 102) from its
     * community too, tagged 102. */
    check_group(&s, "sw0/port/i2/remote",
        "  table=10,priority=100,reg6=100,reg4=0,reg7=100,"
        "dl_dst=00:00:00:00:00:03 actions=push_vlan:0x8100,"
        "set_field:4196->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=90,reg6=100,reg4=0,dl_dst=00:00:00:00:00:03 "
        "actions=drop\n");
    check_group(&s, "sw0/port/c2/remote",
        "  table=10,priority=100,reg6=100,reg4=0,reg7=100,"
        "dl_dst=00:00:00:00:00:05 actions=push_vlan:0x8100,"
        "set_field:4196->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=100,reg6=100,reg4=0,reg7=102,"
        "dl_dst=00:00:00:00:00:05 actions=push_vlan:0x8100,"
        "set_field:4198->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=90,reg6=100,reg4=0,dl_dst=00:00:00:00:00:05 "
        "actions=drop\n");
    /* Flooding, per source class. */
    check_group(&s, "sw0/seg/100/flood",
        "  table=20,priority=100,reg6=100,reg4=0,reg7=100 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4196->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=100,reg4=0,reg7=101 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4197->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=100,reg4=0,reg7=102 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4198->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=100,reg4=0,reg7=103 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4199->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=100,reg4=1,reg7=100 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=1,reg7=101 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=1,reg7=102 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=1,reg7=103 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=2,reg7=100 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=2,reg7=101 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=2,reg7=102 "
        "actions=clone(load:${port:c1}->NXM_NX_REG2[],resubmit(,30)),"
        "clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=100,reg4=2,reg7=103 "
        "actions=clone(load:${port:p}->NXM_NX_REG2[],resubmit(,30))\n");
    /* No segment of a secondary VLAN. */
    check_group(&s, "sw0/seg/101/flood", NULL);
    dvs_host_state_destroy(&s);

    /* hB has no promiscuous port: an isolated source floods only to the
     * uplink. */
    translate(f, "hB", &s);
    check_group(&s, "sw0/port/bad/local", NULL);
    {
        const struct dvs_flow_group *g
            = dvs_host_state_find_group(&s, "sw0/seg/100/flood");
        struct ds out = DS_EMPTY_INITIALIZER;

        assert_non_null(g);
        dvs_flow_group_format(g, &out);
        assert_non_null(strstr(ds_cstr(&out),
            "  table=20,priority=100,reg6=100,reg4=1,reg7=101 "
            "actions=drop\n"));
        assert_non_null(strstr(ds_cstr(&out),
            "  table=20,priority=100,reg6=100,reg4=0,reg7=101 "
            "actions=push_vlan:0x8100,set_field:4197->vlan_vid,"
            "output:NXM_NX_REG3[0..15]\n"));
        assert_non_null(strstr(ds_cstr(&out),
            "  table=20,priority=100,reg6=100,reg4=1,reg7=102 "
            "actions=clone(load:${port:c2}->NXM_NX_REG2[],resubmit(,30))\n"));
        ds_destroy(&out);
    }
    dvs_host_state_destroy(&s);

    check_errors(f,
        "Port bad: vlan 101 is a secondary VLAN of the private VLAN map of "
        "switch \"sw0\" (use pvlan=101): the port forwards nothing\n"
        "Switch sw0: private VLAN map: entry 100/104 (promiscuous) left "
        "out: only the primary VLAN's entry is promiscuous; private VLAN "
        "map: entry 200/201 (isolated) left out: its primary VLAN has no "
        "promiscuous entry; private VLAN map: entry 300/300 (isolated) "
        "left out: a primary VLAN's entry must be promiscuous\n");
    (void) c103;
}

/* The switch MTU warning: VXLAN adds 50 bytes to a 1500-byte VM frame. */
static void
test_vxlan_mtu_warning(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_switch *sw1 = new_switch(f, "sw1");
    int64_t mtu = 1550;

    new_member(f, sw, "hA", "10.0.0.1", "uplink1=eth1");
    new_vxlan_pg(f, sw, "web", 1, NULL);
    new_vxlan_pg(f, sw, "db", 2, NULL);
    new_vlan_pg(f, sw1, "v10", 10);      /* No VXLAN: no warning. */
    check_errors(f, MTU_WARNING("sw0", "portgroups db, web"));

    dvsrec_switch_set_mtu(sw, &mtu, 1);
    check_errors(f, "");
    mtu = 1549;
    dvsrec_switch_set_mtu(sw, &mtu, 1);
    check_errors(f,
        "Switch sw0: warning: mtu 1549 leaves no room for the 50 bytes of "
        "VXLAN overhead: VMs of VXLAN-backed portgroups db, web must use an "
        "MTU of at most 1499 (or set the switch's mtu to 1550 or more)\n");
}

/* The switch's LLDP mode: a bridge setting, and LLDP frames from the
 * uplinks punted to the agent while it listens, dropped otherwise. */
static void
test_lldp_modes(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    static const char *modes[] = { "none", "listen", "advertise", "both" };
    static const char *bridge_lldp[] = { NULL, "listen", "advertise",
                                         "both" };

    new_member(f, sw, "hA", NULL, "uplink1=eth1,uplink2=eth2");
    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        const char *actions = (i % 2 ? "controller(userdata=01)" : "drop");
        struct dvs_host_state s;
        char *expected;

        dvsrec_switch_set_lldp(sw, modes[i]);
        translate(f, "hA", &s);
        if (bridge_lldp[i]) {
            assert_string_equal(dvs_host_state_find_bridge(&s, "sw0")->lldp,
                                bridge_lldp[i]);
        } else {
            assert_null(dvs_host_state_find_bridge(&s, "sw0")->lldp);
        }
        expected = xasprintf(
            "  table=0,priority=65000,in_port=${uplink:uplink1},"
            "dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc actions=%s\n"
            "  table=0,priority=65000,in_port=${uplink:uplink2},"
            "dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc actions=%s\n",
            actions, actions);
        check_group(&s, "sw0/lldp", expected);
        free(expected);
        dvs_host_state_destroy(&s);
    }
}

/* The health check: off by default; on, the VLANs in use on the switch
 * (bound ports' segments, the private VLAN map), the interval, IP-hash
 * teaming, and the probes of each uplink punted to the agent. */
static void
test_health_check(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg10, *pg20;
    const struct dvs_bridge *br;
    struct dvs_host_state s;
    bool on = true;
    int64_t interval = 30;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    pg10 = new_vlan_pg(f, sw, "pg10", 10);
    pg20 = new_vlan_pg(f, sw, "pg20", 20);
    new_vlan_pg(f, sw, "pg30", 30);             /* No port: not in use. */
    new_port(f, pg10, "p1", NULL, "hA", NULL);
    new_port(f, pg20, "p2", NULL, "hB", NULL);

    translate(f, "hA", &s);
    br = dvs_host_state_find_bridge(&s, "sw0");
    assert_false(br->health_check.vlan_mtu || br->health_check.teaming);
    check_group(&s, "sw0/health-check", NULL);
    dvs_host_state_destroy(&s);

    dvsrec_switch_set_health_check_vlan_mtu(sw, &on, 1);
    dvsrec_switch_set_health_check_interval(sw, &interval, 1);
    dvsrec_switch_set_teaming_policy(sw, "loadbalance_ip");
    translate(f, "hA", &s);
    br = dvs_host_state_find_bridge(&s, "sw0");
    assert_true(br->health_check.vlan_mtu);
    assert_false(br->health_check.teaming);
    assert_true(br->health_check.ip_hash);
    assert_int_equal(br->health_check.interval, 30);
    /* VLAN 20 has no port on hA, but is in use on the switch. */
    assert_int_equal(br->health_check.n_vlans, 2);
    assert_int_equal(br->health_check.vlans[0], 10);
    assert_int_equal(br->health_check.vlans[1], 20);
    check_group(&s, "sw0/health-check",
                "  table=0,priority=65001,in_port=${uplink:uplink1},"
                "dl_dst=03:00:00:d5:48:43,dl_type=0x88b5 "
                "actions=controller(userdata=02)\n");
    dvs_host_state_destroy(&s);
}

/* Port policies on a trunk port: one policy group for all its VLANs (the
 * learned flow carries the segment), learned MACs per VLAN ("MAC@SEG"),
 * delivered tagged through put_vm_output() on its host and sent to its
 * host from the others; promiscuous copies tagged in each VLAN; a blocked
 * trunk port dropped whatever its tag. */
static void
test_trunk_port_policies(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *tpg, *spg, *bpg, *pg21;
    int64_t trunks[] = { 20, 21 };
    struct dvs_host_state a, b;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    tpg = new_pg(f, sw, "tpg");
    dvsrec_portgroup_set_trunks(tpg, trunks, 2);
    dvsrec_portgroup_set_mac_learning(tpg, &yes, 1);
    spg = new_pg(f, sw, "spg");
    dvsrec_portgroup_set_trunks(spg, trunks, 2);
    dvsrec_portgroup_set_promiscuous(spg, &yes, 1);
    bpg = new_pg(f, sw, "bpg");
    dvsrec_portgroup_set_trunks(bpg, trunks, 2);
    dvsrec_portgroup_set_blocked(bpg, &yes, 1);
    pg21 = new_vlan_pg(f, sw, "pg21", 21);
    new_port(f, tpg, "t1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, spg, "s1", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, bpg, "x1", "00:00:00:00:00:03", "hA", NULL);
    new_port(f, pg21, "b1", "00:00:00:00:00:04", "hB", NULL);
    dvs_bindings_learn(&f->bindings, "t1", "02:00:00:00:00:a1@21");
    dvs_bindings_learn(&f->bindings, "t1", "02:00:00:00:00:a2@22");
    dvs_bindings_learn(&f->bindings, "t1", "02:00:00:00:00:a3");

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/t1/learned",
        "  table=10,priority=90,reg6=21,dl_dst=02:00:00:00:00:a1 "
        "actions=clone(push_vlan:0x8100,set_field:4117->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=12,priority=100,reg5=${port:t1},reg6=20 "
        "actions=clone(push_vlan:0x8100,set_field:4116->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=12,priority=100,reg5=${port:t1},reg6=21 "
        "actions=clone(push_vlan:0x8100,set_field:4117->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n");
    check_group(&a, "sw0/seg/21/promiscuous",
        "  table=10,priority=210,reg0=0/0x2,reg6=21,"
        "dl_dst=00:00:00:00:00:02 actions=load:1->NXM_NX_REG0[1],"
        "resubmit(,10)\n"
        "  table=10,priority=200,reg0=0/0x2,reg6=21,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=load:1->NXM_NX_REG0[1],clone(push_vlan:0x8100,"
        "set_field:4117->vlan_vid,load:${port:s1}->NXM_NX_REG2[],resubmit(,"
        "30)),"
        "resubmit(,10)\n");
    check_group(&a, "sw0/port/x1/blocked",
        "  table=0,priority=1000,in_port=${port:x1} actions=drop\n");
    check_group(&a, "sw0/port/x1/local", NULL);
    dvs_host_state_destroy(&a);

    /* hB shares VLAN 21 only: t1's MAC and the MAC it learned there. */
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/t1/remote",
        "  table=10,priority=100,reg6=21,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=push_vlan:0x8100,set_field:4117->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=100,reg6=21,reg4=0,dl_dst=02:00:00:00:00:a1 "
        "actions=push_vlan:0x8100,set_field:4117->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n");
    check_group(&b, "sw0/port/x1/remote", NULL);
    dvs_host_state_destroy(&b);
    check_errors(f, "");
}

/* Port policies in a private VLAN: what a port learned is reached only
 * from the classes that reach the port (a drop for the others, not a
 * flood), also through the host's own learned flows; a promiscuous-mode
 * port gets copies only of what its class may receive. */
static void
test_pvlan_port_policies(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *iso, *com;
    struct dvs_host_state a, b;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    new_pvlan(f, sw, 100, 100, "promiscuous");
    new_pvlan(f, sw, 100, 101, "isolated");
    new_pvlan(f, sw, 100, 102, "community");
    iso = new_pvlan_pg(f, sw, "iso", 101);
    dvsrec_portgroup_set_mac_learning(iso, &yes, 1);
    com = new_pvlan_pg(f, sw, "com", 102);
    dvsrec_portgroup_set_promiscuous(com, &yes, 1);
    new_port(f, iso, "i1", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, com, "m1", "00:00:00:00:00:02", "hA", NULL);
    new_port(f, com, "m2", "00:00:00:00:00:03", "hB", NULL);
    dvs_bindings_learn(&f->bindings, "i1", "02:00:00:00:00:a1@100");

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/i1/learned",
        "  table=10,priority=90,reg6=100,reg7=100,dl_dst=02:00:00:00:00:a1 "
        "actions=clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=10,priority=80,reg6=100,dl_dst=02:00:00:00:00:a1 "
        "actions=drop\n"
        "  table=12,priority=100,reg5=${port:i1},reg6=100,reg7=100 "
        "actions=clone(load:${port:i1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=12,priority=100,reg5=${port:i1},reg6=100,reg7=101 "
        "actions=drop\n"
        "  table=12,priority=100,reg5=${port:i1},reg6=100,reg7=102 "
        "actions=drop\n");
    /* m1 sees the unicast of the promiscuous class and of its community,
     * not that of the isolated class. */
    check_group(&a, "sw0/seg/100/promiscuous",
        "  table=10,priority=210,reg0=0/0x2,reg6=100,reg7=100,"
        "dl_dst=00:00:00:00:00:02 actions=load:1->NXM_NX_REG0[1],"
        "resubmit(,10)\n"
        "  table=10,priority=210,reg0=0/0x2,reg6=100,reg7=101,"
        "dl_dst=00:00:00:00:00:02 actions=load:1->NXM_NX_REG0[1],"
        "resubmit(,10)\n"
        "  table=10,priority=210,reg0=0/0x2,reg6=100,reg7=102,"
        "dl_dst=00:00:00:00:00:02 actions=load:1->NXM_NX_REG0[1],"
        "resubmit(,10)\n"
        "  table=10,priority=200,reg0=0/0x2,reg6=100,reg7=100,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=load:1->NXM_NX_REG0[1],clone(load:${port:m1}->NXM_NX_REG2[],"
        "resubmit(,30)),resubmit(,10)\n"
        "  table=10,priority=200,reg0=0/0x2,reg6=100,reg7=101,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=load:1->NXM_NX_REG0[1],resubmit(,10)\n"
        "  table=10,priority=200,reg0=0/0x2,reg6=100,reg7=102,"
        "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
        "actions=load:1->NXM_NX_REG0[1],clone(load:${port:m1}->NXM_NX_REG2[],"
        "resubmit(,30)),resubmit(,10)\n");
    dvs_host_state_destroy(&a);

    /* From hB, only the promiscuous class is sent to i1's learned MAC;
     * m2's community frames to it are dropped, not flooded. */
    translate(f, "hB", &b);
    check_group(&b, "sw0/port/i1/remote",
        "  table=10,priority=100,reg6=100,reg4=0,reg7=100,"
        "dl_dst=00:00:00:00:00:01 actions=push_vlan:0x8100,"
        "set_field:4196->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=100,reg6=100,reg4=0,reg7=100,"
        "dl_dst=02:00:00:00:00:a1 actions=push_vlan:0x8100,"
        "set_field:4196->vlan_vid,output:NXM_NX_REG3[0..15]\n"
        "  table=10,priority=90,reg6=100,reg4=0,dl_dst=00:00:00:00:00:01 "
        "actions=drop\n"
        "  table=10,priority=90,reg6=100,reg4=0,dl_dst=02:00:00:00:00:a1 "
        "actions=drop\n");
    dvs_host_state_destroy(&b);
    check_errors(f, "");
}

/* Teaming: each port's frames leave by the uplink that its bundle_load()
 * picks, in the order its teaming keys give (basis 1: notify-switches is
 * false); frames are accepted from every uplink; a LAG becomes a LAG of
 * the bridge. */
static void
test_teaming(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *fo, *sid, *ip, *lag;
    const struct dvsrec_lag *lag1 = dvsrec_lag_insert(f->txn);
    static const int64_t one[] = { 1 }, two[] = { 1, 2 };
    static const char *uplink1[] = { "uplink1" };
    static const char *uplink2[] = { "uplink2" };
    static const char *lag1_name[] = { "lag1" };
    static const bool no = false;
    struct dvs_host_state s;
    struct ds out = DS_EMPTY_INITIALIZER;
    const struct dvs_flow_group *g;

    dvsrec_lag_set_switch_(lag1, sw);
    dvsrec_lag_set_name(lag1, "lag1");
    dvsrec_lag_set_mode(lag1, "passive");
    dvsrec_lag_set_timeout(lag1, "fast");
    dvsrec_lag_set_uplink_num(lag1, &two[1], 1);
    /* Hashed on the source IP address alone. */
    dvsrec_lag_set_load_balance(lag1, "srcIp");
    new_member(f, sw, "hA", NULL,
               "uplink1=eth1,uplink2=eth2,lag1-1=eth3,lag1-2=eth4");

    /* Explicit failover: uplink2, then standby uplink1. */
    fo = new_pg(f, sw, "fo");
    dvsrec_portgroup_set_teaming_policy(fo, "failover_explicit");
    dvsrec_portgroup_set_active_uplinks(fo, one, uplink2, 1);
    dvsrec_portgroup_set_standby_uplinks(fo, one, uplink1, 1);
    dvsrec_portgroup_set_notify_switches(fo, &no, 1);
    new_port(f, fo, "f1", "00:00:00:00:00:01", "hA", NULL);
    /* Port ID with one active uplink: it, then the standby. */
    sid = new_pg(f, sw, "sid");
    dvsrec_portgroup_set_vlan(sid, &two[1], 1);
    dvsrec_portgroup_set_active_uplinks(sid, one, uplink1, 1);
    dvsrec_portgroup_set_standby_uplinks(sid, one, uplink2, 1);
    new_port(f, sid, "s1", "00:00:00:00:00:02", "hA", NULL);
    /* IP hash over the switch's uplinks (the default active list). */
    ip = new_pg(f, sw, "ip");
    dvsrec_portgroup_set_teaming_policy(ip, "loadbalance_ip");
    new_port(f, ip, "i1", "00:00:00:00:00:03", "hA", NULL);
    /* A LAG as active uplink: a hash over its ports. */
    lag = new_pg(f, sw, "lag");
    dvsrec_portgroup_set_active_uplinks(lag, one, lag1_name, 1);
    new_port(f, lag, "l1", "00:00:00:00:00:04", "hA", NULL);

    translate(f, "hA", &s);
    dvs_host_state_format(&s, &out);
    assert_non_null(strstr(ds_cstr(&out),
        "bridge sw0: uplinks=uplink1:eth1,uplink2:eth2,lag1-1:eth3,"
        "lag1-2:eth4 lag=lag1(passive,fast,active-backup):lag1-1+lag1-2 "
        "mtu=1500"));
    assert_non_null(strstr(ds_cstr(&out),
        "in_port=${port:f1},vlan_tci=0x0000/0x1000 actions=bundle_load("
        "eth_src,1,active_backup,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:uplink2},${uplink:uplink1}),"));
    assert_non_null(strstr(ds_cstr(&out),
        "in_port=${port:s1},vlan_tci=0x0000/0x1000 actions=bundle_load("
        "eth_src,0,active_backup,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:uplink1},${uplink:uplink2}),"));
    assert_non_null(strstr(ds_cstr(&out),
        "in_port=${port:i1},vlan_tci=0x0000/0x1000 actions=bundle_load("
        "symmetric_l4,0,hrw,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:uplink1},${uplink:uplink2}),"));
    assert_non_null(strstr(ds_cstr(&out),
        "in_port=${port:l1},vlan_tci=0x0000/0x1000 actions=bundle_load("
        "nw_src,0,hrw,ofport,NXM_NX_REG3[0..15],"
        "members:${uplink:lag1-1},${uplink:lag1-2}),"));
    /* Frames of segment 0 come in from every uplink, never go out of one
     * again. */
    g = dvs_host_state_find_group(&s, "sw0/seg/0/ingress");
    assert_non_null(g);
    assert_int_equal(g->n_flows, 4);
    check_group(&s, "sw0/seg/2/flood",
        "  table=20,priority=120,reg6=2,reg4=1,reg0=0/0x4 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1},${uplink:uplink2}),"
        "load:1->NXM_NX_REG0[2],resubmit(,21)\n"
        "  table=20,priority=100,reg6=2,reg4=0 "
        "actions=clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4098->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=2,reg4=1 "
        "actions=clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=2,reg4=2 "
        "actions=clone(load:${port:s1}->NXM_NX_REG2[],resubmit(,30))\n");
    /* s1's segment floods once: the guard takes flooded frames from the
     * first live uplink of those s1 uses; segment 0 has an IP-hash port
     * (the physical switch sends each frame to one uplink): no guard. */
    assert_non_null(strstr(ds_cstr(&out),
        "table=20,priority=120,reg6=2,reg4=1,reg0=0/0x4 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1},${uplink:uplink2}),"
        "load:1->NXM_NX_REG0[2],resubmit(,21)\n"));
    assert_null(strstr(ds_cstr(&out), "priority=120,reg6=0,"));
    ds_destroy(&out);
    dvs_host_state_destroy(&s);
    check_errors(f, "");
}

/* A traffic rule of 'pg' (of 'port' if it is nonnull). */
static const struct dvsrec_traffic_rule *
new_rule(struct fixture *f, const struct dvsrec_portgroup *pg,
         const struct dvsrec_port *port, int64_t sequence,
         const char *action, const char *direction, const char *quals)
{
    const struct dvsrec_traffic_rule *r = dvsrec_traffic_rule_insert(f->txn);
    struct smap match = SMAP_INITIALIZER(&match);
    char *copy = xstrdup(quals);
    char *save_ptr = NULL;

    for (char *kv = strtok_r(copy, " ", &save_ptr); kv;
         kv = strtok_r(NULL, " ", &save_ptr)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        smap_add(&match, kv, eq + 1);
    }
    free(copy);
    dvsrec_traffic_rule_set_sequence(r, sequence);
    dvsrec_traffic_rule_set_action(r, action);
    dvsrec_traffic_rule_set_direction(r, direction);
    dvsrec_traffic_rule_set_match(r, &match);
    smap_destroy(&match);
    size_t n = port ? port->n_traffic_rules : pg->n_traffic_rules;
    struct dvsrec_traffic_rule **rules = xmalloc((n + 1) * sizeof *rules);
    memcpy(rules, port ? port->traffic_rules : pg->traffic_rules,
           n * sizeof *rules);
    rules[n] = CONST_CAST(struct dvsrec_traffic_rule *, r);
    if (port) {
        dvsrec_port_set_traffic_rules(port, rules, n + 1);
    } else {
        dvsrec_portgroup_set_traffic_rules(pg, rules, n + 1);
    }
    free(rules);
    return r;
}

/* Traffic control (tables 2-4 and 30-31): the rules in sequence order for
 * each direction, the guards, the meters; a frame to a port with outgoing
 * control goes there through a clone(); a trunk port's VLAN rule and CoS
 * marking; a rule that does not check is left out with an error. */
static void
test_traffic_control(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg, *tpg;
    const struct dvsrec_traffic_rule *r;
    int64_t trunks[] = { 10, 11 };
    int64_t dscp = 46, cos = 3, avg = 8000000, burst = 100000;
    int64_t out_avg = 16000000, out_burst = 200000;
    struct dvs_host_state a;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg1", 10);
    dvsrec_portgroup_set_dhcp_guard(pg, &yes, 1);
    dvsrec_portgroup_set_in_shaping(pg, &yes, 1);
    dvsrec_portgroup_set_in_average(pg, &avg, 1);
    dvsrec_portgroup_set_in_burst(pg, &burst, 1);
    dvsrec_portgroup_set_out_shaping(pg, &yes, 1);
    dvsrec_portgroup_set_out_average(pg, &out_avg, 1);
    dvsrec_portgroup_set_out_burst(pg, &out_burst, 1);
    new_rule(f, pg, NULL, 20, "drop", "incoming", "src_ip=10.0.0.0/8");
    r = new_rule(f, pg, NULL, 10, "tag", "both", "ip_protocol=17");
    dvsrec_traffic_rule_set_dscp(r, &dscp, 1);
    /* Written past dvs-ctl: ports without a protocol. */
    new_rule(f, pg, NULL, 30, "drop", "both", "dst_port=80");
    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL);

    tpg = new_pg(f, sw, "tpg");
    dvsrec_portgroup_set_trunks(tpg, trunks, 2);
    new_rule(f, tpg, NULL, 5, "drop", "both", "vlan=11");
    new_rule(f, tpg, NULL, 6, "drop", "both", "vlan=12");
    r = new_rule(f, tpg, NULL, 7, "tag", "outgoing", "ether_type=0x88b5");
    dvsrec_traffic_rule_set_cos(r, &cos, 1);
    new_port(f, tpg, "t1", "00:00:00:00:00:02", "hA", NULL);

    translate(f, "hA", &a);
    check_group(&a, "sw0/port/p1/traffic",
        "  table=2,priority=60001,in_port=${port:p1},ip,nw_proto=17 "
        "actions=set_field:46->ip_dscp,resubmit(,3)\n"
        "  table=2,priority=60001,in_port=${port:p1},ipv6,nw_proto=17 "
        "actions=set_field:46->ip_dscp,resubmit(,3)\n"
        "  table=2,priority=59997,in_port=${port:p1},ip,ip_src=10.0.0.0/8 "
        "actions=drop\n"
        "  table=3,priority=100,in_port=${port:p1},udp,tp_src=67 "
        "actions=drop\n"
        "  table=3,priority=100,in_port=${port:p1},udp6,tp_src=547 "
        "actions=drop\n"
        "  table=4,priority=1,in_port=${port:p1} "
        "actions=meter:${meter:p1:in:8000:800:100000:1000},resubmit(,5)\n"
        "  table=30,priority=60001,reg2=${port:p1},ip,nw_proto=17 "
        "actions=set_field:46->ip_dscp,resubmit(,31)\n"
        "  table=30,priority=60001,reg2=${port:p1},ipv6,nw_proto=17 "
        "actions=set_field:46->ip_dscp,resubmit(,31)\n"
        "  table=30,priority=1,reg2=${port:p1} actions=resubmit(,31)\n"
        "  table=31,priority=1,reg2=${port:p1} "
        "actions=meter:${meter:p1:out:16000:1600:100000:1000},"
        "output:${port:p1}\n");
    check_group(&a, "sw0/port/p1/local",
        "  table=0,priority=150,in_port=${uplink:uplink1},"
        "dl_src=00:00:00:00:00:01 actions=drop\n"
        "  table=0,priority=100,in_port=${port:p1},vlan_tci=0x0000/0x1000 "
        "actions=bundle_load(eth_src,0,active_backup,ofport,"
        "NXM_NX_REG3[0..15],members:${uplink:uplink1}),"
        "load:10->NXM_NX_REG6[],load:0->NXM_NX_REG4[],resubmit(,2)\n"
        "  table=10,priority=100,reg6=10,dl_dst=00:00:00:00:00:01 "
        "actions=clone(load:${port:p1}->NXM_NX_REG2[],resubmit(,30))\n");
    /* t1 carries VLAN 11, not 12; CoS on its tagged frames only. */
    check_group(&a, "sw0/port/t1/traffic",
        "  table=2,priority=60000,in_port=${port:t1},reg6=11 actions=drop\n"
        "  table=30,priority=60000,reg2=${port:t1},reg6=11 actions=drop\n"
        "  table=30,priority=59994,reg2=${port:t1},vlan_tci=0x1000/0x1000,"
        "dl_type=0x88b5 actions=set_field:3->vlan_pcp,resubmit(,31)\n"
        "  table=30,priority=59992,reg2=${port:t1},dl_type=0x88b5 "
        "actions=resubmit(,31)\n");
    check_group(&a, "sw0/seg/11/flood",
        "  table=20,priority=100,reg6=11,reg4=0 "
        "actions=clone(push_vlan:0x8100,set_field:4107->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30)),"
        "push_vlan:0x8100,set_field:4107->vlan_vid,"
        "output:NXM_NX_REG3[0..15]\n"
        "  table=20,priority=100,reg6=11,reg4=1 "
        "actions=clone(push_vlan:0x8100,set_field:4107->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n"
        "  table=20,priority=100,reg6=11,reg4=2 "
        "actions=clone(push_vlan:0x8100,set_field:4107->vlan_vid,"
        "load:${port:t1}->NXM_NX_REG2[],resubmit(,30))\n");
    dvs_host_state_destroy(&a);
    check_errors(f, "Port p1: traffic rule 30: dst_port needs ip_protocol 6 "
                 "(TCP) or 17 (UDP) (left out)\n");
}

/* Port mirroring. */

static const struct dvsrec_mirror_session *
new_session(struct fixture *f, const struct dvsrec_switch *sw,
            const char *name, const char *type)
{
    const struct dvsrec_mirror_session *s
        = dvsrec_mirror_session_insert(f->txn);

    dvsrec_mirror_session_set_name(s, name);
    dvsrec_mirror_session_set_switch_(s, sw);
    dvsrec_mirror_session_set_session_type(s, type);
    return s;
}

/* Returns the lines of the state of 'host' that describe mirrors and
 * IPFIX, to free. */
static char *
monitor_lines(struct fixture *f, const char *host)
{
    char *all = host_state(f, host);
    struct ds s = DS_EMPTY_INITIALIZER;
    char *save_ptr = NULL;

    for (char *line = strtok_r(all, "\n", &save_ptr); line;
         line = strtok_r(NULL, "\n", &save_ptr)) {
        if (strstr(line, "  mirror ") == line
            || strstr(line, "  ipfix: ") == line) {
            ds_put_format(&s, "%s\n", line);
        }
    }
    free(all);
    return ds_steal_cstr(&s);
}

static void
check_monitor_lines(struct fixture *f, const char *host, const char *want)
{
    char *lines = monitor_lines(f, host);
    assert_string_equal(lines, want);
    free(lines);
}

/* dvPortMirror: the Mirror selects the sources on the destination's host,
 * the copies go to the destination truncated, and the destination carries
 * no normal traffic (a blocked port) unless allowed. */
static void
test_mirror_dvport(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_mirror_session *s;
    const struct dvsrec_portgroup *pg;
    struct dvsrec_port *p1, *p2, *p3, *p4;
    struct dvs_host_state a;
    int64_t len = 100;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    p1 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL));
    p2 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p2", "00:00:00:00:00:02", "hA", NULL));
    p3 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p3", "00:00:00:00:00:03", "hA", NULL));
    p4 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p4", "00:00:00:00:00:04", "hB", NULL));
    s = new_session(f, sw, "m1", "dvPortMirror");
    dvsrec_mirror_session_set_source_rx(s, &p1, 1);
    dvsrec_mirror_session_set_source_tx(s, &p2, 1);
    dvsrec_mirror_session_set_dest_ports(s, &p3, 1);
    dvsrec_mirror_session_set_mirrored_packet_length(s, &len, 1);

    check_monitor_lines(f, "hA", "  mirror m1: select_src=p1 select_dst=p2\n");
    translate(f, "hA", &a);
    check_group(&a, "sw0/mirror/m1",
        "  table=0,priority=100,in_port=${mirror:m1} "
        "actions=output(port=${port:p3},max_len=100)\n");
    check_group(&a, "sw0/port/p3/blocked",
        "  table=0,priority=1000,in_port=${port:p3} actions=drop\n");
    dvs_host_state_destroy(&a);
    check_monitor_lines(f, "hB", "");

    /* With normal traffic, p3 is an ordinary port. */
    dvsrec_mirror_session_set_normal_traffic_allowed(s, &yes, 1);
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/p3/blocked", NULL);
    assert_non_null(dvs_host_state_find_group(&a, "sw0/port/p3/local"));
    dvs_host_state_destroy(&a);

    /* Sources on another host than the destination: nothing anywhere. */
    dvsrec_mirror_session_set_dest_ports(s, &p4, 1);
    check_monitor_lines(f, "hA", "");
    check_monitor_lines(f, "hB", "");

    /* Disabled: nothing, and the destination is not blocked. */
    dvsrec_mirror_session_set_dest_ports(s, &p3, 1);
    dvsrec_mirror_session_set_normal_traffic_allowed(s, &no, 1);
    dvsrec_mirror_session_set_enabled(s, &no, 1);
    check_monitor_lines(f, "hA", "");
    translate(f, "hA", &a);
    check_group(&a, "sw0/mirror/m1", NULL);
    check_group(&a, "sw0/port/p3/blocked", NULL);
    dvs_host_state_destroy(&a);
}

/* RSPAN source and destination, ERSPAN and GRE sources. */
static void
test_mirror_remote(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_mirror_session *rs, *rd, *er, *gre;
    const struct dvsrec_portgroup *pg;
    struct dvsrec_port *p1, *p4;
    struct dvs_host_state a, b;
    int64_t vlan = 99, vlans[] = { 99, 100 }, id = 7, len = 64;
    const char *ips[] = { "10.0.0.9", "2001:db8::9" };
    const char *uplink = "uplink1";

    new_member(f, sw, "hA", "192.168.0.1", "uplink1=eth1");
    new_member(f, sw, "hB", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    p1 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p1", "00:00:00:00:00:01", "hA", NULL));
    p4 = CONST_CAST(struct dvsrec_port *,
                    new_port(f, pg, "p4", "00:00:00:00:00:04", "hB", NULL));

    rs = new_session(f, sw, "rs", "remoteMirrorSource");
    dvsrec_mirror_session_set_source_tx(rs, &p1, 1);
    dvsrec_mirror_session_set_dest_uplinks(rs, &uplink, 1);
    dvsrec_mirror_session_set_encap_vlan(rs, &vlan, 1);
    dvsrec_mirror_session_set_strip_original_vlan(rs, &yes, 1);
    rd = new_session(f, sw, "rd", "remoteMirrorDest");
    dvsrec_mirror_session_set_source_vlans(rd, vlans, 2);
    dvsrec_mirror_session_set_dest_ports(rd, &p4, 1);
    dvsrec_mirror_session_set_normal_traffic_allowed(rd, &yes, 1);
    er = new_session(f, sw, "er", "encapsulatedRemoteMirrorSource");
    dvsrec_mirror_session_set_source_rx(er, &p1, 1);
    dvsrec_mirror_session_set_dest_ips(er, ips, 2);
    dvsrec_mirror_session_set_encap_type(er, "erspan3");
    dvsrec_mirror_session_set_erspan_id(er, &id, 1);
    dvsrec_mirror_session_set_mirrored_packet_length(er, &len, 1);
    gre = new_session(f, sw, "gre", "encapsulatedRemoteMirrorSource");
    dvsrec_mirror_session_set_source_rx(gre, &p1, 1);
    dvsrec_mirror_session_set_dest_ips(gre, ips, 1);

    check_monitor_lines(f, "hA",
        "  mirror er: select_src=p1 tunnel=erspan\n"
        "  mirror gre: select_src=p1 tunnel=gre\n"
        "  mirror rs: select_dst=p1\n");
    translate(f, "hA", &a);
    check_group(&a, "sw0/mirror/rs",
        "  table=0,priority=100,in_port=${mirror:rs},vlan_tci=0x0000/0x1000 "
        "actions=push_vlan:0x8100,set_field:4195->vlan_vid,"
        "output:${uplink:uplink1}\n"
        "  table=0,priority=100,in_port=${mirror:rs},vlan_tci=0x1000/0x1000 "
        "actions=strip_vlan,push_vlan:0x8100,set_field:4195->vlan_vid,"
        "output:${uplink:uplink1}\n");
    check_group(&a, "sw0/mirror/er",
        "  table=0,priority=100,in_port=${mirror:er} "
        "actions=set_field:10.0.0.9->tun_dst,set_field:7->tun_id,"
        "set_field:2->tun_erspan_ver,set_field:0->tun_erspan_dir,"
        "set_field:0->tun_erspan_hwid,"
        "output(port=${erspan},max_len=64),"
        "set_field:2001:db8::9->tun_ipv6_dst,set_field:7->tun_id,"
        "set_field:2->tun_erspan_ver,set_field:0->tun_erspan_dir,"
        "set_field:0->tun_erspan_hwid,output(port=${erspan},max_len=64)\n");
    check_group(&a, "sw0/mirror/gre",
        "  table=0,priority=100,in_port=${mirror:gre} "
        "actions=set_field:10.0.0.9->tun_dst,set_field:0->tun_id,"
        "output:${gre}\n");
    check_group(&a, "sw0/mirror/rd", NULL);
    /* The tunnels' underlay: the VTEP address on LOCAL. */
    const struct dvs_flow_group *base = dvs_host_state_find_group(&a,
                                                                  "sw0/base");
    assert_int_equal(base->n_flows, 16);
    dvs_host_state_destroy(&a);

    check_monitor_lines(f, "hB", "");
    translate(f, "hB", &b);
    check_group(&b, "sw0/mirror/rd",
        "  table=0,priority=1100,in_port=${uplink:uplink1},dl_vlan=100 "
        "actions=strip_vlan,output:${port:p4}\n"
        "  table=0,priority=1100,in_port=${uplink:uplink1},dl_vlan=99 "
        "actions=strip_vlan,output:${port:p4}\n");
    dvs_host_state_destroy(&b);

    /* The ERSPAN source's port moves to hB, which has no VTEP address:
     * no tunnelled copies from there. */
    dvs_bindings_set(&f->bindings, "p1", "hB", NULL, true);
    check_monitor_lines(f, "hA", "");
    check_monitor_lines(f, "hB", "  mirror rs: select_dst=p1\n");
}

/* IPFIX: the exporter of each bridge, the sampling of enabled ports. */
static void
test_ipfix(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_switch *sw = new_switch(f, "sw0");
    const struct dvsrec_portgroup *pg, *off;
    struct dvs_host_state a;
    int64_t domain = 42, rate = 100;

    new_member(f, sw, "hA", NULL, "uplink1=eth1");
    pg = new_vlan_pg(f, sw, "pg", 10);
    off = new_vlan_pg(f, sw, "off", 10);
    dvsrec_portgroup_set_ipfix(pg, &yes, 1);
    new_port(f, pg, "17", "00:00:00:00:00:01", "hA", NULL);
    new_port(f, off, "p2", "00:00:00:00:00:02", "hA", NULL);

    /* No collector, no export. */
    check_monitor_lines(f, "hA", "");
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/17/ipfix", NULL);
    dvs_host_state_destroy(&a);

    dvsrec_switch_set_ipfix_collector(sw, "10.0.0.5:4739");
    dvsrec_switch_set_ipfix_obs_domain(sw, &domain, 1);
    dvsrec_switch_set_ipfix_sampling_rate(sw, &rate, 1);
    check_monitor_lines(f, "hA",
        "  ipfix: target=10.0.0.5:4739 collector_set_id=1 obs_domain_id=42 "
        "active_timeout=60 cache_max_flows=4096\n");
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/17/ipfix",
        "  table=0,priority=900,in_port=${port:17},reg0=0/0x100 "
        "actions=sample(probability=655,collector_set_id=1,obs_domain_id=42,"
        "obs_point_id=17,ingress),load:1->NXM_NX_REG0[8],resubmit(,0)\n");
    check_group(&a, "sw0/port/p2/ipfix", NULL);
    dvs_host_state_destroy(&a);

    /* Internal flows only: what 17 sends to the MACs of the host's other
     * ports, in the base group (it depends on every port of the host). */
    dvsrec_switch_set_ipfix_internal_only(sw, &yes, 1);
    translate(f, "hA", &a);
    check_group(&a, "sw0/port/17/ipfix", NULL);
    const struct dvs_flow_group *base = dvs_host_state_find_group(&a,
                                                                  "sw0/base");
    struct ds flows = DS_EMPTY_INITIALIZER;
    dvs_flow_group_format(base, &flows);
    assert_non_null(strstr(ds_cstr(&flows),
        "  table=0,priority=900,in_port=${port:17},reg0=0/0x100,"
        "dl_dst=00:00:00:00:00:02 actions=sample(probability=655,"
        "collector_set_id=1,obs_domain_id=42,obs_point_id=17,ingress),"
        "load:1->NXM_NX_REG0[8],resubmit(,0)\n"));
    assert_null(strstr(ds_cstr(&flows), "priority=900,in_port=${port:p2}"));
    assert_null(strstr(ds_cstr(&flows), "dl_dst=00:00:00:00:00:01"));
    ds_destroy(&flows);
    dvs_host_state_destroy(&a);
}

static void
test_ipfix_numbers(void **state OVS_UNUSED)
{
    assert_int_equal(tr_ipfix_probability(0), 65535);
    assert_int_equal(tr_ipfix_probability(1), 65535);
    assert_int_equal(tr_ipfix_probability(2), 32768);
    assert_int_equal(tr_ipfix_probability(4096), 16);
    assert_int_equal(tr_ipfix_probability(16384), 4);
    assert_int_equal(tr_ipfix_obs_point_id("17"), 17);
    assert_int_equal(tr_ipfix_obs_point_id("4294967295"), 4294967295u);
    assert_int_equal(tr_ipfix_obs_point_id("4294967296"),
                     hash_string("4294967296", 0));
    assert_int_equal(tr_ipfix_obs_point_id("vm1"), hash_string("vm1", 0));
}

/* The ports bound on each host follow the bindings: a port that moves
 * leaves its old host's set, a host whose last port goes has none. */
static void
test_bindings_by_host(void **state OVS_UNUSED)
{
    struct dvs_bindings b;

    dvs_bindings_init(&b);
    assert_null(dvs_bindings_host_ports(&b, "h1"));
    dvs_bindings_set(&b, "p1", "h1", NULL, true);
    dvs_bindings_set(&b, "p2", "h1", "02:00:00:00:00:02", true);
    assert_int_equal(sset_count(dvs_bindings_host_ports(&b, "h1")), 2);

    dvs_bindings_set(&b, "p2", "h2", "02:00:00:00:00:02", false);
    assert_int_equal(sset_count(dvs_bindings_host_ports(&b, "h1")), 1);
    assert_true(sset_contains(dvs_bindings_host_ports(&b, "h1"), "p1"));
    assert_true(sset_contains(dvs_bindings_host_ports(&b, "h2"), "p2"));

    dvs_bindings_set(&b, "p2", "h2", NULL, true);
    assert_int_equal(sset_count(dvs_bindings_host_ports(&b, "h2")), 1);

    dvs_bindings_remove(&b, "p1");
    assert_null(dvs_bindings_host_ports(&b, "h1"));
    dvs_bindings_remove(&b, "p3");
    assert_int_equal(sset_count(dvs_bindings_host_ports(&b, "h2")), 1);
    dvs_bindings_destroy(&b);
}

#define FIXTURE_TEST(TEST) \
    cmocka_unit_test_setup_teardown(TEST, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        FIXTURE_TEST(test_vlan_two_hosts),
        FIXTURE_TEST(test_vlan_flood_order),
        FIXTURE_TEST(test_vxlan_three_hosts),
        FIXTURE_TEST(test_vxlan_ipv6),
        FIXTURE_TEST(test_isolation),
        FIXTURE_TEST(test_host_without_ports),
        FIXTURE_TEST(test_port_moves),
        FIXTURE_TEST(test_mac_learning),
        FIXTURE_TEST(test_forged_transmits),
        FIXTURE_TEST(test_blocked),
        FIXTURE_TEST(test_mac_changes),
        FIXTURE_TEST(test_promiscuous_and_flooding),
        FIXTURE_TEST(test_learned_macs),
        FIXTURE_TEST(test_invalid_content),
        FIXTURE_TEST(test_lldp_modes),
        FIXTURE_TEST(test_health_check),
        FIXTURE_TEST(test_vxlan_ignores_switch_vlan),
        FIXTURE_TEST(test_trunk),
        FIXTURE_TEST(test_pvlan),
        FIXTURE_TEST(test_vxlan_mtu_warning),
        FIXTURE_TEST(test_trunk_port_policies),
        FIXTURE_TEST(test_pvlan_port_policies),
        FIXTURE_TEST(test_teaming),
        FIXTURE_TEST(test_traffic_control),
        FIXTURE_TEST(test_mirror_dvport),
        FIXTURE_TEST(test_mirror_remote),
        FIXTURE_TEST(test_ipfix),
        cmocka_unit_test(test_ipfix_numbers),
        cmocka_unit_test(test_bindings_by_host),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
