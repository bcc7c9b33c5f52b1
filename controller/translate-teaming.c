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
#include "controller/translate-teaming.h"

#include <string.h>
#include "hash.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-lag.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "svec.h"
#include "util.h"

/* Whether 'uplink' is a port of LAG 'lag': "LAG-N". */
static bool
is_lag_port(const char *uplink, const char *lag)
{
    size_t len = strlen(lag);

    return (!strncmp(uplink, lag, len) && uplink[len] == '-'
            && uplink[len + 1]
            && strspn(uplink + len + 1, "0123456789")
               == strlen(uplink + len + 1));
}

/* Adds to 'out' the uplinks of 'uplinks' (a host's) that the names of
 * list 'list' stand for, in its order, each once and none of 'exclude':
 * an uplink by its name, a LAG by its ports.  Returns true if the first
 * name of 'list' is a LAG. */
static bool
expand_uplinks(const char *list, const struct svec *uplinks,
               const struct svec *exclude, struct svec *out)
{
    struct svec names = SVEC_EMPTY_INITIALIZER;
    bool first_is_lag = false;
    const char *name;
    size_t i;

    if (list && *list) {
        char *error = dvs_parse_name_list(list, SIZE_MAX, &names);
        free(error);
    }
    SVEC_FOR_EACH (i, name, &names) {
        const char *u;
        size_t j;

        if (svec_contains_unsorted(uplinks, name)) {
            if (!svec_contains_unsorted(out, name)
                && (!exclude || !svec_contains_unsorted(exclude, name))) {
                svec_add(out, name);
            }
            continue;
        }
        SVEC_FOR_EACH (j, u, uplinks) {
            if (is_lag_port(u, name)) {
                first_is_lag |= i == 0;
                if (!svec_contains_unsorted(out, u)
                    && (!exclude || !svec_contains_unsorted(exclude, u))) {
                    svec_add(out, u);
                }
            }
        }
    }
    svec_destroy(&names);
    return first_is_lag;
}

/* Whether uplinks 'a' and 'b' are ports of one LAG ("LAG-N"). */
static bool
lag_of(const char *a, const char *b)
{
    const char *dash = strrchr(b, '-');

    return dash && !strncmp(a, b, dash - b + 1)
           && !strchr(a + (dash - b + 1), '-');
}

static void
put_members(const struct svec *uplinks, struct ds *s)
{
    const char *u;
    size_t i;

    ds_put_cstr(s, "members:");
    SVEC_FOR_EACH (i, u, uplinks) {
        ds_put_format(s, "%s${uplink:%s}", i ? "," : "", u);
    }
}

/* Appends to 's' the action that loads into TEAMING_UPLINK_REG the uplink
 * that frames of VM port 'port_name' (effective MAC 'mac', or NULL) leave
 * by, as its effective teaming keys say ('policy', 'active' and 'standby'
 * lists), among the host's 'uplinks' (names, in the switch's order):
 *
 *   - failover_explicit: the first live one of the active, then the
 *     standby uplinks;
 *
 *   - loadbalance_srcid and loadbalance_loadbased (no rebalancing by
 *     load): the port is pinned to one active uplink, by a hash of its
 *     name, and fails over to the other active ones, then the standby
 *     ones; loadbalance_srcmac alike, by a hash of its MAC;
 *
 *   - loadbalance_ip, or a LAG as first active uplink: a hash of the
 *     frame's addresses and ports picks one of the live active uplinks
 *     (the LAG's ports for a LAG), so that one port's flows spread.
 *
 * No live uplink: the register holds OFPP_NONE, and outputs to it drop.
 * 'notify' is the port's notify-switches.
 *
 * Stores the uplinks of an ordered choice in 'order' and returns false, or
 * returns true for a hash (IP hash or a LAG), where the frames a port
 * receives may arrive on any of the uplinks. */
bool
teaming_put_port_choice(const char *policy, const char *active,
                        const char *standby, const char *port_name,
                        const char *mac, bool notify,
                        const struct svec *uplinks, struct svec *order,
                        struct ds *s)
{
    struct svec actives = SVEC_EMPTY_INITIALIZER;
    bool lag = expand_uplinks(active, uplinks, NULL, &actives);
    bool hashed = lag || !strcmp(policy, "loadbalance_ip");

