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

/* Unit tests for lib/dvs-conn.c and lib/dvs-mailbox.c: real servers and
 * clients over 127.0.0.1 on ephemeral ports, and a real OVS thread beside
 * the libuv loop, all inside this process.  Every wait runs the loop until
 * a condition holds, bounded by a deadline; nothing sleeps. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <uv.h>
#include "fatal-signal.h"
#include "lib/dvs-conn.h"
#include "lib/dvs-mailbox.h"
#include "lib/dvs-tls.h"
#include "lib/dvs-wire.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "ovs-atomic.h"
#include "ovs-thread.h"
#include "util.h"

#include "tests/test-dvs.h"

/* The loop and its deadline. */

static uv_loop_t loop;
static uv_timer_t deadline;
static bool expired;

static void
deadline_cb(uv_timer_t *timer OVS_UNUSED)
{
    expired = true;
}

static void
loop_init(void)
{
    assert_int_equal(uv_loop_init(&loop), 0);
    uv_timer_init(&loop, &deadline);
}

/* Runs the loop until COND holds; fails if it does not within MS ms. */
#define RUN_UNTIL(COND, MS)                                             \
    do {                                                                \
        expired = false;                                                \
        uv_timer_start(&deadline, deadline_cb, (MS), 0);                \
        while (!(COND) && !expired) {                                   \
            uv_run(&loop, UV_RUN_ONCE);                                 \
        }                                                               \
        uv_timer_stop(&deadline);                                       \
        if (!(COND)) {                                                  \
            fail_msg("%s:%d: still false after %d ms: %s",              \
                     __FILE__, __LINE__, (MS), #COND);                  \
        }                                                               \
    } while (0)

/* Runs the loop for 'ms' milliseconds. */
static void
run_for(unsigned int ms)
{
    expired = false;
    uv_timer_start(&deadline, deadline_cb, ms, 0);
    while (!expired) {
        uv_run(&loop, UV_RUN_ONCE);
    }
}

static void
print_handle(uv_handle_t *handle, void *aux OVS_UNUSED)
{
    print_error("left open: handle of type %s%s\n",
                uv_handle_type_name(uv_handle_get_type(handle)),
                uv_is_closing(handle) ? " (closing)" : "");
}

/* Closes the deadline and runs the loop until every handle has closed:
 * whatever the test destroyed must go away on its own. */
static void
loop_finish(void)
{
    uv_close((uv_handle_t *) &deadline, NULL);

    uint64_t end = uv_hrtime() + 2000ULL * 1000 * 1000;
    while (uv_loop_alive(&loop) && uv_hrtime() < end) {
        uv_run(&loop, UV_RUN_NOWAIT);
    }
    if (uv_loop_close(&loop)) {
        uv_walk(&loop, print_handle, NULL);
        fail_msg("the loop still has handles");
    }
}

static uint64_t
now_ms(void)
{
    return uv_hrtime() / (1000 * 1000);
}

static bool
starts_with(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

/* Controller-like and agent-like callbacks. */

struct side {
    /* Settings. */
    uint32_t hello_version;     /* Client: version its Hello announces. */
    const char *host;           /* Client: host its Hello names. */
    struct dvs_mailbox *mb;     /* Server: pass Hellos to the OVS thread. */

    /* What happened. */
    int n_connected;
    int n_closed;
    int n_hello;
    int n_hello_reply;
    int n_state;
    int n_status;
    int n_error;
    struct dvs_conn *conn;      /* Last connected, until it closes. */
    char *last_host;
    char *last_epoch;
    char *last_reason;
    char *last_closed_name;
    Dvs__Error__Code last_error_code;
};

static void
side_destroy(struct side *side)
{
    free(side->last_host);
    free(side->last_epoch);
    free(side->last_reason);
    free(side->last_closed_name);
}

static void
send_hello_reply(struct dvs_conn *conn, const char *epoch)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__HelloReply reply = DVS__HELLO_REPLY__INIT;

    reply.protocol_version = DVS_PROTOCOL_VERSION;
    reply.epoch = CONST_CAST(char *, epoch);
    env.body_case = DVS__ENVELOPE__BODY_HELLO_REPLY;
    env.hello_reply = &reply;
    assert_true(dvs_conn_send(conn, &env));
}

static bool
send_status(struct dvs_conn *conn, const char *state)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Status status = DVS__STATUS__INIT;

    status.state = CONST_CAST(char *, state);
    env.body_case = DVS__ENVELOPE__BODY_STATUS;
    env.status = &status;
    return dvs_conn_send(conn, &env);
}

static void
record_connected(struct dvs_conn *conn, void *side_)
{
    struct side *side = side_;

    side->n_connected++;
    side->conn = conn;
}

static void
record_closed(struct dvs_conn *conn, const char *reason, void *side_)
{
    struct side *side = side_;

    side->n_closed++;
    free(side->last_reason);
    side->last_reason = xstrdup(reason);
    free(side->last_closed_name);
    side->last_closed_name = xstrdup(dvs_conn_get_name(conn));
    if (side->conn == conn) {
        side->conn = NULL;
    }
}

static void
record_received(struct side *side, const Dvs__Envelope *env)
{
    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_HELLO:
        side->n_hello++;
        free(side->last_host);
        side->last_host = xstrdup(env->hello->host);
        break;
    case DVS__ENVELOPE__BODY_HELLO_REPLY:
        side->n_hello_reply++;
        free(side->last_epoch);
        side->last_epoch = xstrdup(env->hello_reply->epoch);
        break;
    case DVS__ENVELOPE__BODY_STATE:
        side->n_state++;
        break;
    case DVS__ENVELOPE__BODY_STATUS:
        side->n_status++;
        break;
    case DVS__ENVELOPE__BODY_ERROR:
        side->n_error++;
        side->last_error_code = env->error->code;
        break;
    case DVS__ENVELOPE__BODY_HEARTBEAT:
        fail_msg("heartbeats are not passed on");
        break;
    case DVS__ENVELOPE__BODY_ACK:
    case DVS__ENVELOPE__BODY_BINDINGS:
    case DVS__ENVELOPE__BODY_STATISTICS:
    case DVS__ENVELOPE__BODY__NOT_SET:
    case _DVS__ENVELOPE__BODY__CASE_IS_INT_SIZE:
    default:
        break;
    }
}

enum { MSG_HELLO = 100, MSG_EPOCH };

/* A Hello on its way to the OVS thread and back. */
struct hello_job {
    struct dvs_conn *conn;
    Dvs__Envelope *env;         /* The Hello, going. */
    char *epoch;                /* The answer, coming back. */
};

static void
hello_job_free(void *job_)
{
    struct hello_job *job = job_;

    dvs_wire_envelope_free(job->env);
    free(job->epoch);
    free(job);
}

/* The controller: answers a Hello of the right version with a HelloReply,
 * itself or through the OVS thread, and refuses another version. */
