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

#include <config.h>
#include "lib/dvs-state.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "lib/dvs-intern.h"
#include "lib/dvs-lag.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "proto/dvs.pb-c.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

/* The largest OpenFlow table a flow may name: 255 is OFPTT_ALL. */
#define DVS_MAX_TABLE 254

/* Returns an array for 'n' elements of 'size' bytes, or NULL for none, as
 * protobuf-c leaves empty repeated fields. */
static void *
xmalloc_array(size_t n, size_t size)
{
    return n ? xmalloc(n * size) : NULL;
}

static bool
nullable_streq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Bridges. */

static void
dvs_bridge_destroy(struct dvs_bridge *br)
{
    if (br) {
        for (size_t i = 0; i < br->n_uplinks; i++) {
            free(br->uplinks[i].name);
            free(br->uplinks[i].pnic);
        }
        free(br->uplinks);
        dvs_bridge_destroy_lags(br);
        free(br->bond_mode);
        free(br->vtep_ip);
        free(br->lldp);
        free(br->health_check.vlans);
        dvs_bridge_clear_mirrors(br);
        free(br->name);
        free(br);
    }
}

/* Adds a bridge named 'name' to 'state', with no uplinks, no MTU, no VXLAN
 * and no VTEP, and returns it.  It replaces any bridge with the same
 * name. */
struct dvs_bridge *
dvs_host_state_add_bridge(struct dvs_host_state *state, const char *name)
{
    struct dvs_bridge *old = dvs_host_state_find_bridge(state, name);
    struct dvs_bridge *br;

    if (old) {
        dvs_host_state_remove_bridge(state, old);
    }
    br = xzalloc(sizeof *br);
    br->name = xstrdup(name);
    hmap_insert(&state->bridges, &br->node, hash_string(name, 0));
    return br;
}

struct dvs_bridge *
dvs_host_state_find_bridge(const struct dvs_host_state *state,
                           const char *name)
{
    struct dvs_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0),
                             &state->bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

/* Removes 'br' from 'state' and frees it. */
void
dvs_host_state_remove_bridge(struct dvs_host_state *state,
                             struct dvs_bridge *br)
{
    hmap_remove(&state->bridges, &br->node);
    dvs_bridge_destroy(br);
}

/* Appends an uplink to 'br'. */
void
dvs_bridge_add_uplink(struct dvs_bridge *br, const char *name,
                      const char *pnic)
{
    br->uplinks = xrealloc(br->uplinks,
                           (br->n_uplinks + 1) * sizeof *br->uplinks);
    br->uplinks[br->n_uplinks].name = xstrdup(name);
    br->uplinks[br->n_uplinks].pnic = xstrdup(pnic);
    br->n_uplinks++;
}

/* Sets the bond mode of 'br' to a copy of 'bond_mode', or to none if it is
 * NULL. */
void
dvs_bridge_set_bond_mode(struct dvs_bridge *br, const char *bond_mode)
{
    free(br->bond_mode);
    br->bond_mode = nullable_xstrdup(bond_mode);
}

/* Sets the VTEP address of 'br' to a copy of 'vtep_ip', or to none if it is
 * NULL. */
void
dvs_bridge_set_vtep_ip(struct dvs_bridge *br, const char *vtep_ip)
{
    free(br->vtep_ip);
    br->vtep_ip = nullable_xstrdup(vtep_ip);
}

/* Sets the LLDP mode of 'br' to a copy of 'lldp' ("listen", "advertise",
 * "both"), or to none if it is NULL or "none". */
void
dvs_bridge_set_lldp(struct dvs_bridge *br, const char *lldp)
{
    free(br->lldp);
    br->lldp = lldp && strcmp(lldp, "none") ? xstrdup(lldp) : NULL;
}

bool
dvs_bridge_lldp_listens(const struct dvs_bridge *br)
{
    return br->lldp && strcmp(br->lldp, "advertise");
}

bool
dvs_bridge_lldp_advertises(const struct dvs_bridge *br)
{
    return br->lldp && strcmp(br->lldp, "listen");
}

/* Sets the health check of 'br' to a copy of 'hc'. */
void
dvs_bridge_set_health_check(struct dvs_bridge *br,
                            const struct dvs_health_check *hc)
{
    free(br->health_check.vlans);
    br->health_check = *hc;
    br->health_check.vlans = (hc->n_vlans
                              ? xmemdup(hc->vlans,
                                        hc->n_vlans * sizeof *hc->vlans)
                              : NULL);
}

static bool
health_check_equal(const struct dvs_health_check *a,
                   const struct dvs_health_check *b)
{
    return (a->vlan_mtu == b->vlan_mtu && a->teaming == b->teaming
            && a->interval == b->interval && a->ip_hash == b->ip_hash
            && a->n_vlans == b->n_vlans
            && (!a->n_vlans
                || !memcmp(a->vlans, b->vlans,
                           a->n_vlans * sizeof *a->vlans)));
}

