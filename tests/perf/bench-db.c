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
#include <stdbool.h>
#include "tests/perf/bench-db.h"

#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "stream.h"
#include "tests/perf/bench-topology.h"
#include "util.h"

/* Rows per transaction while loading: large enough that round trips do not
 * matter, small enough that ovsdb-server never holds a huge request. */
#define ROWS_PER_TXN 5000

struct bench_db {
    struct jsonrpc *rpc;
    char *switch_uuid;
    char **pg_uuids;            /* Indexed by portgroup number. */
    unsigned int n_pgs;
};

struct bench_db *
bench_db_open(const char *remote)
{
    struct stream *stream;
    int error = stream_open_block(jsonrpc_stream_open(remote, &stream,
                                                      DSCP_DEFAULT),
                                  -1, &stream);
    if (error) {
        ovs_fatal(error, "%s: cannot connect", remote);
    }

    struct bench_db *db = xzalloc(sizeof *db);
    db->rpc = jsonrpc_open(stream);
    return db;
}

void
bench_db_close(struct bench_db *db)
{
    if (db) {
        jsonrpc_close(db->rpc);
        free(db->switch_uuid);
        for (unsigned int i = 0; i < db->n_pgs; i++) {
            free(db->pg_uuids[i]);
        }
        free(db->pg_uuids);
        free(db);
    }
}

/* Runs the operations in 'ops' (a JSON array's elements, comma-separated,
 * without the brackets) as one transaction and returns its results. */
static struct json *
transact(struct bench_db *db, const struct ds *ops)
{
    struct ds params = DS_EMPTY_INITIALIZER;
    ds_put_format(&params, "[\"DVS_Northbound\",%s]", ds_cstr_ro(ops));
    struct json *json = json_from_string(ds_cstr(&params));
    ds_destroy(&params);
    if (json->type == JSON_STRING) {
        ovs_fatal(0, "bad transaction: %s", json_string(json));
    }

    struct jsonrpc_msg *request = jsonrpc_create_request("transact", json,
                                                         NULL);
    struct jsonrpc_msg *reply;
    int error = jsonrpc_transact_block(db->rpc, request, &reply);
    if (error) {
        ovs_fatal(error, "transaction failed");
    }
    if (reply->error || reply->result->type != JSON_ARRAY) {
        ovs_fatal(0, "transaction failed: %s",
                  json_to_string(reply->error ? reply->error : reply->result,
                                 0));
    }

    const struct json_array *results = json_array(reply->result);
    for (size_t i = 0; i < results->n; i++) {
        const struct json *r = results->elems[i];
        if (r->type == JSON_OBJECT && shash_find(json_object(r), "error")) {
            ovs_fatal(0, "transaction failed: %s", json_to_string(r, 0));
        }
    }

    struct json *result = reply->result;
    reply->result = NULL;
    jsonrpc_msg_destroy(reply);
    return result;
}

/* The UUID of the row that operation 'i' of 'results' inserted. */
static char *
inserted_uuid(const struct json *results, size_t i)
{
    const struct json *r = json_array(results)->elems[i];
    const struct json *uuid = shash_find_data(json_object(r), "uuid");
    return xstrdup(json_string(json_array(uuid)->elems[1]));
}

static void
load_switch(struct bench_db *db)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&ops, "{\"op\":\"select\",\"table\":\"Switch\","
                "\"where\":[[\"name\",\"==\",\"sw0\"]],"
                "\"columns\":[\"_uuid\"]}");
    struct json *results = transact(db, &ops);
    ds_destroy(&ops);

    const struct json *r = json_array(results)->elems[0];
    const struct json *rows = shash_find_data(json_object(r), "rows");
    if (!json_array(rows)->n) {
        ovs_fatal(0, "the database has no switch sw0");
    }
    const struct json *row = json_array(rows)->elems[0];
    const struct json *uuid = shash_find_data(json_object(row), "_uuid");
    free(db->switch_uuid);
    db->switch_uuid = xstrdup(json_string(json_array(uuid)->elems[1]));
    json_destroy(results);
}

static void
flush(struct bench_db *db, struct ds *ops, size_t *n)
{
    if (*n) {
        json_destroy(transact(db, ops));
        ds_clear(ops);
        *n = 0;
    }
}

static void
put_separator(struct ds *ops)
{
    if (ops->length) {
        ds_put_char(ops, ',');
    }
}

static void
put_port_insert(struct ds *ops, unsigned int port, const char *pg_uuid)
{
    char mac[18];

    bench_port_mac(port, mac);
    put_separator(ops);
    ds_put_format(ops, "{\"op\":\"insert\",\"table\":\"Port\",\"row\":"
                  "{\"name\":\"p%u\",\"portgroup\":[\"uuid\",\"%s\"],"
                  "\"mac\":\"%s\"}}", port, pg_uuid, mac);
}

