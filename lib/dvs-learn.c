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
#include "lib/dvs-learn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "lib/dvs-parse.h"
#include "packets.h"
#include "util.h"

/* Returns the cookie of the flows that port 'port' learns. */
uint64_t
dvs_learn_cookie(const char *port)
{
    uint64_t h = ((uint64_t) hash_string(port, 0x5eed) << 32
                  | hash_string(port, 0x1ea4));

    return ((uint64_t) DVS_LEARN_COOKIE_MAGIC << 56
            | (h & UINT64_C(0x00ffffffffffffff)));
}

/* Returns learned MAC 'mac' as an entry of Port.learned_macs, in a string
 * to free. */
char *
dvs_learned_format(const struct eth_addr *mac, bool has_segment,
                   uint32_t segment)
{
    return (has_segment
            ? xasprintf(ETH_ADDR_FMT"@%"PRIu32, ETH_ADDR_ARGS(*mac), segment)
            : xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(*mac)));
}

/* Parses 's', an entry of Port.learned_macs. */
char *
dvs_learned_parse(const char *s, struct eth_addr *mac, bool *has_segment,
                  uint32_t *segment)
{
    const char *at = strchr(s, '@');
    char *mac_s = at ? xmemdup0(s, at - s) : xstrdup(s);
    char *error = dvs_parse_unicast_mac(mac_s, mac);

    free(mac_s);
    *has_segment = at != NULL;
    *segment = 0;
    if (!error && at) {
        int64_t value;

        error = dvs_parse_integer(at + 1, 0, UINT32_MAX, &value);
        if (error) {
            char *e = xasprintf("learned MAC \"%s\": segment: %s", s, error);
            free(error);
            return e;
        }
        *segment = value;
    }
    return error;
}
