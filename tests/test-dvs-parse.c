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

/* Unit tests for lib/dvs-parse.c: the parsers of the values users type. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "svec.h"
#include "util.h"

#include "tests/test-dvs.h"

/* Booleans. */

static void
test_bool_accepts_words(void **state OVS_UNUSED)
{
    static const struct {
        const char *s;
        bool value;
    } cases[] = {
        { "true", true }, { "yes", true }, { "on", true },
        { "false", false }, { "no", false }, { "off", false },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        bool value = !cases[i].value;
        ASSERT_OK(dvs_parse_bool(cases[i].s, &value));
        assert_int_equal(value, cases[i].value);
    }
}

/* Like OVS's own database tools, booleans are lowercase words: "1", "TRUE"
 * and the empty string are refused, and the value is left alone. */
static void
test_bool_rejects_others(void **state OVS_UNUSED)
{
    static const char *bad[] = {
        "1", "0", "", "TRUE", "False", "Yes", "y", "true ", " true", "truex",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        bool value = true;
        char *expected = xasprintf("\"%s\" is not a boolean (accepted: true "
                                   "or false)", bad[i]);
        ASSERT_ERROR(dvs_parse_bool(bad[i], &value), expected);
        assert_true(value);
        free(expected);
    }
}

/* Integers. */

static void
test_integer_bounds_inclusive(void **state OVS_UNUSED)
{
    int64_t x = -1;

    ASSERT_OK(dvs_parse_integer("1", 1, 4096, &x));
    assert_int_equal(x, 1);
    ASSERT_OK(dvs_parse_integer("4096", 1, 4096, &x));
    assert_int_equal(x, 4096);
    ASSERT_OK(dvs_parse_integer("-5", -10, 10, &x));
    assert_true(x == -5);
    /* Decimal, even with a leading zero. */
    ASSERT_OK(dvs_parse_integer("010", 0, 100, &x));
    assert_int_equal(x, 10);

    ASSERT_ERROR(dvs_parse_integer("0", 1, 4096, &x),
                 "\"0\" is not valid (accepted: an integer from 1 to 4096)");
    ASSERT_ERROR(dvs_parse_integer("4097", 1, 4096, &x),
                 "\"4097\" is not valid (accepted: an integer from 1 to "
                 "4096)");
    ASSERT_ERROR(dvs_parse_integer("-1", 0, 4094, &x),
                 "\"-1\" is not valid (accepted: an integer from 0 to "
                 "4094)");
    assert_int_equal(x, 10);
}

static void
test_integer_extremes(void **state OVS_UNUSED)
{
    int64_t x;

    ASSERT_OK(dvs_parse_integer("9223372036854775807", INT64_MIN, INT64_MAX,
                                &x));
    assert_true(x == INT64_MAX);
    ASSERT_OK(dvs_parse_integer("-9223372036854775808", INT64_MIN,
                                INT64_MAX, &x));
    assert_true(x == INT64_MIN);
    ASSERT_OK(dvs_parse_integer("100000000000", 1000, 100000000000LL, &x));
    assert_true(x == 100000000000LL);

    /* Overflow is an error, not a clamp to the limit. */
    ASSERT_ERROR(dvs_parse_integer("9223372036854775808", INT64_MIN,
                                   INT64_MAX, &x),
                 "\"9223372036854775808\" is not valid (accepted: an integer "
                 "from -9223372036854775808 to 9223372036854775807)");
    ASSERT_ERROR(dvs_parse_integer("-99999999999999999999", 0, 10, &x),
                 "\"-99999999999999999999\" is not valid (accepted: an "
                 "integer from 0 to 10)");
}

static void
test_integer_rejects_junk(void **state OVS_UNUSED)
{
    static const char *bad[] = {
        "", " 5", "5 ", "\t5", "5x", "x5", "0x10", "5.0", "1e3", "-", "+",
        "five",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        int64_t x = 77;
        char *expected = xasprintf("\"%s\" is not valid (accepted: an "
                                   "integer from 0 to 100)", bad[i]);
        ASSERT_ERROR(dvs_parse_integer(bad[i], 0, 100, &x), expected);
        assert_int_equal(x, 77);
        free(expected);
    }
}

/* MAC addresses. */

/* Parses MAC address 's' with 'parse' and checks that it is 'expected'. */
static void
check_mac(char *(*parse)(const char *, struct eth_addr *), const char *s,
          const char *expected)
{
    struct eth_addr mac;
    char *formatted;

    ASSERT_OK(parse(s, &mac));
    formatted = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(mac));
    assert_string_equal(formatted, expected);
    free(formatted);
}

