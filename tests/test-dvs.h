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

#ifndef TEST_DVS_H
#define TEST_DVS_H 1

/* Assertions shared by the cmocka unit tests, for functions that return
 * NULL or a malloc()'d error message.  Include after <cmocka.h>. */

/* Fails, showing the message, if 'error' is nonnull. */
#define ASSERT_OK(ERROR)                                                \
    do {                                                                \
        char *error_ = (ERROR);                                         \
        if (error_) {                                                   \
            fail_msg("unexpected error: %s", error_);                   \
        }                                                               \
    } while (0)

/* Checks that 'ERROR' is exactly 'EXPECTED', then frees it. */
#define ASSERT_ERROR(ERROR, EXPECTED)                                   \
    do {                                                                \
        char *error_ = (ERROR);                                         \
        if (!error_) {                                                  \
            fail_msg("no error, expected: %s", EXPECTED);               \
        }                                                               \
        assert_string_equal(error_, EXPECTED);                          \
        free(error_);                                                   \
    } while (0)

#endif /* test-dvs.h */