static void
server_received(struct dvs_conn *conn, Dvs__Envelope *env, void *side_)
{
    struct side *side = side_;

    record_received(side, env);
    if (env->body_case == DVS__ENVELOPE__BODY_HELLO) {
        char *error = dvs_wire_check_version(env->hello->protocol_version);
        if (error) {
            dvs_conn_close_with_error(conn,
                                      DVS__ERROR__CODE__VERSION_MISMATCH,
                                      error);
            free(error);
        } else if (side->mb) {
            struct hello_job *job = xzalloc(sizeof *job);

            job->conn = conn;
            job->env = env;
            dvs_mailbox_send_to_ovs(side->mb, MSG_HELLO, job, sizeof *job,
                                    hello_job_free);
            return;
        } else {
            send_hello_reply(conn, "epoch-1");
        }
    }
    dvs__envelope__free_unpacked(env, NULL);
}

static const struct dvs_conn_callbacks server_cbs = {
    .connected = record_connected,
    .received = server_received,
    .closed = record_closed,
};

/* The agent: sends its Hello once connected. */
static void
client_connected(struct dvs_conn *conn, void *side_)
{
    struct side *side = side_;
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Hello hello = DVS__HELLO__INIT;

    record_connected(conn, side);
    hello.protocol_version = (side->hello_version
                              ? side->hello_version : DVS_PROTOCOL_VERSION);
    hello.host = CONST_CAST(char *, side->host ? side->host : "agent-1");
    env.body_case = DVS__ENVELOPE__BODY_HELLO;
    env.hello = &hello;
    assert_true(dvs_conn_send(conn, &env));
}

static void
client_received(struct dvs_conn *conn OVS_UNUSED, Dvs__Envelope *env,
                void *side_)
{
    record_received(side_, env);
    dvs__envelope__free_unpacked(env, NULL);
}

static const struct dvs_conn_callbacks client_cbs = {
    .connected = client_connected,
    .received = client_received,
    .closed = record_closed,
};

/* Starts a server on an ephemeral port of 127.0.0.1 and returns it; stores
 * "tcp:127.0.0.1:PORT" for clients in '*targetp'. */
static struct dvs_server *
start_server(const struct dvs_conn_options *o, struct side *side,
             char **targetp)
{
    struct dvs_server *server;

    ASSERT_OK(dvs_server_create(&loop, "ptcp:0:127.0.0.1", o, &server_cbs,
                                side, &server));
    uint16_t port = dvs_server_get_port(server);
    assert_true(port != 0);
    *targetp = xasprintf("tcp:127.0.0.1:%"PRIu16, port);
    return server;
}

static struct dvs_client *
start_client(const char *targets, const struct dvs_conn_options *o,
             struct side *side)
{
    struct dvs_client *client;

    ASSERT_OK(dvs_client_create(&loop, targets, o, &client_cbs, side,
                                &client));
    return client;
}

/* Raw TCP peers, which do what a dvs_conn never would. */

struct raw_peer {
    uv_tcp_t tcp;
    uv_connect_t connect_req;
    bool read;                  /* Read (and decode) what arrives. */
    bool connected;
    bool eof;
    bool closed;
    struct dvs_wire_decoder decoder;
    int n_errors;
    Dvs__Error__Code error_code;
    char *error_message;
};

static void
raw_alloc_cb(uv_handle_t *handle OVS_UNUSED, size_t suggested,
             uv_buf_t *buf)
{
    buf->base = xmalloc(suggested);
    buf->len = suggested;
}

static void
raw_read_cb(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct raw_peer *p = stream->data;

    if (n < 0) {
        p->eof = true;
        uv_read_stop(stream);
    } else {
        const uint8_t *data = (const uint8_t *) buf->base;
        size_t left = n;

        while (left) {
            Dvs__Envelope *env;

            ASSERT_OK(dvs_wire_decode(&p->decoder, &data, &left, &env));
            if (env && env->body_case == DVS__ENVELOPE__BODY_ERROR) {
                p->n_errors++;
                p->error_code = env->error->code;
                free(p->error_message);
                p->error_message = xstrdup(env->error->message);
            }
            dvs_wire_envelope_free(env);
        }
    }
    free(buf->base);
}

static void
raw_connect_cb(uv_connect_t *req, int status)
{
    struct raw_peer *p = req->data;

    assert_int_equal(status, 0);
    p->connected = true;
    if (p->read) {
        assert_int_equal(uv_read_start((uv_stream_t *) &p->tcp,
                                       raw_alloc_cb, raw_read_cb), 0);
    }
}

/* Connects 'p' to 'port' of 127.0.0.1; it reads if 'read'. */
static void
raw_connect(struct raw_peer *p, const char *target, bool read)
{
    struct sockaddr_storage ss;

    memset(p, 0, sizeof *p);
    p->read = read;
    dvs_wire_decoder_init(&p->decoder, 0);
    uv_tcp_init(&loop, &p->tcp);
    p->tcp.data = p;
    p->connect_req.data = p;
    ASSERT_OK(dvs_conn_parse_active(target, &ss));
    assert_int_equal(uv_tcp_connect(&p->connect_req, &p->tcp,
                                    (struct sockaddr *) &ss,
                                    raw_connect_cb), 0);
    RUN_UNTIL(p->connected, 2000);
}

static void
raw_send(struct raw_peer *p, const void *data, size_t n)
{
    uv_buf_t buf = uv_buf_init(CONST_CAST(char *, data), n);
    assert_int_equal(uv_try_write((uv_stream_t *) &p->tcp, &buf, 1), n);
}

/* "tcp:127.0.0.1:PORT" for the local end of 'p': the name the server gives
 * the connection. */
static char *
raw_name(struct raw_peer *p)
{
    struct sockaddr_in sin;
    int len = sizeof sin;

    assert_int_equal(uv_tcp_getsockname(&p->tcp, (struct sockaddr *) &sin,
                                        &len), 0);
    return xasprintf("tcp:127.0.0.1:%d", ntohs(sin.sin_port));
}

static void
raw_closed_cb(uv_handle_t *handle)
{
    struct raw_peer *p = handle->data;

    p->closed = true;
}

static void
raw_close(struct raw_peer *p)
{
    uv_close((uv_handle_t *) &p->tcp, raw_closed_cb);
    RUN_UNTIL(p->closed, 1000);
    dvs_wire_decoder_destroy(&p->decoder);
    free(p->error_message);
}

/* A listener that accepts and then neither reads nor writes. */
struct raw_server {
    uv_tcp_t listener;
    uv_tcp_t conns[8];
    int n_accepted;
    char *target;
};

static void
raw_server_connection_cb(uv_stream_t *listener, int status)
{
    struct raw_server *rs = listener->data;

    assert_int_equal(status, 0);
    assert_true(rs->n_accepted < ARRAY_SIZE(rs->conns));
    uv_tcp_t *tcp = &rs->conns[rs->n_accepted++];
    uv_tcp_init(&loop, tcp);
    assert_int_equal(uv_accept(listener, (uv_stream_t *) tcp), 0);
}

static void
raw_server_start(struct raw_server *rs)
{
    struct sockaddr_storage ss;
    struct sockaddr_in sin;
    int len = sizeof sin;

    memset(rs, 0, sizeof *rs);
    ASSERT_OK(dvs_conn_parse_passive("ptcp:0:127.0.0.1", &ss));
    uv_tcp_init(&loop, &rs->listener);
    rs->listener.data = rs;
    assert_int_equal(uv_tcp_bind(&rs->listener, (struct sockaddr *) &ss, 0),
                     0);
    assert_int_equal(uv_listen((uv_stream_t *) &rs->listener, 8,
                               raw_server_connection_cb), 0);
    uv_tcp_getsockname(&rs->listener, (struct sockaddr *) &sin, &len);
    rs->target = xasprintf("tcp:127.0.0.1:%d", ntohs(sin.sin_port));
}

