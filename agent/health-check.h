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

#ifndef AGENT_HEALTH_CHECK_H
#define AGENT_HEALTH_CHECK_H 1

/* The network health check of the host's switches (VDS's VLAN and MTU
 * check and teaming check), for each switch whose bridge has one
 * (dvs_bridge.health_check):
 *
 *   - Every interval (and at once when enabled), each uplink sends (see
 *     lib/dvs-probe.h), for
 *     every VLAN in use on the switch (untagged for VLAN 0), a probe:
 *     ethertype 0x88b5 to a locally administered multicast address (which
 *     the physical network floods), saying which host, switch, uplink and
 *     VLAN it comes from; with the VLAN and MTU check, a second probe of
 *     the same VLAN padded to the switch's MTU (the frame's payload is
 *     MTU bytes; Ethernet never fragments).
 *
 *   - The flows of group <sw>/health-check hand the probes that an uplink
 *     receives to the agent.  A probe heard on uplink U, from another
 *     host or another uplink of this host, proves that U receives its VLAN
 *     (small probe) at the switch's MTU (big one).
 *
 *   - At each round, the results of each uplink U cover the probes heard
 *     in the last two intervals: trunked VLANs (a small probe was heard),
 *     untrunked (none), VLANs whose MTU is ok (a big one was heard) or
 *     failed (trunked, but no big probe).  With the teaming check and two
 *     uplinks or more, a probe of one uplink heard on another one means
 *     the physical ports are not one EtherChannel: that matches IP-hash
 *     teaming (or a LAG) not ("iphashMismatch"), and any other teaming
 *     ("nonIphashMatch"); hearing none means they are one ("iphashMatch",
 *     "nonIphashMismatch").
 *
 * Timers are OVS's (time_msec()), so that "ovs-appctl time/warp" moves
 * them. */

#include <stdint.h>

struct ds;
struct dvs_host_state;
struct health_check;
struct ofctrl;
struct ovs_reconcile;
struct Dvs__HealthCheckResults;

struct health_check *health_check_create(const char *host, struct ofctrl *);
void health_check_destroy(struct health_check *);

void health_check_run(struct health_check *, const struct dvs_host_state *,
                      const struct ovs_reconcile *);
void health_check_wait(const struct health_check *);

/* Changes whenever a result changes. */
uint64_t health_check_seqno(const struct health_check *);

struct Dvs__HealthCheckResults *health_check_get_results(
    const struct health_check *);
void health_check_results_free(struct Dvs__HealthCheckResults *);
void health_check_format(const struct health_check *, const char *bridge,
                         struct ds *);

#endif /* agent/health-check.h */
