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

#include <string.h>
#include "lib/dvs-probe.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

static const struct eth_addr src = ETH_ADDR_C(02,00,00,00,00,01);

static bool
parse_ok(const struct ofpbuf *b, struct dvs_probe *probe)
{
    return dvs_probe_parse(b->data, b->size, probe);
}

/* Small and big probes, tagged and untagged: their sizes (the big one's
 * payload is the MTU, after the tag), addresses, and what parses back. */
static void
test_build_parse(void **state OVS_UNUSED)
{
    static const uint16_t vlans[] = { 0, 10, 4094 };

    for (size_t i = 0; i < ARRAY_SIZE(vlans); i++) {
        for (int big = 0; big < 2; big++) {
            uint16_t vlan = vlans[i];
            size_t tag = vlan ? VLAN_HEADER_LEN : 0;
            struct dvs_probe probe;
            struct ofpbuf b;

            ofpbuf_init(&b, 0);
            dvs_probe_build(&b, src, "h1", "sw0", "uplink2", vlan, big,
                            1600);
            assert_int_equal(b.size, (big ? ETH_HEADER_LEN + 1600
                                      : ETH_TOTAL_MIN) + tag);
            assert_true(eth_addr_equals(((struct eth_header *) b.data)
                                        ->eth_dst,
                                        (struct eth_addr) DVS_PROBE_MAC));
            assert_true(parse_ok(&b, &probe));
            assert_int_equal(probe.big, big);
            assert_int_equal(probe.vlan, vlan);
            assert_int_equal(probe.tag, vlan);
            assert_string_equal(probe.host, "h1");
            assert_string_equal(probe.sw, "sw0");
            assert_string_equal(probe.uplink, "uplink2");
            ofpbuf_uninit(&b);
        }
    }
}

/* What is not a probe, or is cut short, does not parse. */
static void
test_parse_errors(void **state OVS_UNUSED)
{
    struct dvs_probe probe;
    struct ofpbuf b;
    uint8_t *data;
    size_t names;

    ofpbuf_init(&b, 0);
    dvs_probe_build(&b, src, "h1", "sw0", "uplink1", 0, false, 1500);
    data = b.data;
    /* Header 14, magic 4, version, kind, VLAN 2, names 3+4+8. */
    names = 14 + 8 + 3 + 4 + 8;

    for (size_t len = 0; len < names; len++) {
        assert_false(dvs_probe_parse(data, len, &probe));
    }
    assert_true(dvs_probe_parse(data, names, &probe));

    data[12] = 0x08;                    /* Another ethertype. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    data[12] = 0x88;
    data[14] = 'X';                     /* Another magic. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    data[14] = 'D';
    data[18] = 2;                       /* Another version. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    data[18] = 1;
    data[19] = 'Q';                     /* Another kind. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    data[19] = 'S';
    data[20] = 0x0f;                    /* VLAN 3840 + 0: fine... */
    assert_true(dvs_probe_parse(data, b.size, &probe));
    data[21] = 0xff;                    /* ... 4095: not a VLAN. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    data[20] = data[21] = 0;
    data[22] = 200;                     /* A name longer than the frame. */
    assert_false(dvs_probe_parse(data, b.size, &probe));
    ofpbuf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_parse),
        cmocka_unit_test(test_parse_errors),
    };

    set_program_name("test-dvs-probe");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
