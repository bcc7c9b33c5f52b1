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
#include "agent/health-check.h"

#include <stdlib.h>
#include <string.h>
#include "agent/ofctrl.h"
#include "agent/ovs-reconcile.h"
#include "coverage.h"
#include "hash.h"
#include "lib/dvs-probe.h"
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

VLOG_DEFINE_THIS_MODULE(health_check);

COVERAGE_DEFINE(health_check_probe_rx);
COVERAGE_DEFINE(health_check_probe_tx);

#define N_VLANS 4095
#define DEFAULT_MTU 1500

/* The results of one uplink, as reported. */
struct hc_result {
    uint32_t *trunked, *untrunked, *mtu_ok, *mtu_failed;
    size_t n_trunked, n_untrunked, n_mtu_ok, n_mtu_failed;
    const char *teaming;        /* Static string, or NULL. */
};

struct hc_uplink {
    char *name;
    char *pnic;
    long long int small_at[N_VLANS];    /* When probes were last heard, */
    long long int big_at[N_VLANS];      /* by VLAN, or LLONG_MIN. */
    long long int own_heard_at;         /* From another uplink of ours. */
    struct hc_result result;
};

struct hc_bridge {
    struct hmap_node node;      /* In struct health_check's 'bridges'. */
    char *name;
    struct dvs_health_check cfg;
    uint32_t mtu;
    struct hc_uplink *uplinks;
    size_t n_uplinks;
    long long int next_round;
    unsigned int rounds;
    bool evaluated;             /* 'result's hold an evaluation. */
    long long int timestamp;    /* time_wall_msec() of that evaluation. */
    bool seen;                  /* Still desired (while updating). */
};

struct health_check {
    char *host;
    struct ofctrl *ofctrl;
    struct hmap bridges;        /* Contains "struct hc_bridge"s. */
    uint64_t seqno;
};

static void health_check_receive(const struct ofctrl_packet_in *, void *);

static uint32_t *
copy_vlans(const uint32_t *vlans, size_t n)
{
    return n ? xmemdup(vlans, n * sizeof *vlans) : NULL;
}

static void
result_clear(struct hc_result *r)
{
    free(r->trunked);
    free(r->untrunked);
    free(r->mtu_ok);
    free(r->mtu_failed);
    memset(r, 0, sizeof *r);
}

static void
hc_bridge_destroy(struct hc_bridge *b)
{
    for (size_t i = 0; i < b->n_uplinks; i++) {
        free(b->uplinks[i].name);
        free(b->uplinks[i].pnic);
        result_clear(&b->uplinks[i].result);
    }
    free(b->uplinks);
    free(b->cfg.vlans);
    free(b->name);
    free(b);
}

