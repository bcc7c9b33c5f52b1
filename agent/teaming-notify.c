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
#include "agent/teaming-notify.h"

#include <string.h>
#include "agent/ofctrl.h"
#include "agent/ovs-reconcile.h"
#include "dp-packet.h"
#include "lib/dvs-lag.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "svec.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(teaming_notify);

/* The action that marks a port with notify-switches=true. */
#define NOTIFY_ACTION "bundle_load(eth_src,0,active_backup,"

struct teaming_notify {
    struct shash current;       /* "BRIDGE PORT" -> uplink symbol. */
};

struct teaming_notify *
teaming_notify_create(void)
{
    struct teaming_notify *tn = xmalloc(sizeof *tn);

    shash_init(&tn->current);
    return tn;
}

void
teaming_notify_destroy(struct teaming_notify *tn)
{
    if (tn) {
        shash_destroy_free_data(&tn->current);
        free(tn);
    }
}

/* What a port's "local" flow group says: its uplinks in order (symbols
 * "uplink:NAME"), its MAC, the VLAN of each of its segments on the
 * uplinks. */
struct notify_port {
    struct svec uplinks;
    struct eth_addr mac;
    bool has_mac;
    int vlans[16];              /* 0: untagged. */
    size_t n_vlans;
};

/* Reads the number after 'key' in 's', or -1. */
static long
number_after(const char *s, const char *key)
{
    const char *p = strstr(s, key);
    return p ? strtol(p + strlen(key), NULL, 0) : -1;
}

/* The value that actions 's' load into 'field' ("load:N->FIELD"), or -1. */
static long
loaded_into(const char *s, const char *field)
{
    for (const char *p = strstr(s, "load:"); p; p = strstr(p + 1, "load:")) {
        char *end;
        long n = strtol(p + 5, &end, 0);

        if (end != p + 5 && !strncmp(end, "->", 2)
            && !strncmp(end + 2, field, strlen(field))) {
            return n;
        }
    }
    return -1;
}

static bool
parse_port_group(const struct dvs_flow_group *g, struct notify_port *np)
{
    svec_init(&np->uplinks);
    np->has_mac = false;
    np->n_vlans = 0;
    for (size_t i = 0; i < g->n_flows; i++) {
        const struct dvs_flow *f = &g->flows[i];

        if (f->table == 0 && !strncmp(f->actions, NOTIFY_ACTION,
                                      strlen(NOTIFY_ACTION))) {
            const char *m = strstr(f->actions, "members:");
            const char *end = m ? strchr(m, ')') : NULL;
            long vlan = number_after(f->match, "dl_vlan=");
            long seg = loaded_into(f->actions, "NXM_NX_REG6[]");
            long class = loaded_into(f->actions, "NXM_NX_REG7[]");

            if (!end) {
                continue;
            }
            if (!np->uplinks.n) {
                char *list = xmemdup0(m + 8, end - (m + 8));
                char *save = NULL;

                for (char *t = strtok_r(list, ",", &save); t;
                     t = strtok_r(NULL, ",", &save)) {
                    if (!strncmp(t, "${", 2) && t[strlen(t) - 1] == '}') {
                        t[strlen(t) - 1] = '\0';
                        svec_add(&np->uplinks, t + 2);
                    }
                }
                free(list);
            }
            /* A VXLAN segment (4096 and up) has no uplink VLAN. */
            if (vlan < 0) {
                vlan = class > 0 ? class : seg;
            }
            if (vlan >= 0 && vlan < 4096
                && np->n_vlans < ARRAY_SIZE(np->vlans)) {
                np->vlans[np->n_vlans++] = vlan;
            }
        } else if (f->table == 10 && !np->has_mac) {
            const char *d = strstr(f->match, "dl_dst=");
            if (d && strstr(f->actions, "${port:")) {
                char mac[18];

                ovs_strlcpy(mac, d + 7, sizeof mac);
                np->has_mac = eth_addr_from_string(mac, &np->mac);
            }
        }
    }
    return np->uplinks.n && np->has_mac && np->n_vlans;
}