    if (hashed) {
        if (lag) {
            /* A LAG is the portgroup's active uplink: its ports alone
             * (VDS allows one active LAG). */
            size_t n = 1;

            while (n < actives.n
                   && lag_of(actives.names[n], actives.names[0])) {
                n++;
            }
            while (actives.n > n) {
                svec_pop_back(&actives);
            }
        }
        ds_put_cstr(s, "bundle_load(symmetric_l4,0,hrw,ofport,"
                    TEAMING_UPLINK_REG",");
        put_members(&actives, s);
        ds_put_char(s, ')');
    } else {
        size_t n = actives.n;
        size_t first = 0;

        if (n && strcmp(policy, "failover_explicit")) {
            const char *key = (!strcmp(policy, "loadbalance_srcmac") && mac
                               ? mac : port_name);
            first = hash_string(key, 0) % n;
        }
        for (size_t i = 0; i < n; i++) {
            svec_add(order, actives.names[(first + i) % n]);
        }
        expand_uplinks(standby, uplinks, order, order);
        /* The basis does not matter to active_backup: it tells dvs-agent
         * whether to announce the port's MAC when its uplink changes (0:
         * notify-switches=true, agent/teaming-notify.c). */
        ds_put_format(s, "bundle_load(eth_src,%d,active_backup,ofport,"
                      TEAMING_UPLINK_REG",", notify ? 0 : 1);
        put_members(order, s);
        ds_put_char(s, ')');
    }
    svec_destroy(&actives);
    return hashed;
}

/* Appends to 's' the output to the uplink that table 0 chose for a VM
 * port's frame. */
void
teaming_put_uplink_output(struct ds *s)
{
    ds_put_cstr(s, "output:"TEAMING_UPLINK_REG);
}

/* Appends to 's' the output of the host's own frames (its VTEP address on
 * LOCAL) to the first live uplink of 'uplinks'. */
void
teaming_put_host_output(const struct svec *uplinks, struct ds *s)
{
    ds_put_cstr(s, "bundle(eth_src,0,active_backup,ofport,");
    put_members(uplinks, s);
    ds_put_cstr(s, ")");
}

/* Adds to 'g' the flows that drop a frame with source MAC 'mac' (a local
 * port's) from each of 'uplinks': with several uplinks in one broadcast
 * domain, the physical network floods a port's broadcasts back to its own
 * host through the other uplinks, and the port must not see them again. */
void
teaming_add_reverse_filter(struct dvs_flow_group *g,
                           const struct svec *uplinks, const char *mac)
{
    const char *u;
    size_t i;

    SVEC_FOR_EACH (i, u, uplinks) {
        char *match = xasprintf("in_port=${uplink:%s},dl_src=%s", u, mac);
        dvs_flow_group_add_flow(g, 0, TEAMING_REVERSE_FILTER_PRIORITY, match,
                                "drop");
        free(match);
    }
}

/* Stores in '*lags' (to free) the LAGs of switch 'sw', in name order. */
void
teaming_switch_lags(struct ovsdb_idl *idl, const struct dvsrec_switch *sw,
                    const struct dvsrec_lag ***lags, size_t *n_lags)
{
    const struct dvsrec_lag *lag;
    size_t allocated = 0;

    *lags = NULL;
    *n_lags = 0;
    DVSREC_LAG_FOR_EACH (lag, idl) {
        if (lag->switch_ == sw) {
            if (*n_lags >= allocated) {
                *lags = x2nrealloc(*lags, &allocated, sizeof **lags);
            }
            (*lags)[(*n_lags)++] = lag;
        }
    }
    for (size_t i = 1; i < *n_lags; i++) {
        for (size_t j = i; j > 0
                 && strcmp((*lags)[j - 1]->name, (*lags)[j]->name) > 0;
             j--) {
            const struct dvsrec_lag *tmp = (*lags)[j];
            (*lags)[j] = (*lags)[j - 1];
            (*lags)[j - 1] = tmp;
        }
    }
}