static struct hc_bridge *
hc_bridge_find(const struct health_check *hc, const char *name)
{
    struct hc_bridge *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(name, 0), &hc->bridges) {
        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

struct health_check *
health_check_create(const char *host, struct ofctrl *ofctrl)
{
    struct health_check *hc = xzalloc(sizeof *hc);

    hc->host = xstrdup(host);
    hc->ofctrl = ofctrl;
    hmap_init(&hc->bridges);
    hc->seqno = 1;
    ofctrl_set_packet_handler(ofctrl, OFCTRL_PURPOSE_HEALTH_CHECK,
                              health_check_receive, hc);
    return hc;
}

void
health_check_destroy(struct health_check *hc)
{
    if (hc) {
        struct hc_bridge *b;

        ofctrl_set_packet_handler(hc->ofctrl, OFCTRL_PURPOSE_HEALTH_CHECK,
                                  NULL, NULL);
        HMAP_FOR_EACH_POP (b, node, &hc->bridges) {
            hc_bridge_destroy(b);
        }
        hmap_destroy(&hc->bridges);
        free(hc->host);
        free(hc);
    }
}

/* Whether 'b' was made from bridge 'br' as it is now. */
static bool
hc_bridge_matches(const struct hc_bridge *b, const struct dvs_bridge *br)
{
    const struct dvs_health_check *a = &b->cfg, *c = &br->health_check;

    if (b->mtu != br->mtu || b->n_uplinks != br->n_uplinks
        || a->vlan_mtu != c->vlan_mtu || a->teaming != c->teaming
        || a->interval != c->interval || a->ip_hash != c->ip_hash
        || a->n_vlans != c->n_vlans
        || (a->n_vlans && memcmp(a->vlans, c->vlans,
                                 a->n_vlans * sizeof *a->vlans))) {
        return false;
    }
    for (size_t i = 0; i < b->n_uplinks; i++) {
        if (strcmp(b->uplinks[i].name, br->uplinks[i].name)
            || strcmp(b->uplinks[i].pnic, br->uplinks[i].pnic)) {
            return false;
        }
    }
    return true;
}

static struct hc_bridge *
hc_bridge_create(const struct dvs_bridge *br)
{
    struct hc_bridge *b = xzalloc(sizeof *b);

    b->name = xstrdup(br->name);
    b->cfg = br->health_check;
    b->cfg.vlans = copy_vlans(br->health_check.vlans,
                              br->health_check.n_vlans);
    b->mtu = br->mtu ? br->mtu : DEFAULT_MTU;
    b->n_uplinks = br->n_uplinks;
    b->uplinks = xcalloc(br->n_uplinks + 1, sizeof *b->uplinks);
    for (size_t i = 0; i < br->n_uplinks; i++) {
        struct hc_uplink *u = &b->uplinks[i];

        u->name = xstrdup(br->uplinks[i].name);
        u->pnic = xstrdup(br->uplinks[i].pnic);
        for (size_t v = 0; v < N_VLANS; v++) {
            u->small_at[v] = u->big_at[v] = LLONG_MIN;
        }
        u->own_heard_at = LLONG_MIN;
    }
    b->next_round = time_msec();
    return b;
}

/* Makes the checked bridges those of 'state' with a health check; a
 * bridge whose check or uplinks change starts over. */
static void
update_bridges(struct health_check *hc, const struct dvs_host_state *state)
{
    const struct dvs_bridge *br;
    struct hc_bridge *b, *next;

    HMAP_FOR_EACH (b, node, &hc->bridges) {
        b->seen = false;
    }
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        if (!br->health_check.vlan_mtu && !br->health_check.teaming) {
            continue;
        }
        b = hc_bridge_find(hc, br->name);
        if (b && !hc_bridge_matches(b, br)) {
            hmap_remove(&hc->bridges, &b->node);
            if (b->evaluated) {
                hc->seqno++;
            }
            hc_bridge_destroy(b);
            b = NULL;
        }
        if (!b) {
            b = hc_bridge_create(br);
            hmap_insert(&hc->bridges, &b->node, hash_string(br->name, 0));
        }
        b->seen = true;
    }
    HMAP_FOR_EACH_SAFE (b, next, node, &hc->bridges) {
        if (!b->seen) {
            hmap_remove(&hc->bridges, &b->node);
            if (b->evaluated) {
                hc->seqno++;
            }
            hc_bridge_destroy(b);
        }
    }
}

/* Probes. */

/* Sends the probe for VLAN 'vlan' (big or small) out of uplink 'u' of
 * 'b'. */
static void
send_probe(const struct health_check *hc, const struct hc_bridge *b,
           const struct hc_uplink *u, ofp_port_t port, struct eth_addr src,
           uint16_t vlan, bool big)
{
    struct ofpbuf p;

    ofpbuf_init(&p, b->mtu + 32);
    dvs_probe_build(&p, src, hc->host, b->name, u->name, vlan, big, b->mtu);
    if (!ofctrl_send_packet(hc->ofctrl, b->name, port, p.data, p.size)) {
        COVERAGE_INC(health_check_probe_tx);
    }
    ofpbuf_uninit(&p);
}

