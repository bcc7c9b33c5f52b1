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

#ifndef TRANSLATE_TEAMING_H
#define TRANSLATE_TEAMING_H 1

/* NIC teaming in the OpenFlow pipeline (Documentation/pipeline.md,
 * "Teaming"): which of a host's uplinks a VM port's frames leave by.
 *
 * A frame from a VM port gets, in table 0, the OpenFlow port of its uplink
 * in TEAMING_UPLINK_REG (bundle_load(), which skips the uplinks that OVS
 * finds down: no carrier, or a LAG member that LACP does not enable); an
 * output to the uplink is then "output:" that register.  Uplinks are
 * named ${uplink:NAME} (NAME a switch uplink, or a LAG's port such as
 * "lag1-2"), which dvs-agent resolves to the pNIC's OpenFlow port. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct dvs_bridge;
struct dvsrec_lag;
struct dvsrec_switch;
struct ovsdb_idl;
struct svec;

#define TEAMING_UPLINK_REG "NXM_NX_REG3[0..15]"

/* Table 0: above the ingress flows from the uplinks (100), below the
 * underlay (1000). */
#define TEAMING_REVERSE_FILTER_PRIORITY 150

/* The flood guard: a flow in the flood table above the flood lists (100,
 * 110), which bit 2 of reg0 lets pass the second time, and its table. */
#define TEAMING_FLOOD_TABLE 20
#define TEAMING_FLOOD_GUARD_PRIORITY 120
#define TEAMING_FLOOD_GUARD_TABLE 21

bool teaming_put_port_choice(const char *policy, const char *active,
                             const char *standby, const char *port_name,
                             const char *mac, bool notify,
                             const struct svec *uplinks, struct svec *order,
                             struct ds *s);
void teaming_put_uplink_output(struct ds *s);
void teaming_put_host_output(const struct svec *uplinks, struct ds *s);

struct dvs_flow_group;
void teaming_add_reverse_filter(struct dvs_flow_group *,
                                const struct svec *uplinks, const char *mac);
struct dvs_host_state;
void teaming_add_flood_guard(struct dvs_flow_group *, uint32_t seg_id,
                             const struct svec *uplinks,
                             const struct svec *used, bool hashed);
void teaming_add_group(struct dvs_host_state *, const char *sw,
                       const struct svec *uplinks);
void teaming_switch_lags(struct ovsdb_idl *, const struct dvsrec_switch *,
                         const struct dvsrec_lag ***lags, size_t *n_lags);
void teaming_add_bridge_lags(const struct dvsrec_lag **lags, size_t n_lags,
                             const struct svec *uplinks,
                             struct dvs_bridge *);

#endif /* translate-teaming.h */
