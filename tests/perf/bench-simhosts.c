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
#include "tests/perf/bench-simhosts.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "lib/dvs-conn.h"
#include "lib/dvs-wire.h"
#include "openvswitch/vlog.h"
#include "tests/perf/bench-topology.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(bench_simhosts);

/* Segments the benchmark can name: VLANs and 4096 + VNIs up to 28671. */
#define MAX_SEGMENTS 32768

struct simhost {
    struct simhosts *hosts;
    unsigned int index;
    char name[16];
    struct dvs_client *client;

    /* Ports bound here, by number. */
    unsigned int *ports;
    size_t n_ports, allocated_ports;

    /* Flow groups held (of the kinds the benchmark follows) and expected
     * from the topology. */
    unsigned long *held_ports;
    unsigned long *expected_ports;
    unsigned long *held_segments;
    unsigned long *expected_segments;
    size_t missing;             /* Expected groups not held. */
    bool converged;

    bool watched;               /* In the current watch. */
};

struct simhosts {
    uv_loop_t *loop;
    struct bench_topology topo;
    char *controller;
    unsigned int n_port_bits;   /* Ports of the topology plus extra ones. */
    struct simhost *hosts;
    const struct simhosts_callbacks *cbs;
    void *aux;

    uint64_t start_ns;
    size_t n_converged;
    uint64_t bytes_received;
    uint64_t updates_received;
    uint64_t closed_connections;    /* Closed by the controller, retried. */

    /* The current watch. */
    enum simhosts_watch_kind watch_kind;
    unsigned int watch_index;
    size_t n_watching;          /* Hosts still waiting. */
};

static void
host_add_port(struct simhost *h, unsigned int port)
{
    if (h->n_ports >= h->allocated_ports) {
        h->ports = x2nrealloc(h->ports, &h->allocated_ports,
                              sizeof *h->ports);
    }
    h->ports[h->n_ports++] = port;
}

/* Fills in every host's ports and the flow groups it must end up holding:
 * its ports' local groups, the remote groups of every other port of the
 * portgroups it has ports in, and those segments' flood groups. */
static void
compute_expected(struct simhosts *s)
{
    const struct bench_topology *t = &s->topo;
    unsigned int n_pg = t->n_portgroups;

    /* Hosts of each portgroup. */
    unsigned long **pg_hosts = xcalloc(n_pg, sizeof *pg_hosts);
    for (unsigned int pg = 0; pg < n_pg; pg++) {
        pg_hosts[pg] = bitmap_allocate(t->n_hosts);
    }
    for (unsigned int port = 0; port < t->n_ports; port++) {
        unsigned int host = bench_port_host(t, port);
        bitmap_set1(pg_hosts[bench_port_pg(t, port)], host);
        host_add_port(&s->hosts[host], port);
    }

    for (unsigned int port = 0; port < t->n_ports; port++) {
        unsigned int pg = bench_port_pg(t, port);
        size_t host;
        BITMAP_FOR_EACH_1 (host, t->n_hosts, pg_hosts[pg]) {
            bitmap_set1(s->hosts[host].expected_ports, port);
        }
    }
    for (unsigned int pg = 0; pg < n_pg; pg++) {
        size_t host;
        BITMAP_FOR_EACH_1 (host, t->n_hosts, pg_hosts[pg]) {
            bitmap_set1(s->hosts[host].expected_segments,
                        bench_pg_segment(t, pg));
        }
        free(pg_hosts[pg]);
    }
    free(pg_hosts);

    for (unsigned int i = 0; i < t->n_hosts; i++) {
        struct simhost *h = &s->hosts[i];
        h->missing = (bitmap_count1(h->expected_ports, s->n_port_bits)
                      + bitmap_count1(h->expected_segments, MAX_SEGMENTS));
    }
}

struct simhosts *
simhosts_create(uv_loop_t *loop, const struct bench_topology *topo,
                const char *controller, unsigned int extra_ports,
                const struct simhosts_callbacks *cbs, void *aux)
{
    struct simhosts *s = xzalloc(sizeof *s);

    s->loop = loop;
    s->topo = *topo;
    s->controller = xstrdup(controller);
    s->n_port_bits = topo->n_ports + extra_ports;
    s->cbs = cbs;
    s->aux = aux;
    s->hosts = xcalloc(topo->n_hosts, sizeof *s->hosts);
    for (unsigned int i = 0; i < topo->n_hosts; i++) {
        struct simhost *h = &s->hosts[i];
        h->hosts = s;
        h->index = i;
        snprintf(h->name, sizeof h->name, "h%u", i);
        h->held_ports = bitmap_allocate(s->n_port_bits);
        h->expected_ports = bitmap_allocate(s->n_port_bits);
        h->held_segments = bitmap_allocate(MAX_SEGMENTS);
        h->expected_segments = bitmap_allocate(MAX_SEGMENTS);
    }
    compute_expected(s);
    return s;
}

