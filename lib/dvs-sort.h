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

#ifndef DVS_SORT_H
#define DVS_SORT_H 1

/* The elements of a hash map in a stable order: for output that people and
 * tests read, and for work that must not depend on hash order. */

#include <stddef.h>

struct hmap;

void *dvs_hmap_sort(const struct hmap *, size_t node_offset,
                    int (*compare)(const void *, const void *));

/* Returns the hmap_count(HMAP) elements of HMAP, of type TYPE linked by
 * their hmap_node MEMBER, as an array of TYPE * sorted by COMPARE (which,
 * as for qsort(), gets pointers to two elements of the array), to free. */
#define DVS_HMAP_SORT(HMAP, TYPE, MEMBER, COMPARE) \
    ((TYPE **) dvs_hmap_sort(HMAP, offsetof(TYPE, MEMBER), COMPARE))

#endif /* lib/dvs-sort.h */
