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

/* Port mirroring, host by host.
 *
 * A session that has sources on a host becomes, on that host's bridge, an
 * OVS Mirror row (select_src_port = its source_rx ports, what they send
 * into the switch; select_dst_port = its source_tx ports, what the switch
 * sends them) whose copies leave through a patch port and come back in on
 * its peer, ${mirror:NAME}.  OVS makes the copies wherever a frame enters
 * or leaves a selected port, whatever flow handles it, which OpenFlow
 * alone could not do without touching every output.  The flows of group
 * <sw>/mirror/<NAME> then deliver what comes in on ${mirror:NAME}: to the
 * destination ports, tagged out of the uplink (RSPAN), or tunnelled to IP
 * addresses (ERSPAN, GRE), truncated to mirrored_packet_length with
 * output(max_len=).  Doing the delivery in flows keeps the destination an
 * ordinary port (an OVS Mirror's own output port is reserved for it), so
 * that it may carry normal traffic too, and lets one uplink carry both the
 * copies and the switch's traffic.
 *
 * Sessions follow their ports: hosts are those of the ports' bindings. */

#include <config.h>
#include "controller/translate-mirror.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "controller/translate.h"
#include "controller/translate-teaming.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-mirror.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "sset.h"
#include "svec.h"
#include "util.h"

/* RSPAN destination flows in table 0 come before the uplink's own
 * classification and its blocked-port and underlay flows (1000). */
#define RSPAN_DEST_PRIORITY 1100

/* What comes back in on ${mirror:NAME} is matched by nothing else. */
#define MIRROR_IN_PRIORITY 100

/* After the copy has been given the host's first live uplink (in
 * TEAMING_UPLINK_REG), the flow that sends it there. */
#define MIRROR_UPLINK_PRIORITY 110

struct tr_mirrors {
    struct ovsdb_idl *idl;
    const struct dvs_bindings *bindings;
    struct sset exclusive;      /* Destinations without normal traffic. */
};

struct tr_mirrors *
tr_mirrors_create(struct ovsdb_idl *idl, const struct dvs_bindings *bindings)
{
    struct tr_mirrors *mirrors = xzalloc(sizeof *mirrors);

    mirrors->idl = idl;
    mirrors->bindings = bindings;
    sset_init(&mirrors->exclusive);
    dvs_mirror_get_exclusive_dests(idl, &mirrors->exclusive);
    return mirrors;
}

void
tr_mirrors_destroy(struct tr_mirrors *mirrors)
{
    if (mirrors) {
        sset_destroy(&mirrors->exclusive);
        free(mirrors);
    }
}

bool
tr_mirrors_is_exclusive_dest(const struct tr_mirrors *mirrors,
                             const char *name)
{
    return sset_contains(&mirrors->exclusive, name);
}

/* Adds to 'names' those of 'ports' bound on 'host'. */
static void
local_ports(const struct tr_mirrors *mirrors, struct dvsrec_port **ports,
            size_t n, const char *host, struct svec *names)
{
    for (size_t i = 0; i < n; i++) {
        const struct dvs_binding *b = dvs_bindings_find(mirrors->bindings,
                                                        ports[i]->name);
        if (b && !strcmp(b->host, host)) {
            svec_add(names, ports[i]->name);
        }
    }
    svec_sort_unique(names);
}

/* Appends to 'a' an output of the copy to 'port' (a symbol), truncated to
 * 'len' bytes if nonzero. */
static void
put_output(struct ds *a, const char *port, int64_t len)
{
    if (a->length) {
        ds_put_char(a, ',');
    }
    if (len) {
        ds_put_format(a, "output(port=%s,max_len=%"PRId64")", port, len);
    } else {
        ds_put_format(a, "output:%s", port);
    }
}

static void
put_port_outputs(struct ds *a, const struct svec *ports, int64_t len)
{
    for (size_t i = 0; i < ports->n; i++) {
        char *symbol = xasprintf("${port:%s}", ports->names[i]);
        put_output(a, symbol, len);
        free(symbol);
    }
}

/* Appends to 'a' one tunnelled copy per destination IP of 's'; returns
 * the tunnel type ("erspan" or "gre"), or NULL if no address is valid. */
