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

/* Unit tests for lib/dvs-traffic-rule.c: traffic rule qualifiers checked
 * and turned into OpenFlow matches. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-traffic-rule.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

#include "tests/test-dvs.h"

/* Parses the qualifiers "KEY=VALUE KEY=VALUE..." of 'quals' and returns the
 * matches, one a line, each followed by " [ip]" if it is of IP, and the
 * VLAN if any, to free; or the error. */
static char *
parse(const char *quals, bool split_ip)
{
    struct smap match = SMAP_INITIALIZER(&match);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct dvs_rule_match rm;
    char *copy = xstrdup(quals);
    char *save_ptr = NULL;
    char *error;

    for (char *kv = strtok_r(copy, " ", &save_ptr); kv;
         kv = strtok_r(NULL, " ", &save_ptr)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        smap_add(&match, kv, eq + 1);
    }
    free(copy);

    error = dvs_rule_match_parse(&match, split_ip, &rm);
    smap_destroy(&match);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < rm.matches->n; i++) {
        ds_put_format(&s, "%s%s\n", rm.matches->names[i],
                      rm.is_ip[i] ? " [ip]" : "");
    }
    if (rm.vlan >= 0) {
        ds_put_format(&s, "vlan %d\n", rm.vlan);
    }
    dvs_rule_match_destroy(&rm);
    return ds_steal_cstr(&s);
}

static void
check(const char *quals, bool split_ip, const char *expected)
{
    char *actual = parse(quals, split_ip);

    assert_string_equal(actual, expected);
    free(actual);
}

/* Each qualifier, in the canonical form OVS prints. */
static void
test_qualifiers(void **state OVS_UNUSED)
{
    check("", false, "\n");
    check("src_mac=00:00:00:00:00:0A", false, "eth_src=00:00:00:00:00:0a\n");
    check("dst_mac=02:00:00:00:00:00/ff:00:00:00:00:00", false,
          "eth_dst=02:00:00:00:00:00/ff:00:00:00:00:00\n");
    check("ether_type=2054", false, "dl_type=0x0806\n");
    check("ether_type=0x0800", false, "ip [ip]\n");
    check("src_ip=10.1.2.3/16", false, "ip,ip_src=10.1.0.0/16 [ip]\n");
    check("dst_ip=fd00::1", false, "ipv6,ipv6_dst=fd00::1 [ip]\n");
    check("vlan=100 src_mac=00:00:00:00:00:01", false,
          "eth_src=00:00:00:00:00:01\nvlan 100\n");
    check("ip_protocol=6 tcp_flags=+syn-ack", false,
          "ip,nw_proto=6,tcp_flags=+syn-ack [ip]\n"
          "ipv6,nw_proto=6,tcp_flags=+syn-ack [ip]\n");
    check("ip_protocol=17 src_ip=10.0.0.1 dst_port=53", false,
          "ip,ip_src=10.0.0.1,nw_proto=17,tp_dst=53 [ip]\n");
}

/* A port range is covered exactly by value/mask pieces. */
static void
test_port_ranges(void **state OVS_UNUSED)
{
    check("ip_protocol=17 src_ip=10.0.0.1 dst_port=1-6", false,
          "ip,ip_src=10.0.0.1,nw_proto=17,tp_dst=1 [ip]\n"
          "ip,ip_src=10.0.0.1,nw_proto=17,tp_dst=0x2/0xfffe [ip]\n"
          "ip,ip_src=10.0.0.1,nw_proto=17,tp_dst=0x4/0xfffe [ip]\n"
          "ip,ip_src=10.0.0.1,nw_proto=17,tp_dst=6 [ip]\n");
    check("ip_protocol=6 dst_ip=10.0.0.1 src_port=1000-1023", false,
          "ip,ip_dst=10.0.0.1,nw_proto=6,tp_src=0x3e8/0xfff8 [ip]\n"
          "ip,ip_dst=10.0.0.1,nw_proto=6,tp_src=0x3f0/0xfff0 [ip]\n");
    /* Both ranges: every pair of pieces. */
    check("ip_protocol=6 dst_ip=10.0.0.1 src_port=2-3 dst_port=4-7", false,
          "ip,ip_dst=10.0.0.1,nw_proto=6,tp_src=0x2/0xfffe,"
          "tp_dst=0x4/0xfffc [ip]\n");
    check("ip_protocol=6 dst_ip=10.0.0.1 dst_port=0-65535", false,
          "ip,ip_dst=10.0.0.1,nw_proto=6,tp_dst=0x0/0x0 [ip]\n");
}

