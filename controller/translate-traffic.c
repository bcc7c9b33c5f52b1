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
#include "controller/translate-traffic.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-state.h"
#include "lib/dvs-traffic-rule.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Shaping of one direction (VDS DVSTrafficShapingPolicy): bit/s and
 * bytes. */
struct tr_shaping {
    bool enabled;
    uint64_t average;
    uint64_t peak;
    uint64_t burst;
};

/* A rule that checked, with its match parsed (once for every host that the
 * port's flows are made for). */
struct tr_rule {
    const struct dvsrec_traffic_rule *row;
    struct dvs_rule_match match;
};

struct tr_traffic {
    /* The effective rules, in evaluation order. */
    struct tr_rule *rules;
    size_t n_rules;
    bool any_in, any_out;       /* Some rule applies in that direction. */

    bool dhcp_guard;
    bool router_guard;
    struct tr_shaping in, out;
};

/* Rules are evaluated from this priority down, each rule taking
 * RULE_STEP priorities for the variants of its flows (tagged frames
 * first, then IP ones, for marking). */
#define RULE_TOP_PRIORITY 60000
#define RULE_STEP 4
#define GUARD_PRIORITY 100
/* A port's own flow that lets a frame go on (to its meter), above the
 * table's default. */
#define PASS_PRIORITY 1

static void
read_shaping(const char *dir, const struct dvsrec_switch *sw,
             const struct dvsrec_portgroup *pg,
             const struct dvsrec_port *port, struct tr_shaping *shaping)
{
    char name[16];

#define KEY(SUFFIX) (snprintf(name, sizeof name, "%s-%s", dir, SUFFIX), name)
    shaping->enabled = dvs_key_effective_bool(KEY("shaping"), sw, pg, port);
    shaping->average = dvs_key_effective_uint(KEY("average"), sw, pg, port);
    shaping->peak = dvs_key_effective_uint(KEY("peak"), sw, pg, port);
    shaping->burst = dvs_key_effective_uint(KEY("burst"), sw, pg, port);
#undef KEY
}

static int
compare_rules(const void *a_, const void *b_)
{
    const struct dvsrec_traffic_rule *a = ((const struct tr_rule *) a_)->row;
    const struct dvsrec_traffic_rule *b = ((const struct tr_rule *) b_)->row;

    if (a->sequence != b->sequence) {
        return a->sequence < b->sequence ? -1 : 1;
    }
    return uuid_compare_3way(&a->header_.uuid, &b->header_.uuid);
}

/* Whether rule 'r' sets the DSCP, which its IP flows do apart. */
static bool
rule_sets_dscp(const struct dvsrec_traffic_rule *r)
{
    return !strcmp(r->action, "tag") && r->n_dscp;
}

static bool
rule_applies(const struct dvsrec_traffic_rule *rule, bool incoming)
{
    const char *dir = rule->direction ? rule->direction : "both";

    return !strcmp(dir, "both") || !strcmp(dir, incoming ? "incoming"
                                                         : "outgoing");
}

/* Reads the effective traffic control settings of 'port' (the rules:
 * dvs_rules_effective()).  Rules that do not check are left out, with an
 * error in 'errors'. */
struct tr_traffic *
tr_traffic_create(const struct dvsrec_switch *sw,
                  const struct dvsrec_portgroup *pg,
                  const struct dvsrec_port *port, struct svec *errors)
{
    struct tr_traffic *t = xzalloc(sizeof *t);
    struct dvsrec_traffic_rule **rules;
    size_t n;

    dvs_rules_effective(sw, pg, port, &rules, &n);
    t->rules = xmalloc(MAX(n, 1) * sizeof *t->rules);
    for (size_t i = 0; i < n; i++) {
        const struct dvsrec_traffic_rule *r = rules[i];
        struct tr_rule *rule = &t->rules[t->n_rules];
        char *error = dvs_rule_parse(&r->match, r->action,
                                     r->n_cos ? r->cos : NULL,
                                     r->n_dscp ? r->dscp : NULL,
                                     rule_sets_dscp(r), &rule->match);
        if (error) {
            svec_add_nocopy(errors, xasprintf("traffic rule %"PRId64": %s "
                                              "(left out)", r->sequence,
                                              error));
            free(error);
            continue;
        }
        rule->row = r;
        t->n_rules++;
        t->any_in |= rule_applies(r, true);
        t->any_out |= rule_applies(r, false);
    }
    qsort(t->rules, t->n_rules, sizeof *t->rules, compare_rules);

    t->dhcp_guard = dvs_key_effective_bool("dhcp-guard", sw, pg, port);
    t->router_guard = dvs_key_effective_bool("router-guard", sw, pg, port);
    read_shaping("in", sw, pg, port, &t->in);
    read_shaping("out", sw, pg, port, &t->out);
    return t;
}

void
tr_traffic_destroy(struct tr_traffic *t)
{
    if (t) {
        for (size_t i = 0; i < t->n_rules; i++) {
            dvs_rule_match_destroy(&t->rules[i].match);
        }
        free(t->rules);
        free(t);
    }
}