static const char *
put_tunnel_outputs(struct ds *a, const struct dvsrec_mirror_session *s,
                   int64_t len)
{
    const char *encap = s->encap_type ? s->encap_type : "gre";
    bool erspan = strcmp(encap, "gre") != 0;
    int64_t id = s->n_erspan_id ? s->erspan_id[0] : 0;
    bool any = false;

    for (size_t i = 0; i < s->n_dest_ips; i++) {
        char *ip, *error = dvs_parse_ip(s->dest_ips[i], &ip);

        if (error) {
            /* dvs-ctl refuses it; a row written otherwise is skipped. */
            free(error);
            continue;
        }
        if (a->length) {
            ds_put_char(a, ',');
        }
        ds_put_format(a, "set_field:%s->%s,set_field:%"PRId64"->tun_id,",
                      ip, strchr(ip, ':') ? "tun_ipv6_dst" : "tun_dst", id);
        if (!strcmp(encap, "erspan2")) {
            /* ERSPAN type II is OVS's erspan_ver 1. */
            ds_put_cstr(a, "set_field:1->tun_erspan_ver,"
                        "set_field:0->tun_erspan_idx,");
        } else if (erspan) {
            /* Type III (erspan_ver 2): the copies of both directions
             * come through one OVS Mirror, so the direction bit says
             * ingress. */
            ds_put_cstr(a, "set_field:2->tun_erspan_ver,"
                        "set_field:0->tun_erspan_dir,"
                        "set_field:0->tun_erspan_hwid,");
        }
        ds_chomp(a, ',');
        put_output(a, erspan ? "${erspan}" : "${gre}", len);
        free(ip);
        any = true;
    }
    return any ? (erspan ? "erspan" : "gre") : NULL;
}

static struct dvs_flow_group *
add_group(struct dvs_host_state *state, const struct dvsrec_switch *sw,
          const struct dvsrec_mirror_session *s)
{
    char *key = xasprintf("%s/mirror/%s", sw->name, s->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    free(key);
    return g;
}

/* Stores in 'out' the uplinks of 'host' that session 's' sends its
 * copies out of: those its dest_uplinks name that the host has, in the
 * session's order; empty if it names none of them. */
static void
named_uplinks(const struct dvsrec_mirror_session *s,
              const struct tr_mirror_host *host, struct svec *out)
{
    for (size_t i = 0; i < s->n_dest_uplinks; i++) {
        if (svec_contains_unsorted(host->uplinks, s->dest_uplinks[i])
            && !svec_contains_unsorted(out, s->dest_uplinks[i])) {
            svec_add(out, s->dest_uplinks[i]);
        }
    }
}

/* Appends to 'a' the copy's way out to the physical network: a copy out
 * of each of the uplinks that session 's' names on 'host', or, where it
 * names none that the host has, out of the host's first live uplink, the
 * one its own frames take (teaming's choice).  That choice is made into
 * TEAMING_UPLINK_REG and the copy resubmitted: a truncated output needs a
 * fixed port, so one flow per uplink of the host, added to 'g', sends it
 * there.  Returns true if so: the flows that take the copies in must then
 * match the register still zero. */
static bool
put_uplink_outputs(struct ds *a, const struct dvsrec_mirror_session *s,
                   const struct tr_mirror_host *host, int64_t len,
                   struct dvs_flow_group *g)
{
    struct svec named = SVEC_EMPTY_INITIALIZER;
    const char *u;
    size_t i;

    named_uplinks(s, host, &named);
    SVEC_FOR_EACH (i, u, &named) {
        char *symbol = xasprintf("${uplink:%s}", u);
        put_output(a, symbol, len);
        free(symbol);
    }
    if (named.n) {
        svec_destroy(&named);
        return false;
    }
    svec_destroy(&named);

    if (a->length) {
        ds_put_char(a, ',');
    }
    teaming_put_first_live_choice(host->uplinks, a);
    ds_put_cstr(a, ",resubmit(,0)");
    SVEC_FOR_EACH (i, u, host->uplinks) {
        char *match = xasprintf("in_port=${mirror:%s},reg3=${uplink:%s}",
                                s->name, u);
        char *symbol = xasprintf("${uplink:%s}", u);
        struct ds out = DS_EMPTY_INITIALIZER;

        put_output(&out, symbol, len);
        dvs_flow_group_add_flow(g, 0, MIRROR_UPLINK_PRIORITY, match,
                                ds_cstr(&out));
        ds_destroy(&out);
        free(symbol);
        free(match);
    }
    return true;
}

/* RSPAN destination: frames of the session's VLANs that arrive on any of
 * the host's uplinks (the physical network may bring them to any, with
 * teaming) go to its destination ports on this host, untagged. */
static void
translate_rspan_dest(const struct dvsrec_mirror_session *s,
                     const struct dvsrec_switch *sw, const struct svec *dst,
                     const struct svec *uplinks, int64_t len,
                     struct dvs_host_state *state)
{
    struct dvs_flow_group *g = add_group(state, sw, s);
    struct ds actions = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&actions, "strip_vlan");
    put_port_outputs(&actions, dst, len);
    for (size_t i = 0; i < s->n_source_vlans; i++) {
        for (size_t j = 0; j < uplinks->n; j++) {
            char *match = xasprintf("in_port=${uplink:%s},dl_vlan=%"PRId64,
                                    uplinks->names[j], s->source_vlans[i]);
            dvs_flow_group_add_flow(g, 0, RSPAN_DEST_PRIORITY, match,
                                    ds_cstr(&actions));
            free(match);
        }
    }
    ds_destroy(&actions);
}