bool
dvs_bridge_equal(const struct dvs_bridge *a, const struct dvs_bridge *b)
{
    if (strcmp(a->name, b->name)
        || a->n_uplinks != b->n_uplinks
        || !nullable_streq(a->bond_mode, b->bond_mode)
        || a->mtu != b->mtu
        || a->vxlan != b->vxlan
        || !nullable_streq(a->vtep_ip, b->vtep_ip)
        || !nullable_streq(a->lldp, b->lldp)
        || !health_check_equal(&a->health_check, &b->health_check)
        || !dvs_bridge_mirrors_equal(a, b)) {
        return false;
    }
    for (size_t i = 0; i < a->n_uplinks; i++) {
        if (strcmp(a->uplinks[i].name, b->uplinks[i].name)
            || strcmp(a->uplinks[i].pnic, b->uplinks[i].pnic)) {
            return false;
        }
    }
    return dvs_bridge_lags_equal(a, b);
}

static struct dvs_bridge *
dvs_bridge_clone(struct dvs_host_state *dst, const struct dvs_bridge *src)
{
    struct dvs_bridge *br = dvs_host_state_add_bridge(dst, src->name);

    for (size_t i = 0; i < src->n_uplinks; i++) {
        dvs_bridge_add_uplink(br, src->uplinks[i].name, src->uplinks[i].pnic);
    }
    dvs_bridge_set_bond_mode(br, src->bond_mode);
    br->mtu = src->mtu;
    br->vxlan = src->vxlan;
    dvs_bridge_set_vtep_ip(br, src->vtep_ip);
    dvs_bridge_clone_lags(br, src);
    dvs_bridge_set_lldp(br, src->lldp);
    dvs_bridge_set_health_check(br, &src->health_check);
    dvs_bridge_clone_mirrors(br, src);
    return br;
}

/* Flow groups. */

static void
dvs_flow_group_destroy(struct dvs_flow_group *group)
{
    if (group) {
        for (size_t i = 0; i < group->n_flows; i++) {
            dvs_intern_release(group->flows[i].match);
            dvs_intern_release(group->flows[i].actions);
        }
        free(group->flows);
        dvs_intern_release(group->key);
        dvs_intern_release(group->bridge);
        free(group);
    }
}

/* Adds an empty flow group with 'key' for bridge 'bridge' to 'state' and
 * returns it.  It replaces any group with the same key. */
struct dvs_flow_group *
dvs_host_state_add_group(struct dvs_host_state *state, const char *key,
                         const char *bridge)
{
    struct dvs_flow_group *old = dvs_host_state_find_group(state, key);
    struct dvs_flow_group *group;

    if (old) {
        dvs_host_state_remove_group(state, old);
    }
    group = xzalloc(sizeof *group);
    group->key = dvs_intern(key);
    group->bridge = dvs_intern(bridge);
    hmap_insert(&state->groups, &group->node, hash_string(key, 0));
    return group;
}

struct dvs_flow_group *
dvs_host_state_find_group(const struct dvs_host_state *state,
                          const char *key)
{
    struct dvs_flow_group *group;

    HMAP_FOR_EACH_WITH_HASH (group, node, hash_string(key, 0),
                             &state->groups) {
        if (!strcmp(group->key, key)) {
            return group;
        }
    }
    return NULL;
}

/* Removes 'group' from 'state' and frees it. */
void
dvs_host_state_remove_group(struct dvs_host_state *state,
                            struct dvs_flow_group *group)
{
    hmap_remove(&state->groups, &group->node);
    dvs_flow_group_destroy(group);
}

/* Returns a new flow at the end of 'group', for the caller to fill in. */
static struct dvs_flow *
group_new_flow(struct dvs_flow_group *group)
{
    if (group->n_flows >= group->allocated_flows) {
        group->flows = x2nrealloc(group->flows, &group->allocated_flows,
                                  sizeof *group->flows);
    }
    return &group->flows[group->n_flows++];
}

/* Appends a flow to 'group'.  'match' may be empty (matches everything);
 * 'actions' is an ovs-ofctl action list ("drop" to drop). */
void
dvs_flow_group_add_flow(struct dvs_flow_group *group, uint8_t table,
                        uint16_t priority, const char *match,
                        const char *actions)
{
    struct dvs_flow *flow = group_new_flow(group);

    flow->table = table;
    flow->priority = priority;
    flow->match = dvs_intern(match);
    flow->actions = dvs_intern(actions);
}

void
dvs_flow_group_append(struct dvs_flow_group *group,
                      const struct dvs_flow_group *src)
{
    for (size_t i = 0; i < src->n_flows; i++) {
        const struct dvs_flow *f = &src->flows[i];
        struct dvs_flow *flow = group_new_flow(group);

        flow->table = f->table;
        flow->priority = f->priority;
        flow->match = dvs_intern_ref(f->match);
        flow->actions = dvs_intern_ref(f->actions);
    }
}

/* Interned strings are equal if and only if they are the same. */
static bool
dvs_flow_equal(const struct dvs_flow *a, const struct dvs_flow *b)
{
    return (a->table == b->table
            && a->priority == b->priority
            && a->match == b->match
            && a->actions == b->actions);
}

/* Groups are equal when they have the same key, bridge and flows in the same
 * order.  The translation emits flows in a deterministic order, so the
 * order only differs when the flows do, and an unequal order costs no more
 * than resending the group. */
bool
dvs_flow_group_equal(const struct dvs_flow_group *a,
                     const struct dvs_flow_group *b)
{
    if (a->key != b->key || a->bridge != b->bridge
        || a->n_flows != b->n_flows) {
        return false;
    }
    for (size_t i = 0; i < a->n_flows; i++) {
        if (!dvs_flow_equal(&a->flows[i], &b->flows[i])) {
            return false;
        }
    }
    return true;
}

