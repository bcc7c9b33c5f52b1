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
#include "lib/dvs-parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "socket-util.h"
#include "svec.h"
#include "util.h"
#include "bitmap.h"

char *
dvs_parse_bool(const char *s, bool *value)
{
    if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")) {
        *value = true;
    } else if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off")) {
        *value = false;
    } else {
        return xasprintf("\"%s\" is not a boolean (accepted: true or false)",
                         s);
    }
    return NULL;
}

char *
dvs_parse_integer(const char *s, int64_t min, int64_t max, int64_t *value)
{
    char *end;
    long long int x;

    errno = 0;
    x = strtoll(s, &end, 10);
    if (!*s || *end || isspace((unsigned char) *s) || errno == ERANGE
        || x < min || x > max) {
        return xasprintf("\"%s\" is not valid (accepted: an integer from "
                         "%"PRId64" to %"PRId64")", s, min, max);
    }
    *value = x;
    return NULL;
}

/* Parses a MAC address: six octets of one or two hexadecimal digits,
 * separated by colons.  (eth_addr_from_string() is too lenient for values
 * users type: like sscanf(), it skips spaces, takes signs and "0x", and
 * silently truncates an octet such as "100" to 0x00.) */
char *
dvs_parse_mac(const char *s, struct eth_addr *mac)
{
    const char *p = s;

    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        unsigned int octet = 0;
        int n_digits = 0;

        while (n_digits < 2 && isxdigit((unsigned char) *p)) {
            octet = octet * 16 + hexit_value(*p++);
            n_digits++;
        }
        if (!n_digits || *p != (i < ETH_ADDR_LEN - 1 ? ':' : '\0')) {
            *mac = eth_addr_zero;
            return xasprintf("\"%s\" is not a MAC address (accepted: "
                             "xx:xx:xx:xx:xx:xx in hexadecimal)", s);
        }
        mac->ea[i] = octet;
        p++;
    }
    return NULL;
}

/* A port's own address: a VM cannot own a multicast or all-zero MAC. */
char *
dvs_parse_unicast_mac(const char *s, struct eth_addr *mac)
{
    char *error = dvs_parse_mac(s, mac);
    if (!error && (eth_addr_is_multicast(*mac) || eth_addr_is_zero(*mac))) {
        error = xasprintf("\"%s\" is not a unicast MAC address (accepted: "
                          "a nonzero address whose first octet is even)", s);
    }
    return error;
}

/* Parses an IPv4 or IPv6 address and returns it in canonical text form in
 * '*normalized', so that equal addresses are stored equally. */
char *
dvs_parse_ip(const char *s, char **normalized)
{
    struct in6_addr ip6;
    ovs_be32 ip4;

    if (ip_parse(s, &ip4)) {
        *normalized = xasprintf(IP_FMT, IP_ARGS(ip4));
    } else if (ipv6_parse(s, &ip6)) {
        char buf[INET6_ADDRSTRLEN];
        *normalized = xstrdup(inet_ntop(AF_INET6, &ip6, buf, sizeof buf));
    } else {
        return xasprintf("\"%s\" is not an IP address (accepted: an IPv4 "
                         "address such as 192.0.2.1 or an IPv6 address)", s);
    }
    return NULL;
}

/* Parses "IP:PORT" (IPv6 as "[IP]:PORT"), the way OVS names IPFIX
 * collectors. */
char *
dvs_parse_ip_port(const char *s, char **normalized)
{
    const char *colon = strrchr(s, ':');
    char *host, *ip, *error;
    int64_t port;

    if (!colon || colon == s) {
        return xasprintf("\"%s\" is not an address and port (accepted: "
                         "IP:PORT, or [IPv6]:PORT)", s);
    }
    host = xmemdup0(s, colon - s);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        char *inner = xmemdup0(host + 1, strlen(host) - 2);
        free(host);
        host = inner;
        if (!strchr(host, ':')) {
            free(host);
            return xasprintf("\"%s\": brackets are only for IPv6 addresses "
                             "(accepted: IP:PORT, or [IPv6]:PORT)", s);
        }
    } else if (strchr(host, ':')) {
        free(host);
        return xasprintf("\"%s\": write an IPv6 address as [IP]:PORT", s);
    }
    error = dvs_parse_ip(host, &ip);
    free(host);
    if (error) {
        return error;
    }
    error = dvs_parse_integer(colon + 1, 1, 65535, &port);
    if (error) {
        free(error);
        free(ip);
        return xasprintf("\"%s\": the port must be an integer from 1 to "
                         "65535", s);
    }
    *normalized = (strchr(ip, ':')
                   ? xasprintf("[%s]:%"PRId64, ip, port)
                   : xasprintf("%s:%"PRId64, ip, port));
    free(ip);
    return NULL;
}

