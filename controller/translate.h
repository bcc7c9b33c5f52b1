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

#ifndef DVS_TRANSLATE_H
#define DVS_TRANSLATE_H 1

/* Translation of the configuration database into the desired state of each
 * host (lib/dvs-state.h), exactly as Documentation/pipeline.md says.
 *
 * The input is the configuration (the dvsrec rows of an IDL) and the
 * bindings the agents reported: which port is bound on which host, with
 * the interface's attached MAC.  dvs_translate_create() indexes both once:
 * the switches, their members, and per switch the segments with the ports
 * bound in them; dvs_translate_update() keeps the index up to date after
 * changes of ports and portgroups, in time proportional to the ports they
 * reach.  From that index, dvs_translate_host() computes one host's
 * state in time proportional to the segments present on that host, and the
 * partial translation below recomputes only the groups that a change can
 * affect, on the hosts that have them (controller/incremental.c).
 *
 * Invalid database content (which dvs-ctl refuses, but the generic
 * db-ctl-base commands can write) never stops the translation: the object
 * is skipped, or the part of it that is wrong, and an error is recorded for
 * the row, for the controller to write to the row's 'error' column.  */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "sset.h"

struct ds;
struct dvs_host_state;
struct ovsdb_idl;
struct ovsdb_idl_row;
struct svec;
struct uuid;

/* Bindings: what the agents reported, keyed by port name. */
struct dvs_binding {
    struct hmap_node node;      /* In dvs_bindings's 'map'. */
    char *port;                 /* Port name (the interface's iface-id). */
    char *host;                 /* Host name. */
    char *mac;                  /* external_ids:attached-mac, or NULL. */
    bool up;                    /* Link state. */
};

struct dvs_bindings {
    struct hmap map;            /* Contains "struct dvs_binding"s. */
    struct shash by_host;       /* Host name -> "struct sset" of the names
                                 * of the ports bound there. */

    /* Learned MACs: port name -> "struct sset" of entries ("MAC", or
     * "MAC@SEGMENT" for another segment than the port's own).  They are the
     * port's, not its binding's: they stay when the port moves to another
     * host or is unbound for a while, and go when they age out. */
    struct shash learned;
};

void dvs_bindings_init(struct dvs_bindings *);
void dvs_bindings_destroy(struct dvs_bindings *);
struct dvs_binding *dvs_bindings_set(struct dvs_bindings *,
                                     const char *port, const char *host,
                                     const char *mac, bool up);
struct dvs_binding *dvs_bindings_find(const struct dvs_bindings *,
                                      const char *port);
void dvs_bindings_remove(struct dvs_bindings *, const char *port);
const struct sset *dvs_bindings_host_ports(const struct dvs_bindings *,
                                           const char *host);
bool dvs_bindings_learn(struct dvs_bindings *, const char *port,
                        const char *entry);
bool dvs_bindings_forget(struct dvs_bindings *, const char *port,
                         const char *entry);
bool dvs_bindings_forget_mac(struct dvs_bindings *, const char *except_port,
                             const char *entry);
const struct sset *dvs_bindings_get_learned(const struct dvs_bindings *,
                                            const char *port);

struct dvsrec_port;
bool dvs_port_own_segment(const struct dvsrec_port *, uint32_t *segment);

/* The translation of one snapshot of the configuration and bindings.  It
 * refers to the IDL's rows and to 'bindings': after the IDL runs again
 * (ovsdb_idl_run() may free rows, and parses again those that change), it
 * must be brought up to date with dvs_translate_update() before the
 * change tracking is cleared, or destroyed. */
struct dvs_translate;

struct dvs_translate *dvs_translate_create(struct ovsdb_idl *,
                                           const struct dvs_bindings *);
/* The hosts computed from one translation share the flows that are the
 * same on each (a remote port's): call this once the hosts of one change
 * are computed, so that the shared flows are not kept between changes. */
void dvs_translate_end_run(struct dvs_translate *);
void dvs_translate_destroy(struct dvs_translate *);

/* What the rows of each port (its own, its portgroup's, its switch's) make
 * of it, whatever its binding, is much of a translation's cost: a cache
 * keeps it from one translation to the next, so that a translation reads
 * again only the ports whose rows changed (and what the attached MAC makes
 * of a port's MAC, when it changed).  The caller says which rows changed
 * before the next translation: a port (..._forget_port()), a portgroup
 * (..._forget_portgroup(): its ports), or anything else that the effective
 * values of ports depend on, a switch or a traffic rule (..._clear()).  A
 * translation made with a cache refers to it: destroy the translation
 * before the cache changes. */
struct dvs_translate_cache;

struct dvs_translate_cache *dvs_translate_cache_create(void);
void dvs_translate_cache_destroy(struct dvs_translate_cache *);
void dvs_translate_cache_clear(struct dvs_translate_cache *);
void dvs_translate_cache_forget_port(struct dvs_translate_cache *,
                                     const struct uuid *port);
void dvs_translate_cache_forget_portgroup(struct dvs_translate_cache *,
                                          const struct uuid *portgroup);
struct dvs_translate *dvs_translate_create_cached(
    struct ovsdb_idl *, const struct dvs_bindings *,
    struct dvs_translate_cache *);

/* Brings 'tr' up to date, in place, after changes of ports and
 * portgroups, in time proportional to the ports they reach (the changed
 * ports and those that share a segment with them), not to the whole
 * configuration:
 *
 *   - 'ports' holds the Port rows ("const struct dvsrec_port *") that
 *     changed, were inserted, or were deleted (as the IDL's tracked rows,
 *     still readable until ovsdb_idl_track_clear()), and those whose
 *     binding or learned MACs changed;
 *
 *   - 'portgroups' holds the Portgroup rows that changed.
 *
 * The translation's cache must have forgotten them first, as for
 * dvs_translate_create_cached().  Changes of any other table, and of a
 * portgroup's name, switch, VNI or remote VTEPs, or a portgroup added or
 * deleted, need a new translation: then, or if a port puts an error on
 * its host's membership (a VXLAN port on a host without a VTEP), it
 * returns false, and 'tr' may only be destroyed. */