static bool
has_ingress(const struct tr_traffic *t)
{
    return t && (t->any_in || t->dhcp_guard || t->router_guard
                 || t->in.enabled);
}

static bool
has_egress(const struct tr_traffic *t)
{
    return t && (t->any_out || t->out.enabled);
}

bool
tr_traffic_has_flows(const struct tr_traffic *t)
{
    return has_ingress(t) || has_egress(t);
}

/* Appends to 'actions' the output of a frame to VM port 'port', through
 * the outgoing tables (whose default outputs to the port in reg2), on a
 * clone: marking one port's copy changes no other copy of the frame, and
 * the frame is tagged with VLAN 'push_vlan' first unless it is 0. */
void
tr_traffic_put_output(const char *port, uint32_t push_vlan,
                      struct ds *actions)
{
    ds_put_cstr(actions, "clone(");
    if (push_vlan) {
        ds_put_format(actions, "push_vlan:0x8100,set_field:%"PRIu32
                      "->vlan_vid,", 0x1000 | push_vlan);
    }
    ds_put_format(actions, "load:${port:%s}->NXM_NX_REG2[],resubmit(,%d))",
                  port, TRAFFIC_OUT_FILTER_TABLE);
}

/* Adds to 'g' the defaults of the traffic control tables: a frame that no
 * port's flow takes goes on, from a VM to 'next_table', to a VM port out
 * of it. */
void
tr_traffic_add_defaults(struct dvs_flow_group *g, int next_table)
{
    char *actions;

    actions = xasprintf("resubmit(,%d)", TRAFFIC_GUARD_TABLE);
    dvs_flow_group_add_flow(g, TRAFFIC_FILTER_TABLE, 0, "", actions);
    free(actions);
    actions = xasprintf("resubmit(,%d)", TRAFFIC_IN_SHAPING_TABLE);
    dvs_flow_group_add_flow(g, TRAFFIC_GUARD_TABLE, 0, "", actions);
    free(actions);
    actions = xasprintf("resubmit(,%d)", next_table);
    dvs_flow_group_add_flow(g, TRAFFIC_IN_SHAPING_TABLE, 0, "", actions);
    free(actions);
    dvs_flow_group_add_flow(g, TRAFFIC_OUT_FILTER_TABLE, 0, "",
                            "output:NXM_NX_REG2[]");
    dvs_flow_group_add_flow(g, TRAFFIC_OUT_TABLE, 0, "",
                            "output:NXM_NX_REG2[]");
}

/* The meter of one direction as a symbol that dvs-agent turns into a meter
 * ID, creating the meter (kbps, drop bands) first: the average rate with
 * the burst size, and the peak rate with 10 ms of burst (at least a full
 * frame) if it is above the average. */
static void
put_meter(const char *port, const char *dir, const struct tr_shaping *sh,
          struct ds *actions)
{
    uint64_t rate = MAX(sh->average / 1000, 1);
    uint64_t burst = MAX(sh->burst * 8 / 1000, 1);
    uint64_t peak = sh->peak > sh->average ? sh->peak / 1000 : 0;
    uint64_t peak_burst = peak ? MAX(peak / 100, 12) : 0;

    ds_put_format(actions, "meter:${meter:%s:%s:%"PRIu64":%"PRIu64":%"PRIu64
                  ":%"PRIu64"},", port, dir, rate, burst, peak, peak_burst);
}

static bool
vlan_in(uint32_t vlan, const uint32_t *vlans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (vlans[i] == vlan) {
            return true;
        }
    }
    return false;
}

/* Adds the flows of the rules of 't' for one direction: 'selector' is the
 * match on the port ("in_port=..." or "reg2=..."), 'next' the table that
 * an allowed frame goes to.  A rule on a VLAN matches only on a trunk port
 * that carries it ('trunk_vlans'), whose frames of that VLAN are in the
 * segment of the same number (reg6).  CoS is set where the frame is
 * tagged: on the way out to a trunk port. */
static void
add_rule_flows(struct dvs_flow_group *g, const struct tr_traffic *t,
               bool incoming, uint8_t table, const char *selector,
               const uint32_t *trunk_vlans, size_t n_trunk_vlans, int next)
{
    size_t rank = 0;

    for (size_t i = 0; i < t->n_rules; i++) {
        const struct dvsrec_traffic_rule *r = t->rules[i].row;
        const struct dvs_rule_match *rm = &t->rules[i].match;
        bool tag = !strcmp(r->action, "tag");
        bool set_dscp = rule_sets_dscp(r);
        bool set_cos = tag && r->n_cos && !incoming && n_trunk_vlans;
        uint16_t base = RULE_TOP_PRIORITY - RULE_STEP * rank++;

        if (!rule_applies(r, incoming)) {
            continue;
        }
        if (rm->vlan >= 0 && !vlan_in(rm->vlan, trunk_vlans, n_trunk_vlans)) {
            continue;
        }
        for (size_t j = 0; j < rm->matches->n; j++) {
            for (int tagged = set_cos; tagged >= 0; tagged--) {
                struct ds match = DS_EMPTY_INITIALIZER;
                struct ds actions = DS_EMPTY_INITIALIZER;
                const char *m = rm->matches->names[j];

                ds_put_cstr(&match, selector);
                if (rm->vlan >= 0) {
                    ds_put_format(&match, ",reg6=%d", rm->vlan);
                }
                if (tagged) {
                    ds_put_cstr(&match, ",vlan_tci=0x1000/0x1000");
                }
                if (m[0]) {
                    ds_put_format(&match, ",%s", m);
                }
                if (!strcmp(r->action, "drop")) {
                    ds_put_cstr(&actions, "drop");
                } else {
                    if (tagged) {
                        ds_put_format(&actions, "set_field:%"PRId64
                                      "->vlan_pcp,", r->cos[0]);
                    }
                    if (set_dscp && rm->is_ip[j]) {
                        ds_put_format(&actions, "set_field:%"PRId64
                                      "->ip_dscp,", r->dscp[0]);
                    }
                    ds_put_format(&actions, "resubmit(,%d)", next);
                }
                dvs_flow_group_add_flow(g, table,
                                        base + (tagged ? 2 : 0)
                                        + (rm->is_ip[j] ? 1 : 0),
                                        ds_cstr(&match), ds_cstr(&actions));
                ds_destroy(&match);
                ds_destroy(&actions);
            }
        }
    }
}

