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
#include "controller/incremental.h"

#include <stdlib.h>
#include <string.h>

#include "controller/translate.h"
#include "lib/dvs-multimap.h"
#include "lib/dvs-state.h"
#include "svec.h"
#include "util.h"

/* What a port was, as of the last translation. */
struct incr_port {
    char *host;                 /* Bound on, or NULL. */
    struct sset segments;       /* Its segments. */
    struct sset macs;           /* The MACs it claimed. */
    struct dvs_host_state remote;   /* What the other hosts got of it
                                     * (dvs_translate_port_remote_flows()). */
};

void
incr_init(struct incr *incr)
{
    shash_init(&incr->port_hosts);
    shash_init(&incr->ports);
}

static void
incr_port_destroy(struct incr_port *port)
{
    if (port) {
        free(port->host);
        sset_destroy(&port->segments);
        sset_destroy(&port->macs);
        dvs_host_state_destroy(&port->remote);
        free(port);
    }
}

static void
ports_clear(struct shash *ports)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, ports) {
        incr_port_destroy(node->data);
    }
    shash_clear(ports);
}

void
incr_destroy(struct incr *incr)
{
    if (incr) {
        dvs_multimap_clear(&incr->port_hosts);
        shash_destroy(&incr->port_hosts);
        ports_clear(&incr->ports);
        shash_destroy(&incr->ports);
    }
}

/* Returns the port name in a group key "<switch>/port/<port>/<kind>", or
 * NULL if 'key' is not a port's group.  The caller frees it. */
static char *
port_of_group_key(const char *key)
{
    const char *p = strstr(key, "/port/");
    const char *end;

    if (!p) {
        return NULL;
    }
    p += strlen("/port/");
    end = strrchr(p, '/');
    return end && end > p ? xmemdup0(p, end - p) : NULL;
}

/* Records that the state of 'host' has groups of 'port' ('add') or no
 * longer has any. */
static void
index_port(struct incr *incr, const char *host, const char *port, bool add)
{
    if (add) {
        dvs_multimap_add(&incr->port_hosts, port, host);
    } else {
        dvs_multimap_remove(&incr->port_hosts, port, host);
    }
}

/* Adds to 'ports' the ports that have a group in 'state' among 'keys'. */
static void
ports_with_groups(const struct dvs_host_state *state,
                  const struct svec *keys, struct sset *ports)
{
    for (size_t i = 0; i < keys->n; i++) {
        if (dvs_host_state_find_group(state, keys->names[i])) {
            char *port = port_of_group_key(keys->names[i]);
            if (port) {
                sset_add(ports, port);
                free(port);
            }
        }
    }
}

/* A port's groups on one host are several and the index says only
 * whether there is one: all of a state goes out of it before its
 * successor comes in. */
static void
index_state(struct incr *incr, const char *host,
            const struct dvs_host_state *state, bool add)
{
    const struct dvs_flow_group *group;

    DVS_HOST_STATE_FOR_EACH_GROUP (group, state) {
        char *port = port_of_group_key(group->key);
        if (port) {
            index_port(incr, host, port, add);
            free(port);
        }
    }
}

void
incr_set_state(struct incr *incr, const char *host,
               const struct dvs_host_state *old,
               const struct dvs_host_state *new)
{
    index_state(incr, host, old, false);
    index_state(incr, host, new, true);
}

void
incr_forget_state(struct incr *incr, const char *host,
                  const struct dvs_host_state *state)
{
    index_state(incr, host, state, false);
}

static void
sset_add_all(struct sset *dst, const struct sset *src)
{
    const char *name;

    if (src) {
        SSET_FOR_EACH (name, src) {
            sset_add(dst, name);
        }
    }
}

/* Whether port 'name', known before the change as 'old', is bound on the
 * same host and in the same segments in 'tr' (where its host is 'host'). */
static bool
port_stays(const struct dvs_translate *tr, const struct incr_port *old,
           const char *name, const char *host)
{
    if (!old || !old->host || !host || strcmp(old->host, host)) {
        return false;
    }

    struct sset segments = SSET_INITIALIZER(&segments);
    dvs_translate_port_segments(tr, name, &segments);
    bool same = sset_equals(&segments, &old->segments);
    sset_destroy(&segments);
    return same;
}

/* Whether 'host' has, in each of 'segments', a port that is not one of
 * 'changed'. */
static bool
host_has_segments(const struct dvs_translate *tr, const char *host,
                  const struct sset *segments, const struct sset *changed)
{
    const char *segment;

    SSET_FOR_EACH (segment, segments) {
        if (!dvs_translate_host_in_segment(tr, host, segment, changed)) {
            return false;
        }
    }
    return true;
}

/* Whether the hosts of port 'name', known before the change as 'old',
 * stay in the port's segments: its old host in the segments it was in,
 * its host in 'tr' ('host') in those it is in now, each because a port
 * there that did not change (not in 'changed') is there before and after.
 * Such a host has the segments' groups already: the port's own, those of
 * its segments and those that its MAC touches (the narrow scope) are all
 * that change there. */
