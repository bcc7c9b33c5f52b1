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
#include "lib/dvs-learn.h"
#include "packets.h"
#include "util.h"

#include "tests/test-dvs.h"

/* A port's learn cookie: ours (0xd6, not the agent's 0xd5), stable, and
 * different for different ports. */
static void
test_cookie(void **state OVS_UNUSED)
{
    uint64_t a = dvs_learn_cookie("nh");

    assert_int_equal(a >> 56, DVS_LEARN_COOKIE_MAGIC);
    assert_int_equal(a, dvs_learn_cookie("nh"));
    assert_int_not_equal(a, dvs_learn_cookie("nh2"));
    assert_int_not_equal(a & UINT64_C(0x00ffffffffffffff), 0);
}

/* Entries of Port.learned_macs: "MAC" or "MAC@SEGMENT", both ways. */
static void
test_entries(void **state OVS_UNUSED)
{
    struct eth_addr mac = ETH_ADDR_C(02,00,00,00,00,a1), parsed;
    bool has_segment;
    uint32_t segment;
    char *s;

    s = dvs_learned_format(&mac, false, 0);
    assert_string_equal(s, "02:00:00:00:00:a1");
    ASSERT_OK(dvs_learned_parse(s, &parsed, &has_segment, &segment));
    assert_true(eth_addr_equals(mac, parsed));
    assert_false(has_segment);
    free(s);

    s = dvs_learned_format(&mac, true, 4103);
    assert_string_equal(s, "02:00:00:00:00:a1@4103");
    ASSERT_OK(dvs_learned_parse(s, &parsed, &has_segment, &segment));
    assert_true(eth_addr_equals(mac, parsed));
    assert_true(has_segment);
    assert_int_equal(segment, 4103);
    free(s);

    ASSERT_OK(dvs_learned_parse("02:00:00:00:00:A1@0", &parsed,
                                &has_segment, &segment));
    assert_true(has_segment);
    assert_int_equal(segment, 0);
}

static void
test_bad_entries(void **state OVS_UNUSED)
{
    struct eth_addr mac;
    bool has_segment;
    uint32_t segment;

    ASSERT_ERROR(dvs_learned_parse("01:00:5e:00:00:01", &mac, &has_segment,
                                   &segment),
                 "\"01:00:5e:00:00:01\" is not a unicast MAC address "
                 "(accepted: a nonzero address whose first octet is even)");
    ASSERT_ERROR(dvs_learned_parse("02:00:00:00:00:a1@ten", &mac,
                                   &has_segment, &segment),
                 "learned MAC \"02:00:00:00:00:a1@ten\": segment: \"ten\" is "
                 "not valid (accepted: an integer from 0 to 4294967295)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_entries),
        cmocka_unit_test(test_bad_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
