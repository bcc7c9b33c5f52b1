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
#include "lib/dvs-lldp.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

/* TLV types (802.1AB-2016 table 8-1). */
enum {
    TLV_END = 0,
    TLV_CHASSIS_ID = 1,
    TLV_PORT_ID = 2,
    TLV_TTL = 3,
    TLV_PORT_DESCRIPTION = 4,
    TLV_SYSTEM_NAME = 5,
    TLV_SYSTEM_DESCRIPTION = 6,
    TLV_SYSTEM_CAPABILITIES = 7,
    TLV_MANAGEMENT_ADDRESS = 8,
};

/* Chassis ID subtypes 4 and Port ID subtype 3 are MAC addresses, Chassis
 * ID subtype 5 and Port ID subtype 4 network addresses. */
#define CHASSIS_MAC 4
#define CHASSIS_NETWORK 5
#define CHASSIS_LOCAL 7
#define PORT_MAC 3
#define PORT_NETWORK 4
#define PORT_IFNAME 5

/* Address family numbers (IANA) of network and management addresses. */
#define AFN_IPV4 1
#define AFN_IPV6 2

/* System Capabilities: bridge. */
#define CAPABILITY_BRIDGE 0x0004

static const struct eth_addr lldp_multicast = ETH_ADDR_C(01,80,c2,00,00,0e);

void
dvs_lldp_info_destroy(struct dvs_lldp_info *info)
{
    if (info) {
        free(info->chassis_id);
        free(info->port_id);
        free(info->system_name);
        free(info->port_description);
        free(info->management_address);
        memset(info, 0, sizeof *info);
    }
}

/* Text of the 'len' bytes at 'p': printable ASCII as it is, other bytes as
 * \xNN. */
static char *
text_string(const uint8_t *p, size_t len)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < len; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
            ds_put_char(&s, p[i]);
        } else {
            ds_put_format(&s, "\\x%02x", p[i]);
        }
    }
    return ds_steal_cstr(&s);
}

static char *
hex_string(const uint8_t *p, size_t len)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < len; i++) {
        ds_put_format(&s, "%02x", p[i]);
    }
    return ds_steal_cstr(&s);
}

/* The network address whose family number is the first of the 'len' bytes
 * at 'p', as text, or NULL if it is not IPv4 or IPv6. */
static char *
address_string(const uint8_t *p, size_t len)
{
    char buf[INET6_ADDRSTRLEN];

    if (len == 5 && p[0] == AFN_IPV4) {
        return xstrdup(inet_ntop(AF_INET, p + 1, buf, sizeof buf));
    } else if (len == 17 && p[0] == AFN_IPV6) {
        return xstrdup(inet_ntop(AF_INET6, p + 1, buf, sizeof buf));
    }
    return NULL;
}

/* The text of a Chassis ID or Port ID whose subtype is p[0]. */
static char *
id_string(const uint8_t *p, size_t len, int mac_subtype, int net_subtype)
{
    const uint8_t *v = p + 1;
    size_t n = len - 1;

    if (p[0] == mac_subtype && n == ETH_ADDR_LEN) {
        struct eth_addr ea;

        memcpy(ea.ea, v, ETH_ADDR_LEN);
        return xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
    } else if (p[0] == net_subtype) {
        char *s = address_string(v, n);
        return s ? s : hex_string(v, n);
    }
    return text_string(v, n);
}

char *
dvs_lldp_parse(const void *frame, size_t len, struct dvs_lldp_info *info)
{
    const uint8_t *p = frame;
    const uint8_t *end = p + len;
    bool have_end = false;
    int n = 0;

    memset(info, 0, sizeof *info);
    if (len < ETH_HEADER_LEN) {
        return xasprintf("frame of %"PRIuSIZE" bytes is too short for "
                         "Ethernet", len);
    }
    if (memcmp(p, lldp_multicast.ea, ETH_ADDR_LEN)) {
        return xstrdup("not addressed to the LLDP multicast address");
    }
    p += 2 * ETH_ADDR_LEN;
    while (end - p >= 4 && (p[0] << 8 | p[1]) == ETH_TYPE_VLAN_8021Q) {
        p += 4;
    }
    if (end - p < 2 || (p[0] << 8 | p[1]) != DVS_LLDP_ETHERTYPE) {
        return xstrdup("ethertype is not LLDP's (0x88cc)");
    }
    p += 2;

    while (p < end && !have_end) {
        const uint8_t *v;
        int type, vlen;

        if (end - p < 2) {
            dvs_lldp_info_destroy(info);
            return xstrdup("truncated TLV header");
        }
        type = p[0] >> 1;
        vlen = (p[0] & 1) << 8 | p[1];
        v = p + 2;
        if (end - v < vlen) {
            dvs_lldp_info_destroy(info);
            return xasprintf("TLV type %d: %d bytes, only %d left", type,
                             vlen, (int) (end - v));
        }
        p = v + vlen;

        /* Chassis ID, Port ID and TTL come first, in that order. */
        if (n < 3 && type != n + 1) {
            dvs_lldp_info_destroy(info);
            return xasprintf("TLV %d is type %d, not the mandatory %s", n + 1,
                             type, (n == 0 ? "Chassis ID"
                                    : n == 1 ? "Port ID" : "Time To Live"));
        }
        n++;
        switch (type) {
        case TLV_END:
            have_end = true;
            break;
        case TLV_CHASSIS_ID:
        case TLV_PORT_ID:
            if (n > 2) {
                break;          /* Only one of each; ignore a repeat. */
            }
            if (vlen < 2 || vlen > 256) {
                dvs_lldp_info_destroy(info);
                return xasprintf("%s TLV of %d bytes (2 to 256 expected)",
                                 type == TLV_CHASSIS_ID ? "Chassis ID"
                                 : "Port ID", vlen);
            }
            if (type == TLV_CHASSIS_ID) {
                info->chassis_id = id_string(v, vlen, CHASSIS_MAC,
                                             CHASSIS_NETWORK);
            } else {
                info->port_id = id_string(v, vlen, PORT_MAC, PORT_NETWORK);
            }
            break;
        case TLV_TTL:
            if (n > 3) {
                break;
            }
            if (vlen < 2) {
                dvs_lldp_info_destroy(info);
                return xasprintf("Time To Live TLV of %d bytes (2 expected)",
                                 vlen);
            }
            info->ttl = v[0] << 8 | v[1];
            break;
        case TLV_SYSTEM_NAME:
            if (!info->system_name) {
                info->system_name = text_string(v, vlen);
            }
            break;
        case TLV_PORT_DESCRIPTION:
            if (!info->port_description) {
                info->port_description = text_string(v, vlen);
            }
            break;
        case TLV_MANAGEMENT_ADDRESS:
            /* Address string length (1 + address), family, address... */
            if (!info->management_address && vlen >= 2 && v[0] >= 2
                && v[0] < vlen) {
                info->management_address = address_string(v + 1, v[0]);
            }
            break;
        default:
            break;
        }
    }
    if (n < 3) {
        dvs_lldp_info_destroy(info);
        return xasprintf("only %d of the mandatory Chassis ID, Port ID and "
                         "Time To Live TLVs", n);
    }
    return NULL;
}

