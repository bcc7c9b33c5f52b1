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

/* Unit tests for controller/incremental.c: random sequences of changes to
 * a configuration (IDL rows) and to the bindings, each followed by the
 * partial recomputation that dvs-controller makes, after which every
 * host's state, and what an agent that applied the updates holds, must be
 * exactly what a full translation gives.  The recomputations translate
 * with a cache kept across changes (told what changed, as dvs-controller
 * tells it from the database's change tracking), the full translations
 * without: their states and errors must be the same. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "controller/incremental.h"
#include "controller/translate.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-state.h"
#include "hmapx.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "random.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

#include "tests/test-dvs.h"

#define N_HOSTS 5
#define N_PORTS 24
#define N_MACS 6                /* Few, so that ports share them. */

struct fixture {
    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    struct dvs_bindings bindings;
    const struct dvsrec_switch *sw;
    const struct dvsrec_portgroup *pgs[6];
    size_t n_pgs;
    const struct dvsrec_port *ports[N_PORTS];

    struct incr incr;
    struct dvs_translate_cache *cache;      /* Kept across changes. */
    struct dvs_translate *tr;   /* Kept across changes, updated in place
                                 * (dvs_translate_update()). */
    size_t n_updates;           /* Updates in place that succeeded. */
    struct dvs_host_state states[N_HOSTS];  /* Maintained. */
    struct dvs_host_state agents[N_HOSTS];  /* Updates applied. */
    uint64_t generation;
    size_t n_partial;           /* Hosts recomputed partially. */
};

static const char *
host_name(int i)
{
    static const char *names[N_HOSTS] = { "h0", "h1", "h2", "h3", "h4" };
    return names[i];
}

static const char *
mac_name(int i)
{
    static const char *macs[N_MACS] = {
        "00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03",
        "00:00:00:00:00:04", "00:00:00:00:00:05", "00:00:00:00:00:06",
    };
    return macs[i];
}

