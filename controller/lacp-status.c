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
#include "controller/lacp-status.h"

#include <string.h>
#include "lib/dvs-idl.h"
#include "openvswitch/vlog.h"
#include "proto/dvs.pb-c.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(lacp_status);

void
lacp_status_init(struct lacp_status *st)
{
    shash_init(&st->by_switch);
    st->dirty = false;
}

static void
clear(struct lacp_status *st)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &st->by_switch) {
        smap_destroy(node->data);
        free(node->data);
    }
    shash_clear(&st->by_switch);
}

void
lacp_status_destroy(struct lacp_status *st)
{
    clear(st);
    shash_destroy(&st->by_switch);
}

/* Replaces what 'st' knows with 'report' from 'host', logging each LAG
 * whose state changed: a warning for one that carries no traffic. */
void
lacp_status_receive(struct lacp_status *st, const char *host,
                    const Dvs__TeamingLacpReport *report)
{
    struct lacp_status old;

    lacp_status_init(&old);
    shash_swap(&old.by_switch, &st->by_switch);
    for (size_t i = 0; i < report->n_lags; i++) {
        const Dvs__TeamingLacpLag *lag = report->lags[i];
        struct smap *map, *old_map;
        const char *before;

        if (!lag->switch_name || !lag->lag || !lag->status) {
            continue;
        }
        map = shash_find_data(&st->by_switch, lag->switch_name);
        if (!map) {
            map = xmalloc(sizeof *map);
            smap_init(map);
            shash_add(&st->by_switch, lag->switch_name, map);
        }
        smap_replace(map, lag->lag, lag->status);

        old_map = shash_find_data(&old.by_switch, lag->switch_name);
        before = old_map ? smap_get(old_map, lag->lag) : NULL;
        if (!before || strcmp(before, lag->status)) {
            if (lag->has_carries_traffic && !lag->carries_traffic) {
                VLOG_WARN("host %s, switch %s, LAG %s: %s", host,
                          lag->switch_name, lag->lag, lag->status);
            } else {
                VLOG_INFO("host %s, switch %s, LAG %s: %s", host,
                          lag->switch_name, lag->lag, lag->status);
            }
        }
    }
    lacp_status_destroy(&old);
    st->dirty = true;
}

/* Writes what 'st' knows into the lacp_status of the Host_Member rows of
 * 'host' (an empty map for a switch without LAGs there). */
void
lacp_status_write(struct lacp_status *st, struct ovsdb_idl *idl,
                  const char *host)
{
    const struct dvsrec_host_member *m;

    DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
        const struct smap *map;
        struct smap empty = SMAP_INITIALIZER(&empty);

        if (!m->host || !m->switch_ || strcmp(m->host->name, host)) {
            continue;
        }
        map = shash_find_data(&st->by_switch, m->switch_->name);
        if (!map) {
            map = &empty;
        }
        if (!smap_equal(map, &m->lacp_status)) {
            dvsrec_host_member_set_lacp_status(m, map);
        }
    }
    st->dirty = false;
}
