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

#ifndef DVS_LEARN_H
#define DVS_LEARN_H 1

/* MAC learning shared by dvs-controller and dvs-agent.
 *
 * The flows that a port's learn() action makes carry the port's learn
 * cookie: the top byte DVS_LEARN_COOKIE_MAGIC, and a hash of the port name
 * in the rest.  OVS counts a port's learned flows by their cookie for the
 * port's mac-limit, and the agent tells by it whose a learned flow is.
 * dvs-agent leaves these flows to OVS (they are not of its own cookie).
 *
 * A learned MAC of a port is written "MAC" when it was learned in the
 * port's own segment, and "MAC@SEGMENT" otherwise (a VLAN that a trunk
 * port carries): Port.learned_macs in dvs(5). */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"

struct eth_addr;

#define DVS_LEARN_COOKIE_MAGIC 0xd6

/* The table of the learned-MAC lookup, where learned flows go. */
#define DVS_LEARN_TABLE 11

uint64_t dvs_learn_cookie(const char *port);

char *dvs_learned_format(const struct eth_addr *, bool has_segment,
                         uint32_t segment);
char *dvs_learned_parse(const char *s, struct eth_addr *mac,
                        bool *has_segment, uint32_t *segment)
    OVS_WARN_UNUSED_RESULT;

#endif /* lib/dvs-learn.h */
