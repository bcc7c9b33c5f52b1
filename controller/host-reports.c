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
#include "controller/host-reports.h"

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "proto/dvs.pb-c.h"
#include "sset.h"
#include "util.h"

/* The last reports of one host. */
struct host_report {
    ProtobufCMessage *lldp;     /* Unpacked copies of a Dvs__LldpNeighbors */
    ProtobufCMessage *health;   /* and a Dvs__HealthCheckResults, or NULL. */
};

struct host_reports {
    struct shash hosts;         /* Host name -> struct host_report. */
    struct sset dirty;          /* Hosts whose rows need checking. */
};

struct host_reports *
host_reports_create(void)
{
    struct host_reports *r = xmalloc(sizeof *r);

    shash_init(&r->hosts);
    sset_init(&r->dirty);
    return r;
}

void
host_reports_destroy(struct host_reports *r)
{
    if (r) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &r->hosts) {
            struct host_report *hr = node->data;

            if (hr->lldp) {
                protobuf_c_message_free_unpacked(hr->lldp, NULL);
            }
            if (hr->health) {
                protobuf_c_message_free_unpacked(hr->health, NULL);
            }
            free(hr);
        }
        shash_destroy(&r->hosts);
        sset_destroy(&r->dirty);
        free(r);
    }
}

/* An unpacked copy of 'msg', which the caller's envelope owns. */
static ProtobufCMessage *
copy_message(const ProtobufCMessage *msg)
{
    size_t size = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = xmalloc(size + 1);
    ProtobufCMessage *copy;

    protobuf_c_message_pack(msg, buf);
    copy = protobuf_c_message_unpack(msg->descriptor, NULL, size, buf);
    free(buf);
    ovs_assert(copy);
    return copy;
}

static struct host_report *
find_or_add(struct host_reports *r, const char *host)
{
    struct host_report *hr = shash_find_data(&r->hosts, host);

    if (!hr) {
        hr = xzalloc(sizeof *hr);
        shash_add(&r->hosts, host, hr);
    }
    sset_add(&r->dirty, host);
    return hr;
}

/* Replaces the message in '*slot' by a copy of 'msg'. */
static void
replace_message(ProtobufCMessage **slot, const ProtobufCMessage *msg)
{
    if (*slot) {
        protobuf_c_message_free_unpacked(*slot, NULL);
    }
    *slot = copy_message(msg);
}

void
host_reports_set_lldp(struct host_reports *r, const char *host,
                      const Dvs__LldpNeighbors *msg)
{
    struct host_report *hr = find_or_add(r, host);
    replace_message(&hr->lldp, &msg->base);
}

void
host_reports_set_health_check(struct host_reports *r, const char *host,
                              const Dvs__HealthCheckResults *msg)
{
    struct host_report *hr = find_or_add(r, host);
    replace_message(&hr->health, &msg->base);
}

/* Makes every host's rows be checked at the next write (the last
 * transaction failed). */
void
host_reports_write_all(struct host_reports *r)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &r->hosts) {
        sset_add(&r->dirty, node->name);
    }
}

/* LLDP neighbours. */

static void
put_nullable(struct ds *s, const char *value)
{
    ds_put_format(s, "|%s", value ? value : "\x01");
}

/* A line that says all of a neighbour but when it was seen. */
static char *
lldp_key(const char *uplink, const char *chassis_id, const char *port_id,
         const char *system_name, const char *port_description,
         const char *management_address, const int64_t *ttl)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "%s|%s|%s", uplink, chassis_id, port_id);
    put_nullable(&s, system_name);
    put_nullable(&s, port_description);
    put_nullable(&s, management_address);
    if (ttl) {
        ds_put_format(&s, "|%"PRId64, *ttl);
    }
    return ds_steal_cstr(&s);
}

static void
write_lldp(const struct dvsrec_host_member *m, const Dvs__LldpNeighbors *msg,
           struct ovsdb_idl_txn *txn)
{
    const char *sw = m->switch_->name;
    struct sset want = SSET_INITIALIZER(&want);
    struct sset have = SSET_INITIALIZER(&have);