static void
raw_server_stop(struct raw_server *rs)
{
    for (int i = 0; i < rs->n_accepted; i++) {
        uv_close((uv_handle_t *) &rs->conns[i], NULL);
    }
    uv_close((uv_handle_t *) &rs->listener, NULL);
    free(rs->target);
}

/* A port of 127.0.0.1 where nobody listens: bound, so that nobody else
 * takes it, but not listening, so connections to it are refused. */
static char *
bind_dead_port(uv_tcp_t *tcp, uint16_t *portp)
{
    struct sockaddr_storage ss;
    struct sockaddr_in sin;
    int len = sizeof sin;

    ASSERT_OK(dvs_conn_parse_passive("ptcp:0:127.0.0.1", &ss));
    uv_tcp_init(&loop, tcp);
    assert_int_equal(uv_tcp_bind(tcp, (struct sockaddr *) &ss, 0), 0);
    uv_tcp_getsockname(tcp, (struct sockaddr *) &sin, &len);
    *portp = ntohs(sin.sin_port);
    return xasprintf("tcp:127.0.0.1:%"PRIu16, *portp);
}

static void
short_options(struct dvs_conn_options *o)
{
    dvs_conn_options_init(o);
    o->backoff_min_ms = 20;
    o->backoff_max_ms = 160;
    o->connect_timeout_ms = 1000;
}

static void big_state(Dvs__Envelope *, Dvs__StateUpdate *, Dvs__FlowGroup *,
                      Dvs__FlowGroup **, Dvs__Flow *, Dvs__Flow **,
                      size_t size, char **bufp);

/* Connections. */

static void
test_hello_exchange(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = "agent-1" };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *client = start_client(target, &o, &cli);

    RUN_UNTIL(cli.n_hello_reply == 1, 2000);
    assert_int_equal(srv.n_hello, 1);
    assert_string_equal(srv.last_host, "agent-1");
    assert_string_equal(cli.last_epoch, "epoch-1");
    assert_int_equal(dvs_server_n_conns(server), 1);
    assert_ptr_equal(dvs_client_get_conn(client), cli.conn);
    assert_string_equal(dvs_conn_get_name(cli.conn), target);
    assert_string_equal(dvs_client_get_target(client), target);
    assert_true(starts_with(dvs_conn_get_name(srv.conn), "tcp:127.0.0.1:"));
    assert_true(dvs_conn_is_open(srv.conn));

    /* Both ways, and per-connection data. */
    dvs_conn_set_user_data(srv.conn, &srv);
    assert_ptr_equal(dvs_conn_get_user_data(srv.conn), &srv);
    assert_true(dvs_client_send(client, &(Dvs__Envelope) {
        .base = PROTOBUF_C_MESSAGE_INIT(&dvs__envelope__descriptor),
        .body_case = DVS__ENVELOPE__BODY_STATUS,
        .status = &(Dvs__Status) DVS__STATUS__INIT,
    }));
    RUN_UNTIL(srv.n_status == 1, 2000);
    assert_true(send_status(srv.conn, "up"));
    RUN_UNTIL(cli.n_status == 1, 2000);

    /* A frame encoded elsewhere (e.g. on the OVS thread). */
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Status status = DVS__STATUS__INIT;
    uint8_t *frame;
    size_t size;
    env.body_case = DVS__ENVELOPE__BODY_STATUS;
    env.status = &status;
    ASSERT_OK(dvs_wire_encode(&env, 0, &frame, &size));
    assert_true(dvs_conn_send_frame(srv.conn, frame, size));
    RUN_UNTIL(cli.n_status == 2, 2000);

    /* Destroying calls no callback. */
    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    assert_int_equal(cli.n_closed, 0);
    assert_int_equal(srv.n_closed, 0);
    assert_int_equal(cli.n_connected, 1);

    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_version_mismatch(void **state OVS_UNUSED)
{
    static const char expected[] = "protocol version mismatch: this side "
        "speaks version 1, the peer speaks version 2";
    struct side srv = { .host = NULL }, cli = { .hello_version = 2 };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    o.backoff_min_ms = 10000;    /* No second attempt during the test. */
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *client = start_client(target, &o, &cli);

    RUN_UNTIL(cli.n_closed == 1 && srv.n_closed == 1, 2000);
    assert_int_equal(cli.n_error, 1);
    assert_int_equal(cli.last_error_code, DVS__ERROR__CODE__VERSION_MISMATCH);
    char *reason = xasprintf("peer sent error VERSION_MISMATCH: %s",
                             expected);
    assert_string_equal(cli.last_reason, reason);
    free(reason);
    reason = xasprintf("sent error VERSION_MISMATCH: %s", expected);
    assert_string_equal(srv.last_reason, reason);
    free(reason);
    assert_int_equal(cli.n_hello_reply, 0);
    assert_int_equal(dvs_server_n_conns(server), 0);
    assert_null(dvs_client_get_conn(client));

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_reconnect_after_server_close(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *client = start_client(target, &o, &cli);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);

    /* What was sent before the close arrives before the close. */
    Dvs__Envelope env;
    Dvs__StateUpdate su;
    Dvs__FlowGroup fg, *fgs[1];
    Dvs__Flow flow, *flows[1];
    char *buf;
    big_state(&env, &su, &fg, fgs, &flow, flows, 4 * 1024 * 1024, &buf);
    assert_true(dvs_conn_send(srv.conn, &env));
    free(buf);
    dvs_conn_close(srv.conn, "controller restarts the session");
    assert_int_equal(srv.n_closed, 1);
    assert_string_equal(srv.last_reason, "controller restarts the session");
    assert_null(srv.conn);

    RUN_UNTIL(cli.n_closed == 1, 2000);
    assert_int_equal(cli.n_state, 1);
    RUN_UNTIL(cli.n_hello_reply == 2, 2000);
    assert_int_equal(cli.n_closed, 1);
    assert_string_equal(cli.last_reason, "connection closed by peer");
    assert_int_equal(cli.n_connected, 2);
    assert_int_equal(srv.n_connected, 2);
    assert_int_equal(srv.n_hello, 2);
    assert_int_equal(dvs_server_n_conns(server), 1);
    assert_int_equal(dvs_client_get_backoff(client), 20);

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_failover_to_second_controller(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    uv_tcp_t dead;
    uint16_t dead_port;
    char *live;

    loop_init();
    short_options(&o);
    /* Failing over must not wait for a backoff. */
    o.backoff_min_ms = o.backoff_max_ms = 10000;
    char *dead_target = bind_dead_port(&dead, &dead_port);
    struct dvs_server *server = start_server(&o, &srv, &live);
    char *targets = xasprintf("%s,%s", dead_target, live);
    struct dvs_client *client = start_client(targets, &o, &cli);

    uint64_t start = now_ms();
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);
    assert_true(now_ms() - start < 1000);
    assert_string_equal(dvs_client_get_target(client), live);
    assert_string_equal(dvs_conn_get_name(cli.conn), live);
    assert_int_equal(cli.n_connected, 1);
    assert_int_equal(cli.n_closed, 0);

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    uv_close((uv_handle_t *) &dead, NULL);
    loop_finish();
    free(targets);
    free(dead_target);
    free(live);
    side_destroy(&srv);
    side_destroy(&cli);
}

