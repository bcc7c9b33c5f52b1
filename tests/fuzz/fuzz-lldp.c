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

/* Fuzz target: an LLDP frame from the physical network, as dvs-agent
 * parses it; what parses is advertised again (escaped names get escaped
 * once more) and must parse, with the same TTL. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-lldp.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dvs_lldp_info info, again;
    char *error = dvs_lldp_parse(data, size, &info);

    if (error) {
        free(error);
        return 0;
    }

    struct ofpbuf b;
    ofpbuf_init(&b, 0);
    dvs_lldp_build(&b, eth_addr_zero, &info);
    error = dvs_lldp_parse(b.data, b.size, &again);
    if (error || again.ttl != info.ttl) {
        abort();
    }
    dvs_lldp_info_destroy(&again);
    dvs_lldp_info_destroy(&info);
    ofpbuf_uninit(&b);
    return 0;
}
