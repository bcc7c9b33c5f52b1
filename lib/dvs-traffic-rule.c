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
#include "lib/dvs-traffic-rule.h"

#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/util.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

const char *const dvs_rule_qualifiers[] = {
    "src_mac", "dst_mac", "ether_type", "vlan", "src_ip", "dst_ip",
    "ip_protocol", "src_port", "dst_port", "tcp_flags", NULL,
};

/* The IP families a rule's flows are made for. */
enum { FAM_NONE = 1 << 0, FAM_IPV4 = 1 << 1, FAM_IPV6 = 1 << 2 };

/* A port qualifier as value/mask pieces. */
struct port_pieces {
    uint16_t values[32];
    uint16_t masks[32];
    size_t n;
};

/* Returns 'error' (freed) prefixed with qualifier 'key', or NULL if 'error'
 * is NULL. */
static char *
qualifier_error(const char *key, char *error)
{
    char *e = error ? xasprintf("%s: %s", key, error) : NULL;

    free(error);
    return e;
}

static bool
is_known_qualifier(const char *key)
{
    for (size_t i = 0; dvs_rule_qualifiers[i]; i++) {
        if (!strcmp(key, dvs_rule_qualifiers[i])) {
            return true;
        }
    }
    return false;
}

/* Checks MAC and IP qualifiers more strictly than OVS's parsers, which
 * take "10.0.0.256" as 10.0.0.0: "MAC[/MASK]" with MACs as dvs-ctl takes
 * them, "IP[/PREFIX]". */
static char *
check_address(enum mf_field_id id, const char *key, const char *value)
{
    const char *slash = strchr(value, '/');
    char *addr = slash ? xmemdup0(value, slash - value) : xstrdup(value);
    char *error = NULL;

    if (id == MFF_ETH_SRC || id == MFF_ETH_DST) {
        struct eth_addr mac;

        error = dvs_parse_mac(addr, &mac);
        if (!error && slash) {
            error = dvs_parse_mac(slash + 1, &mac);
        }
    } else {
        bool ipv6 = id == MFF_IPV6_SRC || id == MFF_IPV6_DST;
        char *normalized = NULL;
        int64_t plen;

        error = dvs_parse_ip(addr, &normalized);
        free(normalized);
        if (!error && slash) {
            error = dvs_parse_integer(slash + 1, 0, ipv6 ? 128 : 32, &plen);
            if (error) {
                free(error);
                error = xasprintf("\"%s\" is not a prefix length (accepted: "
                                  "0 to %d)", slash + 1, ipv6 ? 128 : 32);
            }
        }
    }
    free(addr);
    return qualifier_error(key, error);
}

/* Parses 'value' of qualifier 'key' as OVS field 'id' and appends it to
 * 'out' as "NAME=VALUE" in the canonical form OVS prints.  A value that OVS
 * parses is safe in a match: it cannot carry another field or an action. */
static char *
parse_field(enum mf_field_id id, const char *key, const char *value,
            struct ds *out)
{
    const struct mf_field *mf = mf_from_id(id);
    union mf_value v, m;
    char *error;

    if (!value[0] || !strcmp(value, "*") || strpbrk(value, ", \t")) {
        return xasprintf("%s: \"%s\" is not valid", key, value);
    }
    if (mf->string == MFS_ETHERNET || mf->string == MFS_IPV4
        || mf->string == MFS_IPV6) {
        error = check_address(id, key, value);
        if (error) {
            return error;
        }
    }
    error = mf_parse(mf, value, NULL, &v, &m);
    if (error) {
        return qualifier_error(key, error);
    }
    if (mf->maskable == MFM_NONE && !is_all_ones(&m, mf->n_bytes)) {
        return xasprintf("%s: \"%s\" cannot have a mask", key, value);
    }
    /* The canonical form: no bits outside the mask. */
    for (size_t i = 0; i < mf->n_bytes; i++) {
        ((uint8_t *) &v)[i] &= ((uint8_t *) &m)[i];
    }
    if (out->length) {
        ds_put_char(out, ',');
    }
    ds_put_format(out, "%s=", mf->name);
    mf_format(mf, &v, is_all_ones(&m, mf->n_bytes) ? NULL : &m, NULL, out);
    return NULL;
}

/* Parses a TCP or UDP port or range "LOW-HIGH" into value/mask pieces
 * that together match exactly the range. */
