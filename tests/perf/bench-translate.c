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

/* The controller's translation index alone (controller/translate.c), in
 * CPU time, on the topology of "dvs-bench control": a fresh translation
 * (dvs_translate_create() and its destruction, what a controller run
 * without a cache costs), and one after a single port changed with the
 * cache that dvs-controller keeps (dvs_translate_create_cached()), and
 * the translation that dvs-controller keeps, updated in place after one
 * port or one portgroup's VLAN changed (dvs_translate_update()).  The
 * rows live in an IDL that is never connected, so no database or network
 * takes part: CPU time is what it costs, whatever else the machine runs.
 *
 * usage: bench-translate [--hosts=N --ports=N --portgroups=N] [--runs=N] */

#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "controller/translate.h"
#include "hmapx.h"
#include "lib/dvs-idl.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "tests/perf/bench-topology.h"
#include "util.h"

static double
cpu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

int
main(int argc, char *argv[])
{
    struct bench_topology t = { 2000, 60000, 1000, false };
    unsigned int runs = 10;
    static const struct option options[] = {
        { "hosts", required_argument, NULL, 'h' },
        { "ports", required_argument, NULL, 'p' },
        { "portgroups", required_argument, NULL, 'g' },
        { "runs", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        unsigned int *n = (c == 'h' ? &t.n_hosts : c == 'p' ? &t.n_ports
                           : c == 'g' ? &t.n_portgroups
                           : c == 'r' ? &runs : NULL);
        if (!n || !optarg || !(*n = strtoul(optarg, NULL, 10))) {
            ovs_fatal(0, "usage: %s [--hosts=N --ports=N --portgroups=N] "
                      "[--runs=N] (each at least 1)", program_name);
        }
    }

    struct ovsdb_idl *idl = ovsdb_idl_create_unconnected(&dvsrec_idl_class,
                                                         true);
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    struct dvs_bindings bindings;
    static const int64_t uplink_key = 1;
    static const char *uplink_name = "uplink1";

    dvs_bindings_init(&bindings);
    const struct dvsrec_switch *sw = dvsrec_switch_insert(txn);
    dvsrec_switch_set_name(sw, "sw0");
    dvsrec_switch_set_uplink_names(sw, &uplink_key, &uplink_name, 1);
    for (unsigned int i = 0; i < t.n_hosts; i++) {
        const struct dvsrec_host *host = dvsrec_host_insert(txn);
        const struct dvsrec_host_member *m = dvsrec_host_member_insert(txn);
        struct smap uplinks = SMAP_INITIALIZER(&uplinks);
        char *name = xasprintf("h%u", i);

        dvsrec_host_set_name(host, name);
        dvsrec_host_member_set_switch_(m, sw);
        dvsrec_host_member_set_host(m, host);
        smap_add(&uplinks, "uplink1", "eth1");
        dvsrec_host_member_set_uplinks(m, &uplinks);
        smap_destroy(&uplinks);
        free(name);
    }

    const struct dvsrec_portgroup **pgs = xmalloc(t.n_portgroups
                                                  * sizeof *pgs);
    for (unsigned int g = 0; g < t.n_portgroups; g++) {
        const struct dvsrec_portgroup *pg = dvsrec_portgroup_insert(txn);
        int64_t vlan = bench_pg_segment(&t, g);
        char *name = xasprintf("pg%u", g);

        dvsrec_portgroup_set_name(pg, name);
        dvsrec_portgroup_set_switch_(pg, sw);
        dvsrec_portgroup_set_vlan(pg, &vlan, 1);
        pgs[g] = pg;
        free(name);
    }

    const struct dvsrec_port **ports = xmalloc(t.n_ports * sizeof *ports);
    for (unsigned int i = 0; i < t.n_ports; i++) {
        const struct dvsrec_port *port = dvsrec_port_insert(txn);
        char *name = xasprintf("p%u", i);
        char *host = xasprintf("h%u", bench_port_host(&t, i));
        char mac[18];

        bench_port_mac(i, mac);
        dvsrec_port_set_name(port, name);
        dvsrec_port_set_portgroup(port, pgs[bench_port_pg(&t, i)]);
        dvsrec_port_set_mac(port, mac);
        dvs_bindings_set(&bindings, name, host, mac, true);
        ports[i] = port;
        free(name);
        free(host);
    }

    /* Without a cache, as every controller run was. */
    double start = cpu_ms();
    for (unsigned int r = 0; r < runs; r++) {
        dvs_translate_destroy(dvs_translate_create(idl, &bindings));
    }
    double fresh = (cpu_ms() - start) / runs;

    /* With the controller's cache, after one port's row changed. */
    struct dvs_translate_cache *cache = dvs_translate_cache_create();
    dvs_translate_destroy(dvs_translate_create_cached(idl, &bindings,
                                                      cache));
    start = cpu_ms();
    for (unsigned int r = 0; r < runs; r++) {
        const struct dvsrec_port *port = ports[r % t.n_ports];
        bool yes = r % 2;

        dvsrec_port_set_promiscuous(port, &yes, 1);
        dvs_translate_cache_forget_port(cache, &port->header_.uuid);
        dvs_translate_destroy(dvs_translate_create_cached(idl, &bindings,
                                                          cache));
    }
    double cached = (cpu_ms() - start) / runs;

    /* Kept and updated in place, as dvs-controller does.  Cheaper: more
     * runs for the same precision. */
    unsigned int update_runs = runs * 100;
    struct dvs_translate *tr = dvs_translate_create_cached(idl, &bindings,
                                                           cache);
    struct hmapx changed_ports = HMAPX_INITIALIZER(&changed_ports);
    struct hmapx changed_pgs = HMAPX_INITIALIZER(&changed_pgs);

    start = cpu_ms();
    for (unsigned int r = 0; r < update_runs; r++) {
        const struct dvsrec_port *port = ports[r % t.n_ports];
        bool yes = r % 2;

        dvsrec_port_set_promiscuous(port, &yes, 1);
        dvs_translate_cache_forget_port(cache, &port->header_.uuid);
        hmapx_clear(&changed_ports);
        hmapx_add(&changed_ports, CONST_CAST(struct dvsrec_port *, port));
        if (!dvs_translate_update(tr, &changed_ports, &changed_pgs)) {
            ovs_fatal(0, "a port's policy could not be updated in place");
        }
    }
    double port_update = (cpu_ms() - start) / update_runs;

    /* A portgroup's VLAN, to one no other portgroup has and back. */
    hmapx_clear(&changed_ports);
    start = cpu_ms();
    for (unsigned int r = 0; r < update_runs; r++) {
        unsigned int g = (r / 2) % t.n_portgroups;
        const struct dvsrec_portgroup *pg = pgs[g];
        int64_t vlan = r % 2 ? bench_pg_segment(&t, g) : 4000;

        dvsrec_portgroup_set_vlan(pg, &vlan, 1);
        dvs_translate_cache_forget_portgroup(cache, &pg->header_.uuid);
        hmapx_clear(&changed_pgs);
        hmapx_add(&changed_pgs, CONST_CAST(struct dvsrec_portgroup *, pg));
        if (!dvs_translate_update(tr, &changed_ports, &changed_pgs)) {
            ovs_fatal(0, "a portgroup's VLAN could not be updated in place");
        }
    }
    double pg_update = (cpu_ms() - start) / update_runs;
    dvs_translate_destroy(tr);
    hmapx_destroy(&changed_ports);
    hmapx_destroy(&changed_pgs);

    printf("Translation index: %u hosts, %u ports, %u portgroups, "
           "%u runs\n", t.n_hosts, t.n_ports, t.n_portgroups, runs);
    printf("%-46s %10.1f\n", "fresh translation, CPU (ms)", fresh);
    printf("%-46s %10.1f\n", "with the cache, one port changed, CPU (ms)",
           cached);
    printf("%-46s %10.3f\n", "updated in place, one port changed (ms)",
           port_update);
    printf("%-46s %10.3f\n", "updated in place, one portgroup's VLAN (ms)",
           pg_update);
    printf("BENCH-TRANSLATE {\"hosts\":%u,\"ports\":%u,\"portgroups\":%u,"
           "\"fresh_ms\":%.1f,\"cached_ms\":%.1f,\"port_update_ms\":%.3f,"
           "\"pg_update_ms\":%.3f}\n", t.n_hosts, t.n_ports, t.n_portgroups,
           fresh, cached, port_update, pg_update);

    dvs_translate_cache_destroy(cache);
    dvs_bindings_destroy(&bindings);
    ovsdb_idl_txn_destroy(txn);
    ovsdb_idl_destroy(idl);
    free(pgs);
    free(ports);
    return 0;
}