/* With no controller, waits double up to the maximum; a useful session
 * resets them. */
static void
test_backoff(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    uv_tcp_t dead;
    uint16_t port;

    loop_init();
    short_options(&o);
    o.backoff_min_ms = 10;
    o.backoff_max_ms = 40;
    char *target = bind_dead_port(&dead, &port);
    struct dvs_client *client = start_client(target, &o, &cli);

    assert_int_equal(dvs_client_get_backoff(client), 10);
    RUN_UNTIL(dvs_client_get_backoff(client) == 20, 1000);
    RUN_UNTIL(dvs_client_get_backoff(client) == 40, 1000);
    run_for(100);
    assert_int_equal(dvs_client_get_backoff(client), 40);
    assert_int_equal(cli.n_connected, 0);

    /* The controller comes up on that port. */
    uv_close((uv_handle_t *) &dead, NULL);
    run_for(1);
    char *name = xasprintf("ptcp:%"PRIu16":127.0.0.1", port);
    struct dvs_server *server;
    ASSERT_OK(dvs_server_create(&loop, name, &o, &server_cbs, &srv,
                                &server));
    free(name);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);

    dvs_conn_close(srv.conn, "restart");
    RUN_UNTIL(cli.n_hello_reply == 2, 2000);
    assert_int_equal(dvs_client_get_backoff(client), 10);

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

/* A peer that connects and says nothing is dropped after 3 heartbeat
 * intervals; a peer that heartbeats stays. */
static void
test_heartbeat_timeout_server_side(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    struct raw_peer silent;
    char *target;

    loop_init();
    short_options(&o);
    o.heartbeat_ms = 50;
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *client = start_client(target, &o, &cli);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);

    uint64_t start = now_ms();
    raw_connect(&silent, target, true);
    char *silent_name = raw_name(&silent);
    RUN_UNTIL(srv.n_closed == 1, 2000);
    /* 3 x 50 ms, give or take the coarse clock libuv's timers use. */
    assert_true(now_ms() - start >= 140);
    assert_string_equal(srv.last_closed_name, silent_name);
    assert_true(starts_with(srv.last_reason, "no message for "));
    assert_non_null(strstr(srv.last_reason, "(heartbeat interval 50 ms)"));
    RUN_UNTIL(silent.eof, 1000);

    /* The well-behaved client lives on through many intervals. */
    run_for(300);
    assert_int_equal(cli.n_closed, 0);
    assert_int_equal(srv.n_closed, 1);
    assert_int_equal(dvs_server_n_conns(server), 1);
    assert_true(send_status(cli.conn, "up"));
    RUN_UNTIL(srv.n_status == 1, 1000);

    raw_close(&silent);
    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(silent_name);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

/* A controller that accepts and says nothing is dropped too, and the client
 * tries again. */
static void
test_heartbeat_timeout_client_side(void **state OVS_UNUSED)
{
    struct side cli = { .host = NULL };
    struct dvs_conn_options o;
    struct raw_server rs;

    loop_init();
    short_options(&o);
    o.heartbeat_ms = 50;
    raw_server_start(&rs);
    struct dvs_client *client = start_client(rs.target, &o, &cli);

    uint64_t start = now_ms();
    RUN_UNTIL(cli.n_closed == 1, 2000);
    assert_true(now_ms() - start >= 140);
    assert_true(starts_with(cli.last_reason, "no message for "));
    RUN_UNTIL(rs.n_accepted == 2, 2000);

    dvs_client_destroy(client);
    raw_server_stop(&rs);
    loop_finish();
    side_destroy(&cli);
}

/* Bytes that do not frame, unpack or validate make the server send an Error
 * BAD_MESSAGE and drop that peer; another client goes on working. */
static void
test_garbage_dropped(void **state OVS_UNUSED)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    static const uint8_t garbled[] = { 0, 0, 0, 5, 0x7f, 0xff, 0xff, 0xff,
                                       0xff };
    static const uint8_t zero[] = { 0, 0, 0, 0 };
    /* A Hello with an empty host: unpacks, does not validate. */
    static const uint8_t empty_host[] = { 0, 0, 0, 6, 0x0a, 0x04, 0x08, 0x01,
                                          0x12, 0x00 };
    static const struct {
        const void *data;
        size_t size;
        const char *error;
    } cases[] = {
        /* Before its Hello, a peer may send only a small frame. */
        { http, sizeof http - 1,
          "frame length 1195725856 exceeds the maximum frame size of "
          "65536 bytes" },
        { garbled, sizeof garbled,
          "frame of 5 bytes is not a valid Envelope" },
        { zero, sizeof zero, "zero-length frame" },
        { empty_host, sizeof empty_host,
          "Hello: host: \"\" is not a valid name (accepted: 1 to 64 "
          "characters)" },
    };
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *client = start_client(target, &o, &cli);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct raw_peer bad;

        raw_connect(&bad, target, true);
        raw_send(&bad, cases[i].data, cases[i].size);
        RUN_UNTIL(bad.eof, 2000);
        assert_int_equal(bad.n_errors, 1);
        assert_int_equal(bad.error_code, DVS__ERROR__CODE__BAD_MESSAGE);
        assert_string_equal(bad.error_message, cases[i].error);

        assert_int_equal(srv.n_closed, i + 1);
        char *reason = xasprintf("sent error BAD_MESSAGE: %s",
                                 cases[i].error);
        assert_string_equal(srv.last_reason, reason);
        free(reason);
        raw_close(&bad);

        /* The good client is not disturbed. */
        assert_true(send_status(cli.conn, "up"));
        RUN_UNTIL(srv.n_status == i + 1, 1000);
        assert_int_equal(dvs_server_n_conns(server), 1);
    }
    assert_int_equal(cli.n_closed, 0);

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

/* Fills 'env' with a StateUpdate of about 'size' bytes; free '*bufp'. */
static void
big_state(Dvs__Envelope *env, Dvs__StateUpdate *su, Dvs__FlowGroup *fg,
          Dvs__FlowGroup **fgs, Dvs__Flow *flow, Dvs__Flow **flows,
          size_t size, char **bufp)
{
    char *actions = xmalloc(size + 1);

    memset(actions, 'a', size);
    actions[size] = '\0';
    *bufp = actions;

    dvs__flow__init(flow);
    flow->match = "";
    flow->actions = actions;
    flows[0] = flow;
    dvs__flow_group__init(fg);
    fg->key = "big";
    fg->bridge = "br";
    fg->n_flows = 1;
    fg->flows = flows;
    fgs[0] = fg;
    dvs__state_update__init(su);
    su->generation = 1;
    su->epoch = "e";
    su->n_flow_groups = 1;
    su->flow_groups = fgs;
    dvs__envelope__init(env);
    env->body_case = DVS__ENVELOPE__BODY_STATE;
    env->state = su;
}

/* A peer that does not read is dropped once its unsent output passes the
 * limit; a frame larger than the limit still reaches a peer that reads. */
