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

#ifndef DVS_INTERN_H
#define DVS_INTERN_H 1

/* Shared, immutable copies of strings that many objects hold alike: the
 * controller keeps the state it sent to each host, and a remote port's
 * flows, a segment's, or the switch's base flows are the same text on every
 * host that has them.  Each distinct string is kept once, with a count of
 * its holders; two interned strings are equal if and only if they are the
 * same pointer.  Thread-safe. */

#include <stddef.h>

/* Returns the interned copy of 's', with one more holder. */
const char *dvs_intern(const char *s);

/* Returns 's', an interned string, with one more holder: a copy with no
 * lookup. */
const char *dvs_intern_ref(const char *s);

/* Drops one holder of 's' (from dvs_intern(), or NULL), which is freed
 * with its last. */
void dvs_intern_release(const char *s);

/* The number of distinct strings interned now. */
size_t dvs_intern_count(void);

#endif /* lib/dvs-intern.h */