/* Flow group keys: "sw0/port/p<N>/local|remote", "sw0/seg/<S>/flood". */
static bool
parse_group_key(const char *key, enum simhosts_watch_kind *kind,
                unsigned int *index)
{
    char tail[16];

    if (sscanf(key, "sw0/port/p%u/%15s", index, tail) == 2
        && (!strcmp(tail, "local") || !strcmp(tail, "remote"))) {
        *kind = SIMHOSTS_WATCH_PORT;
        return true;
    }
    if (sscanf(key, "sw0/seg/%u/%15s", index, tail) == 2
        && !strcmp(tail, "flood")) {
        *kind = SIMHOSTS_WATCH_SEGMENT;
        return *index < MAX_SEGMENTS;
    }
    return false;
}

static void
host_set_group(struct simhost *h, enum simhosts_watch_kind kind,
               unsigned int index, bool held)
{
    struct simhosts *s = h->hosts;
    unsigned long *held_map, *expected_map;

    if (kind == SIMHOSTS_WATCH_PORT) {
        if (index >= s->n_port_bits) {
            return;
        }
        held_map = h->held_ports;
        expected_map = h->expected_ports;
    } else {
        held_map = h->held_segments;
        expected_map = h->expected_segments;
    }
    if (bitmap_is_set(held_map, index) == held) {
        return;
    }
    bitmap_set(held_map, index, held);
    if (bitmap_is_set(expected_map, index)) {
        if (held) {
            h->missing--;
        } else {
            h->missing++;
        }
    }
}

static void
host_apply_update(struct simhost *h, const Dvs__StateUpdate *u)
{
    struct simhosts *s = h->hosts;
    uint64_t now = uv_hrtime();
    bool seen_watched = false;

    if (u->has_full && u->full) {
        bitmap_set_multiple(h->held_ports, 0, s->n_port_bits, false);
        bitmap_set_multiple(h->held_segments, 0, MAX_SEGMENTS, false);
        h->missing = (bitmap_count1(h->expected_ports, s->n_port_bits)
                      + bitmap_count1(h->expected_segments, MAX_SEGMENTS));
    }
    for (size_t i = 0; i < u->n_deleted_flow_groups; i++) {
        enum simhosts_watch_kind kind;
        unsigned int index;
        if (parse_group_key(u->deleted_flow_groups[i], &kind, &index)) {
            host_set_group(h, kind, index, false);
        }
    }
    for (size_t i = 0; i < u->n_flow_groups; i++) {
        enum simhosts_watch_kind kind;
        unsigned int index;
        if (parse_group_key(u->flow_groups[i]->key, &kind, &index)) {
            host_set_group(h, kind, index, true);
            if (kind == s->watch_kind && index == s->watch_index) {
                seen_watched = true;
            }
        }
    }

    if (!h->converged && !h->missing) {
        h->converged = true;
        if (++s->n_converged == s->topo.n_hosts) {
            s->cbs->converged(now - s->start_ns, s->aux);
        }
    }
    if (h->watched && seen_watched) {
        h->watched = false;
        if (!--s->n_watching) {
            s->cbs->watch_done(now, s->aux);
        }
    }
}

static void
send_bindings(struct simhost *h, const unsigned int *ports, size_t n,
              bool full)
{
    Dvs__Binding *bindings = xcalloc(n, sizeof *bindings);
    Dvs__Binding **ptrs = xcalloc(n, sizeof *ptrs);
    char (*names)[16] = xcalloc(n, sizeof *names);
    char (*ifaces)[24] = xcalloc(n, sizeof *ifaces);
    char (*macs)[18] = xcalloc(n, sizeof *macs);

    for (size_t i = 0; i < n; i++) {
        Dvs__Binding *b = &bindings[i];
        dvs__binding__init(b);
        snprintf(names[i], sizeof names[i], "p%u", ports[i]);
        snprintf(ifaces[i], sizeof ifaces[i], "vif%zu", i + 1);
        bench_port_mac(ports[i], macs[i]);
        b->port = names[i];
        b->bridge = "sw0";
        b->interface = ifaces[i];
        b->has_ofport = true;
        b->ofport = i + 1;
        b->mac = macs[i];
        b->has_up = true;
        b->up = true;
        ptrs[i] = b;
    }

    Dvs__Bindings msg = DVS__BINDINGS__INIT;
    msg.has_full = true;
    msg.full = full;
    msg.n_bindings = n;
    msg.bindings = ptrs;
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    env.body_case = DVS__ENVELOPE__BODY_BINDINGS;
    env.bindings = &msg;
    dvs_client_send(h->client, &env);

    free(bindings);
    free(ptrs);
    free(names);
    free(ifaces);
    free(macs);
}