static void
test_backlog_drop(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    Dvs__Envelope env;
    Dvs__StateUpdate su;
    Dvs__FlowGroup fg, *fgs[1];
    Dvs__Flow flow, *flows[1];
    struct raw_peer deaf;
    char *target, *buf;

    loop_init();
    short_options(&o);
    o.heartbeat_ms = 0;
    o.max_backlog = 256 * 1024;
    struct dvs_server *server = start_server(&o, &srv, &target);

    /* One 1 MiB frame to a client that reads. */
    struct dvs_client *client = start_client(target, &o, &cli);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);
    big_state(&env, &su, &fg, fgs, &flow, flows, 1024 * 1024, &buf);
    assert_true(dvs_conn_send(srv.conn, &env));
    RUN_UNTIL(cli.n_state == 1, 2000);
    free(buf);
    assert_int_equal(srv.n_closed, 0);

    /* 64 kB frames to one that does not read. */
    raw_connect(&deaf, target, false);
    RUN_UNTIL(srv.n_connected == 2, 1000);
    struct dvs_conn *conn = srv.conn;
    char *deaf_name = raw_name(&deaf);
    assert_string_equal(dvs_conn_get_name(conn), deaf_name);
    big_state(&env, &su, &fg, fgs, &flow, flows, 64 * 1024, &buf);
    int n_sent = 0;
    while (n_sent < 4096 && dvs_conn_send(conn, &env)) {
        n_sent++;
    }
    free(buf);
    assert_true(n_sent < 4096);
    assert_false(dvs_conn_is_open(conn));
    /* The drop is reported from the loop, not from inside the send. */
    assert_int_equal(srv.n_closed, 0);

    RUN_UNTIL(srv.n_closed == 1, 1000);
    assert_string_equal(srv.last_closed_name, deaf_name);
    assert_true(starts_with(srv.last_reason, "peer does not read: "));
    assert_non_null(strstr(srv.last_reason, "limit 262144"));
    assert_int_equal(dvs_server_n_conns(server), 1);

    raw_close(&deaf);
    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(deaf_name);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_overloaded(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, a = { .host = "a" }, b = {
        .host = "b" };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    o.max_conns = 1;
    o.backoff_min_ms = o.backoff_max_ms = 10000;
    struct dvs_server *server = start_server(&o, &srv, &target);
    struct dvs_client *ca = start_client(target, &o, &a);
    RUN_UNTIL(a.n_hello_reply == 1, 2000);
    struct dvs_client *cb = start_client(target, &o, &b);

    RUN_UNTIL(b.n_closed == 1, 2000);
    assert_int_equal(b.n_error, 1);
    assert_int_equal(b.last_error_code, DVS__ERROR__CODE__OVERLOADED);
    assert_string_equal(b.last_reason, "peer sent error OVERLOADED: the "
                        "controller serves at most 1 connections");
    assert_int_equal(b.n_hello_reply, 0);

    /* Refused connections are not the server's users' business. */
    assert_int_equal(srv.n_connected, 1);
    assert_int_equal(srv.n_closed, 0);
    assert_int_equal(srv.n_hello, 1);
    assert_int_equal(dvs_server_n_conns(server), 1);
    assert_true(send_status(a.conn, "up"));
    RUN_UNTIL(srv.n_status == 1, 1000);

    dvs_client_destroy(ca);
    dvs_client_destroy(cb);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&a);
    side_destroy(&b);
}

static void
test_destroy_anytime(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = NULL };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);

    /* Before the first attempt. */
    struct dvs_client *client = start_client("tcp:127.0.0.1:1", &o, &cli);
    dvs_client_destroy(client);

    /* During an attempt, and with open connections. */
    struct dvs_server *server = start_server(&o, &srv, &target);
    client = start_client(target, &o, &cli);
    uv_run(&loop, UV_RUN_NOWAIT);
    dvs_client_destroy(client);
    client = start_client(target, &o, &cli);
    RUN_UNTIL(srv.n_hello == 1, 2000);
    dvs_server_destroy(server);
    dvs_client_destroy(client);
    loop_finish();

    assert_int_equal(srv.n_closed, 0);
    assert_int_equal(cli.n_closed, 0);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_names(void **state OVS_UNUSED)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

    ASSERT_OK(dvs_conn_parse_active("tcp:192.0.2.1:7000", &ss));
    assert_int_equal(ss.ss_family, AF_INET);
    assert_int_equal(ntohs(sin->sin_port), 7000);
    ASSERT_OK(dvs_conn_parse_active("tcp:192.0.2.1", &ss));
    assert_int_equal(ntohs(sin->sin_port), DVS_CONN_DEFAULT_PORT);
    ASSERT_OK(dvs_conn_parse_active("tcp:[2001:db8::1]:7000", &ss));
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(ntohs(sin6->sin6_port), 7000);

    ASSERT_OK(dvs_conn_parse_active("ssl:192.0.2.1:6655", &ss));
    assert_int_equal(ntohs(sin->sin_port), 6655);
    ASSERT_ERROR(dvs_conn_parse_active("unix:/tmp/x", &ss),
                 "unix:/tmp/x: unknown connection method (accepted: "
                 "tcp:IP[:PORT], ssl:IP[:PORT])");
    ASSERT_ERROR(dvs_conn_parse_active("tcp:", &ss),
                 "tcp:: the IP address is missing (accepted: "
                 "tcp:IP[:PORT], ssl:IP[:PORT])");
    ASSERT_ERROR(dvs_conn_parse_active("tcp:controller:6655", &ss),
                 "tcp:controller:6655: \"controller\" is not an IP "
                 "address");
    ASSERT_ERROR(dvs_conn_parse_active("tcp:192.0.2.1:0", &ss),
                 "tcp:192.0.2.1:0: \"0\" is not a port number (accepted: 1 "
                 "to 65535)");
    ASSERT_ERROR(dvs_conn_parse_active("tcp:192.0.2.1:65536", &ss),
                 "tcp:192.0.2.1:65536: \"65536\" is not a port number "
                 "(accepted: 1 to 65535)");

    ASSERT_OK(dvs_conn_parse_passive("ptcp:0", &ss));
    assert_int_equal(ss.ss_family, AF_INET);
    assert_int_equal(ntohs(sin->sin_port), 0);
    assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_ANY));
    ASSERT_OK(dvs_conn_parse_passive("ptcp:", &ss));
    assert_int_equal(ntohs(sin->sin_port), DVS_CONN_DEFAULT_PORT);
    ASSERT_OK(dvs_conn_parse_passive("ptcp:6655:127.0.0.1", &ss));
    assert_int_equal(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    ASSERT_OK(dvs_conn_parse_passive("ptcp:6655:[::1]", &ss));
    assert_int_equal(ss.ss_family, AF_INET6);
    ASSERT_OK(dvs_conn_parse_passive("pssl:6656", &ss));
    assert_int_equal(ntohs(sin->sin_port), 6656);
    ASSERT_ERROR(dvs_conn_parse_passive("tcp:6655", &ss),
                 "tcp:6655: unknown listening method (accepted: "
                 "ptcp:[PORT][:IP], pssl:[PORT][:IP])");
    ASSERT_ERROR(dvs_conn_parse_passive("ptcp:x", &ss),
                 "ptcp:x: \"x\" is not a port number (accepted: 0 to "
                 "65535)");
    ASSERT_ERROR(dvs_conn_parse_passive("ptcp:1:nowhere", &ss),
                 "ptcp:1:nowhere: \"nowhere\" is not an IP address");

    /* Through the constructors. */
    struct dvs_conn_options o;
    struct dvs_client *client;
    struct dvs_server *server, *server2;
    struct side side = { .host = NULL };

    loop_init();
    dvs_conn_options_init(&o);
    ASSERT_ERROR(dvs_client_create(&loop, "", &o, &client_cbs, &side,
                                   &client),
                 "\"\": no controller address (accepted: "
                 "tcp:IP[:PORT] or ssl:IP[:PORT], comma-separated)");
    assert_null(client);
    ASSERT_ERROR(dvs_client_create(&loop, "ssl:192.0.2.1", &o, &client_cbs,
                                   &side, &client),
                 "ssl:192.0.2.1: TLS needs --private-key, --certificate "
                 "and --ca-cert");
    assert_null(client);
    ASSERT_ERROR(dvs_server_create(&loop, "pssl:0", &o, &server_cbs, &side,
                                   &server),
                 "pssl:0: TLS needs --private-key, --certificate and "
                 "--ca-cert");
    assert_null(server);
    ASSERT_ERROR(dvs_client_create(&loop, "tcp:192.0.2.1,bogus", &o,
                                   &client_cbs, &side, &client),
                 "bogus: unknown connection method (accepted: "
                 "tcp:IP[:PORT], ssl:IP[:PORT])");
    ASSERT_ERROR(dvs_server_create(&loop, "tcp:1", &o, &server_cbs, &side,
                                   &server),
                 "tcp:1: unknown listening method (accepted: "
                 "ptcp:[PORT][:IP], pssl:[PORT][:IP])");
    assert_null(server);

    /* A port in use. */
    ASSERT_OK(dvs_server_create(&loop, "ptcp:0:127.0.0.1", &o, &server_cbs,
                                &side, &server));
    char *name = xasprintf("ptcp:%"PRIu16":127.0.0.1",
                           dvs_server_get_port(server));
    char *error = dvs_server_create(&loop, name, &o, &server_cbs, &side,
                                    &server2);
    char *expected = xasprintf("%s: cannot listen: address already in use",
                               name);
    ASSERT_ERROR(error, expected);
    assert_null(server2);
    free(expected);
    free(name);
    dvs_server_destroy(server);
    loop_finish();
}

