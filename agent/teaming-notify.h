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

#ifndef AGENT_TEAMING_NOTIFY_H
#define AGENT_TEAMING_NOTIFY_H 1

/* notify-switches: when a VM port's frames move to another uplink (a
 * failover or a failback), the agent sends a RARP frame from each of the
 * port's MACs out of the new uplink, so that the physical switches learn
 * where the MACs are now at once instead of when the VM next sends.
 *
 * It follows the flows: a port's uplink is the first live uplink of its
 * table-0 "bundle_load(eth_src,0,active_backup,...)" action (basis 0: the
 * port has notify-switches=true; controller/translate-teaming.c), as OVS
 * picks it, a live uplink being one whose NIC's link is up. */

struct dvs_host_state;
struct ofctrl;
struct ovs_reconcile;

struct teaming_notify *teaming_notify_create(void);
void teaming_notify_destroy(struct teaming_notify *);
void teaming_notify_run(struct teaming_notify *,
                        const struct dvs_host_state *, struct ofctrl *,
                        const struct ovs_reconcile *);

#endif /* agent/teaming-notify.h */