static char *
parse_ports(const char *key, const char *s, struct port_pieces *pp)
{
    const char *dash = strchr(s, '-');
    int64_t lo, hi;
    char *error;

    if (dash) {
        char *first = xmemdup0(s, dash - s);
        error = dvs_parse_integer(first, 0, 65535, &lo);
        free(first);
        if (!error) {
            error = dvs_parse_integer(dash + 1, 0, 65535, &hi);
        }
        if (!error && lo > hi) {
            error = xasprintf("\"%s\" is an empty range", s);
        }
    } else {
        error = dvs_parse_integer(s, 0, 65535, &lo);
        hi = lo;
    }
    if (error) {
        char *e = xasprintf("%s: %s (a port from 0 to 65535, or a range "
                            "LOW-HIGH)", key, error);
        free(error);
        return e;
    }

    /* The largest aligned power-of-two blocks, from the bottom up. */
    pp->n = 0;
    while (lo <= hi) {
        int bits = 0;

        while (bits < 16 && !(lo & ((1 << (bits + 1)) - 1))
               && lo + (1 << (bits + 1)) - 1 <= hi) {
            bits++;
        }
        ovs_assert(pp->n < ARRAY_SIZE(pp->values));
        pp->values[pp->n] = lo;
        pp->masks[pp->n] = (0xffffu << bits) & 0xffff;
        pp->n++;
        lo += 1 << bits;
    }
    return NULL;
}

static void
put_port_piece(const char *field, const struct port_pieces *pp, size_t i,
               struct ds *s)
{
    if (!pp->n) {
        return;
    }
    if (s->length) {
        ds_put_char(s, ',');
    }
    if (pp->masks[i] == 0xffff) {
        ds_put_format(s, "%s=%"PRIu16, field, pp->values[i]);
    } else {
        ds_put_format(s, "%s=0x%"PRIx16"/0x%"PRIx16, field, pp->values[i],
                      pp->masks[i]);
    }
}

static int
ip_family(const char *value)
{
    return strchr(value, ':') ? FAM_IPV6 : FAM_IPV4;
}

void
dvs_rule_match_destroy(struct dvs_rule_match *rm)
{
    if (rm->matches) {
        svec_destroy(rm->matches);
        free(rm->matches);
    }
    free(rm->is_ip);
    memset(rm, 0, sizeof *rm);
}

/* Turns the qualifiers 'match' of a rule into the matches of its flows in
 * 'rm' (to destroy with dvs_rule_match_destroy()), except the VLAN, which
 * depends on the port (it is returned in rm->vlan).  If 'split_ip', a rule
 * that would match IP and non-IP frames gets flows for IPv4 and IPv6 apart
 * from the others, so that a DSCP can be set in the IP ones; the IP flows
 * come first and must be given a higher priority than the rest.  Returns
 * NULL, or an error that names the qualifier at fault. */
char *
dvs_rule_match_parse(const struct smap *match, bool split_ip,
                     struct dvs_rule_match *rm)
{
    struct ds l2 = DS_EMPTY_INITIALIZER;
    struct ds ip4 = DS_EMPTY_INITIALIZER;
    struct ds ip6 = DS_EMPTY_INITIALIZER;
    struct ds l4 = DS_EMPTY_INITIALIZER;
    struct port_pieces src_ports = { .n = 0 }, dst_ports = { .n = 0 };
    const char *src_ip, *dst_ip, *ether_type, *proto, *flags, *ip_key;
    const struct smap_node *node;
    int families = 0;
    int64_t protocol = -1;
    char *error = NULL;

    memset(rm, 0, sizeof *rm);
    rm->vlan = -1;

    SMAP_FOR_EACH (node, match) {
        if (!is_known_qualifier(node->key)) {
            error = xasprintf("unknown qualifier \"%s\"", node->key);
            goto out;
        }
    }

#define TRY(CALL) do { error = (CALL); if (error) { goto out; } } while (0)

    /* Layer 2. */
    if (smap_get(match, "src_mac")) {
        TRY(parse_field(MFF_ETH_SRC, "src_mac", smap_get(match, "src_mac"),
                        &l2));
    }
    if (smap_get(match, "dst_mac")) {
        TRY(parse_field(MFF_ETH_DST, "dst_mac", smap_get(match, "dst_mac"),
                        &l2));
    }
    if (smap_get(match, "vlan")) {
        int64_t vlan;

        TRY(qualifier_error("vlan", dvs_parse_integer(smap_get(match, "vlan"),
                                                      0, 4094, &vlan)));
        rm->vlan = vlan;
    }

