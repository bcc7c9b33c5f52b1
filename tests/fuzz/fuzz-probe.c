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

/* Fuzz target: a health check probe from the physical network, as
 * dvs-agent parses it; what parses is built again and must parse the
 * same. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-probe.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dvs_probe probe, again;

    if (!dvs_probe_parse(data, size, &probe)) {
        return 0;
    }

    struct ofpbuf b;
    ofpbuf_init(&b, 0);
    dvs_probe_build(&b, eth_addr_zero, probe.host, probe.sw, probe.uplink,
                    probe.vlan, probe.big, 1500);
    if (!dvs_probe_parse(b.data, b.size, &again)
        || again.vlan != probe.vlan || again.big != probe.big
        || strcmp(again.host, probe.host) || strcmp(again.sw, probe.sw)
        || strcmp(again.uplink, probe.uplink)) {
        abort();
    }
    ofpbuf_uninit(&b);
    return 0;
}
