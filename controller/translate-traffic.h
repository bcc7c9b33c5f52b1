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

#ifndef TRANSLATE_TRAFFIC_H
#define TRANSLATE_TRAFFIC_H 1

/* Traffic control of a VM port (Documentation/pipeline.md, tables 2-4 and
 * 30-31): traffic filtering and marking rules, DHCP guard and router
 * guard, and shaping in both directions, from the port's effective
 * settings.  Every frame of a VM port goes through tables 2-4 after table
 * 0, and every frame to a VM port through tables 30-31, whose defaults
 * (in the switch's base group) let it go on: a port's "traffic" group has
 * only the flows of its own rules, guards and meters, and a change of them
 * changes no other flow.  translate.c asks this module how to send a
 * frame to a VM port, for the tables' defaults and for the flows of the
 * port's "traffic" group. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct dvs_flow_group;
struct dvsrec_port;
struct dvsrec_portgroup;
struct dvsrec_switch;
struct svec;
struct tr_traffic;

/* Tables. */
enum {
    TRAFFIC_FILTER_TABLE = 2,       /* Rules for incoming frames. */
    TRAFFIC_GUARD_TABLE = 3,        /* DHCP and router guards. */
    TRAFFIC_IN_SHAPING_TABLE = 4,   /* Meter of incoming frames. */
    TRAFFIC_OUT_FILTER_TABLE = 30,  /* Rules for outgoing frames. */
    TRAFFIC_OUT_TABLE = 31,         /* Meter and output to the port. */
};

struct tr_traffic *tr_traffic_create(const struct dvsrec_switch *,
                                     const struct dvsrec_portgroup *,
                                     const struct dvsrec_port *,
                                     struct svec *errors);
void tr_traffic_destroy(struct tr_traffic *);

void tr_traffic_put_output(const char *port, uint32_t push_vlan,
                           struct ds *actions);
void tr_traffic_add_defaults(struct dvs_flow_group *, int next_table);
void tr_traffic_add_flows(struct dvs_flow_group *, const char *port,
                          const struct tr_traffic *,
                          const uint32_t *trunk_vlans, size_t n_trunk_vlans,
                          int next_table);
bool tr_traffic_has_flows(const struct tr_traffic *);

#endif /* controller/translate-traffic.h */