    for (size_t i = 0; i < msg->n_neighbors; i++) {
        const Dvs__LldpNeighbor *n = msg->neighbors[i];
        int64_t ttl = n->ttl;

        if (!strcmp(n->switch_, sw)) {
            sset_add_and_free(&want, lldp_key(n->uplink, n->chassis_id,
                                              n->port_id, n->system_name,
                                              n->port_description,
                                              n->management_address,
                                              n->has_ttl ? &ttl : NULL));
        }
    }
    for (size_t i = 0; i < m->n_lldp_neighbors; i++) {
        const struct dvsrec_lldp_neighbor *row = m->lldp_neighbors[i];

        sset_add_and_free(&have, lldp_key(row->uplink, row->chassis_id,
                                          row->port_id, row->system_name,
                                          row->port_description,
                                          row->management_address,
                                          row->n_ttl ? row->ttl : NULL));
    }
    if (sset_equals(&want, &have) && sset_count(&have)
                                     == m->n_lldp_neighbors) {
        goto out;
    }

    /* Replaced whole: the old rows go with the reference (strong, not
     * root). */
    struct dvsrec_lldp_neighbor **rows = xmalloc(msg->n_neighbors
                                                 * sizeof *rows + 1);
    size_t n_rows = 0;
    for (size_t i = 0; i < msg->n_neighbors; i++) {
        const Dvs__LldpNeighbor *n = msg->neighbors[i];

        if (strcmp(n->switch_, sw)) {
            continue;
        }
        struct dvsrec_lldp_neighbor *row = dvsrec_lldp_neighbor_insert(txn);
        dvsrec_lldp_neighbor_set_uplink(row, n->uplink);
        dvsrec_lldp_neighbor_set_chassis_id(row, n->chassis_id);
        dvsrec_lldp_neighbor_set_port_id(row, n->port_id);
        dvsrec_lldp_neighbor_set_system_name(row, n->system_name);
        dvsrec_lldp_neighbor_set_port_description(row, n->port_description);
        dvsrec_lldp_neighbor_set_management_address(row,
                                                    n->management_address);
        if (n->has_ttl) {
            int64_t ttl = n->ttl;
            dvsrec_lldp_neighbor_set_ttl(row, &ttl, 1);
        }
        dvsrec_lldp_neighbor_set_last_seen(row, n->last_seen);
        rows[n_rows++] = row;
    }
    dvsrec_host_member_set_lldp_neighbors(m, rows, n_rows);
    free(rows);

out:
    sset_destroy(&want);
    sset_destroy(&have);
}

/* Health check results. */

static void
put_vlans(struct ds *s, const char *name, const int64_t *vlans, size_t n)
{
    ds_put_format(s, " %s=", name);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s%"PRId64, i ? "," : "", vlans[i]);
    }
}

static int64_t *
vlans_to_int64(const uint32_t *vlans, size_t n)
{
    int64_t *out = xmalloc(n * sizeof *out + 1);

    for (size_t i = 0; i < n; i++) {
        out[i] = vlans[i];
    }
    return out;
}

/* A line that says all of a result but its time. */
static char *
health_key_row(const struct dvsrec_health_check_result *row)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, row->uplink);
    put_vlans(&s, "t", row->trunked_vlans, row->n_trunked_vlans);
    put_vlans(&s, "u", row->untrunked_vlans, row->n_untrunked_vlans);
    put_vlans(&s, "ok", row->vlans_mtu_ok, row->n_vlans_mtu_ok);
    put_vlans(&s, "fail", row->vlans_mtu_failed, row->n_vlans_mtu_failed);
    ds_put_format(&s, " mm=%d", row->n_mtu_mismatch ? *row->mtu_mismatch
                                                    : -1);
    put_nullable(&s, row->teaming_status);
    return ds_steal_cstr(&s);
}

static char *
health_key_msg(const Dvs__HealthCheckResult *r)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    int64_t *v;

    ds_put_cstr(&s, r->uplink);
    v = vlans_to_int64(r->trunked_vlans, r->n_trunked_vlans);
    put_vlans(&s, "t", v, r->n_trunked_vlans);
    free(v);
    v = vlans_to_int64(r->untrunked_vlans, r->n_untrunked_vlans);
    put_vlans(&s, "u", v, r->n_untrunked_vlans);
    free(v);
    v = vlans_to_int64(r->vlans_mtu_ok, r->n_vlans_mtu_ok);
    put_vlans(&s, "ok", v, r->n_vlans_mtu_ok);
    free(v);
    v = vlans_to_int64(r->vlans_mtu_failed, r->n_vlans_mtu_failed);
    put_vlans(&s, "fail", v, r->n_vlans_mtu_failed);
    free(v);
    ds_put_format(&s, " mm=%d", r->has_mtu_mismatch ? r->mtu_mismatch : -1);
    put_nullable(&s, r->teaming_status);
    return ds_steal_cstr(&s);
}

