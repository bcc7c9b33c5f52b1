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

#ifndef AGENT_OFCTRL_H
#define AGENT_OFCTRL_H 1

/* The OpenFlow side of the host: installs the desired flows of each owned
 * bridge over one OpenFlow 1.5 connection to the bridge's management socket
 * (unix:$OVS_RUNDIR/<bridge>.mgmt), by difference and atomically.
 *
 *   - Every flow the agent installs carries the cookie
 *     0xd5 << 56 | (hash of its flow group's key) & 0x00ffffffffffffff.
 *     The agent owns the flows whose cookie has 0xd5 in its top byte and
 *     nothing else: flows that learn() actions add (whose cookies must not
 *     start with 0xd5) and anyone else's flows are left alone.
 *
 *   - On each (re)connection it first reads what is installed (a flow stats
 *     request for its cookie), so that a restart of the agent or of
 *     ovs-vswitchd changes only what differs and never clears a table.
 *
 *   - It compares the desired flows with the installed ones by table,
 *     priority and match: a missing flow is added, a flow with other
 *     actions is modified in place (its counters stay), a flow with another
 *     cookie is replaced, an extra flow is deleted.  The whole difference
 *     goes in one atomic, ordered bundle, built completely before the
 *     bundle is opened and sent without a pause (an idle open bundle
 *     expires), followed by a barrier: the flows count as installed when
 *     the barrier's reply comes.  Any error in a bundle makes the agent read
 *     the installed flows again and start over (a flow that the switch
 *     refuses is named in the error and left out from then on).
 *
 *   - Symbolic ports in the flows are resolved with the bridge's ports:
 *     ${local} is LOCAL, ${uplink}, ${vxlan} and ${port:NAME} come from the
 *     port map the caller gives ("uplink:NAME" is switch uplink NAME, by
 *     its pNIC).  A flow whose match names a port that is not there is not
 *     installed (it waits for the port); an action "output:${...}" for
 *     such a port is left out of its flow.
 *
 *   - The same connection carries packets both ways for the agent's other
 *     modules (LLDP, health check, notifications on failover): see
 *     "Packets" below. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/types.h"
#include "openflow/openflow.h"

struct ds;
struct dvs_host_state;
struct simap;
struct sset;

/* The top byte of the cookie of every flow the agent installs. */
#define OFCTRL_COOKIE_MAGIC 0xd5

struct ofctrl *ofctrl_create(void);
void ofctrl_destroy(struct ofctrl *);

void ofctrl_set_bridges(struct ofctrl *, const struct sset *names);
void ofctrl_set_desired(struct ofctrl *, const char *bridge,
                        const struct dvs_host_state *,
                        const struct simap *ports, uint64_t seqno,
                        const struct sset *changed_groups);
void ofctrl_run(struct ofctrl *);
void ofctrl_wait(struct ofctrl *);

bool ofctrl_resync(struct ofctrl *, const char *bridge);

bool ofctrl_is_applied(const struct ofctrl *, const char *bridge,
                       uint64_t seqno);
void ofctrl_format_status(const struct ofctrl *, struct ds *);
bool ofctrl_format_meters(const struct ofctrl *, const char *bridge,
                          struct ds *);
bool ofctrl_format_flows(const struct ofctrl *, const char *bridge,
                         struct ds *);

/* Packets.
 *
 * Packet-out: ofctrl_send_packet() sends the Ethernet frame 'frame' (of
 * 'len' bytes, with whatever VLAN tags it should carry) out of OpenFlow
 * port 'port' of 'bridge', as a packet-out with in_port=CONTROLLER and the
 * single action output:'port'.  It returns 0, ENOENT if 'bridge' is not
 * managed, ENOTCONN if its connection is not up, or EAGAIN if too many
 * packet-outs wait to be sent on it (the frame is dropped: callers send
 * periodically and simply try again later).
 * ofctrl_get_port() gives the OpenFlow port of a port symbol ("uplink",
 * "uplink:uplink2", "port:vm1"...) as the last desired state resolved it,
 * or OFPP_NONE.
 *
 * Packet-in: a flow hands a packet to the agent with the action
 * "controller(userdata=PP)" or "controller(userdata=PP.XX.XX...)": its
 * first userdata byte PP is the packet's purpose (enum ofctrl_purpose), and
 * decides which handler gets it.  The handler registered for that purpose
 * with ofctrl_set_packet_handler() is called from ofctrl_run() with the
 * packet; the bytes that follow PP are passed along.  Packets of a purpose
 * without a handler, and packets without userdata, are counted and
 * dropped.  Everything in 'struct ofctrl_packet_in' is valid only during
 * the call. */
enum ofctrl_purpose {
    OFCTRL_PURPOSE_LLDP = 1,            /* LLDP frames from the uplinks. */
    OFCTRL_PURPOSE_HEALTH_CHECK = 2,    /* Health check probes. */
    /* Further purposes go here; values are never reused. */
};

struct ofctrl_packet_in {
    const char *bridge;
    ofp_port_t in_port;
    const void *packet;         /* The frame, as received. */
    size_t len;
    const uint8_t *userdata;    /* The userdata after the purpose byte. */
    size_t userdata_len;
};

typedef void ofctrl_packet_handler(const struct ofctrl_packet_in *,
                                   void *aux);

void ofctrl_set_packet_handler(struct ofctrl *, uint8_t purpose,
                               ofctrl_packet_handler *, void *aux);
int ofctrl_send_packet(struct ofctrl *, const char *bridge, ofp_port_t port,
                       const void *frame, size_t len);
ofp_port_t ofctrl_get_port(const struct ofctrl *, const char *bridge,
                           const char *symbol);

char *ofctrl_check_state(struct ofctrl *, const struct dvs_host_state *)
    OVS_WARN_UNUSED_RESULT;
ovs_be64 ofctrl_group_cookie(const char *key);

#endif /* agent/ofctrl.h */
