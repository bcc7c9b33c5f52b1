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

#ifndef BENCH_TOPOLOGY_H
#define BENCH_TOPOLOGY_H 1

/* The synthetic network of the control-plane benchmark.
 *
 * One switch "sw0" with H hosts (h0 ... h<H-1>), G portgroups (pg0 ...)
 * and P ports (p0 ...).  Port j belongs to portgroup j % G; the ports of a
 * portgroup are spread over consecutive hosts (a portgroup's k-th port is
 * on host (g * ports-per-portgroup + k) % H), so that, as in a cluster
 * where VMs of a portgroup run everywhere, every host has ports in many
 * portgroups and every portgroup spans many hosts.
 *
 * Portgroup g is VLAN-backed with VLAN 1 + g, or VXLAN-backed with VNI
 * 1 + g.  Both the database loader and the simulated hosts derive
 * everything from these functions, so they agree without talking. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct bench_topology {
    unsigned int n_hosts;
    unsigned int n_ports;
    unsigned int n_portgroups;
    bool vxlan;
};

static inline unsigned int
bench_ports_per_pg(const struct bench_topology *t)
{
    return (t->n_ports + t->n_portgroups - 1) / t->n_portgroups;
}

static inline unsigned int
bench_port_pg(const struct bench_topology *t, unsigned int port)
{
    return port % t->n_portgroups;
}

static inline unsigned int
bench_port_host(const struct bench_topology *t, unsigned int port)
{
    unsigned int pg = bench_port_pg(t, port);
    unsigned int k = port / t->n_portgroups;

    return (uint64_t) (pg * bench_ports_per_pg(t) + k) % t->n_hosts;
}

/* The segment of portgroup 'pg' as the controller numbers it (see
 * Documentation/pipeline.md): the VLAN, or 4096 + the VNI. */
static inline unsigned int
bench_pg_segment(const struct bench_topology *t, unsigned int pg)
{
    return t->vxlan ? 4096 + 1 + pg : 1 + pg;
}

static inline void
bench_port_mac(unsigned int port, char mac[18])
{
    uint32_t n = port + 1;
    snprintf(mac, 18, "02:00:%02x:%02x:%02x:%02x",
             (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

#endif /* bench-topology.h */
