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
#include "agent/ipfix.h"

#include <string.h>
#include "agent/ovs-reconcile.h"
#include "lib/dvs-state.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(ipfix);

void
ipfix_register_columns(struct ovsdb_idl *idl)
{
    ovsdb_idl_add_column(idl, &ovsrec_flow_sample_collector_set_col_id);
    ovsdb_idl_add_column(idl, &ovsrec_flow_sample_collector_set_col_bridge);
    ovsdb_idl_add_column(idl, &ovsrec_flow_sample_collector_set_col_ipfix);
    ovsdb_idl_add_column(idl,
                         &ovsrec_flow_sample_collector_set_col_external_ids);
    ovsdb_idl_add_column(idl, &ovsrec_ipfix_col_targets);
    ovsdb_idl_add_column(idl, &ovsrec_ipfix_col_obs_domain_id);
    ovsdb_idl_add_column(idl, &ovsrec_ipfix_col_cache_active_timeout);
    ovsdb_idl_add_column(idl, &ovsrec_ipfix_col_cache_max_flows);
}

static bool
is_owned(const struct ovsrec_flow_sample_collector_set *fscs)
{
    const char *owner = smap_get(&fscs->external_ids, DVS_OWNER_KEY);
    return owner && !strcmp(owner, DVS_OWNER_VALUE);
}

/* Sets optional integer column 'n'/'values' of 'ipfix' with 'setter' to
 * 'value' (unset if 0) if it differs. */
static bool
int_differs(const int64_t *values, size_t n, int64_t value)
{
    return value ? !n || values[0] != value : n != 0;
}

static void
fix_ipfix(const struct ovsrec_ipfix *ipfix, const struct dvs_ipfix *want,
          struct ovsdb_idl_txn *(*get_txn)(void *), void *aux)
{
    int64_t domain = want->obs_domain_id;
    int64_t timeout = want->active_timeout;
    int64_t max_flows = want->cache_max_flows;

    if (ipfix->n_targets != 1 || strcmp(ipfix->targets[0], want->target)) {
        const char *target = want->target;
        get_txn(aux);
        ovsrec_ipfix_set_targets(ipfix, &target, 1);
    }
    if (int_differs(ipfix->obs_domain_id, ipfix->n_obs_domain_id, domain)) {
        get_txn(aux);
        ovsrec_ipfix_set_obs_domain_id(ipfix, &domain, domain != 0);
    }
    if (int_differs(ipfix->cache_active_timeout,
                    ipfix->n_cache_active_timeout, timeout)) {
        get_txn(aux);
        ovsrec_ipfix_set_cache_active_timeout(ipfix, &timeout, timeout != 0);
    }
    if (int_differs(ipfix->cache_max_flows, ipfix->n_cache_max_flows,
                    max_flows)) {
        get_txn(aux);
        ovsrec_ipfix_set_cache_max_flows(ipfix, &max_flows, max_flows != 0);
    }
}

void
ipfix_reconcile(struct ovsdb_idl *idl, const struct ovsrec_bridge *br,
                const struct dvs_bridge *dbr,
                struct ovsdb_idl_txn *(*get_txn)(void *aux), void *aux)
{
    const struct dvs_ipfix *want = dbr ? dbr->ipfix : NULL;
    const struct ovsrec_flow_sample_collector_set *fscs, *found = NULL;

    OVSREC_FLOW_SAMPLE_COLLECTOR_SET_FOR_EACH (fscs, idl) {
        if (fscs->bridge != br || !is_owned(fscs)) {
            continue;
        }
        if (want && !found && fscs->ipfix
            && fscs->id == want->collector_set_id) {
            found = fscs;
        } else {
            VLOG_INFO("%s: deleting IPFIX collector set %"PRId64, br->name,
                      fscs->id);
            get_txn(aux);
            ovsrec_flow_sample_collector_set_delete(fscs);
        }
    }
    if (!want) {
        return;
    }
    if (!found) {
        struct ovsdb_idl_txn *txn = get_txn(aux);
        struct ovsrec_flow_sample_collector_set *row;
        struct smap ids = SMAP_INITIALIZER(&ids);
        struct ovsrec_ipfix *ipfix = ovsrec_ipfix_insert(txn);

        row = ovsrec_flow_sample_collector_set_insert(txn);
        ovsrec_flow_sample_collector_set_set_id(row, want->collector_set_id);
        ovsrec_flow_sample_collector_set_set_bridge(row, br);
        ovsrec_flow_sample_collector_set_set_ipfix(row, ipfix);
        smap_add(&ids, DVS_OWNER_KEY, DVS_OWNER_VALUE);
        ovsrec_flow_sample_collector_set_set_external_ids(row, &ids);
        smap_destroy(&ids);
        VLOG_INFO("%s: adding IPFIX collector set %"PRIu32" (to %s)",
                  br->name, want->collector_set_id, want->target);
        fix_ipfix(ipfix, want, get_txn, aux);
    } else {
        fix_ipfix(found->ipfix, want, get_txn, aux);
    }
}