/* The guards: DHCP server messages (DHCPv4 from UDP port 67, DHCPv6 from
 * 547) and router advertisements and redirects (ICMPv6 134 and 137, ICMP
 * 5) that the VM sends are dropped. */
static void
add_guard_flows(struct dvs_flow_group *g, const struct tr_traffic *t,
                const char *in_port)
{
    static const char *dhcp[] = { "udp,tp_src=67", "udp6,tp_src=547" };
    static const char *router[] = {
        "icmp6,icmp_type=134", "icmp6,icmp_type=137", "icmp,icmp_type=5",
    };

    for (size_t i = 0; t->dhcp_guard && i < ARRAY_SIZE(dhcp); i++) {
        char *match = xasprintf("%s,%s", in_port, dhcp[i]);
        dvs_flow_group_add_flow(g, TRAFFIC_GUARD_TABLE, GUARD_PRIORITY,
                                match, "drop");
        free(match);
    }
    for (size_t i = 0; t->router_guard && i < ARRAY_SIZE(router); i++) {
        char *match = xasprintf("%s,%s", in_port, router[i]);
        dvs_flow_group_add_flow(g, TRAFFIC_GUARD_TABLE, GUARD_PRIORITY,
                                match, "drop");
        free(match);
    }
}

/* Adds to 'g' the traffic control flows of VM port 'port', those that
 * differ from the tables' defaults (tr_traffic_add_defaults()):
 *
 *   incoming (what the VM sends), after table 0: rules in table 2, guards
 *   in table 3, the meter in table 4, then 'next_table';
 *
 *   outgoing (what the switch delivers to the VM), after an output that
 *   tr_traffic_put_output() made with the port in reg2: rules in table 30,
 *   the meter and the output in table 31.
 *
 * 'trunk_vlans' are the VLANs of a trunk port (none for an access port). */
void
tr_traffic_add_flows(struct dvs_flow_group *g, const char *port,
                     const struct tr_traffic *t,
                     const uint32_t *trunk_vlans, size_t n_trunk_vlans,
                     int next_table)
{
    struct ds actions = DS_EMPTY_INITIALIZER;
    char *selector;

    if (has_ingress(t)) {
        selector = xasprintf("in_port=${port:%s}", port);
        add_rule_flows(g, t, true, TRAFFIC_FILTER_TABLE, selector,
                       trunk_vlans, n_trunk_vlans, TRAFFIC_GUARD_TABLE);
        add_guard_flows(g, t, selector);
        if (t->in.enabled) {
            put_meter(port, "in", &t->in, &actions);
            ds_put_format(&actions, "resubmit(,%d)", next_table);
            dvs_flow_group_add_flow(g, TRAFFIC_IN_SHAPING_TABLE,
                                    PASS_PRIORITY, selector,
                                    ds_cstr(&actions));
        }
        free(selector);
    }

    if (has_egress(t)) {
        selector = xasprintf("reg2=${port:%s}", port);
        add_rule_flows(g, t, false, TRAFFIC_OUT_FILTER_TABLE, selector,
                       trunk_vlans, n_trunk_vlans, TRAFFIC_OUT_TABLE);
        if (t->out.enabled) {
            /* What no rule takes is metered too. */
            ds_clear(&actions);
            ds_put_format(&actions, "resubmit(,%d)", TRAFFIC_OUT_TABLE);
            dvs_flow_group_add_flow(g, TRAFFIC_OUT_FILTER_TABLE,
                                    PASS_PRIORITY, selector,
                                    ds_cstr(&actions));
            ds_clear(&actions);
            put_meter(port, "out", &t->out, &actions);
            ds_put_format(&actions, "output:${port:%s}", port);
            dvs_flow_group_add_flow(g, TRAFFIC_OUT_TABLE, PASS_PRIORITY,
                                    selector, ds_cstr(&actions));
        }
        free(selector);
    }
    ds_destroy(&actions);
}
