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

#ifndef CONTROLLER_INCREMENTAL_H
#define CONTROLLER_INCREMENTAL_H 1

/* Keeping hosts' states up to date with work proportional to a change.
 *
 * The controller holds, for each host, the state it last computed for it
 * (what it sent).  After a change of some ports (their configuration,
 * their portgroup's, their bindings or learned MACs), only the flow groups
 * that can depend on them are computed again (a closed scope, see
 * dvs_translate_scope_close()), on the hosts where they are now or were
 * before, and merged into those states.  The result is exactly the state
 * that a full translation gives.
 *
 * For that it remembers, across translations:
 *
 *   - for each port, the hosts whose states have groups of it, from the
 *     states themselves (where its groups were before a change);
 *
 *   - for each bound port, its host, the segments it was in (which
 *     segments lose it) and the MACs it claimed (which ports' MACs depend
 *     on it).
 *
 * The hosts of the changed ports that moved (to another host, or into other
 * segments), before and after, may have joined or left segments: they get
 * all the groups of those segments again (the wide scope).  The other
 * hosts, and those of the ports that stayed (a change of a port's policy),
 * are in the same segments as before: they get the groups of the changed
 * ports, of their segments, and of the ports whose known-MAC flows can
 * change with them (the narrow scope).  A port that stayed, claims the
 * same MACs and gives the other hosts the same flows (its remote flows,
 * dvs_translate_port_remote_flows()) changes only the state of its own
 * host: its groups there and its segments' (the own scope of its host).
 *
 * Whatever changes a state must go through here: incr_set_state() after
 * a full translation of a host, incr_forget_state() before a state is
 * dropped, incr_update_host() for a partial one. */

#include <stdint.h>
#include "openvswitch/shash.h"
#include "sset.h"

struct dvs_host_state;
struct dvs_translate;
struct dvs_translate_scope;
struct Dvs__StateUpdate;

struct incr {
    struct shash port_hosts;    /* Port name -> "struct sset *" of hosts. */
    struct shash ports;         /* Port name -> "struct incr_port *": its
                                 * host, segments and MACs as of the last
                                 * translation. */
};

void incr_init(struct incr *);
void incr_destroy(struct incr *);

/* States. */
void incr_set_state(struct incr *, const char *host,
                    const struct dvs_host_state *old,
                    const struct dvs_host_state *new);
void incr_forget_state(struct incr *, const char *host,
                       const struct dvs_host_state *);

/* Fills 'wide' and 'narrow' (initialized, empty) for the change of
 * 'ports', and adds to 'wide_hosts' and 'narrow_hosts' the hosts that need
 * them, as of 'tr' (the translation after the change) and of the states
 * before it.  The changed ports that stay where they were and look the
 * same to the other hosts (a change of their traffic rules, say) go
 * instead, with their segments, to the own scope of their host in
 * 'own_scopes' (an empty shash: host name -> "struct dvs_translate_scope
 * *"), for that host alone.  No host is in two of them: a host with an own
 * scope has the wide or narrow one that it needs in it too. */
void incr_scope(const struct incr *, const struct dvs_translate *,
                const struct sset *ports,
                struct dvs_translate_scope *wide, struct sset *wide_hosts,
                struct dvs_translate_scope *narrow,
                struct sset *narrow_hosts, struct shash *own_scopes);
void incr_own_scopes_destroy(struct shash *own_scopes);

/* Brings 'state', the state of 'host' before the change, up to date with
 * 'tr' for 'scope'.  Returns the update that turns the old state into the
 * new one (which may be empty), to free with dvs_state_update_free(), or
 * NULL if 'generation' is 0 (no update wanted). */
struct Dvs__StateUpdate *incr_update_host(struct incr *,
                                          const struct dvs_translate *,
                                          const struct dvs_translate_scope *,
                                          const char *host,
                                          struct dvs_host_state *state,
                                          uint64_t generation,
                                          const char *epoch);

/* Whether 'port' was bound at the last translation, or a state has groups
 * of it. */
bool incr_knows_port(const struct incr *, const char *port);

/* Remembers 'ports' (every port, if NULL) as 'tr' has them, for the next
 * change. */
void incr_remember_ports(struct incr *, const struct dvs_translate *,
                         const struct sset *ports);

#endif /* controller/incremental.h */
