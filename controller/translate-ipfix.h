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

#ifndef CONTROLLER_TRANSLATE_IPFIX_H
#define CONTROLLER_TRANSLATE_IPFIX_H 1

/* IPFIX export (VDS's VMwareIpfixConfig and ipfixEnabled) in a host's
 * desired state: the bridge's exporter and, for each port with ipfix=true,
 * a sample() of what it sends (Documentation/pipeline.md, "IPFIX"). */

#include <stdbool.h>
#include <stdint.h>

struct dvs_bridge;
struct dvs_host_state;
struct dvsrec_port;
struct dvsrec_switch;

/* The Flow_Sample_Collector_Set of every bridge. */
#define TR_IPFIX_COLLECTOR_SET_ID 1

/* Sets the IPFIX exporter of bridge 'br' of switch 'sw' (none without an
 * ipfix-collector). */
void tr_ipfix_translate_bridge(const struct dvsrec_switch *sw,
                               struct dvs_bridge *br);

/* Adds to 'state' the sampling of port 'port' of switch 'sw', bound on
 * this host, if its effective ipfix is true and 'br' exports all flows
 * (not only the internal ones). */
void tr_ipfix_add_port(struct dvs_host_state *state,
                       const struct dvsrec_switch *sw,
                       const struct dvs_bridge *br,
                       const struct dvsrec_port *port);

/* Whether switch 'sw' exports, from bridge 'br', only the flows between
 * two ports of one host (ipfix-internal-only). */
bool tr_ipfix_internal_only(const struct dvsrec_switch *sw,
                            const struct dvs_bridge *br);

/* Whether port 'port' of 'sw' has effective ipfix=true. */
bool tr_ipfix_port_enabled(const struct dvsrec_switch *sw,
                           const struct dvsrec_port *port);

/* With ipfix-internal-only: adds to 'g' the sampling of the frames that
 * port 'port' of 'sw' (which has ipfix=true) sends to 'mac', the MAC of
 * another port on the host. */
struct dvs_flow_group;
void tr_ipfix_add_internal_flow(struct dvs_flow_group *g,
                                const struct dvsrec_switch *sw,
                                const struct dvs_bridge *br,
                                const struct dvsrec_port *port,
                                const char *mac);

/* The observation point ID of port 'name' in the records: the port's name
 * when it is a number below 2^32 (as VDS port keys are), else a hash of
 * it. */
uint32_t tr_ipfix_obs_point_id(const char *name);

/* The sample() probability (out of 65535) for a VDS sampling rate 'rate'
 * (one packet in 'rate'; 0: every packet). */
uint16_t tr_ipfix_probability(uint32_t rate);

#endif /* controller/translate-ipfix.h */