static void
send_probes(const struct health_check *hc, const struct hc_bridge *b,
            const struct ovs_reconcile *reconcile)
{
    for (size_t i = 0; i < b->n_uplinks; i++) {
        const struct hc_uplink *u = &b->uplinks[i];
        char *symbol = xasprintf("uplink:%s", u->name);
        ofp_port_t port = ofctrl_get_port(hc->ofctrl, b->name, symbol);
        struct eth_addr mac;

        free(symbol);
        if (port == OFPP_NONE
            || !ovs_reconcile_get_mac(reconcile, b->name, u->pnic, &mac)) {
            continue;
        }
        if (!b->cfg.vlan_mtu) {
            /* The teaming check alone: one probe is enough. */
            send_probe(hc, b, u, port, mac,
                       b->cfg.n_vlans ? b->cfg.vlans[0] : 0, false);
            continue;
        }
        for (size_t j = 0; j < b->cfg.n_vlans; j++) {
            send_probe(hc, b, u, port, mac, b->cfg.vlans[j], false);
            send_probe(hc, b, u, port, mac, b->cfg.vlans[j], true);
        }
    }
}

/* A probe from the packet-in of 'pin'. */
static void
health_check_receive(const struct ofctrl_packet_in *pin, void *hc_)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct health_check *hc = hc_;
    struct hc_uplink *to = NULL;
    struct dvs_probe probe;
    struct hc_bridge *b;

    b = hc_bridge_find(hc, pin->bridge);
    for (size_t i = 0; b && i < b->n_uplinks; i++) {
        char *symbol = xasprintf("uplink:%s", b->uplinks[i].name);
        if (ofctrl_get_port(hc->ofctrl, b->name, symbol) == pin->in_port) {
            to = &b->uplinks[i];
        }
        free(symbol);
    }
    if (!to) {
        return;
    }

    if (!dvs_probe_parse(pin->packet, pin->len, &probe)) {
        VLOG_DBG_RL(&rl, "%s: ignoring a malformed probe", pin->bridge);
        return;
    }
    COVERAGE_INC(health_check_probe_rx);

    bool ours = !strcmp(probe.host, hc->host) && !strcmp(probe.sw, b->name);
    if (ours && !strcmp(probe.uplink, to->name)) {
        return;                 /* Our own, reflected: proves nothing. */
    }
    if (probe.tag != probe.vlan) {
        /* Sent in one VLAN, received in another (a native VLAN that the
         * physical switch untagged, say): not this VLAN's proof. */
        return;
    }
    if (probe.big) {
        to->big_at[probe.vlan] = time_msec();
    } else {
        to->small_at[probe.vlan] = time_msec();
    }
    if (ours) {
        to->own_heard_at = time_msec();
    }
}

/* Results. */

static void
add_vlan(uint32_t **list, size_t *n, uint32_t vlan)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = vlan;
}

static bool
vlans_equal(const uint32_t *a, size_t n_a, const uint32_t *b, size_t n_b)
{
    return n_a == n_b && (!n_a || !memcmp(a, b, n_a * sizeof *a));
}

static bool
result_equal(const struct hc_result *a, const struct hc_result *b)
{
    return (vlans_equal(a->trunked, a->n_trunked, b->trunked, b->n_trunked)
            && vlans_equal(a->untrunked, a->n_untrunked,
                           b->untrunked, b->n_untrunked)
            && vlans_equal(a->mtu_ok, a->n_mtu_ok, b->mtu_ok, b->n_mtu_ok)
            && vlans_equal(a->mtu_failed, a->n_mtu_failed,
                           b->mtu_failed, b->n_mtu_failed)
            && nullable_string_is_equal(a->teaming, b->teaming));
}

/* Makes the results of 'b' from what its uplinks heard in the last two
 * intervals. */