static void
write_health(const struct dvsrec_host_member *m,
             const Dvs__HealthCheckResults *msg, struct ovsdb_idl_txn *txn)
{
    const char *sw = m->switch_->name;
    struct sset want = SSET_INITIALIZER(&want);
    struct sset have = SSET_INITIALIZER(&have);

    for (size_t i = 0; i < msg->n_results; i++) {
        if (!strcmp(msg->results[i]->switch_, sw)) {
            sset_add_and_free(&want, health_key_msg(msg->results[i]));
        }
    }
    for (size_t i = 0; i < m->n_health_check_results; i++) {
        sset_add_and_free(&have,
                          health_key_row(m->health_check_results[i]));
    }
    if (sset_equals(&want, &have)
        && sset_count(&have) == m->n_health_check_results) {
        goto out;
    }

    struct dvsrec_health_check_result **rows;
    size_t n_rows = 0;

    rows = xmalloc(msg->n_results * sizeof *rows + 1);
    for (size_t i = 0; i < msg->n_results; i++) {
        const Dvs__HealthCheckResult *r = msg->results[i];
        struct dvsrec_health_check_result *row;
        int64_t *v;

        if (strcmp(r->switch_, sw)) {
            continue;
        }
        row = dvsrec_health_check_result_insert(txn);
        dvsrec_health_check_result_set_uplink(row, r->uplink);
        v = vlans_to_int64(r->trunked_vlans, r->n_trunked_vlans);
        dvsrec_health_check_result_set_trunked_vlans(row, v,
                                                     r->n_trunked_vlans);
        free(v);
        v = vlans_to_int64(r->untrunked_vlans, r->n_untrunked_vlans);
        dvsrec_health_check_result_set_untrunked_vlans(row, v,
                                                       r->n_untrunked_vlans);
        free(v);
        v = vlans_to_int64(r->vlans_mtu_ok, r->n_vlans_mtu_ok);
        dvsrec_health_check_result_set_vlans_mtu_ok(row, v,
                                                    r->n_vlans_mtu_ok);
        free(v);
        v = vlans_to_int64(r->vlans_mtu_failed, r->n_vlans_mtu_failed);
        dvsrec_health_check_result_set_vlans_mtu_failed(
            row, v, r->n_vlans_mtu_failed);
        free(v);
        if (r->has_mtu_mismatch) {
            bool mm = r->mtu_mismatch;
            dvsrec_health_check_result_set_mtu_mismatch(row, &mm, 1);
        }
        dvsrec_health_check_result_set_teaming_status(row,
                                                      r->teaming_status);
        dvsrec_health_check_result_set_timestamp(row, r->timestamp);
        rows[n_rows++] = row;
    }
    dvsrec_host_member_set_health_check_results(m, rows, n_rows);
    free(rows);

out:
    sset_destroy(&want);
    sset_destroy(&have);
}

/* Writes, in 'txn', the rows of the hosts whose reports changed. */
void
host_reports_write(struct host_reports *r, struct ovsdb_idl *idl,
                   struct ovsdb_idl_txn *txn)
{
    const struct dvsrec_host_member *m;

    if (sset_is_empty(&r->dirty)) {
        return;
    }
    DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
        const struct host_report *hr;

        if (!m->host || !m->switch_
            || !sset_contains(&r->dirty, m->host->name)) {
            continue;
        }
        hr = shash_find_data(&r->hosts, m->host->name);
        if (hr && hr->lldp) {
            write_lldp(m, (const Dvs__LldpNeighbors *) hr->lldp, txn);
        }
        if (hr && hr->health) {
            write_health(m, (const Dvs__HealthCheckResults *) hr->health,
                         txn);
        }
    }
    sset_clear(&r->dirty);
}