static struct dvs_flow_group *
dvs_flow_group_clone(struct dvs_host_state *dst,
                     const struct dvs_flow_group *src)
{
    struct dvs_flow_group *group = dvs_host_state_add_group(dst, src->key,
                                                            src->bridge);

    for (size_t i = 0; i < src->n_flows; i++) {
        const struct dvs_flow *f = &src->flows[i];
        dvs_flow_group_add_flow(group, f->table, f->priority, f->match,
                                f->actions);
    }
    return group;
}

/* Host state. */

void
dvs_host_state_init(struct dvs_host_state *state)
{
    hmap_init(&state->bridges);
    hmap_init(&state->groups);
}

void
dvs_host_state_destroy(struct dvs_host_state *state)
{
    if (state) {
        dvs_host_state_clear(state);
        hmap_destroy(&state->bridges);
        hmap_destroy(&state->groups);
    }
}

/* Removes every bridge and group from 'state'. */
void
dvs_host_state_clear(struct dvs_host_state *state)
{
    struct dvs_bridge *br;
    struct dvs_flow_group *group;

    HMAP_FOR_EACH_POP (br, node, &state->bridges) {
        dvs_bridge_destroy(br);
    }
    HMAP_FOR_EACH_POP (group, node, &state->groups) {
        dvs_flow_group_destroy(group);
    }
}

/* Initializes 'dst' as a deep copy of 'src'. */
void
dvs_host_state_clone(struct dvs_host_state *dst,
                     const struct dvs_host_state *src)
{
    const struct dvs_bridge *br;
    const struct dvs_flow_group *group;

    dvs_host_state_init(dst);
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, src) {
        dvs_bridge_clone(dst, br);
    }
    DVS_HOST_STATE_FOR_EACH_GROUP (group, src) {
        dvs_flow_group_clone(dst, group);
    }
}

/* Swaps the contents of 'a' and 'b'. */
void
dvs_host_state_swap(struct dvs_host_state *a, struct dvs_host_state *b)
{
    hmap_swap(&a->bridges, &b->bridges);
    hmap_swap(&a->groups, &b->groups);
}

bool
dvs_host_state_equal(const struct dvs_host_state *a,
                     const struct dvs_host_state *b)
{
    const struct dvs_bridge *br;
    const struct dvs_flow_group *group;

    if (hmap_count(&a->bridges) != hmap_count(&b->bridges)
        || hmap_count(&a->groups) != hmap_count(&b->groups)) {
        return false;
    }
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, a) {
        const struct dvs_bridge *other
            = dvs_host_state_find_bridge(b, br->name);
        if (!other || !dvs_bridge_equal(br, other)) {
            return false;
        }
    }
    DVS_HOST_STATE_FOR_EACH_GROUP (group, a) {
        const struct dvs_flow_group *other
            = dvs_host_state_find_group(b, group->key);
        if (!other || !dvs_flow_group_equal(group, other)) {
            return false;
        }
    }
    return true;
}

/* Sorting. */

static int
compare_bridges(const void *a_, const void *b_)
{
    const struct dvs_bridge *const *a = a_;
    const struct dvs_bridge *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static int
compare_groups(const void *a_, const void *b_)
{
    const struct dvs_flow_group *const *a = a_;
    const struct dvs_flow_group *const *b = b_;
    return strcmp((*a)->key, (*b)->key);
}

/* Returns the bridges of 'state' sorted by name, in an array to free. */
static const struct dvs_bridge **
sorted_bridges(const struct dvs_host_state *state)
{
    size_t n = hmap_count(&state->bridges);
    const struct dvs_bridge **array = xmalloc((n + 1) * sizeof *array);
    const struct dvs_bridge *br;
    size_t i = 0;

    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        array[i++] = br;
    }
    qsort(array, n, sizeof *array, compare_bridges);
    return array;
}

/* Returns the groups of 'state' sorted by key, in an array to free. */
static const struct dvs_flow_group **
sorted_groups(const struct dvs_host_state *state)
{
    size_t n = hmap_count(&state->groups);
    const struct dvs_flow_group **array = xmalloc((n + 1) * sizeof *array);
    const struct dvs_flow_group *group;
    size_t i = 0;

    DVS_HOST_STATE_FOR_EACH_GROUP (group, state) {
        array[i++] = group;
    }
    qsort(array, n, sizeof *array, compare_groups);
    return array;
}

/* Conversion to the wire.
 *
 * Messages built here own all their memory, allocated with malloc(), so
 * that protobuf_c_message_free_unpacked() with the default allocator frees
 * them like a message that protobuf-c unpacked. */