/* The mailbox. */

enum { MSG_READY = 1, MSG_PING, MSG_PONG, MSG_QUIT };

static atomic_count n_payloads_freed = ATOMIC_COUNT_INIT(0);

static void
payload_free(void *payload)
{
    atomic_count_inc(&n_payloads_freed);
    free(payload);
}

static int *
payload_create(int value)
{
    int *p = xmalloc(sizeof *p);
    *p = value;
    return p;
}

/* The OVS thread's side. */
struct ovs_side {
    char *thread_name;
    bool multithreaded;
    bool quit;                  /* Got MSG_QUIT. */
    bool done;                  /* Left its loop. */
};

/* Doubles the PINGs into PONGs; returns at MSG_QUIT, when the HELLO_JOBs
 * get an epoch. */
static void
ovs_echo_main(struct dvs_mailbox *mb, void *side_)
{
    struct ovs_side *side = side_;

    side->thread_name = xstrdup(get_subprogram_name());
    side->multithreaded = !single_threaded();
    dvs_mailbox_send_to_uv(mb, MSG_READY, NULL, 0, NULL);

    while (!dvs_mailbox_should_exit(mb) && !side->quit) {
        struct dvs_mailbox_msg *msg;

        while ((msg = dvs_mailbox_recv(mb))) {
            if (msg->type == MSG_PING) {
                int *value = msg->data;

                msg->data = NULL;
                *value *= 2;
                dvs_mailbox_send_to_uv(mb, MSG_PONG, value, sizeof *value,
                                       payload_free);
            } else if (msg->type == MSG_HELLO) {
                struct hello_job *job = msg->data;

                msg->data = NULL;
                job->epoch = xasprintf("epoch-of-%s", job->env->hello->host);
                dvs_mailbox_send_to_uv(mb, MSG_EPOCH, job, sizeof *job,
                                       hello_job_free);
            } else if (msg->type == MSG_QUIT) {
                side->quit = true;
            }
            dvs_mailbox_msg_destroy(msg);
        }
        if (!side->quit) {
            dvs_mailbox_wait(mb);
            poll_block();
        }
    }
    side->done = true;
}

/* The libuv thread's side. */
struct uv_side {
    bool ready;
    bool stopped;
    int n_pongs;
    long long int sum;
    struct side *server_side;
};

static void
uv_side_received(struct dvs_mailbox *mb OVS_UNUSED,
                 struct dvs_mailbox_msg *msg, void *side_)
{
    struct uv_side *side = side_;

    if (msg->type == MSG_READY) {
        side->ready = true;
    } else if (msg->type == MSG_PONG) {
        side->n_pongs++;
        side->sum += *(int *) msg->data;
    } else if (msg->type == MSG_EPOCH) {
        struct hello_job *job = msg->data;

        send_hello_reply(job->conn, job->epoch);
    }
    dvs_mailbox_msg_destroy(msg);
}

static void
uv_side_stopped(struct dvs_mailbox *mb, void *side_)
{
    struct uv_side *side = side_;

    side->stopped = true;
    dvs_mailbox_close(mb);
}

static const struct dvs_mailbox_callbacks uv_side_cbs = {
    .received = uv_side_received,
    .stopped = uv_side_stopped,
};

static void
test_mailbox_both_ways(void **state OVS_UNUSED)
{
    struct ovs_side ovs = { .quit = false };
    struct uv_side uv = { .ready = false };
    unsigned int freed = atomic_count_get(&n_payloads_freed);
    const int n = 2000;

    loop_init();
    struct dvs_mailbox *mb = dvs_mailbox_create(&loop, &uv_side_cbs, &uv, 0);
    dvs_mailbox_start(mb, "dvs_ovs", ovs_echo_main, &ovs);
    RUN_UNTIL(uv.ready, 2000);

    for (int i = 1; i <= n; i++) {
        assert_true(dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(i),
                                            sizeof(int), payload_free));
    }
    RUN_UNTIL(uv.n_pongs == n, 5000);
    assert_true(uv.sum == (long long int) n * (n + 1));

    /* The libuv side stops both. */
    dvs_mailbox_stop(mb);
    RUN_UNTIL(uv.stopped, 2000);
    loop_finish();

    assert_true(ovs.done);
    assert_false(ovs.quit);
    assert_true(ovs.multithreaded);
    assert_true(starts_with(ovs.thread_name, "dvs_ovs"));
    assert_int_equal(atomic_count_get(&n_payloads_freed) - freed, n);
    free(ovs.thread_name);
}

/* The OVS thread's function returns: the libuv side is told to stop, and
 * messages nobody took are destroyed. */
