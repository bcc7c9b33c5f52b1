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

#ifndef CONTROLLER_TRANSLATE_LLDP_H
#define CONTROLLER_TRANSLATE_LLDP_H 1

/* LLDP and the network health check on a switch's uplinks: the bridge's
 * settings that tell dvs-agent what to send and report, and the table 0
 * flows that hand it what it must receive (Documentation/pipeline.md,
 * "Frames for dvs-agent"). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dvs_bridge;
struct dvs_host_state;
struct dvsrec_switch;

void translate_lldp(struct dvs_host_state *, struct dvs_bridge *,
                    const struct dvsrec_switch *);
void translate_health_check(struct dvs_host_state *, struct dvs_bridge *,
                            const struct dvsrec_switch *,
                            const uint32_t *vlans, size_t n_vlans);

#endif /* controller/translate-lldp.h */