/* Parses a VLAN trunk specification such as "10-20,30,4000-4094" into a
 * sorted array of distinct VLAN ids in '*vlans' (caller frees).  Overlapping
 * ranges are allowed, as in VDS's TrunkVlanSpec. */
char *
dvs_parse_vlan_ranges(const char *s, int64_t **vlans, size_t *n)
{
    unsigned long *bitmap = bitmap_allocate(4096);
    char *copy = xstrdup(s), *save = NULL, *token;
    char *error = NULL;

    if (!*s) {
        error = xstrdup("empty VLAN list (accepted: VLAN ids and ranges "
                        "from 0 to 4094, such as 10-20,30)");
    } else if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
        /* strtok_r() would skip empty elements silently. */
        error = xasprintf("\"%s\" has an empty element (accepted: VLAN ids "
                          "and ranges from 0 to 4094, such as 10-20,30)", s);
    }
    for (token = strtok_r(copy, ",", &save); token && !error;
         token = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(token, '-');
        int64_t lo, hi;

        if (dash) {
            *dash = '\0';
        }
        error = dvs_parse_integer(token, 0, 4094, &lo);
        if (!error) {
            error = dash ? dvs_parse_integer(dash + 1, 0, 4094, &hi) : NULL;
            if (!dash) {
                hi = lo;
            }
        }
        if (error) {
            free(error);
            error = xasprintf("\"%s\" is not a VLAN list (accepted: VLAN ids "
                              "and ranges from 0 to 4094, such as 10-20,30)",
                              s);
        } else if (lo > hi) {
            error = xasprintf("\"%s\": range %"PRId64"-%"PRId64" is "
                              "backwards (write low-high)", s, lo, hi);
        } else {
            bitmap_set_multiple(bitmap, lo, hi - lo + 1, true);
        }
    }
    if (!error) {
        size_t count = bitmap_count1(bitmap, 4096), i = 0;
        size_t vid;

        *vlans = xmalloc(count * sizeof **vlans);
        BITMAP_FOR_EACH_1 (vid, 4096, bitmap) {
            (*vlans)[i++] = vid;
        }
        *n = count;
    }
    free(copy);
    bitmap_free(bitmap);
    return error;
}

/* Formats sorted VLAN ids as ranges: the inverse of
 * dvs_parse_vlan_ranges(). */
void
dvs_format_vlan_ranges(const int64_t *vlans, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; ) {
        size_t j = i;
        while (j + 1 < n && vlans[j + 1] == vlans[j] + 1) {
            j++;
        }
        if (i) {
            ds_put_char(s, ',');
        }
        if (j > i) {
            ds_put_format(s, "%"PRId64"-%"PRId64, vlans[i], vlans[j]);
        } else {
            ds_put_format(s, "%"PRId64, vlans[i]);
        }
        i = j + 1;
    }
}

/* Object names become OVS bridge, port and file names, and appear in
 * OpenFlow dumps and shell commands, so they are restricted to characters
 * that are safe in all of those. */
char *
dvs_parse_name(const char *s, size_t max_len)
{
    size_t len = strlen(s);

    if (!len || len > max_len) {
        return xasprintf("\"%s\" is not a valid name (accepted: 1 to %"PRIuSIZE
                         " characters)", s, max_len);
    }
    if (!isalnum((unsigned char) s[0])) {
        return xasprintf("\"%s\" is not a valid name (accepted: letters, "
                         "digits, '-', '_' and '.', starting with a letter "
                         "or digit)", s);
    }
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char) *p) && !strchr("-_.", *p)) {
            return xasprintf("\"%s\" is not a valid name (accepted: letters, "
                             "digits, '-', '_' and '.', starting with a "
                             "letter or digit)", s);
        }
    }
    return NULL;
}

/* Parses a comma-separated list of names, keeping its order, and refuses a
 * name that appears twice. */
char *
dvs_parse_name_list(const char *s, size_t max_len, struct svec *names)
{
    char *copy = xstrdup(s), *save = NULL, *token;
    char *error = NULL;

    svec_init(names);
    if (!*s || s[strlen(s) - 1] == ',' || s[0] == ',' || strstr(s, ",,")) {
        error = xasprintf("\"%s\" has an empty element (accepted: names "
                          "separated by commas)", s);
    }
    for (token = strtok_r(copy, ",", &save); token && !error;
         token = strtok_r(NULL, ",", &save)) {
        error = dvs_parse_name(token, max_len);
        if (!error && svec_contains_unsorted(names, token)) {
            error = xasprintf("\"%s\" names \"%s\" twice (accepted: each "
                              "name once)", s, token);
        }
        if (!error) {
            svec_add(names, token);
        }
    }
    free(copy);
    if (error) {
        svec_destroy(names);
        svec_init(names);
    }
    return error;
}