static void
evaluate(struct health_check *hc, struct hc_bridge *b)
{
    long long int since = time_msec() - 2 * b->cfg.interval * 1000LL;
    bool own_heard = false;
    bool changed = !b->evaluated;

    for (size_t i = 0; i < b->n_uplinks; i++) {
        own_heard |= b->uplinks[i].own_heard_at >= since;
    }
    for (size_t i = 0; i < b->n_uplinks; i++) {
        struct hc_uplink *u = &b->uplinks[i];
        struct hc_result r = { .teaming = NULL };

        if (b->cfg.vlan_mtu) {
            for (size_t j = 0; j < b->cfg.n_vlans; j++) {
                uint32_t v = b->cfg.vlans[j];

                if (u->small_at[v] >= since || u->big_at[v] >= since) {
                    add_vlan(&r.trunked, &r.n_trunked, v);
                    if (u->big_at[v] >= since) {
                        add_vlan(&r.mtu_ok, &r.n_mtu_ok, v);
                    } else {
                        add_vlan(&r.mtu_failed, &r.n_mtu_failed, v);
                    }
                } else {
                    add_vlan(&r.untrunked, &r.n_untrunked, v);
                }
            }
        }
        if (b->cfg.teaming && b->n_uplinks > 1) {
            r.teaming = (b->cfg.ip_hash
                         ? (own_heard ? "iphashMismatch" : "iphashMatch")
                         : (own_heard ? "nonIphashMatch"
                            : "nonIphashMismatch"));
        }
        if (!result_equal(&r, &u->result)) {
            changed = true;
            if (r.n_untrunked || r.n_mtu_failed
                || (r.teaming && strstr(r.teaming, "Mismatch"))) {
                VLOG_INFO("%s %s: %"PRIuSIZE" untrunked VLANs, MTU failed "
                          "on %"PRIuSIZE", teaming %s", b->name, u->name,
                          r.n_untrunked, r.n_mtu_failed,
                          r.teaming ? r.teaming : "not checked");
            }
        }
        result_clear(&u->result);
        u->result = r;
    }
    if (changed) {
        b->timestamp = time_wall_msec();
        hc->seqno++;
    }
    b->evaluated = true;
}

void
health_check_run(struct health_check *hc, const struct dvs_host_state *state,
                 const struct ovs_reconcile *reconcile)
{
    long long int now = time_msec();
    struct hc_bridge *b;

    update_bridges(hc, state);
    HMAP_FOR_EACH (b, node, &hc->bridges) {
        if (now >= b->next_round) {
            if (b->rounds) {
                evaluate(hc, b);
            }
            send_probes(hc, b, reconcile);
            b->rounds++;
            b->next_round = now + b->cfg.interval * 1000LL;
        }
    }
}

void
health_check_wait(const struct health_check *hc)
{
    const struct hc_bridge *b;

    HMAP_FOR_EACH (b, node, &hc->bridges) {
        poll_timer_wait_until(b->next_round);
    }
}

uint64_t
health_check_seqno(const struct health_check *hc)
{
    return hc->seqno;
}