/* Adds to 'br' each of the 'n_lags' LAGs in 'lags' that has ports among
 * the host's 'uplinks', with those ports. */
void
teaming_add_bridge_lags(const struct dvsrec_lag **lags, size_t n_lags,
                        const struct svec *uplinks, struct dvs_bridge *br)
{
    for (size_t i = 0; i < n_lags; i++) {
        const struct dvsrec_lag *row = lags[i];
        struct dvs_lag *lag = NULL;
        const char *u;
        size_t j;

        SVEC_FOR_EACH (j, u, uplinks) {
            if (is_lag_port(u, row->name)) {
                if (!lag) {
                    lag = dvs_bridge_add_lag(br, row->name, row->mode,
                                             row->timeout, row->fallback);
                }
                dvs_lag_add_uplink(lag, u);
            }
        }
    }
}

/* Adds to 'g', the flood group of segment 'seg_id' on a host with
 * 'uplinks' (in the switch's order), the flow that keeps a frame that the
 * physical network floods to several of the host's uplinks from reaching
 * the local ports once per uplink: of the uplinks that the segment's local
 * ports use ('used'), a flooded frame is taken only from the first live
 * one, as a VDS port takes broadcasts only from its own uplink.  Nothing
 * is added when the ports use one uplink, or when one of them hashes over
 * its uplinks ('hashed': IP hash or a LAG, where the physical switch sends
 * each frame to one uplink of the bundle). */
void
teaming_add_flood_guard(struct dvs_flow_group *g, uint32_t seg_id,
                        const struct svec *uplinks, const struct svec *used,
                        bool hashed)
{
    struct svec members = SVEC_EMPTY_INITIALIZER;
    const char *u;
    size_t i;

    SVEC_FOR_EACH (i, u, uplinks) {
        if (svec_contains_unsorted(used, u)) {
            svec_add(&members, u);
        }
    }
    if (!hashed && members.n > 1) {
        struct ds match = DS_EMPTY_INITIALIZER;
        struct ds actions = DS_EMPTY_INITIALIZER;

        ds_put_format(&match, "reg6=%"PRIu32",reg4=1,reg0=0/0x4", seg_id);
        ds_put_cstr(&actions, "bundle_load(eth_src,0,active_backup,ofport,"
                    TEAMING_UPLINK_REG",");
        put_members(&members, &actions);
        ds_put_format(&actions, "),load:1->NXM_NX_REG0[2],resubmit(,%d)",
                      TEAMING_FLOOD_GUARD_TABLE);
        dvs_flow_group_add_flow(g, TEAMING_FLOOD_TABLE,
                                TEAMING_FLOOD_GUARD_PRIORITY, ds_cstr(&match),
                                ds_cstr(&actions));
        ds_destroy(&match);
        ds_destroy(&actions);
    }
    svec_destroy(&members);
}

/* Adds the group "<switch>/teaming" of a host with 'uplinks', if it has
 * several: the flood guard's table, which lets a frame go on flooding only
 * if it came in on the uplink that the guard chose. */
void
teaming_add_group(struct dvs_host_state *state, const char *sw,
                  const struct svec *uplinks)
{
    struct dvs_flow_group *g;
    const char *u;
    size_t i;
    char *key;

    if (uplinks->n < 2) {
        return;
    }
    key = xasprintf("%s/teaming", sw);
    g = dvs_host_state_add_group(state, key, sw);
    free(key);
    SVEC_FOR_EACH (i, u, uplinks) {
        char *match = xasprintf("reg3=${uplink:%s},in_port=${uplink:%s}",
                                u, u);
        char *actions = xasprintf("resubmit(,%d)", TEAMING_FLOOD_TABLE);

        dvs_flow_group_add_flow(g, TEAMING_FLOOD_GUARD_TABLE, 100, match,
                                actions);
        free(match);
        free(actions);
    }
    dvs_flow_group_add_flow(g, TEAMING_FLOOD_GUARD_TABLE, 0, "", "drop");
}