static Dvs__Bridge *
bridge_to_msg(const struct dvs_bridge *br)
{
    Dvs__Bridge *msg = xmalloc(sizeof *msg);

    dvs__bridge__init(msg);
    msg->name = xstrdup(br->name);
    msg->n_uplinks = br->n_uplinks;
    msg->uplinks = xmalloc_array(br->n_uplinks, sizeof *msg->uplinks);
    for (size_t i = 0; i < br->n_uplinks; i++) {
        Dvs__Uplink *up = xmalloc(sizeof *up);

        dvs__uplink__init(up);
        up->name = xstrdup(br->uplinks[i].name);
        up->pnic = xstrdup(br->uplinks[i].pnic);
        msg->uplinks[i] = up;
    }
    msg->bond_mode = nullable_xstrdup(br->bond_mode);
    if (br->mtu) {
        msg->has_mtu = true;
        msg->mtu = br->mtu;
    }
    msg->has_vxlan = true;
    msg->vxlan = br->vxlan;
    msg->vtep_ip = nullable_xstrdup(br->vtep_ip);
    dvs_bridge_lags_to_msg(br, msg);
    msg->lldp = nullable_xstrdup(br->lldp);
    if (br->health_check.vlan_mtu || br->health_check.teaming) {
        const struct dvs_health_check *hc = &br->health_check;
        Dvs__HealthCheckConfig *c = xmalloc(sizeof *c);

        dvs__health_check_config__init(c);
        c->has_vlan_mtu = c->vlan_mtu = hc->vlan_mtu;
        c->has_teaming = c->teaming = hc->teaming;
        c->has_interval = true;
        c->interval = hc->interval;
        c->has_ip_hash = c->ip_hash = hc->ip_hash;
        c->n_vlans = hc->n_vlans;
        c->vlans = (hc->n_vlans
                    ? xmemdup(hc->vlans, hc->n_vlans * sizeof *hc->vlans)
                    : NULL);
        msg->health_check = c;
    }
    dvs_bridge_mirrors_to_msg(br, msg);
    return msg;
}

static Dvs__FlowGroup *
group_to_msg(const struct dvs_flow_group *group)
{
    Dvs__FlowGroup *msg = xmalloc(sizeof *msg);

    dvs__flow_group__init(msg);
    msg->key = xstrdup(group->key);
    msg->bridge = xstrdup(group->bridge);
    msg->n_flows = group->n_flows;
    msg->flows = xmalloc_array(group->n_flows, sizeof *msg->flows);
    for (size_t i = 0; i < group->n_flows; i++) {
        const struct dvs_flow *f = &group->flows[i];
        Dvs__Flow *flow = xmalloc(sizeof *flow);

        dvs__flow__init(flow);
        flow->table = f->table;
        flow->priority = f->priority;
        flow->match = xstrdup(f->match);
        flow->actions = xstrdup(f->actions);
        msg->flows[i] = flow;
    }
    return msg;
}

static Dvs__StateUpdate *
state_update_create(uint64_t generation, const char *epoch, bool full)
{
    Dvs__StateUpdate *msg = xmalloc(sizeof *msg);

    dvs__state_update__init(msg);
    msg->generation = generation;
    msg->epoch = xstrdup(epoch ? epoch : "");
    msg->has_full = true;
    msg->full = full;
    return msg;
}

/* Returns a full update that describes all of 'state', bridges sorted by
 * name and groups by key. */
struct Dvs__StateUpdate *
dvs_state_update_full(const struct dvs_host_state *state,
                      uint64_t generation, const char *epoch)
{
    Dvs__StateUpdate *msg = state_update_create(generation, epoch, true);
    size_t n_bridges = hmap_count(&state->bridges);
    size_t n_groups = hmap_count(&state->groups);
    const struct dvs_bridge **bridges = sorted_bridges(state);
    const struct dvs_flow_group **groups = sorted_groups(state);

    msg->bridges = xmalloc_array(n_bridges, sizeof *msg->bridges);
    for (size_t i = 0; i < n_bridges; i++) {
        msg->bridges[msg->n_bridges++] = bridge_to_msg(bridges[i]);
    }
    msg->flow_groups = xmalloc_array(n_groups, sizeof *msg->flow_groups);
    for (size_t i = 0; i < n_groups; i++) {
        msg->flow_groups[msg->n_flow_groups++] = group_to_msg(groups[i]);
    }
    free(bridges);
    free(groups);
    return msg;
}

/* Adds to 'msg' the bridges of 'new' that 'old' lacks or has otherwise,
 * and the names of those that only 'old' has, sorted. */
static void
diff_bridges(const struct dvs_host_state *old,
             const struct dvs_host_state *new, Dvs__StateUpdate *msg)
{
    size_t n_old_bridges = hmap_count(&old->bridges);
    size_t n_new_bridges = hmap_count(&new->bridges);
    const struct dvs_bridge **old_bridges = sorted_bridges(old);
    const struct dvs_bridge **new_bridges = sorted_bridges(new);

    msg->bridges = xmalloc_array(n_new_bridges, sizeof *msg->bridges);
    for (size_t i = 0; i < n_new_bridges; i++) {
        const struct dvs_bridge *br = new_bridges[i];
        const struct dvs_bridge *o = dvs_host_state_find_bridge(old,
                                                                br->name);
        if (!o || !dvs_bridge_equal(br, o)) {
            msg->bridges[msg->n_bridges++] = bridge_to_msg(br);
        }
    }
    msg->deleted_bridges = xmalloc_array(n_old_bridges,
                                         sizeof *msg->deleted_bridges);
    for (size_t i = 0; i < n_old_bridges; i++) {
        const char *name = old_bridges[i]->name;
        if (!dvs_host_state_find_bridge(new, name)) {
            msg->deleted_bridges[msg->n_deleted_bridges++] = xstrdup(name);
        }
    }
    free(old_bridges);
    free(new_bridges);
}

