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

#ifndef AGENT_LLDP_H
#define AGENT_LLDP_H 1

/* LLDP on the uplinks of the host's switches, as each switch's lldp mode
 * (dvs_bridge.lldp) says:
 *
 *   - listen, both: the LLDP frames that an uplink receives (the flows of
 *     group <sw>/lldp hand them over through ofctrl) make its neighbours,
 *     one per Chassis ID and Port ID, at most LLDP_MAX_NEIGHBORS per
 *     uplink.  A neighbour is forgotten when its TTL runs out without a
 *     new frame, when it sends TTL 0, or when the switch stops listening
 *     or the uplink goes away.
 *
 *   - advertise, both: every LLDP_TX_INTERVAL seconds (and at once for a
 *     new uplink) each uplink sends, from its NIC's MAC address: Chassis ID
 *     the host name, Port ID the NIC, TTL 4 intervals, System Name the host
 *     name, Port Description "UPLINK (NIC) of switch SWITCH", and the
 *     host's VTEP address as Management Address when it has one.  An
 *     uplink that stops advertising sends TTL 0 once.
 *
 * Timers are OVS's (time_msec()), so that "ovs-appctl time/warp" moves
 * them. */

#include <stdint.h>

struct ds;
struct dvs_host_state;
struct lldp;
struct ofctrl;
struct ovs_reconcile;
struct Dvs__LldpNeighbors;

#define LLDP_TX_INTERVAL 30
#define LLDP_MAX_NEIGHBORS 16

struct lldp *lldp_create(const char *host, struct ofctrl *);
void lldp_destroy(struct lldp *);

void lldp_run(struct lldp *, const struct dvs_host_state *,
              const struct ovs_reconcile *);
void lldp_wait(const struct lldp *);

/* Changes whenever the set of neighbours or what they say changes. */
uint64_t lldp_seqno(const struct lldp *);

struct Dvs__LldpNeighbors *lldp_get_neighbors(const struct lldp *);
void lldp_neighbors_free(struct Dvs__LldpNeighbors *);
void lldp_format(const struct lldp *, const char *bridge, struct ds *);

#endif /* agent/lldp.h */
