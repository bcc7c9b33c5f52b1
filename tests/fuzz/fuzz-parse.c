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

/* Fuzz target: the value parsers of lib/dvs-parse.c, which check what
 * users type, and the host name of a TLS certificate's common name.  The
 * input is one string, given to each of them; every result must be
 * either an error message or a value, and formatted VLAN ranges must
 * parse back to the same set. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-parse.h"
#include "lib/dvs-tls.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xmemdup0((const char *) data, size);
    char *error, *normalized = NULL;
    bool b;
    int64_t i;
    struct eth_addr mac;
    struct svec names;

    free(dvs_parse_bool(s, &b));
    free(dvs_parse_integer(s, 0, 4094, &i));
    free(dvs_parse_integer(s, INT64_MIN, INT64_MAX, &i));
    free(dvs_parse_mac(s, &mac));
    free(dvs_parse_unicast_mac(s, &mac));
    error = dvs_parse_ip(s, &normalized);
    ovs_assert(!error != !normalized);
    free(error);
    free(normalized);
    normalized = NULL;
    error = dvs_parse_ip_port(s, &normalized);
    ovs_assert(!error != !normalized);
    free(error);
    free(normalized);
    free(dvs_parse_name(s, 64));
    svec_init(&names);
    free(dvs_parse_name_list(s, 15, &names));
    svec_destroy(&names);
    free(dvs_tls_host_from_cn(s));

    int64_t *vlans = NULL;
    size_t n = 0;
    error = dvs_parse_vlan_ranges(s, &vlans, &n);
    if (!error) {
        struct ds f = DS_EMPTY_INITIALIZER;
        int64_t *again = NULL;
        size_t n2 = 0;

        dvs_format_vlan_ranges(vlans, n, &f);
        char *e2 = dvs_parse_vlan_ranges(ds_cstr(&f), &again, &n2);
        ovs_assert(!e2 || !n);
        if (!e2) {
            ovs_assert(n == n2);
            ovs_assert(!n || !memcmp(vlans, again, n * sizeof *vlans));
        }
        free(e2);
        free(again);
        ds_destroy(&f);
    }
    free(error);
    free(vlans);
    free(s);
    return 0;
}
