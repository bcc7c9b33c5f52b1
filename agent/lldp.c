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
#include "agent/lldp.h"

#include <stdlib.h>
#include <string.h>
#include "agent/ofctrl.h"
#include "agent/ovs-reconcile.h"
#include "coverage.h"
#include "hash.h"
#include "lib/dvs-lldp.h"
#include "lib/dvs-sort.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "proto/dvs.pb-c.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lldp);

COVERAGE_DEFINE(lldp_rx);
COVERAGE_DEFINE(lldp_rx_bad);
COVERAGE_DEFINE(lldp_tx);

/* A neighbour stays for TTL seconds after its last frame; ours is 4 transmit
 * intervals (802.1AB's default msgTxHold). */
#define LLDP_TX_HOLD 4

struct lldp_neighbor {
    struct hmap_node node;      /* In lldp_uplink's 'neighbors'. */
    struct dvs_lldp_info info;
    long long int expires;      /* time_msec() when it ages out. */
    long long int last_seen;    /* time_wall_msec() of its last frame. */
};

/* One uplink of one switch. */
struct lldp_uplink {
    struct hmap_node node;      /* In struct lldp's 'uplinks'. */
    char *bridge;
    char *name;
    char *pnic;
    char *vtep_ip;              /* Management address, or NULL. */
    bool listen, advertise;
    bool tx_now;                /* Advertise at the next run. */
    bool seen;                  /* In the desired state (while updating). */
    struct hmap neighbors;      /* Contains "struct lldp_neighbor"s. */
};

struct lldp {
    char *host;
    struct ofctrl *ofctrl;
    struct hmap uplinks;        /* Contains "struct lldp_uplink"s. */
    long long int next_tx;      /* When all advertising uplinks send. */
    uint64_t seqno;
};

static void lldp_receive(const struct ofctrl_packet_in *, void *lldp_);

static uint32_t
uplink_hash(const char *bridge, const char *name)
{
    return hash_string(name, hash_string(bridge, 0));
}

static struct lldp_uplink *
uplink_find(const struct lldp *lldp, const char *bridge, const char *name)
{
    struct lldp_uplink *u;

    HMAP_FOR_EACH_WITH_HASH (u, node, uplink_hash(bridge, name),
                             &lldp->uplinks) {
        if (!strcmp(u->bridge, bridge) && !strcmp(u->name, name)) {
            return u;
        }
    }
    return NULL;
}

static void
neighbor_destroy(struct lldp_neighbor *n)
{
    dvs_lldp_info_destroy(&n->info);
    free(n);
}

/* Forgets the neighbours of 'u'. */
static void
uplink_clear(struct lldp *lldp, struct lldp_uplink *u)
{
    struct lldp_neighbor *n;

    if (!hmap_is_empty(&u->neighbors)) {
        lldp->seqno++;
    }
    HMAP_FOR_EACH_POP (n, node, &u->neighbors) {
        neighbor_destroy(n);
    }
}

static void
uplink_destroy(struct lldp *lldp, struct lldp_uplink *u)
{
    uplink_clear(lldp, u);
    hmap_destroy(&u->neighbors);
    free(u->bridge);
    free(u->name);
    free(u->pnic);
    free(u->vtep_ip);
    free(u);
}

struct lldp *
lldp_create(const char *host, struct ofctrl *ofctrl)
{
    struct lldp *lldp = xzalloc(sizeof *lldp);

    lldp->host = xstrdup(host);
    lldp->ofctrl = ofctrl;
    hmap_init(&lldp->uplinks);
    lldp->next_tx = LLONG_MIN;
    lldp->seqno = 1;
    ofctrl_set_packet_handler(ofctrl, OFCTRL_PURPOSE_LLDP, lldp_receive,
                              lldp);
    return lldp;
}

void
lldp_destroy(struct lldp *lldp)
{
    if (lldp) {
        struct lldp_uplink *u;

        ofctrl_set_packet_handler(lldp->ofctrl, OFCTRL_PURPOSE_LLDP, NULL,
                                  NULL);
        HMAP_FOR_EACH_POP (u, node, &lldp->uplinks) {
            uplink_destroy(lldp, u);
        }
        hmap_destroy(&lldp->uplinks);
        free(lldp->host);
        free(lldp);
    }
}

/* Sends an LLDP frame out of 'u', advertising TTL 'ttl'.  Returns false if
 * it could not (the port or its MAC is not known yet, or the connection is
 * down). */