struct hmapx;
bool dvs_translate_update(struct dvs_translate *, const struct hmapx *ports,
                          const struct hmapx *portgroups);

/* Replaces 'state' (initialized) by the desired state of host 'host'.  A
 * host that is a member of no switch gets an empty state. */
void dvs_translate_host(const struct dvs_translate *, const char *host,
                        struct dvs_host_state *state);

/* Adds to 'ports' the names of the bound ports of 'portgroup'. */
void dvs_translate_portgroup_ports(const struct dvs_translate *,
                                   const char *portgroup, struct sset *ports);

/* Partial translation: after a change of some ports (their configuration,
 * portgroup or binding), only the flow groups that can depend on them are
 * computed again, on the hosts where they can be.
 *
 * A scope starts with the changed ports and the segments they were in
 * before the change (SWITCH/seg/ID, as dvs_translate_port_segments() gave
 * them then).  dvs_translate_scope_close() adds their segments in 'tr',
 * every port of those segments (a port's known-MAC flows depend on the
 * other ports of its segments: a MAC, or a learned MAC, that two ports
 * claim goes to the first one by name), and every segment of those ports,
 * until it holds every segment of its ports.  The groups of a closed
 * scope are the ports' own, their segments', and each switch's base
 * group: nothing outside it can change.
 *
 * Changes of switches, members, the private VLAN map, LAGs and static
 * remote VTEPs reach further: a full translation of every host follows
 * them. */
struct dvs_translate_scope {
    struct sset ports;          /* Port names. */
    struct sset segments;       /* "SWITCH/seg/ID". */
    struct shash keys;          /* Switch name -> "struct svec *", the
                                 * cache of dvs_translate_scope_keys(). */
};

void dvs_translate_scope_init(struct dvs_translate_scope *);
void dvs_translate_scope_destroy(struct dvs_translate_scope *);
void dvs_translate_scope_close(const struct dvs_translate *,
                               struct dvs_translate_scope *);

/* A narrower scope, for the hosts where the changed ports neither were nor
 * are (whose segments stay the same): the changed ports, the segments
 * they were and are in, and of the other ports of those segments only
 * those that claim a MAC (their own or a learned one) that a changed port
 * claimed before the change ('macs', as dvs_translate_port_macs() gave
 * them then) or claims now, whose known-MAC flows can change with it: and
 * so on for their other segments and MACs. */
void dvs_translate_scope_close_macs(const struct dvs_translate *,
                                    struct dvs_translate_scope *,
                                    struct sset *macs);
void dvs_translate_port_macs(const struct dvs_translate *, const char *port,
                             struct sset *macs);

/* Adds to 'flows' what the hosts other than the one of 'port' get of it:
 * its remote flows in each of its segments, one group per segment (none
 * if 'port' is not bound).  A port that keeps its host, its segments, the
 * MACs it claims and these flows changes the states of no other host. */
void dvs_translate_port_remote_flows(const struct dvs_translate *,
                                     const char *port,
                                     struct dvs_host_state *flows);

/* The host 'port' is bound on, or NULL. */
const char *dvs_translate_port_host(const struct dvs_translate *,
                                    const char *port);

/* Adds to 'hosts' the hosts that 'tr' puts in the segments of 'scope' and
 * those its ports are bound on.  The hosts where the scope's groups were
 * before are the caller's to add. */
void dvs_translate_scope_hosts(const struct dvs_translate *,
                               const struct dvs_translate_scope *,
                               struct sset *hosts);

/* Replaces 'state' by the groups of 'scope' in the state of 'host', with
 * its bridges (whole). */
void dvs_translate_host_scope(const struct dvs_translate *, const char *host,
                              const struct dvs_translate_scope *,
                              struct dvs_host_state *state);

/* Whether 'scope' covers the group with 'key'. */
bool dvs_translate_scope_covers(const struct dvs_translate_scope *,
                                const char *key);

/* Returns every group key of switch 'sw' that 'scope' covers, whether a
 * state has the group or not, sorted.  Computed once per switch: the
 * scope must not change afterward. */
const struct svec *dvs_translate_scope_keys(
    const struct dvs_translate_scope *, const char *sw);

/* Adds to 'segments' the segments (SWITCH/seg/ID) of port 'port'. */
void dvs_translate_port_segments(const struct dvs_translate *,
                                 const char *port, struct sset *segments);

/* Whether 'host' has a port in 'segment' (SWITCH/seg/ID) in 'tr', other
 * than those of 'except'. */
bool dvs_translate_host_in_segment(const struct dvs_translate *,
                                   const char *host, const char *segment,
                                   const struct sset *except);

/* Adds to 'ports' the names of every bound port. */
void dvs_translate_all_ports(const struct dvs_translate *,
                             struct sset *ports);

/* Errors found in the configuration: for each row that could not be (fully)
 * applied, a message saying why (several joined by "; ").  The rows are
 * Switch, Portgroup, Port and Host_Member rows, identified by UUID so that
 * the caller can match them after the IDL has changed. */
const char *dvs_translate_get_error(const struct dvs_translate *,
                                    const struct uuid *row);
size_t dvs_translate_n_errors(const struct dvs_translate *);

/* Appends one line per error to 's', "TABLE NAME: MESSAGE", sorted. */
void dvs_translate_format_errors(const struct dvs_translate *, struct ds *s);

#endif /* translate.h */