static int
compare_bridges(const void *a_, const void *b_)
{
    const struct hc_bridge *const *a = a_;
    const struct hc_bridge *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static const struct hc_bridge **
sorted_bridges(const struct health_check *hc, size_t *n)
{
    *n = hmap_count(&hc->bridges);
    return (const struct hc_bridge **)
        DVS_HMAP_SORT(&hc->bridges, struct hc_bridge, node, compare_bridges);
}

struct Dvs__HealthCheckResults *
health_check_get_results(const struct health_check *hc)
{
    Dvs__HealthCheckResults *msg = xmalloc(sizeof *msg);
    const struct hc_bridge **bridges;
    size_t n_bridges, allocated = 0;

    dvs__health_check_results__init(msg);
    bridges = sorted_bridges(hc, &n_bridges);
    for (size_t i = 0; i < n_bridges; i++) {
        const struct hc_bridge *b = bridges[i];

        for (size_t j = 0; b->evaluated && j < b->n_uplinks; j++) {
            const struct hc_result *r = &b->uplinks[j].result;
            Dvs__HealthCheckResult *m = xmalloc(sizeof *m);

            dvs__health_check_result__init(m);
            m->switch_ = xstrdup(b->name);
            m->uplink = xstrdup(b->uplinks[j].name);
            m->trunked_vlans = copy_vlans(r->trunked, r->n_trunked);
            m->n_trunked_vlans = r->n_trunked;
            m->untrunked_vlans = copy_vlans(r->untrunked, r->n_untrunked);
            m->n_untrunked_vlans = r->n_untrunked;
            m->vlans_mtu_ok = copy_vlans(r->mtu_ok, r->n_mtu_ok);
            m->n_vlans_mtu_ok = r->n_mtu_ok;
            m->vlans_mtu_failed = copy_vlans(r->mtu_failed, r->n_mtu_failed);
            m->n_vlans_mtu_failed = r->n_mtu_failed;
            if (b->cfg.vlan_mtu) {
                m->has_mtu_mismatch = true;
                m->mtu_mismatch = r->n_mtu_failed > 0;
            }
            m->teaming_status = nullable_xstrdup(r->teaming);
            m->has_timestamp = true;
            m->timestamp = b->timestamp;
            if (msg->n_results >= allocated) {
                msg->results = x2nrealloc(msg->results, &allocated,
                                          sizeof *msg->results);
            }
            msg->results[msg->n_results++] = m;
        }
    }
    free(bridges);
    return msg;
}

void
health_check_results_free(struct Dvs__HealthCheckResults *msg)
{
    if (msg) {
        protobuf_c_message_free_unpacked(&msg->base, NULL);
    }
}

static void
format_vlans(struct ds *s, const char *name, const uint32_t *vlans, size_t n)
{
    ds_put_format(s, " %s ", name);
    if (!n) {
        ds_put_cstr(s, "none");
    }
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s%"PRIu32, i ? "," : "", vlans[i]);
    }
    ds_put_char(s, ';');
}

/* Describes the health check of 'bridge' (of every switch if NULL) for
 * people. */
void
health_check_format(const struct health_check *hc, const char *bridge,
                    struct ds *s)
{
    const struct hc_bridge **bridges;
    size_t n_bridges;

    bridges = sorted_bridges(hc, &n_bridges);
    for (size_t i = 0; i < n_bridges; i++) {
        const struct hc_bridge *b = bridges[i];

        if (bridge && strcmp(b->name, bridge)) {
            continue;
        }
        ds_put_format(s, "%s: %s%s%s every %"PRIu32" s, mtu %"PRIu32
                      ", vlans ", b->name,
                      b->cfg.vlan_mtu ? "vlan-mtu" : "",
                      b->cfg.vlan_mtu && b->cfg.teaming ? ", " : "",
                      b->cfg.teaming ? (b->cfg.ip_hash ? "teaming (ip-hash)"
                                        : "teaming") : "",
                      b->cfg.interval, b->mtu);
        for (size_t j = 0; j < b->cfg.n_vlans; j++) {
            ds_put_format(s, "%s%"PRIu32, j ? "," : "", b->cfg.vlans[j]);
        }
        ds_put_format(s, "%s, %u rounds\n", b->cfg.n_vlans ? "" : "none",
                      b->rounds);
        for (size_t j = 0; j < b->n_uplinks; j++) {
            const struct hc_uplink *u = &b->uplinks[j];
            const struct hc_result *r = &u->result;

            ds_put_format(s, "  %s (%s):", u->name, u->pnic);
            if (!b->evaluated) {
                ds_put_cstr(s, " no results yet\n");
                continue;
            }
            if (b->cfg.vlan_mtu) {
                format_vlans(s, "trunked", r->trunked, r->n_trunked);
                format_vlans(s, "untrunked", r->untrunked, r->n_untrunked);
                format_vlans(s, "mtu ok", r->mtu_ok, r->n_mtu_ok);
                format_vlans(s, "mtu failed", r->mtu_failed,
                             r->n_mtu_failed);
            }
            if (r->teaming) {
                ds_put_format(s, " teaming %s;", r->teaming);
            }
            ds_chomp(s, ';');
            ds_put_char(s, '\n');
        }
    }
    free(bridges);
}
