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
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-lldp.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

#include "tests/test-dvs.h"

/* Parses hex frame 'hex' into 'info', returning the parser's result. */
static char *
parse_hex(const char *hex, struct dvs_lldp_info *info)
{
    struct ofpbuf b;
    char *error;

    ofpbuf_init(&b, 0);
    assert_int_equal(*ofpbuf_put_hex(&b, hex, NULL), '\0');
    error = dvs_lldp_parse(b.data, b.size, info);
    ofpbuf_uninit(&b);
    return error;
}

#define LLDP_HEADER "0180c200000e" "020000000001" "88cc"
#define CHASSIS_MAC "0207" "04" "020000000001"
#define PORT_MAC "0407" "03" "020000000001"
#define TTL_120 "0602" "0078"
#define END "0000"

/* A frame as lldpd sends it: MAC chassis and port IDs, port description,
 * system name, an IPv4 management address. */
static void
test_parse_full(void **state OVS_UNUSED)
{
    struct dvs_lldp_info info;

    ASSERT_OK(parse_hex(LLDP_HEADER CHASSIS_MAC PORT_MAC TTL_120
                        "0804" "65746830"               /* "eth0" */
                        "0a04" "70656572"               /* "peer" */
                        "0e04" "00140014"               /* capabilities */
                        "100c" "05" "01" "0a000001" "02" "00000002" "00"
                        END, &info));
    assert_string_equal(info.chassis_id, "02:00:00:00:00:01");
    assert_string_equal(info.port_id, "02:00:00:00:00:01");
    assert_int_equal(info.ttl, 120);
    assert_string_equal(info.port_description, "eth0");
    assert_string_equal(info.system_name, "peer");
    assert_string_equal(info.management_address, "10.0.0.1");
    dvs_lldp_info_destroy(&info);
}

/* Only the mandatory TLVs, behind an 802.1Q tag, without End; names with
 * bytes outside printable ASCII; a network-address chassis ID. */
static void
test_parse_minimal(void **state OVS_UNUSED)
{
    struct dvs_lldp_info info;

    ASSERT_OK(parse_hex("0180c200000e" "020000000001" "8100000a" "88cc"
                        "0206" "05" "01" "c0a80001"
                        "0405" "07" "61" "ff" "5c" "0a"
                        "0602" "0000", &info));
    assert_string_equal(info.chassis_id, "192.168.0.1");
    assert_string_equal(info.port_id, "a\\xff\\x5c\\x0a");
    assert_int_equal(info.ttl, 0);
    assert_null(info.system_name);
    assert_null(info.port_description);
    assert_null(info.management_address);
    dvs_lldp_info_destroy(&info);
}

static void
test_parse_errors(void **state OVS_UNUSED)
{
    struct dvs_lldp_info info;

    ASSERT_ERROR(parse_hex("0180c200000e0200", &info),
                 "frame of 8 bytes is too short for Ethernet");
    ASSERT_ERROR(parse_hex("0180c200000f" "020000000001" "88cc", &info),
                 "not addressed to the LLDP multicast address");
    ASSERT_ERROR(parse_hex("0180c200000e" "020000000001" "0800", &info),
                 "ethertype is not LLDP's (0x88cc)");
    ASSERT_ERROR(parse_hex(LLDP_HEADER PORT_MAC CHASSIS_MAC TTL_120, &info),
                 "TLV 1 is type 2, not the mandatory Chassis ID");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC TTL_120 END, &info),
                 "TLV 2 is type 3, not the mandatory Port ID");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC PORT_MAC END, &info),
                 "TLV 3 is type 0, not the mandatory Time To Live");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC PORT_MAC, &info),
                 "only 2 of the mandatory Chassis ID, Port ID and "
                 "Time To Live TLVs");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC "0407" "03" "0200",
                           &info),
                 "TLV type 2: 7 bytes, only 3 left");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC "04", &info),
                 "truncated TLV header");
    ASSERT_ERROR(parse_hex(LLDP_HEADER "0201" "04", &info),
                 "Chassis ID TLV of 1 bytes (2 to 256 expected)");
    ASSERT_ERROR(parse_hex(LLDP_HEADER CHASSIS_MAC PORT_MAC "0601" "00",
                           &info),
                 "Time To Live TLV of 1 bytes (2 expected)");
}

/* What the builder makes, the parser reads back; the frame has the
 * Ethernet minimum size. */
static void
test_build_parse(void **state OVS_UNUSED)
{
    struct dvs_lldp_info out = {
        .chassis_id = "h1",
        .port_id = "p0",
        .ttl = 120,
        .system_name = "h1",
        .port_description = "uplink1 of switch sw0",
        .management_address = "2001:db8::1",
    };
    struct eth_addr src = ETH_ADDR_C(02,00,00,00,00,01);
    struct dvs_lldp_info in;
    struct ofpbuf b;

    ofpbuf_init(&b, 0);
    dvs_lldp_build(&b, src, &out);
    assert_true(b.size >= ETH_TOTAL_MIN);
    assert_true(eth_addr_equals(((struct eth_header *) b.data)->eth_src,
                                src));
    ASSERT_OK(dvs_lldp_parse(b.data, b.size, &in));
    assert_string_equal(in.chassis_id, "h1");
    assert_string_equal(in.port_id, "p0");
    assert_int_equal(in.ttl, 120);
    assert_string_equal(in.system_name, "h1");
    assert_string_equal(in.port_description, "uplink1 of switch sw0");
    assert_string_equal(in.management_address, "2001:db8::1");
    dvs_lldp_info_destroy(&in);

    /* Without the optional TLVs; a bad management address is left out; an
     * over-long ID is cut to 255 bytes. */
    char *long_id = xmalloc(301);
    memset(long_id, 'x', 300);
    long_id[300] = '\0';
    out = (struct dvs_lldp_info) { .chassis_id = long_id, .port_id = "p0",
                                   .ttl = 0, .management_address = "nope" };
    ofpbuf_clear(&b);
    dvs_lldp_build(&b, src, &out);
    assert_int_equal(b.size, 14 + (2 + 1 + 255) + (2 + 1 + 2) + (2 + 2)
                     + (2 + 4) + 2);
    ASSERT_OK(dvs_lldp_parse(b.data, b.size, &in));
    assert_int_equal(strlen(in.chassis_id), 255);
    assert_int_equal(in.ttl, 0);
    assert_null(in.system_name);
    assert_null(in.management_address);
    dvs_lldp_info_destroy(&in);
    free(long_id);
    ofpbuf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_parse_minimal),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_build_parse),
    };

    set_program_name("test-dvs-lldp");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
