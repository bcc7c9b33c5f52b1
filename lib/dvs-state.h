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

#ifndef DVS_STATE_H
#define DVS_STATE_H 1

/* The desired state of one host: what dvs-controller computes for it and
 * dvs-agent makes true on it.  It mirrors the StateUpdate message of
 * proto/dvs.proto (see Documentation/protocol.md):
 *
 *   - bridges: the OVSDB side of each proxy switch (uplinks, tunnel port),
 *     keyed by switch name;
 *
 *   - flow groups: the OpenFlow rules that belong to one object of the
 *     configuration (a port, a segment's flood list, ...), keyed by a string
 *     unique on the host.  A group is the unit of incremental update: when
 *     an object changes, its whole group is sent again.
 *
 * Flows are text in ovs-ofctl syntax with symbolic port names
 * (${port:NAME}, ${uplink}, ${vxlan}, ${local}) that the agent resolves. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/hmap.h"
#include "svec.h"

struct ds;
struct Dvs__StateUpdate;

/* The strings of flows and groups are interned (lib/dvs-intern.h): the
 * states of many hosts hold the same texts, once. */
struct dvs_flow {
    uint8_t table;
    uint16_t priority;
    const char *match;
    const char *actions;
};

struct dvs_flow_group {
    struct hmap_node node;      /* In dvs_host_state's 'groups'. */
    const char *key;
    const char *bridge;
    struct dvs_flow *flows;
    size_t n_flows, allocated_flows;
};

struct dvs_uplink {
    char *name;                 /* Switch uplink name, e.g. "uplink1". */
    char *pnic;                 /* Host NIC, e.g. "eth1". */
};

/* The network health check of a switch on the host (both checks off: no
 * health check). */
struct dvs_health_check {
    bool vlan_mtu;              /* The VLAN and MTU check. */
    bool teaming;               /* The teaming check. */
    uint32_t interval;          /* Seconds between rounds. */
    uint32_t *vlans;            /* VLANs in use on the switch, ascending. */
    size_t n_vlans;
    bool ip_hash;               /* IP-hash teaming or a LAG. */
};

/* A port mirroring session on a bridge (proto/dvs.proto's MirrorSpec). */
struct dvs_mirror {
    char *name;                 /* The session name. */
    struct svec select_src;     /* Ports whose sent frames are copied. */
    struct svec select_dst;     /* Ports whose received frames are copied. */
    char *tunnel;               /* "erspan", "gre" or NULL. */
};

/* The IPFIX exporter of a bridge (proto/dvs.proto's IpfixSpec). */
struct dvs_ipfix {
    char *target;               /* Collector "IP:PORT". */
    uint32_t collector_set_id;
    uint32_t obs_domain_id;
    uint32_t active_timeout;    /* Seconds, 0: none. */
    uint32_t cache_max_flows;
};

struct dvs_bridge {
    struct hmap_node node;      /* In dvs_host_state's 'bridges'. */
    char *name;                 /* The switch name. */
    struct dvs_uplink *uplinks; /* In the switch's uplink order. */
    size_t n_uplinks;
    char *bond_mode;            /* With several uplinks, or NULL. */
    uint32_t mtu;               /* 0: leave the uplinks' MTU alone. */
    bool vxlan;                 /* Whether a VXLAN tunnel port is needed. */
    char *vtep_ip;              /* This host's VTEP address, or NULL. */
    struct dvs_lag *lags;       /* LACP groups of uplinks (lib/dvs-lag.h). */
    size_t n_lags;
    char *lldp;                 /* "listen", "advertise", "both", or NULL
                                 * (none). */
    struct dvs_health_check health_check;
    struct dvs_mirror *mirrors; /* In name order. */
    size_t n_mirrors;
    struct dvs_ipfix *ipfix;    /* IPFIX export, or NULL. */
};

struct dvs_host_state {
    struct hmap bridges;        /* Contains "struct dvs_bridge"s. */
    struct hmap groups;         /* Contains "struct dvs_flow_group"s. */
};

void dvs_host_state_init(struct dvs_host_state *);
void dvs_host_state_destroy(struct dvs_host_state *);
void dvs_host_state_clear(struct dvs_host_state *);
void dvs_host_state_clone(struct dvs_host_state *dst,
                          const struct dvs_host_state *src);
void dvs_host_state_swap(struct dvs_host_state *, struct dvs_host_state *);
bool dvs_host_state_equal(const struct dvs_host_state *,
                          const struct dvs_host_state *);

/* Bridges. */
struct dvs_bridge *dvs_host_state_add_bridge(struct dvs_host_state *,
                                             const char *name);
struct dvs_bridge *dvs_host_state_find_bridge(const struct dvs_host_state *,
                                              const char *name);
void dvs_host_state_remove_bridge(struct dvs_host_state *,
                                  struct dvs_bridge *);
void dvs_bridge_add_uplink(struct dvs_bridge *, const char *name,
                           const char *pnic);
void dvs_bridge_set_bond_mode(struct dvs_bridge *, const char *bond_mode);
void dvs_bridge_set_vtep_ip(struct dvs_bridge *, const char *vtep_ip);
void dvs_bridge_set_lldp(struct dvs_bridge *, const char *lldp);
void dvs_bridge_set_health_check(struct dvs_bridge *,
                                 const struct dvs_health_check *);