/* Adds 'group' to 'msg' if 'old' lacks it or has it otherwise. */
static void
diff_group(const struct dvs_host_state *old,
           const struct dvs_flow_group *group, Dvs__StateUpdate *msg)
{
    const struct dvs_flow_group *o = dvs_host_state_find_group(old,
                                                               group->key);
    if (!o || !dvs_flow_group_equal(group, o)) {
        msg->flow_groups[msg->n_flow_groups++] = group_to_msg(group);
    }
}

/* Returns an incremental update that turns 'old' into 'new': the bridges
 * and groups of 'new' that 'old' lacks or has otherwise, and the names of
 * those that only 'old' has, each list sorted.  Equal states give an empty
 * update (see dvs_state_update_is_empty()). */
struct Dvs__StateUpdate *
dvs_state_update_diff(const struct dvs_host_state *old,
                      const struct dvs_host_state *new,
                      uint64_t generation, const char *epoch)
{
    Dvs__StateUpdate *msg = state_update_create(generation, epoch, false);
    size_t n_old_groups = hmap_count(&old->groups);
    size_t n_new_groups = hmap_count(&new->groups);
    const struct dvs_flow_group **old_groups = sorted_groups(old);
    const struct dvs_flow_group **new_groups = sorted_groups(new);

    diff_bridges(old, new, msg);
    msg->flow_groups = xmalloc_array(n_new_groups, sizeof *msg->flow_groups);
    for (size_t i = 0; i < n_new_groups; i++) {
        diff_group(old, new_groups[i], msg);
    }
    msg->deleted_flow_groups = xmalloc_array(
        n_old_groups, sizeof *msg->deleted_flow_groups);
    for (size_t i = 0; i < n_old_groups; i++) {
        const char *key = old_groups[i]->key;
        if (!dvs_host_state_find_group(new, key)) {
            msg->deleted_flow_groups[msg->n_deleted_flow_groups++]
                = xstrdup(key);
        }
    }

    free(old_groups);
    free(new_groups);
    return msg;
}

/* Returns an incremental update that turns 'old' into 'old' with its
 * bridges replaced by those of 'part' and its groups with a key in 'keys'
 * (sorted, each once) replaced by those of 'part', which has no others:
 * what dvs_host_state_merge() does to 'old'.  Its cost is that of 'part'
 * and 'keys', not of 'old'.  Its lists are sorted, as a full diff's. */
struct Dvs__StateUpdate *
dvs_state_update_partial(const struct dvs_host_state *old,
                         const struct dvs_host_state *part,
                         const struct svec *keys, uint64_t generation,
                         const char *epoch)
{
    Dvs__StateUpdate *msg = state_update_create(generation, epoch, false);

    diff_bridges(old, part, msg);
    msg->flow_groups = xmalloc_array(hmap_count(&part->groups),
                                     sizeof *msg->flow_groups);
    msg->deleted_flow_groups = xmalloc_array(
        keys->n, sizeof *msg->deleted_flow_groups);
    for (size_t i = 0; i < keys->n; i++) {
        const char *key = keys->names[i];
        const struct dvs_flow_group *group
            = dvs_host_state_find_group(part, key);

        if (group) {
            diff_group(old, group, msg);
        } else if (dvs_host_state_find_group(old, key)) {
            msg->deleted_flow_groups[msg->n_deleted_flow_groups++]
                = xstrdup(key);
        }
    }
    return msg;
}

/* Replaces the bridges of 'state' by those of 'part', and its groups with
 * a key in 'keys' by those of 'part' (which has no others), moving them:
 * 'part' is left empty. */
void
dvs_host_state_merge(struct dvs_host_state *state,
                     struct dvs_host_state *part, const struct svec *keys)
{
    struct dvs_bridge *br;
    struct dvs_flow_group *group;

    HMAP_FOR_EACH_POP (br, node, &state->bridges) {
        dvs_bridge_destroy(br);
    }
    HMAP_FOR_EACH_POP (br, node, &part->bridges) {
        hmap_insert(&state->bridges, &br->node, br->node.hash);
    }
    for (size_t i = 0; i < keys->n; i++) {
        group = dvs_host_state_find_group(state, keys->names[i]);
        if (group) {
            dvs_host_state_remove_group(state, group);
        }
    }
    HMAP_FOR_EACH_POP (group, node, &part->groups) {
        struct dvs_flow_group *old = dvs_host_state_find_group(state,
                                                               group->key);
        /* 'keys' misses it only if the caller got them wrong. */
        ovs_assert(!old);
        hmap_insert(&state->groups, &group->node, group->node.hash);
    }
}

/* Returns true if applying 'update' cannot change anything: an incremental
 * update that names nothing.  A full update is never empty, since it
 * removes what it does not name. */
bool
dvs_state_update_is_empty(const struct Dvs__StateUpdate *update)
{
    return (!(update->has_full && update->full)
            && !update->n_bridges && !update->n_deleted_bridges
            && !update->n_flow_groups && !update->n_deleted_flow_groups);
}

void
dvs_state_update_free(struct Dvs__StateUpdate *update)
{
    if (update) {
        protobuf_c_message_free_unpacked(&update->base, NULL);
    }
}

/* Applying an update. */

static bool
is_full(const Dvs__StateUpdate *update)
{
    return update->has_full && update->full;
}

/* Checks the bridges of 'update' on their own and indexes them by name in
 * 'bridges'. */