static void
host_connected(struct dvs_conn *conn, void *h_)
{
    struct simhost *h = h_;
    char pnic[] = "eth0";
    char *pnics[] = { pnic };

    Dvs__Hello hello = DVS__HELLO__INIT;
    hello.protocol_version = DVS_PROTOCOL_VERSION;
    hello.host = h->name;
    hello.agent_version = "bench";
    hello.n_pnics = 1;
    hello.pnics = pnics;
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    env.body_case = DVS__ENVELOPE__BODY_HELLO;
    env.hello = &hello;
    dvs_conn_send(conn, &env);
}

static void
host_received(struct dvs_conn *conn, Dvs__Envelope *env, void *h_)
{
    struct simhost *h = h_;
    struct simhosts *s = h->hosts;

    s->bytes_received += (dvs__envelope__get_packed_size(env)
                          + DVS_WIRE_HEADER_SIZE);
    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_HELLO_REPLY:
        if (env->hello_reply->has_heartbeat_interval_ms) {
            dvs_conn_set_heartbeat(conn,
                                   env->hello_reply->heartbeat_interval_ms);
        }
        send_bindings(h, h->ports, h->n_ports, true);
        break;

    case DVS__ENVELOPE__BODY_STATE: {
        const Dvs__StateUpdate *u = env->state;
        s->updates_received++;
        host_apply_update(h, u);

        Dvs__Ack ack = DVS__ACK__INIT;
        ack.generation = u->generation;
        ack.epoch = u->epoch;
        Dvs__Envelope reply = DVS__ENVELOPE__INIT;
        reply.body_case = DVS__ENVELOPE__BODY_ACK;
        reply.ack = &ack;
        dvs_conn_send(conn, &reply);
        break;
    }

    case DVS__ENVELOPE__BODY_ERROR:
        VLOG_WARN("%s: controller refused: %s", h->name,
                  env->error->message ? env->error->message : "");
        break;

    default:
        break;
    }
    dvs_wire_envelope_free(env);
}

/* A connection that the controller closes is retried by dvs-conn's backoff,
 * as an agent's would be: the controller may close connections that wait
 * for their Hello beyond its limit (2,000 hosts connecting at once, as after
 * a controller restart), so this is counted, not logged one by one. */
static void
host_closed(struct dvs_conn *conn OVS_UNUSED, const char *reason, void *h_)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct simhost *h = h_;

    h->hosts->closed_connections++;
    VLOG_DBG_RL(&rl, "%s: connection closed: %s", h->name, reason);
}

static const struct dvs_conn_callbacks host_callbacks = {
    .connected = host_connected,
    .received = host_received,
    .closed = host_closed,
};

void
simhosts_start(struct simhosts *s)
{
    struct dvs_conn_options options;

    dvs_conn_options_init(&options);
    /* Hosts that connect all at once may wait for the controller to
     * accept them: let them wait rather than give up. */
    options.connect_timeout_ms = 60000;
    options.backoff_min_ms = 100;

    s->start_ns = uv_hrtime();
    for (unsigned int i = 0; i < s->topo.n_hosts; i++) {
        struct simhost *h = &s->hosts[i];
        char *error = dvs_client_create(s->loop, s->controller, &options,
                                        &host_callbacks, h, &h->client);
        if (error) {
            ovs_fatal(0, "%s", error);
        }
    }
}

void
simhosts_bind(struct simhosts *s, unsigned int host, unsigned int port)
{
    struct simhost *h = &s->hosts[host];

    host_add_port(h, port);
    send_bindings(h, &port, 1, false);
}

void
simhosts_watch(struct simhosts *s, enum simhosts_watch_kind kind,
               unsigned int index, const unsigned int *hosts,
               size_t n_hosts)
{
    for (unsigned int i = 0; i < s->topo.n_hosts; i++) {
        s->hosts[i].watched = false;
    }
    s->watch_kind = kind;
    s->watch_index = index;
    s->n_watching = 0;
    for (size_t i = 0; i < n_hosts; i++) {
        struct simhost *h = &s->hosts[hosts[i]];
        if (!h->watched) {
            h->watched = true;
            s->n_watching++;
        }
    }
}

uint64_t
simhosts_bytes_received(const struct simhosts *s)
{
    return s->bytes_received;
}

uint64_t
simhosts_updates_received(const struct simhosts *s)
{
    return s->updates_received;
}

uint64_t
simhosts_closed_connections(const struct simhosts *s)
{
    return s->closed_connections;
}

void
simhosts_destroy(struct simhosts *s)
{
    if (!s) {
        return;
    }
    for (unsigned int i = 0; i < s->topo.n_hosts; i++) {
        struct simhost *h = &s->hosts[i];
        dvs_client_destroy(h->client);
        free(h->ports);
        free(h->held_ports);
        free(h->expected_ports);
        free(h->held_segments);
        free(h->expected_segments);
    }
    free(s->hosts);
    free(s->controller);
    free(s);
}