    /* Layer 4: what needs an IP protocol. */
    proto = smap_get(match, "ip_protocol");
    if (proto) {
        TRY(qualifier_error("ip_protocol",
                            dvs_parse_integer(proto, 0, 255, &protocol)));
        ds_put_format(&l4, "nw_proto=%"PRId64, protocol);
    }
    static const char *port_keys[] = { "src_port", "dst_port" };
    for (size_t i = 0; i < ARRAY_SIZE(port_keys); i++) {
        const char *value = smap_get(match, port_keys[i]);

        if (!value) {
            continue;
        }
        if (protocol != 6 && protocol != 17) {
            error = xasprintf("%s needs ip_protocol 6 (TCP) or 17 (UDP)",
                              port_keys[i]);
            goto out;
        }
        TRY(parse_ports(port_keys[i], value, i ? &dst_ports : &src_ports));
    }
    flags = smap_get(match, "tcp_flags");
    if (flags) {
        if (protocol != 6) {
            error = xstrdup("tcp_flags needs ip_protocol 6 (TCP)");
            goto out;
        }
        TRY(parse_field(MFF_TCP_FLAGS, "tcp_flags", flags, &l4));
    }

    /* Layer 3: the IP family comes from the addresses, else from the
     * EtherType, else from the need for one. */
    src_ip = smap_get(match, "src_ip");
    dst_ip = smap_get(match, "dst_ip");
    ip_key = src_ip ? "src_ip" : dst_ip ? "dst_ip" : proto ? "ip_protocol"
             : NULL;
    if (src_ip && dst_ip && ip_family(src_ip) != ip_family(dst_ip)) {
        error = xstrdup("src_ip and dst_ip are of different IP versions");
        goto out;
    }
    if (src_ip || dst_ip) {
        families = ip_family(src_ip ? src_ip : dst_ip);
    }
    ether_type = smap_get(match, "ether_type");
    if (ether_type) {
        struct ds type = DS_EMPTY_INITIALIZER;
        union mf_value v, m;
        uint16_t eth_type;

        error = parse_field(MFF_ETH_TYPE, "ether_type", ether_type, &type);
        ds_destroy(&type);
        if (error) {
            goto out;
        }
        error = mf_parse(mf_from_id(MFF_ETH_TYPE), ether_type, NULL, &v, &m);
        ovs_assert(!error);
        eth_type = ntohs(v.be16);
        int type_family = (eth_type == 0x0800 ? FAM_IPV4
                           : eth_type == 0x86dd ? FAM_IPV6 : FAM_NONE);
        if (type_family == FAM_NONE && ip_key) {
            error = xasprintf("ether_type %s is not IP, but the rule has %s",
                              ether_type, ip_key);
            goto out;
        }
        if (families && families != type_family) {
            error = xasprintf("ether_type %s does not match the IP version "
                              "of %s", ether_type, ip_key);
            goto out;
        }
        if (type_family == FAM_NONE) {
            if (l2.length) {
                ds_put_char(&l2, ',');
            }
            ds_put_format(&l2, "dl_type=0x%04"PRIx16, eth_type);
        }
        families = type_family;
    }
    if (!families) {
        families = (proto ? FAM_IPV4 | FAM_IPV6
                    : split_ip ? FAM_IPV4 | FAM_IPV6 | FAM_NONE
                    : FAM_NONE);
    }
    if (families & FAM_IPV4) {
        ds_put_cstr(&ip4, "ip");
        if (src_ip) {
            TRY(parse_field(MFF_IPV4_SRC, "src_ip", src_ip, &ip4));
        }
        if (dst_ip) {
            TRY(parse_field(MFF_IPV4_DST, "dst_ip", dst_ip, &ip4));
        }
    }
    if (families & FAM_IPV6) {
        ds_put_cstr(&ip6, "ipv6");
        if (src_ip) {
            TRY(parse_field(MFF_IPV6_SRC, "src_ip", src_ip, &ip6));
        }
        if (dst_ip) {
            TRY(parse_field(MFF_IPV6_DST, "dst_ip", dst_ip, &ip6));
        }
    }
#undef TRY