static char *
validate_bridges(const Dvs__StateUpdate *update, struct shash *bridges,
                 struct sset *deleted)
{
    for (size_t i = 0; i < update->n_bridges; i++) {
        const Dvs__Bridge *br = update->bridges[i];

        if (!br->name || !br->name[0]) {
            return xasprintf("bridge %"PRIuSIZE" has an empty name", i + 1);
        }
        if (!shash_add_once(bridges, br->name, br)) {
            return xasprintf("bridge \"%s\" appears twice", br->name);
        }
        for (size_t j = 0; j < br->n_uplinks; j++) {
            const Dvs__Uplink *up = br->uplinks[j];

            if (!up->name || !up->name[0] || !up->pnic || !up->pnic[0]) {
                return xasprintf("bridge \"%s\": uplink %"PRIuSIZE" has an "
                                 "empty name or NIC", br->name, j + 1);
            }
        }
        char *error = dvs_bridge_lags_check_msg(br);
        if (error) {
            return error;
        }
        if (br->lldp && strcmp(br->lldp, "listen")
            && strcmp(br->lldp, "advertise") && strcmp(br->lldp, "both")) {
            return xasprintf("bridge \"%s\": unknown lldp mode \"%s\"",
                             br->name, br->lldp);
        }
        if (br->health_check) {
            const Dvs__HealthCheckConfig *c = br->health_check;

            if (!c->has_interval || !c->interval) {
                return xasprintf("bridge \"%s\": health check without an "
                                 "interval", br->name);
            }
            for (size_t j = 0; j < c->n_vlans; j++) {
                if (c->vlans[j] > 4094
                    || (j && c->vlans[j] <= c->vlans[j - 1])) {
                    return xasprintf("bridge \"%s\": health check VLANs "
                                     "are not ascending VLANs", br->name);
                }
            }
        }
        error = dvs_bridge_mirrors_check_msg(br);
        if (error) {
            return error;
        }
    }
    for (size_t i = 0; i < update->n_deleted_bridges; i++) {
        const char *name = update->deleted_bridges[i];

        if (!name || !name[0]) {
            return xstrdup("a deleted bridge has an empty name");
        }
        if (!sset_add(deleted, name)) {
            return xasprintf("bridge \"%s\" is deleted twice", name);
        }
        if (shash_find(bridges, name)) {
            return xasprintf("bridge \"%s\" is both updated and deleted",
                             name);
        }
    }
    return NULL;
}

/* Checks the groups of 'update' on their own and indexes them by key in
 * 'groups'. */
static char *
validate_groups(const Dvs__StateUpdate *update, struct shash *groups,
                struct sset *deleted)
{
    for (size_t i = 0; i < update->n_flow_groups; i++) {
        const Dvs__FlowGroup *group = update->flow_groups[i];

        if (!group->key || !group->key[0]) {
            return xasprintf("flow group %"PRIuSIZE" has an empty key",
                             i + 1);
        }
        if (!shash_add_once(groups, group->key, group)) {
            return xasprintf("flow group \"%s\" appears twice", group->key);
        }
        if (!group->bridge || !group->bridge[0]) {
            return xasprintf("flow group \"%s\" names no bridge",
                             group->key);
        }
        for (size_t j = 0; j < group->n_flows; j++) {
            const Dvs__Flow *flow = group->flows[j];

            if (flow->table > DVS_MAX_TABLE) {
                return xasprintf("flow group \"%s\": flow %"PRIuSIZE": "
                                 "table %"PRIu32" is out of range (0 to %d)",
                                 group->key, j + 1, flow->table,
                                 DVS_MAX_TABLE);
            }
            if (flow->priority > UINT16_MAX) {
                return xasprintf("flow group \"%s\": flow %"PRIuSIZE": "
                                 "priority %"PRIu32" is out of range "
                                 "(0 to %d)", group->key, j + 1,
                                 flow->priority, UINT16_MAX);
            }
            if (!flow->match) {
                return xasprintf("flow group \"%s\": flow %"PRIuSIZE" has "
                                 "no match", group->key, j + 1);
            }
            if (!flow->actions || !flow->actions[0]) {
                return xasprintf("flow group \"%s\": flow %"PRIuSIZE" has "
                                 "no actions (\"drop\" drops)", group->key,
                                 j + 1);
            }
        }
    }
    for (size_t i = 0; i < update->n_deleted_flow_groups; i++) {
        const char *key = update->deleted_flow_groups[i];

        if (!key || !key[0]) {
            return xstrdup("a deleted flow group has an empty key");
        }
        if (!sset_add(deleted, key)) {
            return xasprintf("flow group \"%s\" is deleted twice", key);
        }
        if (shash_find(groups, key)) {
            return xasprintf("flow group \"%s\" is both updated and deleted",
                             key);
        }
    }
    return NULL;
}

/* Returns true if bridge 'name' exists once 'update' is applied to
 * 'state'. */
static bool
bridge_exists_after(const struct dvs_host_state *state,
                    const Dvs__StateUpdate *update,
                    const struct shash *bridges,
                    const struct sset *deleted_bridges, const char *name)
{
    return (shash_find(bridges, name)
            || (!is_full(update)
                && !sset_contains(deleted_bridges, name)
                && dvs_host_state_find_bridge(state, name)));
}

/* Checks that 'update' is well formed and that applying it to 'state'
 * leaves every flow group on a bridge of the state. */