static void
test_mac_valid(void **state OVS_UNUSED)
{
    check_mac(dvs_parse_mac, "00:11:22:aa:BB:cc", "00:11:22:aa:bb:cc");
    check_mac(dvs_parse_mac, "ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff");
    check_mac(dvs_parse_mac, "00:00:00:00:00:00", "00:00:00:00:00:00");
    /* One hex digit per octet is the same octet. */
    check_mac(dvs_parse_mac, "2:0:0:0:0:a", "02:00:00:00:00:0a");
}

static void
test_mac_invalid(void **state OVS_UNUSED)
{
    static const char *bad[] = {
        "", "00:11:22:33:44", "00:11:22:33:44:55:66", "00-11-22-33-44-55",
        "0011.2233.4455", "00:11:22:33:44:5g", "00:11:22:33:44:55 ",
        "00:11::33:44:55", "zz:11:22:33:44:55",
        /* Things sscanf()-style parsing lets through. */
        " 00:11:22:33:44:55", "00: 11:22:33:44:55", "100:11:22:33:44:55",
        "0x0:11:22:33:44:55", "-1:11:22:33:44:55", "+0:11:22:33:44:55",
        "000:11:22:33:44:55",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct eth_addr mac;
        char *expected = xasprintf("\"%s\" is not a MAC address (accepted: "
                                   "xx:xx:xx:xx:xx:xx in hexadecimal)",
                                   bad[i]);
        ASSERT_ERROR(dvs_parse_mac(bad[i], &mac), expected);
        free(expected);
    }
}

static void
test_unicast_mac(void **state OVS_UNUSED)
{
    struct eth_addr mac;

    check_mac(dvs_parse_unicast_mac, "52:54:00:12:34:56",
              "52:54:00:12:34:56");
    check_mac(dvs_parse_unicast_mac, "00:00:00:00:00:01",
              "00:00:00:00:00:01");
    /* Locally administered unicast is fine. */
    check_mac(dvs_parse_unicast_mac, "02:00:00:00:00:01",
              "02:00:00:00:00:01");

    ASSERT_ERROR(dvs_parse_unicast_mac("01:00:5e:00:00:01", &mac),
                 "\"01:00:5e:00:00:01\" is not a unicast MAC address "
                 "(accepted: a nonzero address whose first octet is even)");
    ASSERT_ERROR(dvs_parse_unicast_mac("ff:ff:ff:ff:ff:ff", &mac),
                 "\"ff:ff:ff:ff:ff:ff\" is not a unicast MAC address "
                 "(accepted: a nonzero address whose first octet is even)");
    ASSERT_ERROR(dvs_parse_unicast_mac("00:00:00:00:00:00", &mac),
                 "\"00:00:00:00:00:00\" is not a unicast MAC address "
                 "(accepted: a nonzero address whose first octet is even)");
    /* A malformed address gets the MAC syntax error. */
    ASSERT_ERROR(dvs_parse_unicast_mac("52:54:00", &mac),
                 "\"52:54:00\" is not a MAC address (accepted: "
                 "xx:xx:xx:xx:xx:xx in hexadecimal)");
}

/* IP addresses. */

static void
check_ip(const char *s, const char *expected)
{
    char *normalized = NULL;

    ASSERT_OK(dvs_parse_ip(s, &normalized));
    assert_string_equal(normalized, expected);
    free(normalized);
}

static void
test_ip_valid(void **state OVS_UNUSED)
{
    check_ip("192.0.2.1", "192.0.2.1");
    check_ip("0.0.0.0", "0.0.0.0");
    check_ip("255.255.255.255", "255.255.255.255");
    check_ip("2001:DB8::0001", "2001:db8::1");
    check_ip("2001:db8:0:0:0:0:0:1", "2001:db8::1");
    check_ip("::1", "::1");
    check_ip("::", "::");
    check_ip("FE80::A:B", "fe80::a:b");
    check_ip("::ffff:192.0.2.1", "::ffff:192.0.2.1");
}

static void
test_ip_invalid(void **state OVS_UNUSED)
{
    static const char *bad[] = {
        "", "192.0.2", "192.0.2.256", "192.0.2.1.5", "192.0.2.1/24",
        " 192.0.2.1", "192.0.2.1 ", "host.example", "2001:db8::1::2",
        "2001:db8::g", "[::1]", "1.2.3.4:80",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *normalized = NULL;
        char *expected = xasprintf("\"%s\" is not an IP address (accepted: "
                                   "an IPv4 address such as 192.0.2.1 or an "
                                   "IPv6 address)", bad[i]);
        ASSERT_ERROR(dvs_parse_ip(bad[i], &normalized), expected);
        assert_null(normalized);
        free(expected);
    }
}

