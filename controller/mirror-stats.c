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
#include "controller/mirror-stats.h"

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "openvswitch/shash.h"
#include "proto/dvs.pb-c.h"
#include "util.h"

struct mirror_counters {
    uint64_t packets;
    uint64_t bytes;
};

struct mirror_stats {
    struct shash hosts;         /* Host -> shash of "SWITCH/SESSION" ->
                                 * struct mirror_counters. */
    bool dirty;
};

struct mirror_stats *
mirror_stats_create(void)
{
    struct mirror_stats *ms = xzalloc(sizeof *ms);
    shash_init(&ms->hosts);
    return ms;
}

static void
free_host(struct shash *counters)
{
    shash_destroy_free_data(counters);
    free(counters);
}

void
mirror_stats_destroy(struct mirror_stats *ms)
{
    if (ms) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &ms->hosts) {
            free_host(node->data);
        }
        shash_destroy(&ms->hosts);
        free(ms);
    }
}

void
mirror_stats_update(struct mirror_stats *ms, const char *host,
                    const Dvs__MirrorStatistics *msg)
{
    struct shash *counters = xmalloc(sizeof *counters);
    struct shash *old;

    shash_init(counters);
    for (size_t i = 0; i < msg->n_mirrors; i++) {
        const Dvs__MirrorCounters *m = msg->mirrors[i];
        char *key = xasprintf("%s/%s", m->bridge, m->name);
        struct mirror_counters *c = xmalloc(sizeof *c);

        c->packets = m->has_tx_packets ? m->tx_packets : 0;
        c->bytes = m->has_tx_bytes ? m->tx_bytes : 0;
        if (!shash_add_once(counters, key, c)) {
            free(c);            /* A repeated entry: the first counts. */
        }
        free(key);
    }
    old = shash_replace(&ms->hosts, host, counters);
    if (old) {
        free_host(old);
    }
    ms->dirty = true;
}

void
mirror_stats_write(struct mirror_stats *ms, struct ovsdb_idl *idl)
{
    const struct dvsrec_mirror_session *s;

    if (!ms->dirty) {
        return;
    }
    ms->dirty = false;
    DVSREC_MIRROR_SESSION_FOR_EACH (s, idl) {
        char *key = xasprintf("%s/%s", s->switch_->name, s->name);
        int64_t packets = 0, bytes = 0;
        struct shash_node *node;

        SHASH_FOR_EACH (node, &ms->hosts) {
            const struct mirror_counters *c = shash_find_data(node->data,
                                                              key);
            if (c) {
                packets += c->packets;
                bytes += c->bytes;
            }
        }
        free(key);

        const char *keys[] = { "tx_bytes", "tx_packets" };
        int64_t values[] = { bytes, packets };
        bool same = s->n_statistics == 2;
        for (size_t i = 0; same && i < 2; i++) {
            same = (!strcmp(s->key_statistics[i], keys[i])
                    && s->value_statistics[i] == values[i]);
        }
        if (!same) {
            dvsrec_mirror_session_set_statistics(s, keys, values, 2);
        }
    }
}