void
bench_db_populate(struct bench_db *db, const struct bench_topology *t)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    size_t n = 0;

    load_switch(db);

    /* Hosts and their memberships; a Host row is not a root, so it goes in
     * the same transaction as the member that refers to it. */
    for (unsigned int i = 0; i < t->n_hosts; i++) {
        unsigned int ip = i + 1;
        put_separator(&ops);
        ds_put_format(&ops,
                      "{\"op\":\"insert\",\"table\":\"Host\","
                      "\"row\":{\"name\":\"h%u\"},\"uuid-name\":\"h%u\"},"
                      "{\"op\":\"insert\",\"table\":\"Host_Member\","
                      "\"row\":{\"switch\":[\"uuid\",\"%s\"],"
                      "\"host\":[\"named-uuid\",\"h%u\"],"
                      "\"uplinks\":[\"map\",[[\"uplink1\",\"eth0\"]]],"
                      "\"vtep_ip\":\"10.%u.%u.%u\"}}",
                      i, i, db->switch_uuid, i, (ip >> 16) & 0xff,
                      (ip >> 8) & 0xff, ip & 0xff);
        if (++n >= ROWS_PER_TXN / 2) {
            flush(db, &ops, &n);
        }
    }
    flush(db, &ops, &n);

    /* Portgroups, in batches whose results give their UUIDs. */
    db->pg_uuids = xcalloc(t->n_portgroups, sizeof *db->pg_uuids);
    db->n_pgs = t->n_portgroups;
    for (unsigned int first = 0; first < t->n_portgroups;
         first += ROWS_PER_TXN) {
        unsigned int last = MIN(first + ROWS_PER_TXN, t->n_portgroups);
        for (unsigned int pg = first; pg < last; pg++) {
            put_separator(&ops);
            ds_put_format(&ops, "{\"op\":\"insert\",\"table\":\"Portgroup\","
                          "\"row\":{\"name\":\"pg%u\","
                          "\"switch\":[\"uuid\",\"%s\"],\"%s\":%u}}",
                          pg, db->switch_uuid, t->vxlan ? "vni" : "vlan",
                          pg + 1);
        }
        struct json *results = transact(db, &ops);
        ds_clear(&ops);
        for (unsigned int pg = first; pg < last; pg++) {
            db->pg_uuids[pg] = inserted_uuid(results, pg - first);
        }
        json_destroy(results);
    }

    for (unsigned int port = 0; port < t->n_ports; port++) {
        put_port_insert(&ops, port, db->pg_uuids[bench_port_pg(t, port)]);
        if (++n >= ROWS_PER_TXN) {
            flush(db, &ops, &n);
        }
    }
    flush(db, &ops, &n);
    ds_destroy(&ops);
}

void
bench_db_load_portgroups(struct bench_db *db, const struct bench_topology *t)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&ops, "{\"op\":\"select\",\"table\":\"Portgroup\","
                "\"where\":[],\"columns\":[\"_uuid\",\"name\"]}");
    struct json *results = transact(db, &ops);
    ds_destroy(&ops);

    db->pg_uuids = xcalloc(t->n_portgroups, sizeof *db->pg_uuids);
    db->n_pgs = t->n_portgroups;

    const struct json *r = json_array(results)->elems[0];
    const struct json_array *rows
        = json_array(shash_find_data(json_object(r), "rows"));
    for (size_t i = 0; i < rows->n; i++) {
        const struct shash *row = json_object(rows->elems[i]);
        const char *name = json_string(shash_find_data(row, "name"));
        const struct json *uuid = shash_find_data(row, "_uuid");
        unsigned int pg;
        if (sscanf(name, "pg%u", &pg) == 1 && pg < db->n_pgs) {
            free(db->pg_uuids[pg]);
            db->pg_uuids[pg] = xstrdup(json_string(json_array(uuid)
                                                   ->elems[1]));
        }
    }
    json_destroy(results);
    for (unsigned int pg = 0; pg < db->n_pgs; pg++) {
        if (!db->pg_uuids[pg]) {
            ovs_fatal(0, "the database has no portgroup pg%u", pg);
        }
    }
}

void
bench_db_add_port(struct bench_db *db, unsigned int port, unsigned int pg)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    put_port_insert(&ops, port, db->pg_uuids[pg]);
    json_destroy(transact(db, &ops));
    ds_destroy(&ops);
}

void
bench_db_set_backing(struct bench_db *db, unsigned int pg, bool vxlan,
                     unsigned int id)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    ds_put_format(&ops, "{\"op\":\"update\",\"table\":\"Portgroup\","
                  "\"where\":[[\"name\",\"==\",\"pg%u\"]],"
                  "\"row\":{\"%s\":%u}}", pg, vxlan ? "vni" : "vlan", id);
    json_destroy(transact(db, &ops));
    ds_destroy(&ops);
}

/* Waits until the controller has processed every change made so far and
 * every host has applied it: DVS_Global.nb_cfg bumped, then an OVSDB
 * "wait" until hv_cfg reaches it (as "dvs-ctl --wait=hv sync"). */
void
bench_db_sync(struct bench_db *db)
{
    struct ds ops = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&ops, "{\"op\":\"mutate\",\"table\":\"DVS_Global\","
                "\"where\":[],\"mutations\":[[\"nb_cfg\",\"+=\",1]]},"
                "{\"op\":\"select\",\"table\":\"DVS_Global\","
                "\"where\":[],\"columns\":[\"nb_cfg\"]}");
    struct json *results = transact(db, &ops);
    const struct json *r = json_array(results)->elems[1];
    const struct json *rows = shash_find_data(json_object(r), "rows");
    if (!rows || json_array(rows)->n != 1) {
        ovs_fatal(0, "no DVS_Global row");
    }
    const struct json *row = json_array(rows)->elems[0];
    long long int nb_cfg = json_integer(shash_find_data(json_object(row),
                                                        "nb_cfg"));
    json_destroy(results);

    ds_clear(&ops);
    ds_put_format(&ops, "{\"op\":\"wait\",\"table\":\"DVS_Global\","
                  "\"where\":[],\"columns\":[\"hv_cfg\"],\"until\":\"==\","
                  "\"rows\":[{\"hv_cfg\":%lld}],\"timeout\":600000}",
                  nb_cfg);
    json_destroy(transact(db, &ops));
    ds_destroy(&ops);
}