/* IP:PORT. */

static void
check_ip_port(const char *s, const char *expected)
{
    char *normalized = NULL;

    ASSERT_OK(dvs_parse_ip_port(s, &normalized));
    assert_string_equal(normalized, expected);
    free(normalized);
}

static void
test_ip_port_valid(void **state OVS_UNUSED)
{
    check_ip_port("192.0.2.1:4739", "192.0.2.1:4739");
    check_ip_port("192.0.2.1:1", "192.0.2.1:1");
    check_ip_port("192.0.2.1:65535", "192.0.2.1:65535");
    check_ip_port("[2001:DB8::0001]:4739", "[2001:db8::1]:4739");
    check_ip_port("[::1]:80", "[::1]:80");
}

static void
test_ip_port_invalid(void **state OVS_UNUSED)
{
    static const struct {
        const char *s;
        const char *error;
    } cases[] = {
        /* No port at all. */
        { "192.0.2.1", "\"192.0.2.1\" is not an address and port (accepted: "
          "IP:PORT, or [IPv6]:PORT)" },
        { "", "\"\" is not an address and port (accepted: IP:PORT, or "
          "[IPv6]:PORT)" },
        { ":80", "\":80\" is not an address and port (accepted: IP:PORT, or "
          "[IPv6]:PORT)" },
        /* Bad port. */
        { "192.0.2.1:", "\"192.0.2.1:\": the port must be an integer from 1 "
          "to 65535" },
        { "192.0.2.1:0", "\"192.0.2.1:0\": the port must be an integer from "
          "1 to 65535" },
        { "192.0.2.1:65536", "\"192.0.2.1:65536\": the port must be an "
          "integer from 1 to 65535" },
        { "192.0.2.1:http", "\"192.0.2.1:http\": the port must be an integer "
          "from 1 to 65535" },
        { "[::1]:", "\"[::1]:\": the port must be an integer from 1 to "
          "65535" },
        { "[::1]:99999", "\"[::1]:99999\": the port must be an integer from "
          "1 to 65535" },
        /* IPv6 needs brackets, and brackets are only for IPv6. */
        { "2001:db8::1:4739", "\"2001:db8::1:4739\": write an IPv6 address "
          "as [IP]:PORT" },
        { "[::1]", "\"[::1]\": write an IPv6 address as [IP]:PORT" },
        { "[192.0.2.1]:80", "\"[192.0.2.1]:80\": brackets are only for IPv6 "
          "addresses (accepted: IP:PORT, or [IPv6]:PORT)" },
        /* Bad address: the error names the address part. */
        { "collector:4739", "\"collector\" is not an IP address (accepted: "
          "an IPv4 address such as 192.0.2.1 or an IPv6 address)" },
        { "[::g]:80", "\"::g\" is not an IP address (accepted: an IPv4 "
          "address such as 192.0.2.1 or an IPv6 address)" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *normalized = NULL;
        ASSERT_ERROR(dvs_parse_ip_port(cases[i].s, &normalized),
                     cases[i].error);
        assert_null(normalized);
    }
}

/* VLAN range lists. */

static void
check_vlans(const char *s, const char *expected)
{
    struct ds formatted = DS_EMPTY_INITIALIZER;
    int64_t *vlans = NULL;
    size_t n = 0;

    ASSERT_OK(dvs_parse_vlan_ranges(s, &vlans, &n));
    for (size_t i = 1; i < n; i++) {
        assert_true(vlans[i - 1] < vlans[i]);
    }
    dvs_format_vlan_ranges(vlans, n, &formatted);
    assert_string_equal(ds_cstr(&formatted), expected);
    free(vlans);
    ds_destroy(&formatted);
}

static void
test_vlan_ranges_values(void **state OVS_UNUSED)
{
    int64_t *vlans;
    size_t n;

    ASSERT_OK(dvs_parse_vlan_ranges("10", &vlans, &n));
    assert_int_equal(n, 1);
    assert_int_equal(vlans[0], 10);
    free(vlans);

    ASSERT_OK(dvs_parse_vlan_ranges("30,10-12", &vlans, &n));
    assert_int_equal(n, 4);
    assert_int_equal(vlans[0], 10);
    assert_int_equal(vlans[1], 11);
    assert_int_equal(vlans[2], 12);
    assert_int_equal(vlans[3], 30);
    free(vlans);

    ASSERT_OK(dvs_parse_vlan_ranges("0-4094", &vlans, &n));
    assert_int_equal(n, 4095);
    assert_int_equal(vlans[0], 0);
    assert_int_equal(vlans[4094], 4094);
    free(vlans);
}

static void
test_vlan_ranges_format(void **state OVS_UNUSED)
{
    check_vlans("10", "10");
    check_vlans("0", "0");
    check_vlans("4094", "4094");
    check_vlans("10-20,30", "10-20,30");
    check_vlans("30,10-20", "10-20,30");
    check_vlans("5-5", "5");
    /* Overlapping and adjacent ranges merge, as in VDS's TrunkVlanSpec. */
    check_vlans("10-20,15-25", "10-25");
    check_vlans("10-20,21,22-30", "10-30");
    check_vlans("1,2,3", "1-3");
    check_vlans("1,3", "1,3");
    check_vlans("7,7,7", "7");
    check_vlans("0-4094", "0-4094");
    check_vlans("4000-4094,1", "1,4000-4094");
}

/* Formatting then parsing gives back the same VLANs. */
static void
test_vlan_ranges_round_trip(void **state OVS_UNUSED)
{
    static const int64_t sets[][6] = {
        { 1, 2, 3, 10, 4093, 4094 },
        { 0, 2, 4, 6, 8, 10 },
        { 100, 101, 102, 103, 104, 105 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        int64_t *vlans;
        size_t n;

        dvs_format_vlan_ranges(sets[i], 6, &s);
        ASSERT_OK(dvs_parse_vlan_ranges(ds_cstr(&s), &vlans, &n));
        assert_int_equal(n, 6);
        assert_memory_equal(vlans, sets[i], sizeof sets[i]);
        free(vlans);
        ds_destroy(&s);
    }

    /* No VLANs format as nothing. */
    struct ds s = DS_EMPTY_INITIALIZER;
    dvs_format_vlan_ranges(NULL, 0, &s);
    assert_string_equal(ds_cstr(&s), "");
    ds_destroy(&s);
}

static void
test_vlan_ranges_invalid(void **state OVS_UNUSED)
{
#define VLAN_ACCEPTED "(accepted: VLAN ids and ranges from 0 to 4094, such " \
    "as 10-20,30)"
    static const struct {
        const char *s;
        const char *error;
    } cases[] = {
        { "", "empty VLAN list " VLAN_ACCEPTED },
        { "4095", "\"4095\" is not a VLAN list " VLAN_ACCEPTED },
        { "10,4095", "\"10,4095\" is not a VLAN list " VLAN_ACCEPTED },
        { "4000-4095", "\"4000-4095\" is not a VLAN list " VLAN_ACCEPTED },
        { "-1", "\"-1\" is not a VLAN list " VLAN_ACCEPTED },
        { "10-", "\"10-\" is not a VLAN list " VLAN_ACCEPTED },
        { "-10", "\"-10\" is not a VLAN list " VLAN_ACCEPTED },
        { "10-20-30", "\"10-20-30\" is not a VLAN list " VLAN_ACCEPTED },
        { "10, 20", "\"10, 20\" is not a VLAN list " VLAN_ACCEPTED },
        { "ten", "\"ten\" is not a VLAN list " VLAN_ACCEPTED },
        { "20-10", "\"20-10\": range 20-10 is backwards (write low-high)" },
        { "1,30-29", "\"1,30-29\": range 30-29 is backwards (write "
          "low-high)" },
        /* Empty elements, wherever they are. */
        { "10,,20", "\"10,,20\" has an empty element " VLAN_ACCEPTED },
        { ",10", "\",10\" has an empty element " VLAN_ACCEPTED },
        { "10,", "\"10,\" has an empty element " VLAN_ACCEPTED },
        { ",", "\",\" has an empty element " VLAN_ACCEPTED },
    };
#undef VLAN_ACCEPTED

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t *vlans = NULL;
        size_t n = 12345;
        ASSERT_ERROR(dvs_parse_vlan_ranges(cases[i].s, &vlans, &n),
                     cases[i].error);
        assert_null(vlans);
        assert_int_equal(n, 12345);
    }
}

/* Names. */

static void
test_name_valid(void **state OVS_UNUSED)
{
    ASSERT_OK(dvs_parse_name("sw0", 15));
    ASSERT_OK(dvs_parse_name("a", 15));
    ASSERT_OK(dvs_parse_name("0", 15));
    ASSERT_OK(dvs_parse_name("Uplink_1.a-b", 15));
    ASSERT_OK(dvs_parse_name("123456789012345", 15));
}

static void
test_name_length(void **state OVS_UNUSED)
{
    ASSERT_ERROR(dvs_parse_name("1234567890123456", 15),
                 "\"1234567890123456\" is not a valid name (accepted: 1 to "
                 "15 characters)");
    ASSERT_ERROR(dvs_parse_name("", 15),
                 "\"\" is not a valid name (accepted: 1 to 15 characters)");
    ASSERT_ERROR(dvs_parse_name("abc", 2),
                 "\"abc\" is not a valid name (accepted: 1 to 2 "
                 "characters)");
}

static void
test_name_characters(void **state OVS_UNUSED)
{
    static const char *bad[] = {
        "-sw", "_sw", ".sw", "sw 0", "sw/0", "sw:0", "sw,0", "sw;0", "sw$0",
        "sw\t", "sw\xc3\xa9", "\xc3\xa9sw", "sw+", "sw\"",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *expected = xasprintf("\"%s\" is not a valid name (accepted: "
                                   "letters, digits, '-', '_' and '.', "
                                   "starting with a letter or digit)",
                                   bad[i]);
        ASSERT_ERROR(dvs_parse_name(bad[i], 32), expected);
        free(expected);
    }
}

/* Name lists. */

static void
test_name_list_order(void **state OVS_UNUSED)
{
    struct svec names;

    ASSERT_OK(dvs_parse_name_list("uplink3,uplink1,uplink2", 32, &names));
    assert_int_equal(names.n, 3);
    assert_string_equal(names.names[0], "uplink3");
    assert_string_equal(names.names[1], "uplink1");
    assert_string_equal(names.names[2], "uplink2");
    svec_destroy(&names);

    ASSERT_OK(dvs_parse_name_list("a", 32, &names));
    assert_int_equal(names.n, 1);
    assert_string_equal(names.names[0], "a");
    svec_destroy(&names);
}

static void
test_name_list_invalid(void **state OVS_UNUSED)
{
#define EMPTY "has an empty element (accepted: names separated by commas)"
    static const struct {
        const char *s;
        const char *error;
    } cases[] = {
        { "", "\"\" " EMPTY },
        { ",", "\",\" " EMPTY },
        { "a,,b", "\"a,,b\" " EMPTY },
        { ",a", "\",a\" " EMPTY },
        { "a,", "\"a,\" " EMPTY },
        { "a,b,a", "\"a,b,a\" names \"a\" twice (accepted: each name "
          "once)" },
        { "a,-b", "\"-b\" is not a valid name (accepted: letters, digits, "
          "'-', '_' and '.', starting with a letter or digit)" },
        { "a, b", "\" b\" is not a valid name (accepted: letters, digits, "
          "'-', '_' and '.', starting with a letter or digit)" },
        { "abc,abcd", "\"abcd\" is not a valid name (accepted: 1 to 3 "
          "characters)" },
    };
#undef EMPTY

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct svec names;
        ASSERT_ERROR(dvs_parse_name_list(cases[i].s, 3, &names),
                     cases[i].error);
        assert_int_equal(names.n, 0);
        svec_destroy(&names);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bool_accepts_words),
        cmocka_unit_test(test_bool_rejects_others),
        cmocka_unit_test(test_integer_bounds_inclusive),
        cmocka_unit_test(test_integer_extremes),
        cmocka_unit_test(test_integer_rejects_junk),
        cmocka_unit_test(test_mac_valid),
        cmocka_unit_test(test_mac_invalid),
        cmocka_unit_test(test_unicast_mac),
        cmocka_unit_test(test_ip_valid),
        cmocka_unit_test(test_ip_invalid),
        cmocka_unit_test(test_ip_port_valid),
        cmocka_unit_test(test_ip_port_invalid),
        cmocka_unit_test(test_vlan_ranges_values),
        cmocka_unit_test(test_vlan_ranges_format),
        cmocka_unit_test(test_vlan_ranges_round_trip),
        cmocka_unit_test(test_vlan_ranges_invalid),
        cmocka_unit_test(test_name_valid),
        cmocka_unit_test(test_name_length),
        cmocka_unit_test(test_name_characters),
        cmocka_unit_test(test_name_list_order),
        cmocka_unit_test(test_name_list_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
