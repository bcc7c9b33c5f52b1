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
#include "agent/bindings.h"

#include <stdlib.h>
#include <string.h>
#include "agent/ovs-reconcile.h"
#include "hash.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(bindings);

static void
binding_destroy(struct binding *b)
{
    if (b) {
        free(b->port);
        free(b->bridge);
        free(b->iface);
        free(b->mac);
        free(b);
    }
}

static bool
nullable_streq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool
binding_equal(const struct binding *a, const struct binding *b)
{
    return (!strcmp(a->bridge, b->bridge)
            && !strcmp(a->iface, b->iface)
            && a->ofport == b->ofport
            && nullable_streq(a->mac, b->mac)
            && a->up == b->up);
}

static struct binding *
binding_find__(const struct hmap *map, const char *port)
{
    struct binding *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(port, 0), map) {
        if (!strcmp(b->port, port)) {
            return b;
        }
    }
    return NULL;
}

void
bindings_init(struct bindings *bindings)
{
    hmap_init(&bindings->map);
}

void
bindings_destroy(struct bindings *bindings)
{
    struct binding *b;

    HMAP_FOR_EACH_POP (b, node, &bindings->map) {
        binding_destroy(b);
    }
    hmap_destroy(&bindings->map);
}

const struct binding *
bindings_find(const struct bindings *bindings, const char *port)
{
    return binding_find__(&bindings->map, port);
}

/* Which of two interfaces that claim the same port wins: one with an
 * OpenFlow port over one without, then the first by bridge and interface
 * name, so that the choice does not depend on hash order. */
static bool
binding_is_better(const struct binding *a, const struct binding *b)
{
    int cmp;

    if ((a->ofport > 0) != (b->ofport > 0)) {
        return a->ofport > 0;
    }
    cmp = strcmp(a->bridge, b->bridge);
    return cmp ? cmp < 0 : strcmp(a->iface, b->iface) < 0;
}

/* Rescans the interfaces of the bridges that dvs-agent owns in 'idl' and
 * calls 'cb' for each binding that appeared, changed or went away.  Returns
 * true if anything changed. */
bool
bindings_update(struct bindings *bindings, const struct ovsdb_idl *idl,
                bindings_changed_cb *cb, void *aux)
{
    const struct ovsrec_bridge *br;
    struct hmap new = HMAP_INITIALIZER(&new);
    struct binding *b, *next;
    bool changed = false;

    OVSREC_BRIDGE_FOR_EACH (br, idl) {
        if (!ovs_reconcile_bridge_is_owned(br)) {
            continue;
        }
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];

            for (size_t j = 0; j < port->n_interfaces; j++) {
                const struct ovsrec_interface *iface = port->interfaces[j];
                const char *id = smap_get(&iface->external_ids, "iface-id");
                const char *mac;

                if (!id || !id[0]) {
                    continue;
                }
                mac = smap_get(&iface->external_ids, "attached-mac");
                b = xzalloc(sizeof *b);
                b->port = xstrdup(id);
                b->bridge = xstrdup(br->name);
                b->iface = xstrdup(iface->name);
                b->ofport = (iface->n_ofport && iface->ofport[0] > 0
                             ? iface->ofport[0] : 0);
                b->mac = mac && mac[0] ? xstrdup(mac) : NULL;
                b->up = (iface->link_state
                         && !strcmp(iface->link_state, "up"));

                struct binding *other = binding_find__(&new, id);
                if (!other) {
                    hmap_insert(&new, &b->node, hash_string(id, 0));
                } else {
                    static struct vlog_rate_limit rl
                        = VLOG_RATE_LIMIT_INIT(5, 5);
                    VLOG_WARN_RL(&rl, "port %s: interfaces %s (bridge %s) "
                                 "and %s (bridge %s) both have its iface-id",
                                 id, other->iface, other->bridge, b->iface,
                                 b->bridge);
                    if (binding_is_better(b, other)) {
                        hmap_replace(&new, &other->node, &b->node);
                        binding_destroy(other);
                    } else {
                        binding_destroy(b);
                    }
                }
            }
        }
    }

    /* Report what changed or appeared, then what went away. */
    HMAP_FOR_EACH (b, node, &new) {
        struct binding *old = binding_find__(&bindings->map, b->port);

        if (!old || !binding_equal(old, b)) {
            changed = true;
            if (cb) {
                cb(old, b, aux);
            }
        }
    }
    HMAP_FOR_EACH_SAFE (b, next, node, &bindings->map) {
        if (!binding_find__(&new, b->port)) {
            changed = true;
            if (cb) {
                cb(b, NULL, aux);
            }
        }
    }

    HMAP_FOR_EACH_POP (b, node, &bindings->map) {
        binding_destroy(b);
    }
    hmap_swap(&bindings->map, &new);
    hmap_destroy(&new);
    return changed;
}

static int
compare_bindings(const void *a_, const void *b_)
{
    const struct binding *const *a = a_;
    const struct binding *const *b = b_;

    return strcmp((*a)->port, (*b)->port);
}

/* Appends to 's' one line per binding, sorted by port:
 *
 *   PORT bridge=BRIDGE interface=IFACE ofport=N mac=MAC link=up|down */
void
bindings_format(const struct bindings *bindings, struct ds *s)
{
    size_t n = hmap_count(&bindings->map);
    const struct binding **array = xmalloc((n ? n : 1) * sizeof *array);
    const struct binding *b;
    size_t i = 0;

    HMAP_FOR_EACH (b, node, &bindings->map) {
        array[i++] = b;
    }
    qsort(array, n, sizeof *array, compare_bindings);
    for (i = 0; i < n; i++) {
        b = array[i];
        ds_put_format(s, "%s bridge=%s interface=%s", b->port, b->bridge,
                      b->iface);
        if (b->ofport > 0) {
            ds_put_format(s, " ofport=%"PRId64, b->ofport);
        } else {
            ds_put_cstr(s, " ofport=none");
        }
        ds_put_format(s, " mac=%s link=%s\n", b->mac ? b->mac : "none",
                      b->up ? "up" : "down");
    }
    free(array);
}
