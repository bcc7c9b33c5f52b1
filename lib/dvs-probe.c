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
#include "lib/dvs-probe.h"

#include <string.h>
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

static const uint8_t probe_magic[4] = { 'D', 'V', 'S', 'H' };
#define PROBE_VERSION 1
enum { KIND_SMALL = 'S', KIND_BIG = 'B' };

static void
put_name(struct ofpbuf *p, const char *name)
{
    size_t len = MIN(strlen(name), UINT8_MAX);

    ofpbuf_put(p, &(uint8_t) { len }, 1);
    ofpbuf_put(p, name, len);
}

/* Appends to 'p' the probe from 'src' that uplink 'uplink' of switch 'sw'
 * of host 'host' sends in VLAN 'vlan': small, or big for MTU 'mtu'. */
void
dvs_probe_build(struct ofpbuf *p, struct eth_addr src, const char *host,
                const char *sw, const char *uplink, uint16_t vlan, bool big,
                uint32_t mtu)
{
    static const struct eth_addr dst = DVS_PROBE_MAC;
    size_t start = p->size;
    size_t size;

    ofpbuf_put(p, &dst, sizeof dst);
    ofpbuf_put(p, &src, sizeof src);
    if (vlan) {
        ofpbuf_put(p, &(ovs_be16) { htons(ETH_TYPE_VLAN) }, 2);
        ofpbuf_put(p, &(ovs_be16) { htons(vlan & VLAN_VID_MASK) }, 2);
    }
    ofpbuf_put(p, &(ovs_be16) { htons(DVS_PROBE_ETHERTYPE) }, 2);
    ofpbuf_put(p, probe_magic, sizeof probe_magic);
    ofpbuf_put(p, &(uint8_t) { PROBE_VERSION }, 1);
    ofpbuf_put(p, &(uint8_t) { big ? KIND_BIG : KIND_SMALL }, 1);
    ofpbuf_put(p, &(ovs_be16) { htons(vlan) }, 2);
    put_name(p, host);
    put_name(p, sw);
    put_name(p, uplink);

    size = (big ? ETH_HEADER_LEN + mtu : ETH_TOTAL_MIN)
           + (vlan ? VLAN_HEADER_LEN : 0);
    if (p->size - start < size) {
        ofpbuf_put_zeros(p, size - (p->size - start));
    }
}

/* Parses the name at '*p' (of 'end - *p' bytes left) into 'name'. */
static bool
get_name(const uint8_t **p, const uint8_t *end, char name[256])
{
    size_t len;

    if (end - *p < 1 || end - *p - 1 < **p) {
        return false;
    }
    len = **p;
    memcpy(name, *p + 1, len);
    name[len] = '\0';
    *p += 1 + len;
    return true;
}

/* Parses the 'len' bytes at 'frame' as a probe into 'probe'.  Returns false
 * if they are not one. */
bool
dvs_probe_parse(const void *frame, size_t len, struct dvs_probe *probe)
{
    const uint8_t *p = frame, *end = p + len;

    memset(probe, 0, sizeof *probe);
    if (len < ETH_HEADER_LEN) {
        return false;
    }
    p += 2 * ETH_ADDR_LEN;
    if (end - p >= 4 && (p[0] << 8 | p[1]) == ETH_TYPE_VLAN_8021Q) {
        probe->tag = (p[2] << 8 | p[3]) & VLAN_VID_MASK;
        p += 4;
    }
    if (end - p < 2 + 8 || (p[0] << 8 | p[1]) != DVS_PROBE_ETHERTYPE) {
        return false;
    }
    p += 2;
    if (memcmp(p, probe_magic, sizeof probe_magic) || p[4] != PROBE_VERSION
        || (p[5] != KIND_SMALL && p[5] != KIND_BIG)) {
        return false;
    }
    probe->big = p[5] == KIND_BIG;
    probe->vlan = p[6] << 8 | p[7];
    p += 8;
    return (probe->vlan <= 4094
            && get_name(&p, end, probe->host)
            && get_name(&p, end, probe->sw)
            && get_name(&p, end, probe->uplink));
}
