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

#ifndef AGENT_MIRRORS_H
#define AGENT_MIRRORS_H 1

/* Port mirroring on the host: the OVS Mirror rows of the desired bridges'
 * mirrors (proto/dvs.proto's MirrorSpec), the patch ports their copies
 * loop through, and their counters.
 *
 * Each mirror NAME of bridge SW has a patch port pair: "SW-mo-NAME", the
 * Mirror row's output_port, whose peer "SW-mi-NAME" brings the copies back
 * into the bridge (${mirror:NAME} in the flows).  A mirror that tunnels
 * its copies needs the bridge's flow-based tunnel port "SW-erspan" or
 * "SW-gre".  Mirror rows are marked external_ids:dvs-owner=dvs-agent and
 * named "SW/NAME"; others are left alone. */

#include <stdbool.h>

struct dvs_bridge;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;
struct shash;
struct simap;
struct Dvs__MirrorStatistics;

char *mirrors_out_port_name(const char *bridge, const char *mirror);
char *mirrors_in_port_name(const char *bridge, const char *mirror);
char *mirrors_tunnel_port_name(const char *bridge, const char *type);

void mirrors_register_columns(struct ovsdb_idl *);

/* Makes the owned Mirror rows of 'br' those of 'dbr' (NULL: none), with
 * 'port_rows' (name -> struct ovsrec_port) the existing ports.  A Mirror
 * whose output port does not exist yet waits for the next pass.  Gets the
 * transaction from get_txn(aux) when it changes something. */
void mirrors_reconcile(const struct ovsrec_bridge *br,
                       const struct dvs_bridge *dbr,
                       const struct shash *port_rows,
                       struct ovsdb_idl_txn *(*get_txn)(void *aux),
                       void *aux);

/* Adds to 'ports' the symbols of the mirror ports of 'dbr' that exist
 * ("mirror:NAME", "erspan", "gre"), with ofport_of(aux, bridge, iface)
 * giving OpenFlow port numbers. */
void mirrors_get_ports(const struct dvs_bridge *dbr,
                       long long int (*ofport_of)(const void *aux,
                                                  const char *bridge,
                                                  const char *iface),
                       const void *aux, struct simap *ports);

/* Fills 'msg' with the counters of the owned Mirror rows in 'idl'; the
 * caller frees it with mirrors_statistics_free().  Returns false if there
 * are none. */
bool mirrors_get_statistics(struct ovsdb_idl *,
                            struct Dvs__MirrorStatistics *msg);
void mirrors_statistics_free(struct Dvs__MirrorStatistics *msg);

#endif /* agent/mirrors.h */