/* Appends a TLV of 'type' whose value is 'prefix' (if nonnegative) then
 * the 'len' bytes at 'value', at most 511 bytes in all. */
static void
put_tlv(struct ofpbuf *b, int type, int prefix, const void *value,
        size_t len)
{
    size_t total = MIN(len + (prefix >= 0), 511);
    uint8_t header[2] = { type << 1 | total >> 8, total & 0xff };

    ofpbuf_put(b, header, sizeof header);
    if (prefix >= 0) {
        ofpbuf_put(b, &(uint8_t) { prefix }, 1);
        total--;
    }
    if (total) {
        ofpbuf_put(b, value, total);
    }
}

static void
put_string_tlv(struct ofpbuf *b, int type, int subtype, const char *s)
{
    /* Chassis and Port IDs carry at most 255 bytes after their subtype. */
    size_t len = strlen(s);

    put_tlv(b, type, subtype, s, subtype >= 0 ? MIN(len, 255) : len);
}

static void
put_management_address(struct ofpbuf *b, const char *address)
{
    struct in6_addr a6;
    struct in_addr a4;
    uint8_t value[1 + 1 + 16 + 1 + 4 + 1];
    size_t alen;

    if (inet_pton(AF_INET, address, &a4) == 1) {
        value[1] = AFN_IPV4;
        memcpy(&value[2], &a4, 4);
        alen = 4;
    } else if (inet_pton(AF_INET6, address, &a6) == 1) {
        value[1] = AFN_IPV6;
        memcpy(&value[2], &a6, 16);
        alen = 16;
    } else {
        return;
    }
    value[0] = 1 + alen;
    /* Interface numbering: unknown (1), number 0; no OID. */
    value[2 + alen] = 1;
    memset(&value[3 + alen], 0, 4);
    value[7 + alen] = 0;
    put_tlv(b, TLV_MANAGEMENT_ADDRESS, -1, value, 8 + alen);
}

void
dvs_lldp_build(struct ofpbuf *b, struct eth_addr src,
               const struct dvs_lldp_info *info)
{
    size_t start = b->size;
    ovs_be16 ttl = htons(info->ttl);
    ovs_be16 caps[2] = { htons(CAPABILITY_BRIDGE), htons(CAPABILITY_BRIDGE) };
    struct eth_header *eh = ofpbuf_put_zeros(b, sizeof *eh);

    eh->eth_dst = lldp_multicast;
    eh->eth_src = src;
    eh->eth_type = htons(DVS_LLDP_ETHERTYPE);

    put_string_tlv(b, TLV_CHASSIS_ID, CHASSIS_LOCAL, info->chassis_id);
    put_string_tlv(b, TLV_PORT_ID, PORT_IFNAME, info->port_id);
    put_tlv(b, TLV_TTL, -1, &ttl, sizeof ttl);
    if (info->port_description) {
        put_string_tlv(b, TLV_PORT_DESCRIPTION, -1, info->port_description);
    }
    if (info->system_name) {
        put_string_tlv(b, TLV_SYSTEM_NAME, -1, info->system_name);
    }
    put_tlv(b, TLV_SYSTEM_CAPABILITIES, -1, caps, sizeof caps);
    if (info->management_address) {
        put_management_address(b, info->management_address);
    }
    put_tlv(b, TLV_END, -1, NULL, 0);
    if (b->size - start < ETH_TOTAL_MIN) {
        ofpbuf_put_zeros(b, ETH_TOTAL_MIN - (b->size - start));
    }
}