static bool
hosts_keep_segments(const struct dvs_translate *tr,
                    const struct incr_port *old, const char *name,
                    const char *host, const struct sset *changed)
{
    bool keep = (!old || !old->host
                 || host_has_segments(tr, old->host, &old->segments,
                                      changed));
    if (keep && host) {
        struct sset segments = SSET_INITIALIZER(&segments);

        dvs_translate_port_segments(tr, name, &segments);
        keep = host_has_segments(tr, host, &segments, changed);
        sset_destroy(&segments);
    }
    return keep;
}

/* Whether port 'name', which stays on its host and in its segments, also
 * claims the MACs it claimed ('old') and looks the same to the other hosts:
 * then only its own host's state can change with it. */
static bool
port_stays_alike(const struct dvs_translate *tr, const struct incr_port *old,
                 const char *name)
{
    struct dvs_host_state remote;

    dvs_host_state_init(&remote);
    dvs_translate_port_remote_flows(tr, name, &remote);
    bool alike = dvs_host_state_equal(&remote, &old->remote);
    dvs_host_state_destroy(&remote);
    if (alike) {
        struct sset macs = SSET_INITIALIZER(&macs);

        dvs_translate_port_macs(tr, name, &macs);
        alike = sset_equals(&macs, &old->macs);
        sset_destroy(&macs);
    }
    return alike;
}

/* Returns the own scope of 'host' in 'own_scopes', adding it if needed. */
static struct dvs_translate_scope *
own_scope(struct shash *own_scopes, const char *host)
{
    struct dvs_translate_scope *scope = shash_find_data(own_scopes, host);

    if (!scope) {
        scope = xmalloc(sizeof *scope);
        dvs_translate_scope_init(scope);
        shash_add(own_scopes, host, scope);
    }
    return scope;
}

static void
scope_add_all(struct dvs_translate_scope *dst,
              const struct dvs_translate_scope *src)
{
    sset_add_all(&dst->ports, &src->ports);
    sset_add_all(&dst->segments, &src->segments);
}

void
incr_scope(const struct incr *incr, const struct dvs_translate *tr,
           const struct sset *ports,
           struct dvs_translate_scope *wide, struct sset *wide_hosts,
           struct dvs_translate_scope *narrow, struct sset *narrow_hosts,
           struct shash *own_scopes)
{
    struct sset macs = SSET_INITIALIZER(&macs);
    struct shash_node *node;
    const char *name;

    /* The changed ports as they were.  A port that stays on its host and
     * in its segments (a change of its policy, say), or whose hosts before
     * and after have other ports in its segments (a VM that comes up
     * beside others of its portgroup), changes no host's segments: its
     * hosts need only the narrow scope, as the others.  One that stays
     * and looks the same from elsewhere (a change of its traffic rules,
     * say) needs only its own host's scope. */
    SSET_FOR_EACH (name, ports) {
        const struct incr_port *old = shash_find_data(&incr->ports, name);
        const char *host = dvs_translate_port_host(tr, name);

        if (port_stays(tr, old, name, host)
            && port_stays_alike(tr, old, name)) {
            struct dvs_translate_scope *own = own_scope(own_scopes, host);

            sset_add(&own->ports, name);
            sset_add_all(&own->segments, &old->segments);
            continue;
        }
        sset_add(&narrow->ports, name);
        if (old) {
            sset_add_all(&narrow->segments, &old->segments);
            sset_add_all(&macs, &old->macs);
        }
        if (port_stays(tr, old, name, host)
            || hosts_keep_segments(tr, old, name, host, ports)) {
            continue;
        }
        sset_add(&wide->ports, name);
        if (old) {
            sset_add_all(&wide->segments, &old->segments);
            if (old->host) {
                sset_add(wide_hosts, old->host);
            }
        }
        if (host) {
            sset_add(wide_hosts, host);
        }
    }
    dvs_translate_scope_close(tr, wide);
    dvs_translate_scope_close_macs(tr, narrow, &macs);
    sset_destroy(&macs);

    /* A host that gets the wide scope gets only it: it must hold the
     * narrow one too (a port that moved there beside one whose policy
     * changed, say).  Both are closed (each of their ports has all its
     * segments in them), and so is their union. */
    if (!sset_is_empty(wide_hosts)) {
        sset_add_all(&wide->ports, &narrow->ports);
        sset_add_all(&wide->segments, &narrow->segments);
    }

    /* Where the narrow scope's groups are now, and where they were. */
    struct sset hosts = SSET_INITIALIZER(&hosts);
    dvs_translate_scope_hosts(tr, narrow, &hosts);
    SSET_FOR_EACH (name, &narrow->ports) {
        sset_add_all(&hosts, shash_find_data(&incr->port_hosts, name));
    }
    SSET_FOR_EACH (name, &hosts) {
        if (!sset_contains(wide_hosts, name)) {
            sset_add(narrow_hosts, name);
        }
    }
    sset_destroy(&hosts);