static char *
validate_update(const struct dvs_host_state *state,
                const Dvs__StateUpdate *update)
{
    struct shash bridges = SHASH_INITIALIZER(&bridges);
    struct shash groups = SHASH_INITIALIZER(&groups);
    struct sset deleted_bridges = SSET_INITIALIZER(&deleted_bridges);
    struct sset deleted_groups = SSET_INITIALIZER(&deleted_groups);
    char *error;

    error = validate_bridges(update, &bridges, &deleted_bridges);
    if (!error) {
        error = validate_groups(update, &groups, &deleted_groups);
    }
    if (!error && is_full(update)
        && (update->n_deleted_bridges || update->n_deleted_flow_groups)) {
        error = xstrdup("a full update lists deleted bridges or flow "
                        "groups");
    }
    if (!error) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &groups) {
            const Dvs__FlowGroup *group = node->data;

            if (!bridge_exists_after(state, update, &bridges,
                                     &deleted_bridges, group->bridge)) {
                error = xasprintf("flow group \"%s\": bridge \"%s\" is not "
                                  "in the state", group->key, group->bridge);
                break;
            }
        }
    }
    if (!error && !is_full(update) && update->n_deleted_bridges) {
        /* The groups that stay must not lose their bridge. */
        const struct dvs_flow_group *group;

        DVS_HOST_STATE_FOR_EACH_GROUP (group, state) {
            if (sset_contains(&deleted_bridges, group->bridge)
                && !sset_contains(&deleted_groups, group->key)
                && !shash_find(&groups, group->key)) {
                error = xasprintf("flow group \"%s\": bridge \"%s\" is "
                                  "deleted but the group is not",
                                  group->key, group->bridge);
                break;
            }
        }
    }

    shash_destroy(&bridges);
    shash_destroy(&groups);
    sset_destroy(&deleted_bridges);
    sset_destroy(&deleted_groups);
    return error;
}

static void
apply_bridge(struct dvs_host_state *state, const Dvs__Bridge *msg)
{
    struct dvs_bridge *br = dvs_host_state_add_bridge(state, msg->name);

    for (size_t i = 0; i < msg->n_uplinks; i++) {
        dvs_bridge_add_uplink(br, msg->uplinks[i]->name,
                              msg->uplinks[i]->pnic);
    }
    dvs_bridge_set_bond_mode(br, msg->bond_mode);
    br->mtu = msg->has_mtu ? msg->mtu : 0;
    br->vxlan = msg->has_vxlan && msg->vxlan;
    dvs_bridge_set_vtep_ip(br, msg->vtep_ip);
    dvs_bridge_lags_from_msg(br, msg);
    dvs_bridge_set_lldp(br, msg->lldp);
    /* A health check that checks nothing is none: its interval and VLANs
     * mean nothing, and bridge_to_msg() leaves it out. */
    const Dvs__HealthCheckConfig *c = msg->health_check;
    struct dvs_health_check hc = { .vlan_mtu = false };
    if (c && ((c->has_vlan_mtu && c->vlan_mtu)
              || (c->has_teaming && c->teaming))) {
        hc = (struct dvs_health_check) {
            .vlan_mtu = c->has_vlan_mtu && c->vlan_mtu,
            .teaming = c->has_teaming && c->teaming,
            .interval = c->has_interval ? c->interval : 0,
            .vlans = c->vlans,
            .n_vlans = c->n_vlans,
            .ip_hash = c->has_ip_hash && c->ip_hash,
        };
    }
    dvs_bridge_set_health_check(br, &hc);
    dvs_bridge_mirrors_from_msg(br, msg);
}

static void
apply_group(struct dvs_host_state *state, const Dvs__FlowGroup *msg)
{
    struct dvs_flow_group *group = dvs_host_state_add_group(state, msg->key,
                                                            msg->bridge);

    for (size_t i = 0; i < msg->n_flows; i++) {
        const Dvs__Flow *f = msg->flows[i];
        dvs_flow_group_add_flow(group, f->table, f->priority, f->match,
                                f->actions);
    }
}

char *
dvs_state_update_check(const struct dvs_host_state *state,
                       const struct Dvs__StateUpdate *update)
{
    return validate_update(state, update);
}

void
dvs_state_update_get_groups(const struct Dvs__StateUpdate *update,
                            struct dvs_host_state *groups)
{
    for (size_t i = 0; i < update->n_flow_groups; i++) {
        apply_group(groups, update->flow_groups[i]);
    }
}

/* Applies 'update' to 'state': a full update replaces all of it; an
 * incremental one deletes the bridges and groups it lists and adds or
 * replaces those it carries.  Deleting what 'state' does not have is not an
 * error (the update says what must not be there).
 *
 * The update is checked first: names and keys must be nonempty and appear
 * once, tables must be 0 to 254, and afterwards every group must belong to
 * a bridge of the state.  On error, returns a malloc()'d message that says
 * what is wrong and leaves 'state' unchanged; otherwise returns NULL. */
