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

#ifndef BENCH_SIMHOSTS_H
#define BENCH_SIMHOSTS_H 1

/* Simulated hosts: many lightweight agents in one process that speak the
 * real protocol (lib/dvs-conn.h over TCP, proto/dvs.proto) to a real
 * dvs-controller.  Each connects, says Hello, reports the full bindings of
 * its ports from the benchmark's topology, keeps track of the flow groups
 * it holds and acks every StateUpdate at once, without an OVS behind it.
 *
 * Everything here runs on the libuv thread that runs 'loop'. */

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct bench_topology;

struct simhosts_callbacks {
    /* Every host holds every flow group its ports need, 'elapsed_ns' after
     * simhosts_start(). */
    void (*converged)(uint64_t elapsed_ns, void *aux);

    /* Every host given to simhosts_watch() has received the watched flow
     * group; the last one at 'when_ns' (uv_hrtime()). */
    void (*watch_done)(uint64_t when_ns, void *aux);
};

/* What a watch waits for: a port's flow group (local or remote) or a
 * segment's flood group. */
enum simhosts_watch_kind {
    SIMHOSTS_WATCH_PORT,
    SIMHOSTS_WATCH_SEGMENT,
};

struct simhosts *simhosts_create(uv_loop_t *, const struct bench_topology *,
                                 const char *controller,
                                 unsigned int extra_ports,
                                 const struct simhosts_callbacks *,
                                 void *aux);
void simhosts_start(struct simhosts *);
void simhosts_bind(struct simhosts *, unsigned int host, unsigned int port);
void simhosts_watch(struct simhosts *, enum simhosts_watch_kind,
                    unsigned int index, const unsigned int *hosts,
                    size_t n_hosts);
uint64_t simhosts_bytes_received(const struct simhosts *);
uint64_t simhosts_updates_received(const struct simhosts *);
uint64_t simhosts_closed_connections(const struct simhosts *);
void simhosts_destroy(struct simhosts *);

#endif /* bench-simhosts.h */
