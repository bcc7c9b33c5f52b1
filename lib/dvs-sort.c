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
#include "lib/dvs-sort.h"

#include <stdlib.h>
#include "openvswitch/hmap.h"
#include "util.h"

void *
dvs_hmap_sort(const struct hmap *hmap, size_t node_offset,
              int (*compare)(const void *, const void *))
{
    size_t n = hmap_count(hmap);
    void **elements = xmalloc((n + 1) * sizeof *elements);
    const struct hmap_node *node;
    size_t i = 0;

    for (node = hmap_first(hmap); node; node = hmap_next(hmap, node)) {
        elements[i++] = CONST_CAST(char *, (const char *) node) - node_offset;
    }
    qsort(elements, n, sizeof *elements, compare);
    return elements;
}
