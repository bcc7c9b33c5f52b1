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

#ifndef DVS_TRAFFIC_RULE_H
#define DVS_TRAFFIC_RULE_H 1

/* Traffic filtering and marking rules (Traffic_Rule rows, VDS
 * DvsTrafficRule): their qualifiers checked and turned into OpenFlow
 * matches.  dvs-ctl refuses a rule that does not parse here, and
 * dvs-controller translates the rules with the same code, so that what
 * one accepts the other can install. */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "lib/dvs-keys.h"
#include "openvswitch/compiler.h"

struct dvsrec_port;
struct dvsrec_portgroup;
struct dvsrec_switch;
struct dvsrec_traffic_rule;
struct smap;
struct svec;

/* The qualifiers of a rule as OpenFlow matches.  A rule may need several
 * flows: one per IP family when it names IP fields without an address,
 * and one per value/mask piece of a port range. */
struct dvs_rule_match {
    struct svec *matches;       /* ovs-ofctl match texts, never empty. */
    bool *is_ip;                /* For each match: it is of IPv4 or IPv6,
                                 * so that a DSCP can be set. */
    int vlan;                   /* The "vlan" qualifier, or -1. */
};

/* The qualifiers a rule may have, in their column's order, NULL-ended. */
extern const char *const dvs_rule_qualifiers[];

char *dvs_rule_match_parse(const struct smap *match, bool split_ip,
                           struct dvs_rule_match *) OVS_WARN_UNUSED_RESULT;
void dvs_rule_match_destroy(struct dvs_rule_match *);

char *dvs_rule_parse(const struct smap *match, const char *action,
                     const int64_t *cos, const int64_t *dscp, bool split_ip,
                     struct dvs_rule_match *) OVS_WARN_UNUSED_RESULT;
char *dvs_rule_check(const struct smap *match, const char *action,
                     const int64_t *cos, const int64_t *dscp)
    OVS_WARN_UNUSED_RESULT;

enum dvs_source dvs_rules_effective(const struct dvsrec_switch *,
                                    const struct dvsrec_portgroup *,
                                    const struct dvsrec_port *,
                                    struct dvsrec_traffic_rule ***rules,
                                    size_t *n_rules);

#endif /* lib/dvs-traffic-rule.h */