static bool
uplink_send(const struct lldp *lldp, const struct lldp_uplink *u,
            const struct ovs_reconcile *reconcile, uint16_t ttl)
{
    ofp_port_t port;
    struct eth_addr mac;
    struct ofpbuf frame;
    char *symbol;

    symbol = xasprintf("uplink:%s", u->name);
    port = ofctrl_get_port(lldp->ofctrl, u->bridge, symbol);
    free(symbol);
    if (port == OFPP_NONE
        || !ovs_reconcile_get_mac(reconcile, u->bridge, u->pnic, &mac)) {
        return false;
    }

    char *description = xasprintf("%s (%s) of switch %s", u->name, u->pnic,
                                  u->bridge);
    const struct dvs_lldp_info info = {
        .chassis_id = lldp->host,
        .port_id = u->pnic,
        .ttl = ttl,
        .system_name = lldp->host,
        .port_description = description,
        .management_address = u->vtep_ip,
    };

    ofpbuf_init(&frame, 128);
    dvs_lldp_build(&frame, mac, &info);
    bool sent = !ofctrl_send_packet(lldp->ofctrl, u->bridge, port,
                                    frame.data, frame.size);
    if (sent) {
        COVERAGE_INC(lldp_tx);
    }
    ofpbuf_uninit(&frame);
    free(description);
    return sent;
}

/* Makes the uplinks those of 'state', with their switches' modes. */
static void
update_uplinks(struct lldp *lldp, const struct dvs_host_state *state,
               const struct ovs_reconcile *reconcile)
{
    const struct dvs_bridge *br;
    struct lldp_uplink *u;

    HMAP_FOR_EACH (u, node, &lldp->uplinks) {
        u->seen = false;
    }
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        bool listen = dvs_bridge_lldp_listens(br);
        bool advertise = dvs_bridge_lldp_advertises(br);

        for (size_t i = 0; i < br->n_uplinks; i++) {
            const struct dvs_uplink *up = &br->uplinks[i];

            u = uplink_find(lldp, br->name, up->name);
            if (u && strcmp(u->pnic, up->pnic)) {
                /* Another NIC: another link, other neighbours. */
                uplink_clear(lldp, u);
                free(u->pnic);
                u->pnic = xstrdup(up->pnic);
                u->tx_now = true;
            } else if (!u) {
                u = xzalloc(sizeof *u);
                u->bridge = xstrdup(br->name);
                u->name = xstrdup(up->name);
                u->pnic = xstrdup(up->pnic);
                hmap_init(&u->neighbors);
                hmap_insert(&lldp->uplinks, &u->node,
                            uplink_hash(br->name, up->name));
                u->tx_now = true;
            }
            if (!listen) {
                uplink_clear(lldp, u);
            }
            if (u->advertise && !advertise) {
                uplink_send(lldp, u, reconcile, 0);
            }
            u->tx_now |= advertise && !u->advertise;
            if (!nullable_string_is_equal(u->vtep_ip, br->vtep_ip)) {
                free(u->vtep_ip);
                u->vtep_ip = nullable_xstrdup(br->vtep_ip);
                u->tx_now = true;
            }
            u->listen = listen;
            u->advertise = advertise;
            u->seen = true;
        }
    }

    struct lldp_uplink *next;
    HMAP_FOR_EACH_SAFE (u, next, node, &lldp->uplinks) {
        if (!u->seen) {
            hmap_remove(&lldp->uplinks, &u->node);
            uplink_destroy(lldp, u);
        }
    }
}

static void
expire_neighbors(struct lldp *lldp)
{
    long long int now = time_msec();
    struct lldp_uplink *u;

    HMAP_FOR_EACH (u, node, &lldp->uplinks) {
        struct lldp_neighbor *n, *next;

        HMAP_FOR_EACH_SAFE (n, next, node, &u->neighbors) {
            if (now >= n->expires) {
                VLOG_INFO("%s %s: neighbor %s port %s aged out", u->bridge,
                          u->name, n->info.chassis_id, n->info.port_id);
                hmap_remove(&u->neighbors, &n->node);
                neighbor_destroy(n);
                lldp->seqno++;
            }
        }
    }
}

void
lldp_run(struct lldp *lldp, const struct dvs_host_state *state,
         const struct ovs_reconcile *reconcile)
{
    long long int now = time_msec();
    bool round = now >= lldp->next_tx;
    struct lldp_uplink *u;

    update_uplinks(lldp, state, reconcile);
    expire_neighbors(lldp);

    HMAP_FOR_EACH (u, node, &lldp->uplinks) {
        /* A new uplink advertises as soon as it can: its port, MAC and
         * connection may come a little after it. */
        if (u->advertise && (round || u->tx_now)) {
            u->tx_now = !uplink_send(lldp, u, reconcile,
                                     LLDP_TX_INTERVAL * LLDP_TX_HOLD);
        } else {
            u->tx_now = false;
        }
    }
    if (round) {
        lldp->next_tx = now + LLDP_TX_INTERVAL * 1000;
    }
}