char *
dvs_state_update_apply(struct dvs_host_state *state,
                       const struct Dvs__StateUpdate *update)
{
    char *error = validate_update(state, update);

    if (error) {
        return error;
    }

    if (is_full(update)) {
        dvs_host_state_clear(state);
    } else {
        for (size_t i = 0; i < update->n_deleted_flow_groups; i++) {
            struct dvs_flow_group *group = dvs_host_state_find_group(
                state, update->deleted_flow_groups[i]);
            if (group) {
                dvs_host_state_remove_group(state, group);
            }
        }
        for (size_t i = 0; i < update->n_deleted_bridges; i++) {
            struct dvs_bridge *br = dvs_host_state_find_bridge(
                state, update->deleted_bridges[i]);
            if (br) {
                dvs_host_state_remove_bridge(state, br);
            }
        }
    }
    for (size_t i = 0; i < update->n_bridges; i++) {
        apply_bridge(state, update->bridges[i]);
    }
    for (size_t i = 0; i < update->n_flow_groups; i++) {
        apply_group(state, update->flow_groups[i]);
    }
    return NULL;
}

/* Formatting. */

static int
compare_flows(const void *a_, const void *b_)
{
    const struct dvs_flow *const *ap = a_;
    const struct dvs_flow *const *bp = b_;
    const struct dvs_flow *a = *ap;
    const struct dvs_flow *b = *bp;
    int cmp;

    if (a->table != b->table) {
        return a->table < b->table ? -1 : 1;
    }
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    cmp = strcmp(a->match, b->match);
    return cmp ? cmp : strcmp(a->actions, b->actions);
}

/* Appends 'flow' to 's' in ovs-ofctl add-flow syntax. */
void
dvs_flow_format(const struct dvs_flow *flow, struct ds *s)
{
    ds_put_format(s, "table=%"PRIu8",priority=%"PRIu16, flow->table,
                  flow->priority);
    if (flow->match[0]) {
        ds_put_format(s, ",%s", flow->match);
    }
    ds_put_format(s, " actions=%s", flow->actions);
}

static void
dvs_bridge_format(const struct dvs_bridge *br, struct ds *s)
{
    ds_put_format(s, "bridge %s:", br->name);
    if (br->n_uplinks) {
        ds_put_cstr(s, " uplinks=");
        for (size_t i = 0; i < br->n_uplinks; i++) {
            ds_put_format(s, "%s%s:%s", i ? "," : "", br->uplinks[i].name,
                          br->uplinks[i].pnic);
        }
    }
    dvs_bridge_lags_format(br, s);
    if (br->bond_mode) {
        ds_put_format(s, " bond_mode=%s", br->bond_mode);
    }
    if (br->mtu) {
        ds_put_format(s, " mtu=%"PRIu32, br->mtu);
    }
    if (br->vxlan) {
        ds_put_cstr(s, " vxlan=true");
    }
    if (br->vtep_ip) {
        ds_put_format(s, " vtep_ip=%s", br->vtep_ip);
    }
    if (br->lldp) {
        ds_put_format(s, " lldp=%s", br->lldp);
    }
    if (br->health_check.vlan_mtu || br->health_check.teaming) {
        const struct dvs_health_check *hc = &br->health_check;

        ds_put_format(s, " health_check=%s%s%s,interval=%"PRIu32",vlans=",
                      hc->vlan_mtu ? "vlan-mtu" : "",
                      hc->vlan_mtu && hc->teaming ? "+" : "",
                      hc->teaming ? (hc->ip_hash ? "teaming(ip-hash)"
                                     : "teaming") : "",
                      hc->interval);
        for (size_t i = 0; i < hc->n_vlans; i++) {
            ds_put_format(s, "%s%"PRIu32, i ? "," : "", hc->vlans[i]);
        }
    }
    ds_put_char(s, '\n');
    dvs_bridge_mirrors_format(br, s);
}

/* Appends the flows of 'group' to 's', one a line, indented by two spaces,
 * sorted by table, then priority from the highest, then text. */
void
dvs_flow_group_format(const struct dvs_flow_group *group, struct ds *s)
{
    const struct dvs_flow **flows = xmalloc((group->n_flows + 1)
                                            * sizeof *flows);

    for (size_t i = 0; i < group->n_flows; i++) {
        flows[i] = &group->flows[i];
    }
    qsort(flows, group->n_flows, sizeof *flows, compare_flows);
    for (size_t i = 0; i < group->n_flows; i++) {
        ds_put_cstr(s, "  ");
        dvs_flow_format(flows[i], s);
        ds_put_char(s, '\n');
    }
    free(flows);
}

/* Appends to 's' a readable dump of 'state': its bridges by name, then its
 * flow groups by key, each with its flows (see dvs_flow_group_format()):
 *
 *   bridge sw0: uplinks=uplink1:eth1 mtu=1500 vxlan=true vtep_ip=10.0.0.1
 *   group sw0/base (bridge sw0):
 *     table=0,priority=0 actions=drop
 */
void
dvs_host_state_format(const struct dvs_host_state *state, struct ds *s)
{
    size_t n_bridges = hmap_count(&state->bridges);
    size_t n_groups = hmap_count(&state->groups);
    const struct dvs_bridge **bridges = sorted_bridges(state);
    const struct dvs_flow_group **groups = sorted_groups(state);

    for (size_t i = 0; i < n_bridges; i++) {
        dvs_bridge_format(bridges[i], s);
    }
    for (size_t i = 0; i < n_groups; i++) {
        ds_put_format(s, "group %s (bridge %s):\n", groups[i]->key,
                      groups[i]->bridge);
        dvs_flow_group_format(groups[i], s);
    }
    free(bridges);
    free(groups);
}