static const struct dvsrec_portgroup *
new_pg(struct fixture *f, const char *name)
{
    const struct dvsrec_portgroup *pg = dvsrec_portgroup_insert(f->txn);

    dvsrec_portgroup_set_name(pg, name);
    dvsrec_portgroup_set_switch_(pg, f->sw);
    f->pgs[f->n_pgs++] = pg;
    return pg;
}

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    static const int64_t keys[] = { 1 };
    static const char *values[] = { "uplink1" };

    random_set_seed(0x5eed);
    f->idl = ovsdb_idl_create_unconnected(&dvsrec_idl_class, true);
    f->txn = ovsdb_idl_txn_create(f->idl);
    dvs_bindings_init(&f->bindings);
    incr_init(&f->incr);
    f->cache = dvs_translate_cache_create();

    f->sw = dvsrec_switch_insert(f->txn);
    dvsrec_switch_set_name(f->sw, "sw0");
    dvsrec_switch_set_uplink_names(f->sw, keys, values, 1);
    for (int i = 0; i < N_HOSTS; i++) {
        const struct dvsrec_host *host = dvsrec_host_insert(f->txn);
        const struct dvsrec_host_member *m
            = dvsrec_host_member_insert(f->txn);
        struct smap uplinks = SMAP_INITIALIZER(&uplinks);
        char *vtep = xasprintf("10.0.0.%d", i + 1);

        dvsrec_host_set_name(host, host_name(i));
        dvsrec_host_member_set_switch_(m, f->sw);
        dvsrec_host_member_set_host(m, host);
        dvsrec_host_member_set_vtep_ip(m, vtep);
        smap_add(&uplinks, "uplink1", "eth1");
        dvsrec_host_member_set_uplinks(m, &uplinks);
        smap_destroy(&uplinks);
        free(vtep);
        dvs_host_state_init(&f->states[i]);
        dvs_host_state_init(&f->agents[i]);
    }

    /* Private VLAN 100: promiscuous 100, isolated 101, community 102. */
    static const struct { int64_t primary, secondary; const char *type; }
    pvlans[] = {
        { 100, 100, "promiscuous" }, { 100, 101, "isolated" },
        { 100, 102, "community" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(pvlans); i++) {
        const struct dvsrec_pvlan_entry *e
            = dvsrec_pvlan_entry_insert(f->txn);
        dvsrec_pvlan_entry_set_switch_(e, f->sw);
        dvsrec_pvlan_entry_set_primary_vlan(e, pvlans[i].primary);
        dvsrec_pvlan_entry_set_secondary_vlan(e, pvlans[i].secondary);
        dvsrec_pvlan_entry_set_type(e, pvlans[i].type);
    }

    int64_t vlan10 = 10, vlan20 = 20, vni = 5000, isolated = 101;
    int64_t community = 102, trunks[] = { 10, 20, 30 };
    dvsrec_portgroup_set_vlan(new_pg(f, "pg10"), &vlan10, 1);
    dvsrec_portgroup_set_vlan(new_pg(f, "pg20"), &vlan20, 1);
    dvsrec_portgroup_set_vni(new_pg(f, "vx"), &vni, 1);
    dvsrec_portgroup_set_trunks(new_pg(f, "trunk"), trunks, 3);
    dvsrec_portgroup_set_pvlan(new_pg(f, "iso"), &isolated, 1);
    dvsrec_portgroup_set_pvlan(new_pg(f, "com"), &community, 1);

    for (int i = 0; i < N_PORTS; i++) {
        const struct dvsrec_port *port = dvsrec_port_insert(f->txn);
        char *name = xasprintf("p%02d", i);

        dvsrec_port_set_name(port, name);
        dvsrec_port_set_portgroup(port, f->pgs[i % f->n_pgs]);
        f->ports[i] = port;
        free(name);
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    for (int i = 0; i < N_HOSTS; i++) {
        dvs_host_state_destroy(&f->states[i]);
        dvs_host_state_destroy(&f->agents[i]);
    }
    incr_destroy(&f->incr);
    dvs_translate_destroy(f->tr);
    dvs_translate_cache_destroy(f->cache);
    ovsdb_idl_txn_destroy(f->txn);
    ovsdb_idl_destroy(f->idl);
    dvs_bindings_destroy(&f->bindings);
    free(f);
    return 0;
}

/* Applies 'update' to what host 'i''s agent holds, as dvs-agent does. */
static void
agent_apply(struct fixture *f, int i, struct Dvs__StateUpdate *update)
{
    char *error = dvs_state_update_apply(&f->agents[i], update);

    if (error) {
        fprintf(stderr, "update for %s refused: %s\n", host_name(i), error);
    }
    assert_null(error);
    dvs_state_update_free(update);
}

/* A full recomputation of every host, as after a switch-wide change. */
static void
recompute_all(struct fixture *f)
{
    dvs_translate_destroy(f->tr);
    f->tr = dvs_translate_create_cached(f->idl, &f->bindings, f->cache);

    const struct dvs_translate *tr = f->tr;

    for (int i = 0; i < N_HOSTS; i++) {
        struct dvs_host_state new;

        dvs_host_state_init(&new);
        dvs_translate_host(tr, host_name(i), &new);
        agent_apply(f, i, dvs_state_update_diff(&f->states[i], &new,
                                                ++f->generation, "e"));
        incr_set_state(&f->incr, host_name(i), &f->states[i], &new);
        dvs_host_state_swap(&f->states[i], &new);
        dvs_host_state_destroy(&new);
    }
    incr_remember_ports(&f->incr, tr, NULL);
}

static int
host_index(const char *name)
{
    for (int i = 0; i < N_HOSTS; i++) {
        if (!strcmp(name, host_name(i))) {
            return i;
        }
    }
    OVS_NOT_REACHED();
}

static void
update_hosts(struct fixture *f, const struct dvs_translate *tr,
             const struct dvs_translate_scope *scope,
             const struct sset *hosts)
{
    const char *name;

    SSET_FOR_EACH (name, hosts) {
        int i = host_index(name);

        agent_apply(f, i, incr_update_host(&f->incr, tr, scope, name,
                                           &f->states[i], ++f->generation,
                                           "e"));
        f->n_partial++;
    }
}

/* Brings the translation up to date after 'ports' (and the bound ports
 * of portgroup 'pg', if nonnull) changed, in place if it can, as
 * dvs-controller does. */
static void
update_translation(struct fixture *f, const struct sset *ports,
                   const char *pg)
{
    struct hmapx port_rows = HMAPX_INITIALIZER(&port_rows);
    struct hmapx pg_rows = HMAPX_INITIALIZER(&pg_rows);

    for (size_t i = 0; i < N_PORTS; i++) {
        if (sset_contains(ports, f->ports[i]->name)) {
            hmapx_add(&port_rows, CONST_CAST(struct dvsrec_port *,
                                             f->ports[i]));
        }
    }
    for (size_t i = 0; pg && i < f->n_pgs; i++) {
        if (!strcmp(f->pgs[i]->name, pg)) {
            hmapx_add(&pg_rows, CONST_CAST(struct dvsrec_portgroup *,
                                           f->pgs[i]));
        }
    }
    if (dvs_translate_update(f->tr, &port_rows, &pg_rows)) {
        f->n_updates++;
    } else {
        dvs_translate_destroy(f->tr);
        f->tr = dvs_translate_create_cached(f->idl, &f->bindings, f->cache);
    }
    hmapx_destroy(&port_rows);
    hmapx_destroy(&pg_rows);
}

/* The partial recomputation after 'ports' (and the bound ports of
 * portgroup 'pg', if nonnull) changed, as dvs-controller makes it. */
static void
recompute_changed(struct fixture *f, struct sset *ports, const char *pg)
{
    update_translation(f, ports, pg);

    const struct dvs_translate *tr = f->tr;
    struct dvs_translate_scope wide, narrow;
    struct sset wide_hosts = SSET_INITIALIZER(&wide_hosts);
    struct sset narrow_hosts = SSET_INITIALIZER(&narrow_hosts);
    struct shash own_scopes = SHASH_INITIALIZER(&own_scopes);
    struct shash_node *node;

    if (pg) {
        dvs_translate_portgroup_ports(tr, pg, ports);
    }
    dvs_translate_scope_init(&wide);
    dvs_translate_scope_init(&narrow);
    incr_scope(&f->incr, tr, ports, &wide, &wide_hosts, &narrow,
               &narrow_hosts, &own_scopes);
    update_hosts(f, tr, &wide, &wide_hosts);
    update_hosts(f, tr, &narrow, &narrow_hosts);
    SHASH_FOR_EACH (node, &own_scopes) {
        struct sset host = SSET_INITIALIZER(&host);

        sset_add(&host, node->name);
        update_hosts(f, tr, node->data, &host);
        sset_destroy(&host);
    }
    incr_own_scopes_destroy(&own_scopes);
    incr_remember_ports(&f->incr, tr, ports);
    dvs_translate_scope_destroy(&wide);
    dvs_translate_scope_destroy(&narrow);
    sset_destroy(&wide_hosts);
    sset_destroy(&narrow_hosts);
}

/* Checks that translation 'cached' ('kind') gives the same states and
 * errors as 'fresh', made without a cache. */
static void
check_same(struct fixture *f, const struct dvs_translate *fresh,
           const struct dvs_translate *cached, const char *kind, int step,
           const char *what)
{
    struct ds a = DS_EMPTY_INITIALIZER, b = DS_EMPTY_INITIALIZER;

    for (int i = 0; i < N_HOSTS; i++) {
        struct dvs_host_state x, y;

        dvs_host_state_init(&x);
        dvs_host_state_init(&y);
        dvs_translate_host(fresh, host_name(i), &x);
        dvs_translate_host(cached, host_name(i), &y);
        if (!dvs_host_state_equal(&x, &y)) {
            dvs_host_state_format(&x, &a);
            dvs_host_state_format(&y, &b);
            fprintf(stderr, "step %d (%s): host %s differs\nfresh:\n%s\n"
                    "%s:\n%s\n", step, what, host_name(i), ds_cstr(&a),
                    kind, ds_cstr(&b));
            fail();
        }
        dvs_host_state_destroy(&x);
        dvs_host_state_destroy(&y);
    }
    dvs_translate_format_errors(fresh, &a);
    dvs_translate_format_errors(cached, &b);
    if (strcmp(ds_cstr(&a), ds_cstr(&b))) {
        fprintf(stderr, "step %d (%s): errors differ\nfresh:\n%s\n"
                "%s:\n%s\n", step, what, ds_cstr(&a), kind, ds_cstr(&b));
        fail();
    }
    ds_destroy(&a);
    ds_destroy(&b);
}

/* Checks a new translation with the cache, and the one updated in place,
 * against 'fresh'. */
static void
check_cached(struct fixture *f, const struct dvs_translate *fresh,
             int step, const char *what)
{
    struct dvs_translate *cached = dvs_translate_create_cached(f->idl,
                                                               &f->bindings,
                                                               f->cache);

    check_same(f, fresh, cached, "cached", step, what);
    check_same(f, fresh, f->tr, "updated in place", step, what);
    dvs_translate_destroy(cached);
}

/* Checks every host's maintained state and agent's state against a full
 * translation, and the index of where each port's groups are. */
static void
check_states(struct fixture *f, int step, const char *what)
{
    struct dvs_translate *tr = dvs_translate_create(f->idl, &f->bindings);
    struct shash expected = SHASH_INITIALIZER(&expected);

    check_cached(f, tr, step, what);

    for (int i = 0; i < N_HOSTS; i++) {
        struct dvs_host_state full;

        dvs_host_state_init(&full);
        dvs_translate_host(tr, host_name(i), &full);
        if (!dvs_host_state_equal(&full, &f->states[i])
            || !dvs_host_state_equal(&full, &f->agents[i])) {
            struct ds a = DS_EMPTY_INITIALIZER, b = DS_EMPTY_INITIALIZER;
            struct ds c = DS_EMPTY_INITIALIZER;

            dvs_host_state_format(&full, &a);
            dvs_host_state_format(&f->states[i], &b);
            dvs_host_state_format(&f->agents[i], &c);
            fprintf(stderr, "step %d (%s): host %s differs\nfull:\n%s\n"
                    "incremental:\n%s\nagent:\n%s\n", step, what,
                    host_name(i), ds_cstr(&a), ds_cstr(&b), ds_cstr(&c));
            ds_destroy(&a);
            ds_destroy(&b);
            ds_destroy(&c);
            fail();
        }

        const struct dvs_flow_group *g;
        DVS_HOST_STATE_FOR_EACH_GROUP (g, &full) {
            const char *p = strstr(g->key, "/port/");
            if (p) {
                p += strlen("/port/");
                char *port = xmemdup0(p, strrchr(p, '/') - p);
                struct sset *hosts = shash_find_data(&expected, port);
                if (!hosts) {
                    hosts = xmalloc(sizeof *hosts);
                    sset_init(hosts);
                    shash_add(&expected, port, hosts);
                }
                sset_add(hosts, host_name(i));
                free(port);
            }
        }
        dvs_host_state_destroy(&full);
    }

    /* The index of where each port's groups are. */
    assert_int_equal(shash_count(&expected),
                     shash_count(&f->incr.port_hosts));
    struct shash_node *node;
    SHASH_FOR_EACH (node, &expected) {
        const struct sset *hosts = shash_find_data(&f->incr.port_hosts,
                                                   node->name);
        assert_non_null(hosts);
        assert_true(sset_equals(hosts, node->data));
        sset_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&expected);
    dvs_translate_destroy(tr);
}

/* One random change; returns what it was, for the failure message, and
 * recomputes what it reaches. */
static const char *
random_change(struct fixture *f)
{
    int port = random_range(N_PORTS);
    const struct dvsrec_port *row = f->ports[port];
    struct sset ports = SSET_INITIALIZER(&ports);
    const char *pg = NULL;
    const char *what;

    sset_add(&ports, row->name);
    switch (random_range(12)) {
    case 0: case 1: case 2:
        what = "bind";
        dvs_bindings_set(&f->bindings, row->name,
                         host_name(random_range(N_HOSTS)),
                         random_range(3) ? mac_name(random_range(N_MACS))
                                         : NULL, true);
        break;
    case 3:
        what = "unbind";
        dvs_bindings_remove(&f->bindings, row->name);
        break;
    case 4:
        what = "portgroup";
        dvsrec_port_set_portgroup(row, f->pgs[random_range(f->n_pgs)]);
        dvs_translate_cache_forget_port(f->cache, &row->header_.uuid);
        break;
    case 5:
        what = "mac";
        dvsrec_port_set_mac(row, (random_range(3)
                                  ? mac_name(random_range(N_MACS)) : NULL));
        dvs_translate_cache_forget_port(f->cache, &row->header_.uuid);
        break;
    case 6: {
        /* A learned MAC leaves the other ports that had it. */
        char *entry = xstrdup(mac_name(random_range(N_MACS)));
        struct shash_node *node;

        what = "learn";
        SHASH_FOR_EACH (node, &f->bindings.learned) {
            if (strcmp(node->name, row->name)
                && sset_contains(node->data, entry)) {
                sset_add(&ports, node->name);
            }
        }
        dvs_bindings_learn(&f->bindings, row->name, entry);
        dvs_bindings_forget_mac(&f->bindings, row->name, entry);
        free(entry);
        break;
    }
    case 7:
        what = "forget";
        dvs_bindings_forget(&f->bindings, row->name,
                            mac_name(random_range(N_MACS)));
        break;
    case 8: {
        /* A port's own policy, which counts where its portgroup allows
         * overrides: blocked takes it out of its segments, the others
         * leave it where it is. */
        bool yes = random_range(2);

        switch (random_range(4)) {
        case 0:
            what = "port mac-changes";
            dvsrec_port_set_mac_changes(row, &yes, 1);
            break;
        case 1:
            what = "port promiscuous";
            dvsrec_port_set_promiscuous(row, &yes, 1);
            break;
        case 2:
            what = "port blocked";
            dvsrec_port_set_blocked(row, &yes, 1);
            break;
        default:
            what = "port forged-transmits";
            dvsrec_port_set_forged_transmits(row, &yes, 1);
            break;
        }
        dvs_translate_cache_forget_port(f->cache, &row->header_.uuid);
        break;
    }
    case 9:
        if (!random_range(4)) {
            /* Switch-wide: dvs-controller recomputes every host. */
            bool yes = random_range(2);

            what = "switch mac-changes";
            dvsrec_switch_set_mac_changes(f->sw, &yes, 1);
            dvs_translate_cache_clear(f->cache);
            recompute_all(f);
            sset_destroy(&ports);
            return what;
        }
        /* Fall through. */
    default: {
        const struct dvsrec_portgroup *g = f->pgs[random_range(f->n_pgs)];
        bool yes = random_range(2);
        int64_t vlan = 10 + 10 * random_range(3);

        pg = g->name;
        dvs_translate_cache_forget_portgroup(f->cache, &g->header_.uuid);
        switch (random_range(9)) {
        case 7:
            what = "portgroup mac-changes";
            dvsrec_portgroup_set_mac_changes(g, &yes, 1);
            break;
        case 8: {
            /* Whether its ports' own policies count. */
            const char *key = "security";

            what = "portgroup override security";
            dvsrec_portgroup_set_override_allowed(g, &key, &yes, 1);
            break;
        }
        case 5:
            /* Outputs to its ports go through the outgoing tables. */
            what = "portgroup out-shaping";
            dvsrec_portgroup_set_out_shaping(g, &yes, 1);
            break;
        case 6:
            /* Its ports' frames go through the incoming tables. */
            what = "portgroup dhcp-guard";
            dvsrec_portgroup_set_dhcp_guard(g, &yes, 1);
            break;
        case 0:
            what = "portgroup promiscuous";
            dvsrec_portgroup_set_promiscuous(g, &yes, 1);
            break;
        case 1:
            what = "portgroup mac-learning";
            dvsrec_portgroup_set_mac_learning(g, &yes, 1);
            break;
        case 2:
            what = "portgroup blocked";
            dvsrec_portgroup_set_blocked(g, &yes, 1);
            break;
        case 3:
            what = "portgroup forged-transmits";
            dvsrec_portgroup_set_forged_transmits(g, &yes, 1);
            break;
        default:
            what = "portgroup vlan";
            if (g->n_vlan) {
                dvsrec_portgroup_set_vlan(g, &vlan, 1);
            }
            break;
        }
        /* The portgroup's ports before the change, too. */
        struct dvs_translate *tr = dvs_translate_create(f->idl,
                                                        &f->bindings);
        dvs_translate_portgroup_ports(tr, pg, &ports);
        dvs_translate_destroy(tr);
        break;
    }
    }
    recompute_changed(f, &ports, pg);
    sset_destroy(&ports);
    return what;
}

static void
test_random_changes(void **state)
{
    struct fixture *f = *state;

    recompute_all(f);
    check_states(f, 0, "start");
    for (int step = 1; step <= 1500; step++) {
        const char *what = random_change(f);
        check_states(f, step, what);
    }
    /* The changes were recomputed partially, not host by host whole, with
     * the translation updated in place. */
    assert_true(f->n_partial > 0);
    assert_true(f->n_updates > 0);
}

/* Binds the ports of pg10 (p00, p06, p12, p18) on h0, h1, h2, h3, each
 * with its own MAC, and recomputes every host. */
static void
bind_pg10(struct fixture *f)
{
    for (int i = 0; i < N_PORTS; i++) {
        if (f->ports[i]->portgroup == f->pgs[0]) {
            dvs_bindings_set(&f->bindings, f->ports[i]->name,
                             host_name(i % N_HOSTS),
                             mac_name(i % N_MACS), true);
        }
    }
    recompute_all(f);
}

/* As bind_pg10(), with pg10's ports allowed their own security policy. */
static void
bind_pg10_with_own_policies(struct fixture *f)
{
    const char *gate = "security";
    bool allowed = true;

    dvsrec_portgroup_set_override_allowed(f->pgs[0], &gate, &allowed, 1);
    dvs_translate_cache_forget_portgroup(f->cache, &f->pgs[0]->header_.uuid);
    bind_pg10(f);
}

/* The scopes of a change of 'ports', as incr_scope() makes them with a
 * fresh translation. */
struct scopes {
    struct dvs_translate *tr;
    struct dvs_translate_scope wide, narrow;
    struct sset wide_hosts, narrow_hosts;
    struct shash own_scopes;
};

static void
scopes_compute(struct fixture *f, const struct sset *ports, struct scopes *s)
{
    s->tr = dvs_translate_create(f->idl, &f->bindings);
    dvs_translate_scope_init(&s->wide);
    dvs_translate_scope_init(&s->narrow);
    sset_init(&s->wide_hosts);
    sset_init(&s->narrow_hosts);
    shash_init(&s->own_scopes);
    incr_scope(&f->incr, s->tr, ports, &s->wide, &s->wide_hosts,
               &s->narrow, &s->narrow_hosts, &s->own_scopes);
}

static void
scopes_destroy(struct scopes *s)
{
    dvs_translate_scope_destroy(&s->wide);
    dvs_translate_scope_destroy(&s->narrow);
    sset_destroy(&s->wide_hosts);
    sset_destroy(&s->narrow_hosts);
    incr_own_scopes_destroy(&s->own_scopes);
    dvs_translate_destroy(s->tr);
}

/* A port bound in a segment that its host had no port in: its host gets
 * the segment's groups again, the other hosts of the segment only what
 * the port changes.  Bound beside another port of its segment, its host
 * has the segment's groups already and needs only what the port changes
 * too. */
static void
test_scope_is_narrow(void **state)
{
    struct fixture *f = *state;

    bind_pg10(f);

    const struct dvsrec_port *p = f->ports[0];
    struct sset ports = SSET_INITIALIZER(&ports);
    dvs_bindings_remove(&f->bindings, p->name);
    recompute_all(f);
    sset_add(&ports, p->name);

    /* The other ports of pg10 (p06, p12, p18) are on h1, h2, h3. */
    for (int beside = 0; beside < 2; beside++) {
        dvs_bindings_set(&f->bindings, p->name, beside ? "h1" : "h4",
                         "00:00:00:00:00:99", true);

        struct scopes s;
        scopes_compute(f, &ports, &s);
        if (beside) {
            assert_int_equal(sset_count(&s.wide_hosts), 0);
            assert_int_equal(sset_count(&s.narrow_hosts), 3);
            assert_true(sset_contains(&s.narrow_hosts, "h1"));
        } else {
            assert_int_equal(sset_count(&s.wide_hosts), 1);
            assert_true(sset_contains(&s.wide_hosts, "h4"));
            assert_int_equal(sset_count(&s.narrow_hosts), 3);
            assert_true(sset_contains(&s.narrow_hosts, "h1"));
            assert_true(sset_count(&s.wide.ports) > 1);
        }
        assert_true(sset_contains(&s.narrow_hosts, "h2"));
        assert_true(sset_contains(&s.narrow_hosts, "h3"));
        /* No other port claims its MAC: the narrow scope is the port
         * alone. */
        assert_int_equal(sset_count(&s.narrow.ports), 1);
        scopes_destroy(&s);
    }

    /* And the states that the narrow scope gives are exact. */
    recompute_changed(f, &ports, NULL);
    check_states(f, 0, "bound beside another port of its segment");
    sset_destroy(&ports);
}

/* A change of a port's policy that leaves it on its host and in its
 * segments, with its MAC: no host gets a segment's groups again, and only
 * its own host gets anything (the other hosts see the port as before), and
 * the states are still exact. */
static void
test_policy_change_is_narrow(void **state)
{
    struct fixture *f = *state;

    bind_pg10_with_own_policies(f);

    const struct dvsrec_port *p = f->ports[0];
    struct sset ports = SSET_INITIALIZER(&ports);
    bool yes = true;
    dvsrec_port_set_forged_transmits(p, &yes, 1);
    dvs_translate_cache_forget_port(f->cache, &p->header_.uuid);
    sset_add(&ports, p->name);

    struct scopes s;
    scopes_compute(f, &ports, &s);
    assert_int_equal(sset_count(&s.wide_hosts), 0);
    assert_int_equal(sset_count(&s.narrow_hosts), 0);
    assert_int_equal(shash_count(&s.own_scopes), 1);
    assert_non_null(shash_find(&s.own_scopes,
                               dvs_translate_port_host(s.tr, p->name)));
    scopes_destroy(&s);

    /* The policy reaches the port's host, exactly. */
    recompute_changed(f, &ports, NULL);
    check_states(f, 0, "port forged-transmits");
    sset_destroy(&ports);
}

/* A port of private VLAN 100 moves from the isolated portgroup to the
 * community one: the same host, the same segment and the same MAC, but
 * another class, which the other hosts' flows to its MAC tell apart.  Its
 * own host's scope is not enough: every host of the segment gets it. */
static void
test_class_change_reaches_other_hosts(void **state)
{
    struct fixture *f = *state;
    const struct dvsrec_portgroup *iso = f->pgs[4], *com = f->pgs[5];

    assert_string_equal(iso->name, "iso");
    assert_string_equal(com->name, "com");
    for (int i = 0; i < N_PORTS; i++) {
        if (f->ports[i]->portgroup == iso || f->ports[i]->portgroup == com) {
            char *mac = xasprintf("00:00:00:00:02:%02x", i);
            dvs_bindings_set(&f->bindings, f->ports[i]->name,
                             host_name(i % N_HOSTS), mac, true);
            free(mac);
        }
    }
    recompute_all(f);

    const struct dvsrec_port *p = f->ports[4];
    struct sset ports = SSET_INITIALIZER(&ports);
    assert_ptr_equal(p->portgroup, iso);
    dvsrec_port_set_portgroup(p, com);
    dvs_translate_cache_forget_port(f->cache, &p->header_.uuid);
    sset_add(&ports, p->name);

    struct scopes s;
    scopes_compute(f, &ports, &s);
    assert_int_equal(shash_count(&s.own_scopes), 0);
    assert_true(sset_count(&s.narrow_hosts) > 1);
    scopes_destroy(&s);

    recompute_changed(f, &ports, NULL);
    check_states(f, 0, "isolated to community");
    sset_destroy(&ports);
}

/* Several ports of one segment change in one run: the policy of some (they
 * keep their place and may be replaced alone) and the MAC of another (its
 * segment is taken apart and made again, with every port of it).  Whatever
 * order the update meets them in, the states are exact (and no port is
 * replaced alone in a segment already taken apart, which would free it
 * twice). */
static void
test_policy_and_mac_changes_in_one_segment(void **state)
{
    struct fixture *f = *state;

    bind_pg10_with_own_policies(f);

    const struct dvsrec_port *pg10[4];
    size_t n = 0;
    for (int i = 0; i < N_PORTS && n < ARRAY_SIZE(pg10); i++) {
        if (f->ports[i]->portgroup == f->pgs[0]) {
            pg10[n++] = f->ports[i];
        }
    }
    assert_int_equal(n, ARRAY_SIZE(pg10));

    /* In each round another port's guest changes its MAC. */
    for (int round = 0; round < 8; round++) {
        struct sset ports = SSET_INITIALIZER(&ports);
        bool yes = round % 2;

        for (size_t i = 0; i < n; i++) {
            const struct dvsrec_port *p = pg10[i];
            if (i == round % n) {
                const struct dvs_binding *b = dvs_bindings_find(&f->bindings,
                                                                p->name);
                char *host = xstrdup(b->host);
                char *mac = xasprintf("00:00:00:00:01:%02x", round);
                dvs_bindings_set(&f->bindings, p->name, host, mac, true);
                free(host);
                free(mac);
            } else {
                dvsrec_port_set_forged_transmits(p, &yes, 1);
            }
            dvs_translate_cache_forget_port(f->cache, &p->header_.uuid);
            sset_add(&ports, p->name);
        }
        recompute_changed(f, &ports, NULL);
        check_states(f, round, "policies and a MAC in one segment");
        sset_destroy(&ports);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scope_is_narrow, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_policy_and_mac_changes_in_one_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_class_change_reaches_other_hosts,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_change_is_narrow, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
