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

#ifndef DVS_LLDP_H
#define DVS_LLDP_H 1

/* LLDP (IEEE 802.1AB) frames: parsing what a neighbour advertises and
 * building what a host advertises.
 *
 * A frame is an Ethernet frame to 01:80:c2:00:00:0e with ethertype 0x88cc
 * (802.1Q tags before it are skipped), whose LLDPDU is a list of TLVs:
 * Chassis ID, Port ID and Time To Live first, in that order, then optional
 * ones, then End.  The parser keeps the Chassis ID, Port ID, TTL, System
 * Name, Port Description and the first Management Address, each as text:
 * MAC addresses as xx:xx:xx:xx:xx:xx, IP addresses in their usual form,
 * names as they are with every byte outside printable ASCII written as
 * \xNN (so that the text is valid UTF-8 for the database), anything else
 * in hex.  It refuses, with a message saying why, a frame that is not LLDP,
 * is truncated, or lacks one of the three mandatory TLVs; unknown TLVs are
 * skipped. */

#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/types.h"

struct ofpbuf;

#define DVS_LLDP_ETHERTYPE 0x88cc

/* What one LLDP frame says.  Strings are malloc()'d; the optional ones may
 * be NULL. */
struct dvs_lldp_info {
    char *chassis_id;
    char *port_id;
    uint16_t ttl;               /* Seconds; 0: the neighbour is leaving. */
    char *system_name;
    char *port_description;
    char *management_address;   /* An IPv4 or IPv6 address. */
};

void dvs_lldp_info_destroy(struct dvs_lldp_info *);

char *dvs_lldp_parse(const void *frame, size_t len, struct dvs_lldp_info *)
    OVS_WARN_UNUSED_RESULT;

/* Appends to 'frame' an LLDP frame from 'src' that advertises 'info': the
 * Chassis ID and Port ID as locally assigned (subtype 7) and interface
 * name (subtype 5) strings, the TTL, the optional TLVs that are nonnull
 * (a management address that does not parse as IPv4 or IPv6 is left out),
 * System Capabilities "bridge, enabled", and End, padded to the Ethernet
 * minimum. */
void dvs_lldp_build(struct ofpbuf *frame, struct eth_addr src,
                    const struct dvs_lldp_info *);

#endif /* dvs-lldp.h */