bool
tr_mirrors_translate(const struct tr_mirrors *mirrors,
                     const struct dvsrec_switch *sw,
                     const struct tr_mirror_host *host,
                     struct dvs_host_state *state, struct dvs_bridge *br)
{
    const struct dvsrec_mirror_session *s;
    bool underlay = false;

    DVSREC_MIRROR_SESSION_FOR_EACH (s, mirrors->idl) {
        if (s->switch_ != sw || !dvs_mirror_is_enabled(s)
            || !dvs_mirror_name_is_valid(s->name)
            || dvs_bridge_find_mirror(br, s->name)) {
            continue;
        }

        struct svec rx = SVEC_EMPTY_INITIALIZER;
        struct svec tx = SVEC_EMPTY_INITIALIZER;
        struct svec dst = SVEC_EMPTY_INITIALIZER;
        struct ds actions = DS_EMPTY_INITIALIZER;
        enum dvs_mirror_type type = dvs_mirror_get_type(s);
        int64_t len = (s->n_mirrored_packet_length
                       ? s->mirrored_packet_length[0] : 0);
        const char *tunnel = NULL;
        bool has_uplink = host->uplinks->n > 0;
        bool strip = false;
        bool chosen = false;    /* The uplink is chosen in a register. */
        struct dvs_flow_group *g = NULL;

        local_ports(mirrors, s->source_rx, s->n_source_rx, host->name, &rx);
        local_ports(mirrors, s->source_tx, s->n_source_tx, host->name, &tx);
        local_ports(mirrors, s->dest_ports, s->n_dest_ports, host->name,
                    &dst);

        switch (type) {
        case DVS_MIRROR_RSPAN_DEST:
            if (dst.n && has_uplink) {
                translate_rspan_dest(s, sw, &dst, host->uplinks, len, state);
            }
            break;
        case DVS_MIRROR_DVPORT:
        case DVS_MIRROR_MIXED:
            /* Host-local: the destinations on the sources' host. */
            put_port_outputs(&actions, &dst, len);
            if (type == DVS_MIRROR_MIXED && s->n_dest_uplinks
                && has_uplink && (rx.n || tx.n)) {
                g = add_group(state, sw, s);
                chosen = put_uplink_outputs(&actions, s, host, len, g);
            }
            break;
        case DVS_MIRROR_RSPAN_SOURCE:
            if (has_uplink && s->n_encap_vlan && (rx.n || tx.n)) {
                ds_put_format(&actions, "push_vlan:0x8100,"
                              "set_field:%"PRId64"->vlan_vid",
                              4096 + s->encap_vlan[0]);
                g = add_group(state, sw, s);
                chosen = put_uplink_outputs(&actions, s, host, len, g);
                /* The copy's own tag goes unless told to stay: tagged
                 * copies have a flow of their own (strip_vlan needs a
                 * tag in the match). */
                strip = (!s->n_strip_original_vlan
                         || s->strip_original_vlan[0]);
            }
            break;
        case DVS_MIRROR_ENCAP_SOURCE:
            if (host->vtep && has_uplink) {
                tunnel = put_tunnel_outputs(&actions, s, len);
            }
            break;
        }

        if ((rx.n || tx.n) && actions.length
            && type != DVS_MIRROR_RSPAN_DEST) {
            struct dvs_mirror *m = dvs_bridge_add_mirror(br, s->name);
            const char *reg = chosen ? ",reg3=0" : "";
            char *match = xasprintf("in_port=${mirror:%s}%s%s", s->name,
                                    reg, strip ? ",vlan_tci=0x0000/0x1000"
                                                : "");

            if (!g) {
                g = add_group(state, sw, s);
            }
            svec_append(&m->select_src, &rx);
            svec_append(&m->select_dst, &tx);
            m->tunnel = nullable_xstrdup(tunnel);
            dvs_flow_group_add_flow(g, 0, MIRROR_IN_PRIORITY, match,
                                    ds_cstr(&actions));
            if (strip) {
                char *tagged = xasprintf("in_port=${mirror:%s}%s,"
                                         "vlan_tci=0x1000/0x1000", s->name,
                                         reg);
                char *strip_actions = xasprintf("strip_vlan,%s",
                                                ds_cstr(&actions));
                dvs_flow_group_add_flow(g, 0, MIRROR_IN_PRIORITY, tagged,
                                        strip_actions);
                free(tagged);
                free(strip_actions);
            }
            free(match);
            underlay = underlay || tunnel;
        }
        ds_destroy(&actions);
        svec_destroy(&rx);
        svec_destroy(&tx);
        svec_destroy(&dst);
    }
    return underlay;
}
