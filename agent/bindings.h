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

#ifndef AGENT_BINDINGS_H
#define AGENT_BINDINGS_H 1

/* Port bindings: which ports of the distributed switch have a VM interface
 * on this host.
 *
 * The hypervisor attaches a VM by the usual OVS integration convention: it
 * adds the VM's interface to the switch's bridge with
 * external_ids:iface-id=<port name> (and external_ids:attached-mac).  The
 * agent scans the interfaces of the bridges it owns for them, reports what
 * changes (to the controller, which then computes the port's flows) and
 * resolves ${port:NAME} in flows to the interface's OpenFlow port. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"

struct ds;
struct ovsdb_idl;

struct binding {
    struct hmap_node node;      /* In struct bindings's 'map', by 'port'. */
    char *port;                 /* external_ids:iface-id. */
    char *bridge;               /* Name of the bridge of the interface. */
    char *iface;                /* Name of the interface. */
    int64_t ofport;             /* OpenFlow port, or 0 if it has none. */
    char *mac;                  /* external_ids:attached-mac, or NULL. */
    bool up;                    /* link_state is "up". */
};

struct bindings {
    struct hmap map;            /* Contains "struct binding"s. */
};

/* Called for each change: 'old' is NULL for a new binding, 'new' is NULL
 * for a binding that is gone, both are nonnull for one that changed. */
typedef void bindings_changed_cb(const struct binding *old,
                                 const struct binding *new, void *aux);

void bindings_init(struct bindings *);
void bindings_destroy(struct bindings *);
bool bindings_update(struct bindings *, const struct ovsdb_idl *,
                     bindings_changed_cb *, void *aux);
const struct binding *bindings_find(const struct bindings *,
                                    const char *port);
void bindings_format(const struct bindings *, struct ds *);

#endif /* agent/bindings.h */
