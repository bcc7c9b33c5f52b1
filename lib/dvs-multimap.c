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
#include "lib/dvs-multimap.h"

#include <stdlib.h>
#include "openvswitch/shash.h"
#include "sset.h"
#include "util.h"

bool
dvs_multimap_add(struct shash *map, const char *key, const char *value)
{
    struct sset *set = shash_find_data(map, key);

    if (!set) {
        set = xmalloc(sizeof *set);
        sset_init(set);
        shash_add(map, key, set);
    }
    return sset_add(set, value) != NULL;
}

bool
dvs_multimap_remove(struct shash *map, const char *key, const char *value)
{
    struct shash_node *node = shash_find(map, key);
    struct sset *set = node ? node->data : NULL;
    bool found = set && sset_find_and_delete(set, value);

    if (set && sset_is_empty(set)) {
        sset_destroy(set);
        free(set);
        shash_delete(map, node);
    }
    return found;
}

void
dvs_multimap_clear(struct shash *map)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, map) {
        sset_destroy(node->data);
        free(node->data);
    }
    shash_clear(map);
}
