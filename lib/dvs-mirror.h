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

#ifndef DVS_MIRROR_H
#define DVS_MIRROR_H 1

/* Port mirroring sessions (Mirror_Session rows) as both dvs-ctl and
 * dvs-controller see them: their type, and whether they can mirror
 * anything with their ports where they are bound. */

#include <stdbool.h>
#include "openvswitch/compiler.h"

struct dvsrec_mirror_session;
struct dvsrec_port;

enum dvs_mirror_type {
    DVS_MIRROR_DVPORT,          /* dvPortMirror: ports to ports, one host. */
    DVS_MIRROR_MIXED,           /* mixedDestMirror: ports to ports and
                                 * uplinks, one host. */
    DVS_MIRROR_RSPAN_SOURCE,    /* remoteMirrorSource: ports to uplinks. */
    DVS_MIRROR_RSPAN_DEST,      /* remoteMirrorDest: VLANs to ports. */
    DVS_MIRROR_ENCAP_SOURCE,    /* encapsulatedRemoteMirrorSource: ports to
                                 * IP addresses (GRE or ERSPAN). */
};

/* Session names are also symbols in flows (${mirror:NAME}): letters,
 * digits, '-', '_' and '.', at most 32. */
bool dvs_mirror_name_is_valid(const char *name);

/* The default session type is dvPortMirror (VDS's, mixedDestMirror, is
 * deprecated there). */
enum dvs_mirror_type dvs_mirror_get_type(const struct dvsrec_mirror_session *);
bool dvs_mirror_is_enabled(const struct dvsrec_mirror_session *);

/* Returns the host that 'port' is bound on, or NULL. */
typedef const char *dvs_mirror_host_func(const struct dvsrec_port *,
                                         void *aux);

/* Returns NULL if 'session' mirrors something where its ports are bound
 * now (host_of() says where), else a malloc()'d reason why it does not,
 * e.g. "disabled", or that a dvPortMirror session's source and destination
 * ports are on different hosts. */
char *dvs_mirror_inactive_reason(const struct dvsrec_mirror_session *,
                                 dvs_mirror_host_func *host_of, void *aux)
    OVS_WARN_UNUSED_RESULT;

/* Adds to 'names' the ports that carry no normal traffic: destinations of
 * enabled sessions whose normal_traffic_allowed is not true (false is
 * VDS's default). */
struct ovsdb_idl;
struct sset;
void dvs_mirror_get_exclusive_dests(struct ovsdb_idl *, struct sset *names);

#endif /* dvs-mirror.h */