void
lldp_wait(const struct lldp *lldp)
{
    const struct lldp_uplink *u;
    bool advertising = false;

    HMAP_FOR_EACH (u, node, &lldp->uplinks) {
        const struct lldp_neighbor *n;

        advertising |= u->advertise;
        HMAP_FOR_EACH (n, node, &u->neighbors) {
            poll_timer_wait_until(n->expires);
        }
    }
    if (advertising) {
        poll_timer_wait_until(lldp->next_tx);
    }
}

uint64_t
lldp_seqno(const struct lldp *lldp)
{
    return lldp->seqno;
}

static bool
info_equal(const struct dvs_lldp_info *a, const struct dvs_lldp_info *b)
{
    return (a->ttl == b->ttl
            && nullable_string_is_equal(a->system_name, b->system_name)
            && nullable_string_is_equal(a->port_description,
                                        b->port_description)
            && nullable_string_is_equal(a->management_address,
                                        b->management_address));
}

/* An LLDP frame from the packet-in of 'pin'. */
static void
lldp_receive(const struct ofctrl_packet_in *pin, void *lldp_)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct lldp *lldp = lldp_;
    struct lldp_uplink *u, *from = NULL;
    struct lldp_neighbor *n;
    struct dvs_lldp_info info;
    uint32_t hash;
    char *error;

    HMAP_FOR_EACH (u, node, &lldp->uplinks) {
        char *symbol = xasprintf("uplink:%s", u->name);
        bool match = (!strcmp(u->bridge, pin->bridge)
                      && ofctrl_get_port(lldp->ofctrl, u->bridge, symbol)
                         == pin->in_port);
        free(symbol);
        if (match) {
            from = u;
            break;
        }
    }
    if (!from || !from->listen) {
        return;
    }

    error = dvs_lldp_parse(pin->packet, pin->len, &info);
    if (error) {
        COVERAGE_INC(lldp_rx_bad);
        VLOG_WARN_RL(&rl, "%s %s: bad LLDP frame: %s", from->bridge,
                     from->name, error);
        free(error);
        return;
    }
    COVERAGE_INC(lldp_rx);

    hash = hash_string(info.port_id, hash_string(info.chassis_id, 0));
    HMAP_FOR_EACH_WITH_HASH (n, node, hash, &from->neighbors) {
        if (!strcmp(n->info.chassis_id, info.chassis_id)
            && !strcmp(n->info.port_id, info.port_id)) {
            break;
        }
    }

    if (!info.ttl) {
        /* A shutdown LLDPDU: the neighbour leaves. */
        if (n) {
            VLOG_INFO("%s %s: neighbor %s port %s left", from->bridge,
                      from->name, n->info.chassis_id, n->info.port_id);
            hmap_remove(&from->neighbors, &n->node);
            neighbor_destroy(n);
            lldp->seqno++;
        }
        dvs_lldp_info_destroy(&info);
        return;
    }
    if (!n) {
        if (hmap_count(&from->neighbors) >= LLDP_MAX_NEIGHBORS) {
            VLOG_WARN_RL(&rl, "%s %s: more than %d LLDP neighbors, "
                         "ignoring %s port %s", from->bridge, from->name,
                         LLDP_MAX_NEIGHBORS, info.chassis_id, info.port_id);
            dvs_lldp_info_destroy(&info);
            return;
        }
        n = xzalloc(sizeof *n);
        hmap_insert(&from->neighbors, &n->node, hash);
        VLOG_INFO("%s %s: new neighbor %s port %s (%s)", from->bridge,
                  from->name, info.chassis_id, info.port_id,
                  info.system_name ? info.system_name : "no system name");
        lldp->seqno++;
    } else if (!info_equal(&n->info, &info)) {
        lldp->seqno++;
    }
    dvs_lldp_info_destroy(&n->info);
    n->info = info;
    n->expires = time_msec() + info.ttl * 1000LL;
    n->last_seen = time_wall_msec();
}

/* Reports. */

static int
compare_uplinks(const void *a_, const void *b_)
{
    const struct lldp_uplink *const *a = a_;
    const struct lldp_uplink *const *b = b_;
    int cmp = strcmp((*a)->bridge, (*b)->bridge);

    return cmp ? cmp : strcmp((*a)->name, (*b)->name);
}