static void
test_mailbox_ovs_side_stops(void **state OVS_UNUSED)
{
    struct ovs_side ovs = { .quit = false };
    struct uv_side uv = { .ready = false };
    unsigned int freed = atomic_count_get(&n_payloads_freed);

    loop_init();
    struct dvs_mailbox *mb = dvs_mailbox_create(&loop, &uv_side_cbs, &uv, 0);
    dvs_mailbox_start(mb, "dvs_ovs", ovs_echo_main, &ovs);
    RUN_UNTIL(uv.ready, 2000);

    for (int i = 1; i <= 10; i++) {
        dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(i), sizeof(int),
                                payload_free);
    }
    dvs_mailbox_send_to_ovs(mb, MSG_QUIT, NULL, 0, NULL);
    for (int i = 1; i <= 5; i++) {
        dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(i), sizeof(int),
                                payload_free);
    }
    RUN_UNTIL(uv.stopped, 2000);
    loop_finish();

    assert_true(ovs.quit);
    assert_true(ovs.done);
    assert_true(uv.n_pongs >= 10);
    assert_int_equal(atomic_count_get(&n_payloads_freed) - freed, 15);
    free(ovs.thread_name);
}

static void
test_mailbox_limit(void **state OVS_UNUSED)
{
    struct uv_side uv = { .ready = false };
    unsigned int freed = atomic_count_get(&n_payloads_freed);

    loop_init();
    struct dvs_mailbox *mb = dvs_mailbox_create(&loop, &uv_side_cbs, &uv,
                                                100);
    /* A message always fits in an empty queue. */
    assert_true(dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(1), 150,
                                        payload_free));
    assert_false(dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(2), 1,
                                         payload_free));
    assert_int_equal(atomic_count_get(&n_payloads_freed) - freed, 1);
    assert_int_equal(dvs_mailbox_backlog(mb, true), 150);
    assert_int_equal(dvs_mailbox_backlog(mb, false), 0);
    /* Notices of size 0 always get through. */
    assert_true(dvs_mailbox_send_to_ovs(mb, MSG_PING, payload_create(3), 0,
                                        payload_free));

    /* Without an OVS thread, the messages are destroyed at close. */
    dvs_mailbox_close(mb);
    loop_finish();
    assert_int_equal(atomic_count_get(&n_payloads_freed) - freed, 3);
}

/* The daemons' pattern: the connection's Hello goes to the OVS thread,
 * which decides the reply, which goes back out on the connection. */
static void
test_mailbox_bridges_connection(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = "h7" };
    struct ovs_side ovs = { .quit = false };
    struct uv_side uv = { .server_side = &srv };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    struct dvs_mailbox *mb = dvs_mailbox_create(&loop, &uv_side_cbs, &uv, 0);
    srv.mb = mb;
    struct dvs_server *server = start_server(&o, &srv, &target);
    dvs_mailbox_start(mb, "dvs_ovs", ovs_echo_main, &ovs);
    struct dvs_client *client = start_client(target, &o, &cli);

    RUN_UNTIL(cli.n_hello_reply == 1, 2000);
    assert_string_equal(cli.last_epoch, "epoch-of-h7");

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    dvs_mailbox_stop(mb);
    RUN_UNTIL(uv.stopped, 2000);
    loop_finish();
    assert_true(ovs.done);
    free(ovs.thread_name);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

/* TLS and the limits on unidentified connections. */

/* A PKI made by ovs-pki for these tests: "ctl" signed by controllerca,
 * "h1" signed by switchca. */
static char *pki_dir;

static char *
pki_file(const char *name)
{
    return xasprintf("%s/%s", pki_dir, name);
}

static int
pki_setup(void **state OVS_UNUSED)
{
    char tmpl[] = "/tmp/test-dvs-tls.XXXXXX";

    if (!mkdtemp(tmpl)) {
        return -1;
    }
    pki_dir = xstrdup(tmpl);
    char *cmd = xasprintf("cd %s && (ovs-pki --dir=pki --log=log init "
                          "&& ovs-pki --dir=pki --log=log req+sign ctl "
                          "controller && ovs-pki --dir=pki --log=log "
                          "req+sign h1 switch) >/dev/null 2>&1", pki_dir);
    int status = system(cmd);
    free(cmd);
    return status ? -1 : 0;
}

static int
pki_teardown(void **state OVS_UNUSED)
{
    char *cmd = xasprintf("rm -rf %s", pki_dir);
    int status = system(cmd);
    free(cmd);
    free(pki_dir);
    return status ? -1 : 0;
}

/* A context with 'name''s key and certificate that trusts 'ca' ("switchca"
 * or "controllerca"). */
static struct dvs_tls_ctx *
tls_ctx(const char *name, const char *ca, bool server)
{
    char *key = xasprintf("%s/%s-privkey.pem", pki_dir, name);
    char *cert = xasprintf("%s/%s-cert.pem", pki_dir, name);
    char *cacert = xasprintf("%s/pki/%s/cacert.pem", pki_dir, ca);
    struct dvs_tls_files files = { key, cert, cacert };
    struct dvs_tls_ctx *ctx;

    ASSERT_OK(dvs_tls_ctx_create(&files, server, &ctx));
    free(key);
    free(cert);
    free(cacert);
    return ctx;
}

static struct dvs_server *
start_tls_server(const struct dvs_conn_options *o, struct side *side,
                 char **targetp)
{
    struct dvs_server *server;

    ASSERT_OK(dvs_server_create(&loop, "pssl:0:127.0.0.1", o, &server_cbs,
                                side, &server));
    *targetp = xasprintf("ssl:127.0.0.1:%"PRIu16,
                         dvs_server_get_port(server));
    return server;
}

static void
test_tls_hello_exchange(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = "h1" };
    struct dvs_conn_options so, co;
    char *target;

    loop_init();
    short_options(&so);
    short_options(&co);
    so.tls = tls_ctx("ctl", "switchca", true);
    co.tls = tls_ctx("h1", "controllerca", false);
    struct dvs_server *server = start_tls_server(&so, &srv, &target);
    struct dvs_client *client = start_client(target, &co, &cli);

    RUN_UNTIL(cli.n_hello_reply == 1, 5000);
    assert_string_equal(srv.last_host, "h1");
    assert_true(starts_with(dvs_conn_get_name(srv.conn), "ssl:127.0.0.1:"));
    /* ovs-pki's CN is "h1 id:UUID": the host is "h1". */
    assert_string_equal(dvs_conn_get_peer_host(srv.conn), "h1");
    assert_string_equal(dvs_conn_get_peer_host(cli.conn), "ctl");

    /* Messages much larger than a TLS record, both ways. */
    char *big = xmalloc(200 * 1024);
    memset(big, 'x', 200 * 1024 - 1);
    big[200 * 1024 - 1] = '\0';
    assert_true(send_status(cli.conn, big));
    assert_true(send_status(srv.conn, big));
    RUN_UNTIL(srv.n_status == 1 && cli.n_status == 1, 5000);
    free(big);

    /* A graceful close on one side is an orderly end on the other. */
    dvs_conn_close(srv.conn, "test");
    RUN_UNTIL(cli.n_closed == 1, 5000);
    assert_string_equal(cli.last_reason, "connection closed by peer");

    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    dvs_tls_ctx_destroy(so.tls);
    dvs_tls_ctx_destroy(co.tls);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_tls_refusals(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = "h1" };
    struct dvs_conn_options so, co;
    char *target;

    loop_init();
    short_options(&so);
    short_options(&co);
    so.tls = tls_ctx("ctl", "switchca", true);
    /* The controller's certificate, which the hosts' CA did not sign. */
    co.tls = tls_ctx("ctl", "controllerca", false);
    co.backoff_min_ms = co.backoff_max_ms = 10000;
    struct dvs_server *server = start_tls_server(&so, &srv, &target);
    struct dvs_client *client = start_client(target, &co, &cli);

    RUN_UNTIL(srv.n_closed == 1, 5000);
    assert_string_equal(srv.last_reason, "connection failed: protocol error");
    assert_int_equal(srv.n_hello, 0);
    RUN_UNTIL(cli.n_closed == 1, 5000);
    assert_int_equal(cli.n_hello_reply, 0);
    dvs_client_destroy(client);

    /* Plain TCP to a TLS server: a Hello in clear is never read. */
    struct raw_peer raw;
    static const uint8_t hello[] = { 0, 0, 0, 8, 0x0a, 0x06, 0x08, 0x01,
                                     0x12, 0x02, 'h', '1' };
    raw_connect(&raw, target, true);
    raw_send(&raw, hello, sizeof hello);
    RUN_UNTIL(raw.eof, 5000);
    assert_int_equal(srv.n_closed, 2);
    assert_int_equal(srv.n_hello, 0);
    raw_close(&raw);

    dvs_server_destroy(server);
    loop_finish();
    dvs_tls_ctx_destroy(so.tls);
    dvs_tls_ctx_destroy(co.tls);
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

