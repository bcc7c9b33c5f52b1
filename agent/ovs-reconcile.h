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

#ifndef AGENT_OVS_RECONCILE_H
#define AGENT_OVS_RECONCILE_H 1

/* The OVSDB side of the host: makes the local Open vSwitch database hold
 * exactly the objects that the desired state asks for, through the OVSDB
 * IDL, and never touches anything else.
 *
 * What the agent owns is marked with external_ids:dvs-owner=dvs-agent: the
 * bridge of each switch (named after the switch) and, on it, the ports the
 * agent made (the bridge's internal port, one port per uplink NIC, the
 * VXLAN port "<switch>-vxlan").  Ports without the mark on an owned bridge,
 * notably VM interfaces (external_ids:iface-id), belong to someone else and
 * are left alone; so are bridges without the mark.
 *
 * Reconciliation is by comparison: each pass compares the database with
 * the desired state and writes only what differs, in one transaction, so
 * that a pass that finds nothing to do sends nothing. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"

struct ds;
struct dvs_host_state;
struct ovsdb_idl;
struct ovsrec_bridge;
struct ovsrec_interface;
struct sset;

/* The ownership mark: external_ids key and value. */
#define DVS_OWNER_KEY "dvs-owner"
#define DVS_OWNER_VALUE "dvs-agent"

struct ovs_reconcile *ovs_reconcile_create(const char *remote,
                                           const char *datapath_type);
void ovs_reconcile_destroy(struct ovs_reconcile *);

void ovs_reconcile_run(struct ovs_reconcile *,
                       const struct dvs_host_state *desired,
                       uint64_t desired_seqno);
void ovs_reconcile_wait(struct ovs_reconcile *);

struct ovsdb_idl *ovs_reconcile_get_idl(const struct ovs_reconcile *);
bool ovs_reconcile_has_data(const struct ovs_reconcile *);
uint64_t ovs_reconcile_applied_seqno(const struct ovs_reconcile *);
void ovs_reconcile_get_owned_bridges(const struct ovs_reconcile *,
                                     struct sset *names);
const struct ovsrec_interface *ovs_reconcile_find_iface(
    const struct ovs_reconcile *, const char *bridge, const char *iface);
int64_t ovs_reconcile_get_ofport(const struct ovs_reconcile *,
                                 const char *bridge, const char *iface);
struct eth_addr;
bool ovs_reconcile_get_mac(const struct ovs_reconcile *, const char *bridge,
                           const char *iface, struct eth_addr *);
void ovs_reconcile_format_status(const struct ovs_reconcile *, struct ds *);

char *ovs_reconcile_check_state(const struct dvs_host_state *)
    OVS_WARN_UNUSED_RESULT;
bool ovs_reconcile_bridge_is_owned(const struct ovsrec_bridge *);
char *ovs_reconcile_vxlan_port_name(const char *bridge);

#endif /* agent/ovs-reconcile.h */
