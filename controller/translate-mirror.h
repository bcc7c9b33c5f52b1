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

#ifndef CONTROLLER_TRANSLATE_MIRROR_H
#define CONTROLLER_TRANSLATE_MIRROR_H 1

/* Port mirroring sessions (Mirror_Session) in a host's desired state: the
 * bridge's mirrors (OVS Mirror rows that select the frames, see
 * proto/dvs.proto's MirrorSpec) and the flows that deliver the copies
 * (Documentation/pipeline.md, "Port mirroring"). */

#include <stdbool.h>

struct dvs_bindings;
struct dvs_bridge;
struct dvs_host_state;
struct dvsrec_switch;
struct ovsdb_idl;
struct svec;

struct tr_mirrors *tr_mirrors_create(struct ovsdb_idl *,
                                     const struct dvs_bindings *);
void tr_mirrors_destroy(struct tr_mirrors *);

/* Whether port 'name' is a mirror destination that carries no normal
 * traffic (it is then treated as a blocked port). */
bool tr_mirrors_is_exclusive_dest(const struct tr_mirrors *,
                                  const char *name);

/* The host a member of a switch, as the mirrors need it. */
struct tr_mirror_host {
    const char *name;
    const struct svec *uplinks; /* Its uplinks, in the switch's order. */
    const char *vtep;           /* Its VTEP address (tunnel source). */
};

/* Adds to 'state' and to bridge 'br' the mirroring of switch 'sw' on
 * 'host'.  Returns true if a session sends tunnelled copies from the
 * host, which then needs the underlay flows of its VTEP address. */
bool tr_mirrors_translate(const struct tr_mirrors *,
                          const struct dvsrec_switch *sw,
                          const struct tr_mirror_host *host,
                          struct dvs_host_state *state,
                          struct dvs_bridge *br);

#endif /* controller/translate-mirror.h */