static void
test_tls_bad_files(void **state OVS_UNUSED)
{
    struct dvs_tls_files files = { "nowhere-key.pem", "nowhere-cert.pem",
                                   "nowhere-ca.pem" };
    struct dvs_tls_ctx *ctx;
    char *error = dvs_tls_ctx_create(&files, true, &ctx);

    assert_non_null(error);
    assert_true(starts_with(error, "nowhere-cert.pem: cannot load "
                            "certificate: "));
    assert_null(ctx);
    free(error);

    /* A key that is not the certificate's. */
    files.private_key = pki_file("h1-privkey.pem");
    files.certificate = pki_file("ctl-cert.pem");
    files.ca_cert = pki_file("pki/switchca/cacert.pem");
    error = dvs_tls_ctx_create(&files, true, &ctx);
    assert_non_null(error);
    assert_true(strstr(error, "h1-privkey.pem: "));
    assert_null(ctx);
    free(error);
    free(CONST_CAST(char *, files.private_key));
    free(CONST_CAST(char *, files.certificate));
    free(CONST_CAST(char *, files.ca_cert));

    files = (struct dvs_tls_files) { .private_key = "key.pem" };
    ASSERT_ERROR(dvs_tls_ctx_from_files(&files, false, &ctx),
                 "TLS needs --private-key, --certificate and --ca-cert");
    files = (struct dvs_tls_files) { NULL, NULL, NULL };
    ASSERT_OK(dvs_tls_ctx_from_files(&files, false, &ctx));
    assert_null(ctx);
}

static void
test_tls_host_from_cn(void **state OVS_UNUSED)
{
    static const struct {
        const char *cn;
        const char *host;
    } cases[] = {
        { "h1 id:0b6f0b32-7c8a-4a1e-9e7c-1d5f6f1c2b3a", "h1" },
        { "esx-12.example.com", "esx-12.example.com" },
        { "h1 id:Sat Nov 21 2026", "h1" },       /* ovs-pki without uuidgen */
        { "", NULL },
        { " id:x", NULL },
        { "two words", NULL },
        { "tab\there", NULL },
        { "h\xc3\xa9", NULL },
        { "a23456789012345678901234567890123456789012345678901234567890"
          "12345", NULL },                      /* 65 bytes. */
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *host = dvs_tls_host_from_cn(cases[i].cn);
        if (cases[i].host) {
            assert_non_null(host);
            assert_string_equal(host, cases[i].host);
        } else if (host) {
            fail_msg("\"%s\" gave host \"%s\"", cases[i].cn, host);
        }
        free(host);
    }
}

static void
test_unidentified_limits(void **state OVS_UNUSED)
{
    struct side srv = { .host = NULL }, cli = { .host = "h1" };
    struct dvs_conn_options o;
    char *target;

    loop_init();
    short_options(&o);
    o.hello_timeout_ms = 300;
    o.max_unidentified = 2;
    struct dvs_server *server = start_server(&o, &srv, &target);

    /* Two silent peers are kept, a third is closed at once. */
    struct raw_peer p1, p2, p3;
    raw_connect(&p1, target, true);
    raw_connect(&p2, target, true);
    RUN_UNTIL(dvs_server_n_unidentified(server) == 2, 2000);
    raw_connect(&p3, target, true);
    RUN_UNTIL(p3.eof, 2000);
    assert_false(p1.eof);
    assert_int_equal(srv.n_connected, 2);

    /* A well-behaved client gets in once the silent ones time out, and
     * counts as identified from its Hello on. */
    uint64_t start = now_ms();
    RUN_UNTIL(p1.eof && p2.eof, 2000);
    assert_true(now_ms() - start <= 1000);
    assert_string_equal(srv.last_reason, "no Hello within 300 ms");
    assert_int_equal(dvs_server_n_unidentified(server), 0);
    struct dvs_client *client = start_client(target, &o, &cli);
    RUN_UNTIL(cli.n_hello_reply == 1, 2000);
    assert_int_equal(dvs_server_n_unidentified(server), 0);
    run_for(700);
    assert_int_equal(cli.n_closed, 0);

    /* Before its Hello a peer may send only a small frame. */
    struct raw_peer big;
    static const uint8_t header[] = { 0, 1, 0, 1 };    /* 65537 bytes. */
    raw_connect(&big, target, true);
    raw_send(&big, header, sizeof header);
    RUN_UNTIL(big.eof, 2000);
    assert_string_equal(big.error_message, "frame length 65537 exceeds the "
                        "maximum frame size of 65536 bytes");

    raw_close(&p1);
    raw_close(&p2);
    raw_close(&p3);
    raw_close(&big);
    dvs_client_destroy(client);
    dvs_server_destroy(server);
    loop_finish();
    free(target);
    side_destroy(&srv);
    side_destroy(&cli);
}

int
main(int argc OVS_UNUSED, char *argv[])
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_exchange),
        cmocka_unit_test(test_version_mismatch),
        cmocka_unit_test(test_reconnect_after_server_close),
        cmocka_unit_test(test_failover_to_second_controller),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_heartbeat_timeout_server_side),
        cmocka_unit_test(test_heartbeat_timeout_client_side),
        cmocka_unit_test(test_garbage_dropped),
        cmocka_unit_test(test_backlog_drop),
        cmocka_unit_test(test_overloaded),
        cmocka_unit_test(test_destroy_anytime),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_mailbox_both_ways),
        cmocka_unit_test(test_mailbox_ovs_side_stops),
        cmocka_unit_test(test_mailbox_limit),
        cmocka_unit_test(test_mailbox_bridges_connection),
        cmocka_unit_test(test_unidentified_limits),
        cmocka_unit_test(test_tls_host_from_cn),
        cmocka_unit_test(test_tls_hello_exchange),
        cmocka_unit_test(test_tls_refusals),
        cmocka_unit_test(test_tls_bad_files),
    };

    /* As the daemons do: before any thread, and libuv writes to sockets
     * whose peer may be gone. */
    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    fatal_signal_init();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    if (getenv("DVS_TEST_VERBOSE")) {
        vlog_set_levels(NULL, VLF_CONSOLE, VLL_DBG);
    }

    return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
