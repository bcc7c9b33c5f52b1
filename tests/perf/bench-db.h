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

#ifndef BENCH_DB_H
#define BENCH_DB_H 1

/* The benchmark's writes to the configuration database: OVSDB
 * transactions over JSON-RPC (OVS's jsonrpc), without replicating the
 * database the way an IDL client (and dvs-ctl) would, so that loading 60,000
 * ports or timing a one-row change costs the benchmark next to nothing.
 * Every function blocks until ovsdb-server answers and exits the program
 * with the server's error if the transaction fails. */

#include <stdbool.h>

struct bench_topology;

struct bench_db *bench_db_open(const char *remote);
void bench_db_close(struct bench_db *);

/* Adds the topology's host members, portgroups and ports to switch "sw0",
 * which must exist. */
void bench_db_populate(struct bench_db *, const struct bench_topology *);

/* Reads the portgroups' row UUIDs (needed to add ports to them). */
void bench_db_load_portgroups(struct bench_db *,
                              const struct bench_topology *);

void bench_db_add_port(struct bench_db *, unsigned int port,
                       unsigned int pg);
void bench_db_set_backing(struct bench_db *, unsigned int pg, bool vxlan,
                          unsigned int id);
void bench_db_sync(struct bench_db *);

#endif /* bench-db.h */
