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

#ifndef DVS_PROBE_H
#define DVS_PROBE_H 1

/* Network health check probes (agent/health-check.h).
 *
 * A probe is an Ethernet frame to DVS_PROBE_MAC, a locally administered
 * multicast address that physical switches flood, with ethertype 0x88b5
 * (local experimental), 802.1Q-tagged for VLANs other than 0.  Its payload
 * is "DVSH", version 1, the kind ('S' small, 'B' big), the VLAN (2 bytes),
 * then the sender's host, switch and uplink names, each a length byte and
 * the name, then zeros: a small probe is the Ethernet minimum, a big one
 * carries a payload (after the tag) of the MTU under test. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct ofpbuf;

#define DVS_PROBE_ETHERTYPE 0x88b5
#define DVS_PROBE_MAC ETH_ADDR_C(03,00,00,d5,48,43)

struct dvs_probe {
    bool big;                   /* Padded to an MTU. */
    uint16_t vlan;              /* The VLAN it was sent in. */
    uint16_t tag;               /* The VLAN it came in (0: untagged). */
    char host[256];             /* The sender's names. */
    char sw[256];
    char uplink[256];
};

void dvs_probe_build(struct ofpbuf *, struct eth_addr src, const char *host,
                     const char *sw, const char *uplink, uint16_t vlan,
                     bool big, uint32_t mtu);
bool dvs_probe_parse(const void *frame, size_t len, struct dvs_probe *);

#endif /* dvs-probe.h */
