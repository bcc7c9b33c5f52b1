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
#include "lib/dvs-intern.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/thread.h"
#include "util.h"

struct interned {
    struct hmap_node node;      /* In 'strings', by hash of 's'. */
    uint32_t holders;
    uint32_t len;               /* strlen(s). */
    char s[];
};

static struct ovs_mutex mutex = OVS_MUTEX_INITIALIZER;
static struct hmap strings OVS_GUARDED_BY(mutex)
    = HMAP_INITIALIZER(&strings);

const char *
dvs_intern(const char *s)
{
    size_t len = strlen(s);
    uint32_t hash = hash_bytes(s, len, 0);
    struct interned *in;

    ovs_mutex_lock(&mutex);
    HMAP_FOR_EACH_WITH_HASH (in, node, hash, &strings) {
        if (in->len == len && !memcmp(in->s, s, len)) {
            in->holders++;
            goto out;
        }
    }
    in = xmalloc(sizeof *in + len + 1);
    memcpy(in->s, s, len + 1);
    in->holders = 1;
    in->len = len;
    hmap_insert(&strings, &in->node, hash);
    /* Millions of strings (one per distinct flow text of every host): a
     * bucket for each keeps the lookups to about one node. */
    if (hmap_count(&strings) > strings.mask + 1) {
        hmap_expand(&strings);
    }
out:
    ovs_mutex_unlock(&mutex);
    return in->s;
}

static struct interned *
interned_of(const char *s)
{
    return CONST_CAST(struct interned *,
                      (const struct interned *)
                      (s - offsetof(struct interned, s)));
}

const char *
dvs_intern_ref(const char *s)
{
    struct interned *in = interned_of(s);

    ovs_mutex_lock(&mutex);
    in->holders++;
    ovs_mutex_unlock(&mutex);
    return s;
}

void
dvs_intern_release(const char *s)
{
    if (s) {
        struct interned *in = interned_of(s);

        ovs_mutex_lock(&mutex);
        if (!--in->holders) {
            hmap_remove(&strings, &in->node);
            free(in);
        }
        ovs_mutex_unlock(&mutex);
    }
}

size_t
dvs_intern_count(void)
{
    size_t n;

    ovs_mutex_lock(&mutex);
    n = hmap_count(&strings);
    ovs_mutex_unlock(&mutex);
    return n;
}