    /* A host with an own scope that needs the wide or the narrow one too
     * gets their union, in its own scope alone. */
    SHASH_FOR_EACH (node, own_scopes) {
        if (sset_find_and_delete(wide_hosts, node->name)) {
            scope_add_all(node->data, wide);
        } else if (sset_find_and_delete(narrow_hosts, node->name)) {
            scope_add_all(node->data, narrow);
        }
    }
}

void
incr_own_scopes_destroy(struct shash *own_scopes)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, own_scopes) {
        dvs_translate_scope_destroy(node->data);
        free(node->data);
    }
    shash_destroy(own_scopes);
}

struct Dvs__StateUpdate *
incr_update_host(struct incr *incr, const struct dvs_translate *tr,
                 const struct dvs_translate_scope *scope, const char *host,
                 struct dvs_host_state *state, uint64_t generation,
                 const char *epoch)
{
    struct Dvs__StateUpdate *update = NULL;
    struct dvs_host_state part;
    struct svec keys = SVEC_EMPTY_INITIALIZER;
    struct sset switches = SSET_INITIALIZER(&switches);
    const struct dvs_bridge *br;

    dvs_host_state_init(&part);
    dvs_translate_host_scope(tr, host, scope, &part);

    /* The keys the scope covers, on the switches of the host before and
     * after. */
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        sset_add(&switches, br->name);
    }
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, &part) {
        sset_add(&switches, br->name);
    }
    const struct svec *keysp = &keys;
    const struct svec *all = (sset_count(&switches) == 1
                              ? dvs_translate_scope_keys(
                                  scope, SSET_FIRST(&switches))
                              : NULL);
    size_t n_groups = (hmap_count(&state->groups)
                       + hmap_count(&part.groups));
    if (all && all->n <= n_groups) {
        /* A scope smaller than the state, the usual case: its keys, with
         * no copy. */
        keysp = all;
    } else {
        /* A scope larger than the state (many ports changed at once): the
         * keys of the state's groups that it covers, and of the new
         * ones. */
        const struct dvs_flow_group *group;

        DVS_HOST_STATE_FOR_EACH_GROUP (group, state) {
            if (dvs_translate_scope_covers(scope, group->key)) {
                svec_add(&keys, group->key);
            }
        }
        DVS_HOST_STATE_FOR_EACH_GROUP (group, &part) {
            svec_add(&keys, group->key);
        }
        svec_sort_unique(&keys);
    }

    if (generation) {
        update = dvs_state_update_partial(state, &part, keysp, generation,
                                          epoch);
    }

    /* The index follows the ports that gain their first group on the host
     * or lose their last. */
    struct sset had = SSET_INITIALIZER(&had);
    struct sset has = SSET_INITIALIZER(&has);
    ports_with_groups(state, keysp, &had);
    dvs_host_state_merge(state, &part, keysp);
    ports_with_groups(state, keysp, &has);
    const char *port;
    SSET_FOR_EACH (port, &had) {
        if (!sset_contains(&has, port)) {
            index_port(incr, host, port, false);
        }
    }
    SSET_FOR_EACH (port, &has) {
        if (!sset_contains(&had, port)) {
            index_port(incr, host, port, true);
        }
    }
    sset_destroy(&had);
    sset_destroy(&has);

    dvs_host_state_destroy(&part);
    sset_destroy(&switches);
    svec_destroy(&keys);
    return update;
}

bool
incr_knows_port(const struct incr *incr, const char *port)
{
    return shash_find(&incr->ports, port) || shash_find(&incr->port_hosts,
                                                        port);
}

static void
remember_port(struct incr *incr, const struct dvs_translate *tr,
              const char *name)
{
    struct incr_port *port = shash_find_data(&incr->ports, name);
    const char *host = dvs_translate_port_host(tr, name);

    if (!host) {
        incr_port_destroy(shash_find_and_delete(&incr->ports, name));
        return;
    }
    if (!port) {
        port = xzalloc(sizeof *port);
        sset_init(&port->segments);
        sset_init(&port->macs);
        dvs_host_state_init(&port->remote);
        shash_add(&incr->ports, name, port);
    }
    free(port->host);
    port->host = xstrdup(host);
    sset_clear(&port->segments);
    dvs_translate_port_segments(tr, name, &port->segments);
    sset_clear(&port->macs);
    dvs_translate_port_macs(tr, name, &port->macs);
    dvs_host_state_clear(&port->remote);
    dvs_translate_port_remote_flows(tr, name, &port->remote);
}

void
incr_remember_ports(struct incr *incr, const struct dvs_translate *tr,
                    const struct sset *ports)
{
    const char *name;

    if (!ports) {
        struct sset all = SSET_INITIALIZER(&all);

        ports_clear(&incr->ports);
        dvs_translate_all_ports(tr, &all);
        SSET_FOR_EACH (name, &all) {
            remember_port(incr, tr, name);
        }
        sset_destroy(&all);
        return;
    }
    SSET_FOR_EACH (name, ports) {
        remember_port(incr, tr, name);
    }
}