    /* The flows: each family, times the pieces of each port range. */
    rm->matches = xmalloc(sizeof *rm->matches);
    svec_init(rm->matches);
    size_t n_src = MAX(src_ports.n, 1), n_dst = MAX(dst_ports.n, 1);
    size_t max = 3 * n_src * n_dst;
    rm->is_ip = xcalloc(max, sizeof *rm->is_ip);
    for (int f = 0; f < 3; f++) {
        static const int order[] = { FAM_IPV4, FAM_IPV6, FAM_NONE };
        const struct ds *l3 = (order[f] == FAM_IPV4 ? &ip4
                               : order[f] == FAM_IPV6 ? &ip6 : NULL);

        if (!(families & order[f])) {
            continue;
        }
        for (size_t i = 0; i < n_src; i++) {
            for (size_t j = 0; j < n_dst; j++) {
                struct ds s = DS_EMPTY_INITIALIZER;

                ds_put_buffer(&s, l2.string, l2.length);
                if (l3) {
                    if (s.length) {
                        ds_put_char(&s, ',');
                    }
                    ds_put_buffer(&s, l3->string, l3->length);
                    if (l4.length) {
                        ds_put_char(&s, ',');
                        ds_put_buffer(&s, l4.string, l4.length);
                    }
                    put_port_piece("tp_src", &src_ports, i, &s);
                    put_port_piece("tp_dst", &dst_ports, j, &s);
                }
                rm->is_ip[rm->matches->n] = l3 != NULL;
                svec_add_nocopy(rm->matches, ds_steal_cstr(&s));
            }
        }
    }

out:
    if (error) {
        dvs_rule_match_destroy(rm);
    }
    ds_destroy(&l2);
    ds_destroy(&ip4);
    ds_destroy(&ip6);
    ds_destroy(&l4);
    return error;
}

/* Checks a whole rule: its qualifiers, and that 'cos' and 'dscp' (each
 * NULL if absent) go with action "tag", which needs one of them.  Returns
 * NULL, with the rule's match parsed into 'rm' (as
 * dvs_rule_match_parse() with 'split_ip'), or an error naming what is
 * wrong. */
char *
dvs_rule_parse(const struct smap *match, const char *action,
               const int64_t *cos, const int64_t *dscp, bool split_ip,
               struct dvs_rule_match *rm)
{
    if (strcmp(action, "allow") && strcmp(action, "drop")
        && strcmp(action, "tag")) {
        return xasprintf("action \"%s\" is not valid (accepted: allow, drop "
                         "or tag)", action);
    }
    if (!strcmp(action, "tag")) {
        if (!cos && !dscp) {
            return xstrdup("action tag needs cos or dscp");
        }
    } else if (cos || dscp) {
        return xasprintf("%s is only for action tag", cos ? "cos" : "dscp");
    }
    if (cos && (*cos < 0 || *cos > 7)) {
        return xasprintf("cos %"PRId64" is not valid (accepted: 0 to 7)",
                         *cos);
    }
    if (dscp && (*dscp < 0 || *dscp > 63)) {
        return xasprintf("dscp %"PRId64" is not valid (accepted: 0 to 63)",
                         *dscp);
    }
    return dvs_rule_match_parse(match, split_ip, rm);
}

/* Checks a whole rule, as dvs_rule_parse(). */
char *
dvs_rule_check(const struct smap *match, const char *action,
               const int64_t *cos, const int64_t *dscp)
{
    struct dvs_rule_match rm;
    char *error = dvs_rule_parse(match, action, cos, dscp, false, &rm);

    if (!error) {
        dvs_rule_match_destroy(&rm);
    }
    return error;
}

/* The traffic rules in effect for 'port' (may be NULL) of 'pg' (may be NULL)
 * of 'sw', in '*rules' and '*n_rules' (owned by the rows), and where they
 * come from.  The rules are one policy (VDS filterPolicy, an inheritable
 * policy): the port's own set where its portgroup lets ports override
 * traffic filtering and it has one, else the portgroup's, else the
 * switch's; a set replaces the inherited one whole. */
enum dvs_source
dvs_rules_effective(const struct dvsrec_switch *sw,
                    const struct dvsrec_portgroup *pg,
                    const struct dvsrec_port *port,
                    struct dvsrec_traffic_rule ***rules, size_t *n_rules)
{
    if (port && pg && port->n_traffic_rules
        && dvs_override_allowed(pg, "traffic_filter")) {
        *rules = port->traffic_rules;
        *n_rules = port->n_traffic_rules;
        return DVS_FROM_PORT;
    } else if (pg && pg->n_traffic_rules) {
        *rules = pg->traffic_rules;
        *n_rules = pg->n_traffic_rules;
        return DVS_FROM_PORTGROUP;
    } else if (sw && sw->n_traffic_rules) {
        *rules = sw->traffic_rules;
        *n_rules = sw->n_traffic_rules;
        return DVS_FROM_SWITCH;
    }
    *rules = NULL;
    *n_rules = 0;
    return DVS_FROM_DEFAULT;
}
