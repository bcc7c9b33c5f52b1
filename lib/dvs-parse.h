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

#ifndef DVS_PARSE_H
#define DVS_PARSE_H 1

/* Parsers for the values users type: each checks one kind of value and, on
 * error, returns a malloc()'d message that says what was wrong and what is
 * accepted, without naming the key (the caller prefixes it).  On success
 * they return NULL.  The configuration database cannot express most of
 * these rules (a MAC address, an IP address, a VLAN range list), so every
 * writer validates through here before it writes. */

#include <stdbool.h>
#include <stdint.h>
#include "compiler.h"

struct ds;
struct eth_addr;
struct svec;

char *dvs_parse_bool(const char *s, bool *value) OVS_WARN_UNUSED_RESULT;
char *dvs_parse_integer(const char *s, int64_t min, int64_t max,
                        int64_t *value) OVS_WARN_UNUSED_RESULT;
char *dvs_parse_mac(const char *s, struct eth_addr *mac)
    OVS_WARN_UNUSED_RESULT;
char *dvs_parse_unicast_mac(const char *s, struct eth_addr *mac)
    OVS_WARN_UNUSED_RESULT;
char *dvs_parse_ip(const char *s, char **normalized) OVS_WARN_UNUSED_RESULT;
char *dvs_parse_ip_port(const char *s, char **normalized)
    OVS_WARN_UNUSED_RESULT;
char *dvs_parse_vlan_ranges(const char *s, int64_t **vlans, size_t *n)
    OVS_WARN_UNUSED_RESULT;
char *dvs_parse_name(const char *s, size_t max_len) OVS_WARN_UNUSED_RESULT;
char *dvs_parse_name_list(const char *s, size_t max_len, struct svec *names)
    OVS_WARN_UNUSED_RESULT;

void dvs_format_vlan_ranges(const int64_t *vlans, size_t n, struct ds *);

#endif /* dvs-parse.h */