static int
compare_neighbors(const void *a_, const void *b_)
{
    const struct lldp_neighbor *const *a = a_;
    const struct lldp_neighbor *const *b = b_;
    int cmp = strcmp((*a)->info.chassis_id, (*b)->info.chassis_id);

    return cmp ? cmp : strcmp((*a)->info.port_id, (*b)->info.port_id);
}

static const struct lldp_uplink **
sorted_uplinks(const struct lldp *lldp, size_t *n)
{
    *n = hmap_count(&lldp->uplinks);
    return (const struct lldp_uplink **)
        DVS_HMAP_SORT(&lldp->uplinks, struct lldp_uplink, node,
                      compare_uplinks);
}

static const struct lldp_neighbor **
sorted_neighbors(const struct lldp_uplink *u, size_t *n)
{
    *n = hmap_count(&u->neighbors);
    return (const struct lldp_neighbor **)
        DVS_HMAP_SORT(&u->neighbors, struct lldp_neighbor, node,
                      compare_neighbors);
}

struct Dvs__LldpNeighbors *
lldp_get_neighbors(const struct lldp *lldp)
{
    Dvs__LldpNeighbors *msg = xmalloc(sizeof *msg);
    const struct lldp_uplink **uplinks;
    size_t n_uplinks, allocated = 0;

    dvs__lldp_neighbors__init(msg);
    uplinks = sorted_uplinks(lldp, &n_uplinks);
    for (size_t i = 0; i < n_uplinks; i++) {
        const struct lldp_uplink *u = uplinks[i];
        const struct lldp_neighbor **list;
        size_t n;

        list = sorted_neighbors(u, &n);
        for (size_t j = 0; j < n; j++) {
            const struct dvs_lldp_info *info = &list[j]->info;
            Dvs__LldpNeighbor *m = xmalloc(sizeof *m);

            dvs__lldp_neighbor__init(m);
            m->switch_ = xstrdup(u->bridge);
            m->uplink = xstrdup(u->name);
            m->chassis_id = xstrdup(info->chassis_id);
            m->port_id = xstrdup(info->port_id);
            m->system_name = nullable_xstrdup(info->system_name);
            m->port_description = nullable_xstrdup(info->port_description);
            m->management_address = nullable_xstrdup(
                info->management_address);
            m->has_ttl = true;
            m->ttl = info->ttl;
            m->has_last_seen = true;
            m->last_seen = list[j]->last_seen;
            if (msg->n_neighbors >= allocated) {
                msg->neighbors = x2nrealloc(msg->neighbors, &allocated,
                                            sizeof *msg->neighbors);
            }
            msg->neighbors[msg->n_neighbors++] = m;
        }
        free(list);
    }
    free(uplinks);
    return msg;
}

void
lldp_neighbors_free(struct Dvs__LldpNeighbors *msg)
{
    if (msg) {
        protobuf_c_message_free_unpacked(&msg->base, NULL);
    }
}

/* Describes the neighbours on the uplinks of 'bridge' (of every switch if
 * NULL) for people. */
void
lldp_format(const struct lldp *lldp, const char *bridge, struct ds *s)
{
    long long int now = time_msec();
    const struct lldp_uplink **uplinks;
    size_t n_uplinks;

    uplinks = sorted_uplinks(lldp, &n_uplinks);
    for (size_t i = 0; i < n_uplinks; i++) {
        const struct lldp_uplink *u = uplinks[i];
        const struct lldp_neighbor **list;
        size_t n;

        if (bridge && strcmp(u->bridge, bridge)) {
            continue;
        }
        ds_put_format(s, "%s %s (%s): lldp %s, ", u->bridge, u->name,
                      u->pnic,
                      (u->listen && u->advertise ? "both"
                       : u->listen ? "listen"
                       : u->advertise ? "advertise" : "none"));
        list = sorted_neighbors(u, &n);
        ds_put_format(s, "%"PRIuSIZE" neighbor%s\n", n, n == 1 ? "" : "s");
        for (size_t j = 0; j < n; j++) {
            const struct dvs_lldp_info *info = &list[j]->info;

            ds_put_format(s, "  chassis %s, port %s, ttl %"PRIu16
                          " (expires in %lld s)\n", info->chassis_id,
                          info->port_id, info->ttl,
                          (list[j]->expires - now + 999) / 1000);
            if (info->system_name) {
                ds_put_format(s, "    system name: %s\n", info->system_name);
            }
            if (info->port_description) {
                ds_put_format(s, "    port description: %s\n",
                              info->port_description);
            }
            if (info->management_address) {
                ds_put_format(s, "    management address: %s\n",
                              info->management_address);
            }
        }
        free(list);
    }
    free(uplinks);
}