bool dvs_bridge_lldp_listens(const struct dvs_bridge *);
bool dvs_bridge_lldp_advertises(const struct dvs_bridge *);
bool dvs_bridge_equal(const struct dvs_bridge *, const struct dvs_bridge *);

/* Mirrors of a bridge (lib/dvs-state-mirror.c).  dvs_bridge_add_mirror()
 * keeps them in name order; the name must be new. */
struct dvs_mirror *dvs_bridge_add_mirror(struct dvs_bridge *,
                                         const char *name);
const struct dvs_mirror *dvs_bridge_find_mirror(const struct dvs_bridge *,
                                                const char *name);
void dvs_bridge_clear_mirrors(struct dvs_bridge *);
bool dvs_bridge_mirrors_equal(const struct dvs_bridge *,
                              const struct dvs_bridge *);
void dvs_bridge_clone_mirrors(struct dvs_bridge *dst,
                              const struct dvs_bridge *src);
struct Dvs__Bridge;
void dvs_bridge_mirrors_to_msg(const struct dvs_bridge *,
                               struct Dvs__Bridge *);
char *dvs_bridge_mirrors_check_msg(const struct Dvs__Bridge *)
    OVS_WARN_UNUSED_RESULT;
void dvs_bridge_mirrors_from_msg(struct dvs_bridge *,
                                 const struct Dvs__Bridge *);
void dvs_bridge_mirrors_format(const struct dvs_bridge *, struct ds *);

/* IPFIX export of a bridge (lib/dvs-state-mirror.c). */
void dvs_bridge_set_ipfix(struct dvs_bridge *, const struct dvs_ipfix *);

/* Flow groups.  dvs_host_state_add_group() replaces any group with the same
 * key. */
struct dvs_flow_group *dvs_host_state_add_group(struct dvs_host_state *,
                                                const char *key,
                                                const char *bridge);
struct dvs_flow_group *dvs_host_state_find_group(
    const struct dvs_host_state *, const char *key);
void dvs_host_state_remove_group(struct dvs_host_state *,
                                 struct dvs_flow_group *);
void dvs_flow_group_add_flow(struct dvs_flow_group *, uint8_t table,
                             uint16_t priority, const char *match,
                             const char *actions);
/* Appends the flows of 'src' to 'group' (their interned texts shared). */
void dvs_flow_group_append(struct dvs_flow_group *group,
                           const struct dvs_flow_group *src);
bool dvs_flow_group_equal(const struct dvs_flow_group *,
                          const struct dvs_flow_group *);

#define DVS_HOST_STATE_FOR_EACH_BRIDGE(BRIDGE, STATE) \
    HMAP_FOR_EACH (BRIDGE, node, &(STATE)->bridges)
#define DVS_HOST_STATE_FOR_EACH_GROUP(GROUP, STATE) \
    HMAP_FOR_EACH (GROUP, node, &(STATE)->groups)

/* Conversion to and from the wire (proto/dvs.proto's StateUpdate).
 *
 * dvs_state_update_full() describes all of 'state';
 * dvs_state_update_diff() only what turns 'old' into 'new', as changed or
 * new bridges and groups plus the names of the deleted ones.  Both return
 * a message to free with dvs_state_update_free().
 *
 * dvs_state_update_apply() changes 'state' as 'update' says (replacing it
 * whole for a full update).  It validates the update first and, on error,
 * leaves 'state' unchanged and returns a message saying what is wrong. */
struct Dvs__StateUpdate *dvs_state_update_full(const struct dvs_host_state *,
                                                uint64_t generation,
                                                const char *epoch);
struct Dvs__StateUpdate *dvs_state_update_diff(
    const struct dvs_host_state *old, const struct dvs_host_state *new,
    uint64_t generation, const char *epoch);
struct svec;
struct Dvs__StateUpdate *dvs_state_update_partial(
    const struct dvs_host_state *old, const struct dvs_host_state *part,
    const struct svec *keys, uint64_t generation, const char *epoch);
void dvs_host_state_merge(struct dvs_host_state *,
                          struct dvs_host_state *part,
                          const struct svec *keys);
bool dvs_state_update_is_empty(const struct Dvs__StateUpdate *);
void dvs_state_update_free(struct Dvs__StateUpdate *);
char *dvs_state_update_apply(struct dvs_host_state *,
                             const struct Dvs__StateUpdate *)
    OVS_WARN_UNUSED_RESULT;

/* For a receiver that applies incremental updates in place:
 * dvs_state_update_check() says whether dvs_state_update_apply() would
 * accept 'update' for 'state' (NULL, or a malloc()'d error), and
 * dvs_state_update_get_groups() adds the groups that a valid 'update'
 * carries to 'groups' (a state used as a set of groups), to check them on
 * their own. */
char *dvs_state_update_check(const struct dvs_host_state *,
                             const struct Dvs__StateUpdate *)
    OVS_WARN_UNUSED_RESULT;
void dvs_state_update_get_groups(const struct Dvs__StateUpdate *,
                                 struct dvs_host_state *groups);

/* A readable dump, sorted, for unixctl commands and tests.  Flows are
 * written in ovs-ofctl add-flow syntax: "table=T,priority=P,MATCH
 * actions=ACTIONS". */
void dvs_host_state_format(const struct dvs_host_state *, struct ds *);
void dvs_flow_group_format(const struct dvs_flow_group *, struct ds *);
void dvs_flow_format(const struct dvs_flow *, struct ds *);

#endif /* dvs-state.h */