/* For a DSCP, a rule that matches IP and other frames gets IP flows apart,
 * first. */
static void
test_split_ip(void **state OVS_UNUSED)
{
    check("src_mac=00:00:00:00:00:01", true,
          "eth_src=00:00:00:00:00:01,ip [ip]\n"
          "eth_src=00:00:00:00:00:01,ipv6 [ip]\n"
          "eth_src=00:00:00:00:00:01\n");
    check("ether_type=0x0806", true, "dl_type=0x0806\n");
    check("src_ip=10.0.0.1", true, "ip,ip_src=10.0.0.1 [ip]\n");
}

static void
test_errors(void **state OVS_UNUSED)
{
    static const char *cases[][2] = {
        { "colour=red", "unknown qualifier \"colour\"" },
        { "src_mac=1:2:3", "src_mac: \"1:2:3\" is not a MAC address "
          "(accepted: xx:xx:xx:xx:xx:xx in hexadecimal)" },
        { "src_mac=00:00:00:00:00:01/ff:ff",
          "src_mac: \"ff:ff\" is not a MAC address (accepted: "
          "xx:xx:xx:xx:xx:xx in hexadecimal)" },
        { "src_mac=*", "src_mac: \"*\" is not valid" },
        { "dst_mac=00:00:00:00:00:01,in_port=1",
          "dst_mac: \"00:00:00:00:00:01,in_port=1\" is not valid" },
        { "ether_type=0x0800/0xff00",
          "ether_type: 0x0800/0xff00: invalid mask for field eth_type" },
        { "ether_type=0x0806 ip_protocol=1",
          "ether_type 0x0806 is not IP, but the rule has ip_protocol" },
        { "vlan=-1",
          "vlan: \"-1\" is not valid (accepted: an integer from 0 to 4094)" },
        { "src_ip=10.0.0.1 dst_ip=fd00::1",
          "src_ip and dst_ip are of different IP versions" },
        { "dst_ip=10.0.0.256",
          "dst_ip: \"10.0.0.256\" is not an IP address (accepted: an IPv4 "
          "address such as 192.0.2.1 or an IPv6 address)" },
        { "src_ip=10.0.0.0/33",
          "src_ip: \"33\" is not a prefix length (accepted: 0 to 32)" },
        { "src_ip=fd00::/255.0.0.0",
          "src_ip: \"255.0.0.0\" is not a prefix length (accepted: 0 to "
          "128)" },
        { "ip_protocol=1 dst_port=7",
          "dst_port needs ip_protocol 6 (TCP) or 17 (UDP)" },
        { "ip_protocol=17 tcp_flags=+syn",
          "tcp_flags needs ip_protocol 6 (TCP)" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        ASSERT_ERROR(parse(cases[i][0], false), cases[i][1]);
    }
}

static void
test_check_actions(void **state OVS_UNUSED)
{
    struct smap match = SMAP_INITIALIZER(&match);
    int64_t cos = 5, dscp = 46, bad = 64;

    ASSERT_OK(dvs_rule_check(&match, "allow", NULL, NULL));
    ASSERT_OK(dvs_rule_check(&match, "tag", &cos, NULL));
    ASSERT_OK(dvs_rule_check(&match, "tag", NULL, &dscp));
    ASSERT_ERROR(dvs_rule_check(&match, "tag", NULL, NULL),
                 "action tag needs cos or dscp");
    ASSERT_ERROR(dvs_rule_check(&match, "drop", &cos, NULL),
                 "cos is only for action tag");
    ASSERT_ERROR(dvs_rule_check(&match, "tag", NULL, &bad),
                 "dscp 64 is not valid (accepted: 0 to 63)");
    ASSERT_ERROR(dvs_rule_check(&match, "deny", NULL, NULL),
                 "action \"deny\" is not valid (accepted: allow, drop or "
                 "tag)");
    smap_add(&match, "src_port", "80");
    ASSERT_ERROR(dvs_rule_check(&match, "drop", NULL, NULL),
                 "src_port needs ip_protocol 6 (TCP) or 17 (UDP)");
    smap_destroy(&match);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qualifiers),
        cmocka_unit_test(test_port_ranges),
        cmocka_unit_test(test_split_ip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_check_actions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