/* The first uplink of 'np' that is there and whose NIC's link is up. */
static const char *
current_uplink(const struct notify_port *np, const struct dvs_bridge *br,
               struct ofctrl *ofctrl, const struct ovs_reconcile *rec)
{
    for (size_t i = 0; i < np->uplinks.n; i++) {
        const char *symbol = np->uplinks.names[i];
        const struct ovsrec_interface *iface;
        const char *pnic;

        if (ofctrl_get_port(ofctrl, br->name, symbol) == OFPP_NONE) {
            continue;
        }
        pnic = dvs_bridge_uplink_pnic(br, symbol + strlen("uplink:"));
        iface = pnic ? ovs_reconcile_find_iface(rec, br->name, pnic) : NULL;
        if (iface && iface->link_state && !strcmp(iface->link_state, "up")) {
            return symbol;
        }
    }
    return NULL;
}

/* Sends a RARP frame from 'mac' in VLAN 'vlan' out of 'port' of 'bridge',
 * as VDS announces a MAC: OVS's own RARP, tagged, padded to the minimum
 * frame size. */
static void
send_rarp(struct ofctrl *ofctrl, const char *bridge, ofp_port_t port,
          struct eth_addr mac, int vlan)
{
    struct dp_packet *b = dp_packet_new(0);
    size_t min_size = ETH_TOTAL_MIN + (vlan ? VLAN_HEADER_LEN : 0);

    compose_rarp(b, mac);
    if (vlan) {
        eth_push_vlan(b, htons(ETH_TYPE_VLAN_8021Q), htons(vlan));
    }
    if (dp_packet_size(b) < min_size) {
        dp_packet_put_zeros(b, min_size - dp_packet_size(b));
    }
    ofctrl_send_packet(ofctrl, bridge, port, dp_packet_data(b),
                       dp_packet_size(b));
    dp_packet_delete(b);
}

/* Follows the uplink of every VM port with notify-switches=true and, when
 * it changes to another live uplink, announces the port's MAC there. */
void
teaming_notify_run(struct teaming_notify *tn,
                   const struct dvs_host_state *state, struct ofctrl *ofctrl,
                   const struct ovs_reconcile *rec)
{
    struct shash seen = SHASH_INITIALIZER(&seen);
    const struct dvs_flow_group *g;

    DVS_HOST_STATE_FOR_EACH_GROUP (g, state) {
        const struct dvs_bridge *br;
        struct notify_port np;
        const char *uplink;
        size_t len = strlen(g->key);
        char *key;

        if (len < 7 || strcmp(g->key + len - 6, "/local")
            || !strstr(g->key, "/port/")) {
            continue;
        }
        br = dvs_host_state_find_bridge(state, g->bridge);
        if (!br) {
            continue;
        }
        if (!parse_port_group(g, &np)) {
            svec_destroy(&np.uplinks);
            continue;
        }
        uplink = current_uplink(&np, br, ofctrl, rec);
        key = xasprintf("%s %s", g->bridge, g->key);
        if (uplink) {
            char *old = shash_find_data(&tn->current, key);

            if (old && strcmp(old, uplink)) {
                ofp_port_t port = ofctrl_get_port(ofctrl, br->name, uplink);

                VLOG_INFO("%s: %s moved from %s to %s: announcing "
                          ETH_ADDR_FMT, br->name, g->key,
                          old[0] ? old + strlen("uplink:") : "no uplink",
                          uplink + strlen("uplink:"), ETH_ADDR_ARGS(np.mac));
                for (size_t i = 0; i < np.n_vlans; i++) {
                    send_rarp(ofctrl, br->name, port, np.mac, np.vlans[i]);
                }
            }
            shash_add(&seen, key, xstrdup(uplink));
        } else {
            /* No live uplink: the next one that comes up is announced. */
            char *old = shash_find_data(&tn->current, key);
            shash_add(&seen, key, xstrdup(old ? old : ""));
        }
        free(key);
        svec_destroy(&np.uplinks);
    }
    shash_swap(&tn->current, &seen);
    shash_destroy_free_data(&seen);
}
