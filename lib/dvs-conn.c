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
#include "lib/dvs-conn.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-tls.h"
#include "lib/dvs-wire.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

/* vlog is thread-safe: logging from the libuv thread is fine. */
VLOG_DEFINE_THIS_MODULE(dvs_conn);

/* For everything a peer can make us log. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);

/* How long a connection that sent an Error waits for the peer to read it and
 * hang up before closing anyway. */
#define LINGER_MS 1000

/* Bytes read from a socket at a time. */
#define READ_SIZE 65536

/* Frees a handle that was malloc()'d on its own once libuv closed it. */
static void
free_handle(uv_handle_t *handle)
{
    free(handle);
}

static void
close_and_free(uv_tcp_t *tcp)
{
    uv_close((uv_handle_t *) tcp, free_handle);
}

/* Byte streams: plain TCP.
 *
 * The TLS class (dvs-tls.c) wraps a TCP stream, feeds what it reads through
 * OpenSSL memory BIOs and passes the plaintext to 'cbs->read'; its write()
 * encrypts and its backlog() adds what waits for the handshake. */

struct tcp_stream {
    struct dvs_stream up;
    uv_tcp_t *tcp;              /* Owned; freed once closed. */
    uv_shutdown_t shutdown_req;
    bool shutting_down;         /* shutdown() was called. */
    bool failed;                /* 'cbs->ended' was called. */
    bool closing;               /* close() was called. */
};

struct tcp_write {
    uv_write_t req;
    void *data;
};

static struct tcp_stream *
tcp_stream_cast(const struct dvs_stream *s)
{
    return CONTAINER_OF(s, struct tcp_stream, up);
}

static void
tcp_stream_fail(struct tcp_stream *ts, int error)
{
    if (!ts->failed && !ts->closing) {
        ts->failed = true;
        uv_read_stop((uv_stream_t *) ts->tcp);
        ts->up.cbs->ended(&ts->up, error);
    }
}

static void
tcp_alloc_cb(uv_handle_t *handle OVS_UNUSED, size_t suggested OVS_UNUSED,
             uv_buf_t *buf)
{
    buf->base = xmalloc(READ_SIZE);
    buf->len = READ_SIZE;
}

static void
tcp_read_cb(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    struct tcp_stream *ts = stream->data;

    if (n > 0) {
        if (!ts->closing && !ts->failed) {
            ts->up.cbs->read(&ts->up, (const uint8_t *) buf->base, n);
        }
    } else if (n < 0) {
        tcp_stream_fail(ts, n);
    }
    free(buf->base);
}

static int
tcp_start(struct dvs_stream *s)
{
    struct tcp_stream *ts = tcp_stream_cast(s);

    return uv_read_start((uv_stream_t *) ts->tcp, tcp_alloc_cb, tcp_read_cb);
}

static void
tcp_write_cb(uv_write_t *req, int status)
{
    struct tcp_write *w = CONTAINER_OF(req, struct tcp_write, req);
    struct tcp_stream *ts = req->handle->data;

    /* Pending writes complete (with UV_ECANCELED) before the handle's close
     * callback, so 'ts' is still there. */
    free(w->data);
    free(w);
    if (status < 0 && status != UV_ECANCELED) {
        tcp_stream_fail(ts, status);
    }
}

static int
tcp_write(struct dvs_stream *s, void *data, size_t n)
{
    struct tcp_stream *ts = tcp_stream_cast(s);

    if (ts->closing || ts->shutting_down || ts->failed) {
        free(data);
        return UV_EPIPE;
    }

    struct tcp_write *w = xmalloc(sizeof *w);
    uv_buf_t buf;

    w->data = data;
    buf.base = data;
    buf.len = n;
    int error = uv_write(&w->req, (uv_stream_t *) ts->tcp, &buf, 1,
                         tcp_write_cb);
    if (error) {
        free(data);
        free(w);
    }
    return error;
}

static size_t
tcp_backlog(const struct dvs_stream *s)
{
    return uv_stream_get_write_queue_size(
        (const uv_stream_t *) tcp_stream_cast(s)->tcp);
}

static void
tcp_shutdown_cb(uv_shutdown_t *req, int status)
{
    struct tcp_stream *ts = req->handle->data;

    if (status < 0 && status != UV_ECANCELED) {
        tcp_stream_fail(ts, status);
    }
}

static void
tcp_shutdown(struct dvs_stream *s)
{
    struct tcp_stream *ts = tcp_stream_cast(s);

    if (!ts->closing && !ts->shutting_down && !ts->failed) {
        ts->shutting_down = true;
        int error = uv_shutdown(&ts->shutdown_req, (uv_stream_t *) ts->tcp,
                                tcp_shutdown_cb);
        if (error) {
            tcp_stream_fail(ts, error);
        }
    }
}

static void
tcp_close_cb(uv_handle_t *handle)
{
    struct tcp_stream *ts = handle->data;

    ts->up.cbs->closed(&ts->up);
    free(ts->tcp);
    free(ts);
}

static void
tcp_close(struct dvs_stream *s)
{
    struct tcp_stream *ts = tcp_stream_cast(s);

    if (!ts->closing) {
        ts->closing = true;
        uv_close((uv_handle_t *) ts->tcp, tcp_close_cb);
    }
}

static const struct dvs_stream_class tcp_stream_class = {
    .name = "tcp",
    .start = tcp_start,
    .write = tcp_write,
    .backlog = tcp_backlog,
    .shutdown = tcp_shutdown,
    .close = tcp_close,
    .peer_host = NULL,
};

/* Wraps 'tcp', a connected TCP handle allocated on its own with malloc(),
 * into a stream that takes ownership of it. */
struct dvs_stream *
dvs_stream_tcp_create(uv_tcp_t *tcp, const struct dvs_stream_callbacks *cbs,
                      void *owner)
{
    struct tcp_stream *ts = xzalloc(sizeof *ts);

    ts->up.class = &tcp_stream_class;
    ts->up.cbs = cbs;
    ts->up.owner = owner;
    ts->tcp = tcp;
    tcp->data = ts;

    /* Envelopes are whole messages: send them without Nagle's delay. */
    uv_tcp_nodelay(tcp, 1);
    return &ts->up;
}

/* Options. */

void
dvs_conn_options_init(struct dvs_conn_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_frame = DVS_WIRE_DEFAULT_MAX_FRAME;
    o->max_backlog = DVS_CONN_DEFAULT_MAX_BACKLOG;
    o->heartbeat_ms = DVS_CONN_DEFAULT_HEARTBEAT_MS;
    o->max_conns = DVS_CONN_DEFAULT_MAX_CONNS;
    o->hello_timeout_ms = DVS_CONN_DEFAULT_HELLO_TIMEOUT_MS;
    o->max_unidentified = DVS_CONN_DEFAULT_MAX_UNIDENTIFIED;
    o->max_hello_frame = DVS_CONN_DEFAULT_MAX_HELLO_FRAME;
    o->backoff_min_ms = DVS_CONN_DEFAULT_BACKOFF_MIN_MS;
    o->backoff_max_ms = DVS_CONN_DEFAULT_BACKOFF_MAX_MS;
    o->connect_timeout_ms = DVS_CONN_DEFAULT_CONNECT_TIMEOUT_MS;
}

/* Copies 'o' (defaults if null) into 'dst', with values that make no sense
 * replaced by sane ones. */
static void
options_copy(struct dvs_conn_options *dst, const struct dvs_conn_options *o)
{
    if (o) {
        *dst = *o;
    } else {
        dvs_conn_options_init(dst);
    }
    if (!dst->max_frame || dst->max_frame > UINT32_MAX) {
        dst->max_frame = DVS_WIRE_DEFAULT_MAX_FRAME;
    }
    if (!dst->max_backlog) {
        dst->max_backlog = DVS_CONN_DEFAULT_MAX_BACKLOG;
    }
    if (!dst->max_conns) {
        dst->max_conns = DVS_CONN_DEFAULT_MAX_CONNS;
    }
    if (!dst->backoff_min_ms) {
        dst->backoff_min_ms = 1;
    }
    dst->backoff_max_ms = MAX(dst->backoff_max_ms, dst->backoff_min_ms);
    if (!dst->hello_timeout_ms) {
        dst->hello_timeout_ms = DVS_CONN_DEFAULT_HELLO_TIMEOUT_MS;
    }
    if (!dst->max_unidentified) {
        dst->max_unidentified = DVS_CONN_DEFAULT_MAX_UNIDENTIFIED;
    }
    if (!dst->max_hello_frame || dst->max_hello_frame > dst->max_frame) {
        dst->max_hello_frame = MIN(DVS_CONN_DEFAULT_MAX_HELLO_FRAME,
                                   dst->max_frame);
    }
    if (!dst->connect_timeout_ms) {
        dst->connect_timeout_ms = DVS_CONN_DEFAULT_CONNECT_TIMEOUT_MS;
    }
}

/* Data structures. */

enum conn_state {
    CONN_OPEN,          /* Exchanging envelopes. */
    CONN_LINGER,        /* Sent an Error: waits for the peer to hang up. */
    CONN_CLOSED,        /* Stream and timer closing or closed. */
};

struct dvs_conn {
    struct ovs_list list_node;  /* In 'server->conns', if 'server'. */
    uv_loop_t *loop;
    struct dvs_server *server;  /* Accepted by this server, if nonnull. */
    struct dvs_client *client;  /* Made by this client, if nonnull. */
    char *name;                 /* "tcp:IP:PORT" or "ssl:..." of the peer. */
    enum conn_state state;

    bool notify;                /* Call 'cbs' ('connected' was called). */
    bool counted;               /* Counted in 'server->n_conns'. */
    bool refusing;              /* Counted in 'server->n_refusing'. */
    bool useful;                /* Received an envelope, not an Error. */
    bool unidentified;          /* Counted in 'server->n_unidentified'. */
    uint64_t hello_deadline;    /* uv_now() by which to be 'useful', or 0. */
    unsigned int hello_timeout_ms;
    char *drop_reason;          /* Nonnull: to be closed from the loop. */

    struct dvs_stream *stream;  /* NULL once it closed. */
    uv_timer_t timer;           /* Heartbeats, linger, deferred drop. */
    bool io_closing;            /* Stream and timer are closing. */
    bool timer_closed;
    struct dvs_wire_decoder decoder;

    size_t max_frame;
    size_t max_backlog;
    unsigned int heartbeat_ms;
    uint64_t last_rx;           /* uv_now() when bytes last arrived. */
    uint64_t last_tx;           /* uv_now() when an envelope was last sent. */
    uint64_t last_tick;         /* uv_now() when the timer last ran. */

    struct dvs_conn_callbacks cbs;
    void *aux;
    void *user_data;
};

struct dvs_server {
    uv_loop_t *loop;
    char *name;                 /* "ptcp:..." as given. */
    uv_tcp_t listener;
    struct dvs_conn_options options;
    struct dvs_conn_callbacks cbs;
    void *aux;

    struct ovs_list conns;      /* All "struct dvs_conn"s not yet freed. */
    size_t n_conns;             /* Open connections being served. */
    size_t n_refusing;          /* Connections refused, still closing. */
    size_t n_unidentified;      /* Counted connections not yet 'useful'. */
};

struct client_target {
    char *name;                 /* "tcp:IP:PORT" or "ssl:IP:PORT". */
    struct sockaddr_storage ss;
    bool ssl;
};

enum client_state {
    CLIENT_WAITING,             /* 'timer' starts the next attempt. */
    CLIENT_CONNECTING,          /* 'attempt' in progress; 'timer' ends it. */
    CLIENT_CONNECTED,           /* 'conn' is the session. */
};

/* One connection attempt.  libuv always calls the connect callback, also
 * when the handle is closed first (with UV_ECANCELED), so that callback
 * frees it; an abandoned attempt has a null 'client'. */
struct client_attempt {
    uv_connect_t req;
    uv_tcp_t *tcp;
    struct dvs_client *client;
};

struct dvs_client {
    uv_loop_t *loop;
    struct client_target *targets;
    size_t n_targets;
    struct dvs_conn_options options;
    struct dvs_conn_callbacks cbs;
    void *aux;

    enum client_state state;
    size_t index;               /* Target tried or connected now. */
    size_t n_failed;            /* Failed attempts since the last wait. */
    unsigned int backoff;       /* Next wait after all targets failed. */
    uv_timer_t timer;
    struct client_attempt *attempt;     /* CLIENT_CONNECTING. */
    struct dvs_conn *conn;              /* CLIENT_CONNECTED. */
};

/* Connections. */

static const struct dvs_stream_callbacks conn_stream_callbacks;
static void conn_timer_cb(uv_timer_t *);
static void client_session_ended(struct dvs_client *, bool useful);

static struct dvs_conn *
conn_create(uv_loop_t *loop, uv_tcp_t *tcp, char *name, bool ssl,
            const struct dvs_conn_options *o,
            const struct dvs_conn_callbacks *cbs, void *aux)
{
    struct dvs_conn *conn = xzalloc(sizeof *conn);

    ovs_list_init(&conn->list_node);
    conn->loop = loop;
    conn->name = name;
    conn->state = CONN_OPEN;

    conn->stream = dvs_stream_tcp_create(tcp, &conn_stream_callbacks, conn);
    if (ssl) {
        conn->stream = dvs_stream_tls_create(o->tls, conn->stream, name,
                                             &conn_stream_callbacks, conn);
    }

    uv_timer_init(loop, &conn->timer);
    conn->timer.data = conn;
    dvs_wire_decoder_init(&conn->decoder, o->max_frame);

    conn->max_frame = o->max_frame;
    conn->max_backlog = o->max_backlog;
    conn->heartbeat_ms = o->heartbeat_ms;
    conn->last_rx = conn->last_tx = uv_now(loop);
    conn->cbs = *cbs;
    conn->aux = aux;
    return conn;
}

static void
conn_maybe_free(struct dvs_conn *conn)
{
    if (conn->stream || !conn->timer_closed) {
        return;
    }

    struct dvs_server *server = conn->server;
    if (server) {
        ovs_list_remove(&conn->list_node);
        if (conn->refusing) {
            server->n_refusing--;
        }
    }
    dvs_wire_decoder_destroy(&conn->decoder);
    free(conn->drop_reason);
    free(conn->name);
    free(conn);
}

static void
conn_timer_closed(uv_handle_t *handle)
{
    struct dvs_conn *conn = handle->data;

    conn->timer_closed = true;
    conn_maybe_free(conn);
}

/* Closes the stream and the timer; 'conn' is freed once both have. */
static void
conn_close_io(struct dvs_conn *conn)
{
    conn->state = CONN_CLOSED;
    if (!conn->io_closing) {
        conn->io_closing = true;
        conn->stream->class->close(conn->stream);
        uv_close((uv_handle_t *) &conn->timer, conn_timer_closed);
    }
}

/* 'conn' delivered its first envelope or stopped being open: it no longer
 * counts against the limits on unidentified connections. */
static void
conn_identified(struct dvs_conn *conn)
{
    conn->hello_deadline = 0;
    if (conn->unidentified) {
        conn->unidentified = false;
        conn->server->n_unidentified--;
        conn->decoder.max_frame = conn->max_frame;
    }
}

/* 'conn' stopped being open: tells its owner and the callbacks.  Either may
 * destroy the server or client; memory stays valid until the loop runs the
 * close callbacks. */
static void
conn_detach(struct dvs_conn *conn, const char *reason)
{
    struct dvs_client *client = conn->client;

    if (conn->counted) {
        conn->counted = false;
        conn->server->n_conns--;
    }
    conn_identified(conn);
    if (client) {
        conn->client = NULL;
        client->conn = NULL;
    }
    if (conn->notify) {
        conn->notify = false;
        conn->cbs.closed(conn, reason, conn->aux);
    }
    if (client && client->state == CLIENT_CONNECTED) {
        /* Unless the callback destroyed the client, reconnect. */
        client_session_ended(client, conn->useful);
    }
}

/* Closes 'conn' at once, for 'reason', logged as a warning if the peer is at
 * fault ('warn'). */
static void
conn_close__(struct dvs_conn *conn, const char *reason, bool warn)
{
    if (conn->state != CONN_OPEN) {
        return;
    }
    if (warn) {
        VLOG_WARN_RL(&rl, "%s: dropping peer (%s)", conn->name, reason);
    } else {
        VLOG_INFO("%s: closing connection (%s)", conn->name, reason);
    }
    conn_close_io(conn);
    conn_detach(conn, reason);
}

/* Ends 'conn' gracefully: what was sent, and then 'frame' (if nonnull,
 * past the backlog limit: it is the last thing sent), still goes out, then
 * the output ends.  Reading goes on, discarding, until the peer hangs up or
 * LINGER_MS pass: closing a socket with unread input makes the kernel send
 * a reset, which can destroy what the peer has not read yet. */
static void
conn_linger(struct dvs_conn *conn, uint8_t *frame, size_t size)
{
    conn->state = CONN_LINGER;
    uv_timer_start(&conn->timer, conn_timer_cb, LINGER_MS, 0);
    if (frame && conn->stream->class->write(conn->stream, frame, size)) {
        conn_close_io(conn);
    } else {
        conn->stream->class->shutdown(conn->stream);
    }
}

/* Closes 'conn'.  What was sent on it still reaches the peer (if the peer
 * reads it within a second); nothing more is received.  The 'closed'
 * callback is called, with 'reason', before this returns. */
void
dvs_conn_close(struct dvs_conn *conn, const char *reason)
{
    if (conn->state != CONN_OPEN) {
        return;
    }
    VLOG_INFO("%s: closing connection (%s)", conn->name, reason);
    conn_linger(conn, NULL, 0);
    conn_detach(conn, reason);
}

/* Like dvs_conn_close(), but sends the peer an Error with 'code' and
 * 'message' first.  The reason passed to the 'closed' callback is "sent
 * error CODE: MESSAGE". */
void
dvs_conn_close_with_error(struct dvs_conn *conn, Dvs__Error__Code code,
                          const char *message)
{
    if (conn->state != CONN_OPEN) {
        return;
    }

    Dvs__Envelope env;
    Dvs__Error error;
    uint8_t *frame;
    size_t size;

    dvs_wire_error_init(&env, &error, code, message);
    char *encode_error = dvs_wire_encode(&env, conn->max_frame,
                                         &frame, &size);
    if (encode_error) {
        /* Only if 'message' is longer than a frame. */
        VLOG_WARN_RL(&rl, "%s: %s", conn->name, encode_error);
        free(encode_error);
    }

    char *reason = xasprintf("sent error %s: %s",
                             dvs_wire_error_code_name(code), message);
    VLOG_WARN_RL(&rl, "%s: closing connection (%s)", conn->name, reason);
    conn_linger(conn, frame, size);
    conn_detach(conn, reason);
    free(reason);
}

/* Closes 'conn', for 'reason', from the loop rather than now: used where the
 * caller (e.g. inside dvs_conn_send()) cannot take callbacks. */
static void
conn_drop_later(struct dvs_conn *conn, char *reason)
{
    if (conn->state == CONN_OPEN && !conn->drop_reason) {
        conn->drop_reason = reason;
        uv_timer_start(&conn->timer, conn_timer_cb, 0, 0);
    } else {
        free(reason);
    }
}

static unsigned int
heartbeat_tick(const struct dvs_conn *conn)
{
    return MAX(conn->heartbeat_ms / 2, 1);
}

/* Starts or restarts the heartbeat timer.  It ticks twice per interval. */
static void
conn_start_heartbeat(struct dvs_conn *conn)
{
    if (conn->state != CONN_OPEN || conn->drop_reason) {
        return;
    }
    uint64_t now = uv_now(conn->loop);
    if (conn->heartbeat_ms) {
        unsigned int tick = heartbeat_tick(conn);
        uint64_t first = tick;

        if (conn->hello_deadline) {
            first = MIN(first, conn->hello_deadline - MIN(now,
                                                  conn->hello_deadline));
        }
        conn->last_tick = now;
        uv_timer_start(&conn->timer, conn_timer_cb, first, tick);
    } else if (conn->hello_deadline) {
        uv_timer_start(&conn->timer, conn_timer_cb,
                       conn->hello_deadline - MIN(now, conn->hello_deadline),
                       0);
    } else {
        uv_timer_stop(&conn->timer);
    }
}

/* Starts reading and the heartbeats.  Returns false if 'conn' closed. */
static bool
conn_start(struct dvs_conn *conn)
{
    int error = conn->stream->class->start(conn->stream);
    if (error) {
        char *reason = xasprintf("cannot read: %s", uv_strerror(error));
        conn_close__(conn, reason, true);
        free(reason);
        return false;
    }
    conn_start_heartbeat(conn);
    return true;
}

/* Sends 'frame', 'size' bytes that dvs_wire_encode() made, and takes
 * ownership of it: for envelopes encoded elsewhere, e.g. on the OVS thread.
 * Otherwise like dvs_conn_send(). */
bool
dvs_conn_send_frame(struct dvs_conn *conn, uint8_t *frame, size_t size)
{
    if (!dvs_conn_is_open(conn)) {
        free(frame);
        return false;
    }
    ovs_assert(size > DVS_WIRE_HEADER_SIZE);

    struct dvs_stream *stream = conn->stream;
    size_t backlog = stream->class->backlog(stream);

    /* A frame always goes out onto an empty backlog, so that one big state
     * update is not refused for its size alone. */
    if (backlog && backlog + size > conn->max_backlog) {
        free(frame);
        conn_drop_later(conn, xasprintf("peer does not read: %"PRIuSIZE
                                        " bytes unsent, limit %"PRIuSIZE,
                                        backlog + size, conn->max_backlog));
        return false;
    }

    int error = stream->class->write(stream, frame, size);
    if (error) {
        conn_drop_later(conn, xasprintf("send failed: %s",
                                        uv_strerror(error)));
        return false;
    }
    conn->last_tx = uv_now(conn->loop);
    return true;
}

/* Sends 'env' to the peer.  Returns false if it could not: 'conn' is not
 * open, 'env' cannot be encoded (a bug, logged), or the peer is dropped
 * because it does not read (its unsent output would exceed the backlog
 * limit).  A dropped connection's 'closed' callback comes from the loop
 * later, never from inside this function. */
bool
dvs_conn_send(struct dvs_conn *conn, const Dvs__Envelope *env)
{
    if (!dvs_conn_is_open(conn)) {
        return false;
    }

    uint8_t *frame;
    size_t size;
    char *error = dvs_wire_encode(env, conn->max_frame, &frame, &size);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: not sending: %s", conn->name, error);
        free(error);
        return false;
    }
    return dvs_conn_send_frame(conn, frame, size);
}

static void
conn_send_heartbeat(struct dvs_conn *conn)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Heartbeat hb = DVS__HEARTBEAT__INIT;

    hb.has_sent_msec = true;
    hb.sent_msec = time_wall_msec();
    env.body_case = DVS__ENVELOPE__BODY_HEARTBEAT;
    env.heartbeat = &hb;
    dvs_conn_send(conn, &env);
}

static void
conn_timer_cb(uv_timer_t *timer)
{
    struct dvs_conn *conn = timer->data;

    if (conn->state == CONN_LINGER) {
        /* The peer did not hang up after our Error. */
        conn_close_io(conn);
        return;
    } else if (conn->state != CONN_OPEN) {
        return;
    } else if (conn->drop_reason) {
        char *reason = conn->drop_reason;

        conn->drop_reason = NULL;
        conn_close__(conn, reason, true);
        free(reason);
        return;
    }

    uint64_t now = uv_now(conn->loop);
    if (conn->hello_deadline && now >= conn->hello_deadline) {
        char *reason = xasprintf("no Hello within %u ms",
                                 conn->hello_timeout_ms);
        conn_close__(conn, reason, true);
        free(reason);
        return;
    } else if (!conn->heartbeat_ms) {
        return;
    }

    uint64_t tick = heartbeat_tick(conn);

    /* If this process did not run for a while (swapping, an overloaded
     * host, a debugger), the peer's heartbeats may be waiting unread in the
     * socket: a loop iteration runs its timers before it reads.  Time in
     * which we could not read does not count against the peer. */
    if (now - conn->last_tick > 2 * tick) {
        conn->last_rx = MIN(now, conn->last_rx + (now - conn->last_tick
                                                  - tick));
    }
    conn->last_tick = now;

    uint64_t timeout = 3 * (uint64_t) conn->heartbeat_ms;
    if (now - conn->last_rx >= timeout) {
        char *reason = xasprintf("no message for %"PRIu64" ms (heartbeat "
                                 "interval %u ms)", now - conn->last_rx,
                                 conn->heartbeat_ms);
        conn_close__(conn, reason, true);
        free(reason);
    } else if (now - conn->last_tx >= conn->heartbeat_ms
               && !conn->stream->class->backlog(conn->stream)) {
        /* With output still queued, the peer is receiving bytes already. */
        conn_send_heartbeat(conn);
    }
}

/* Handles an envelope that arrived on 'conn', which is open. */
static void
conn_dispatch(struct dvs_conn *conn, Dvs__Envelope *env)
{
    char *error = dvs_wire_validate(env);
    if (error) {
        if (env->body_case == DVS__ENVELOPE__BODY__NOT_SET
            && env->base.n_unknown_fields) {
            /* A kind of message that a newer peer of the same protocol
             * version may send: compatible additions are ignored. */
            VLOG_DBG_RL(&rl, "%s: ignoring an envelope of an unknown kind",
                        conn->name);
        } else {
            dvs_conn_close_with_error(conn, DVS__ERROR__CODE__BAD_MESSAGE,
                                      error);
        }
        free(error);
        dvs__envelope__free_unpacked(env, NULL);
        return;
    }

    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_HEARTBEAT:
        /* Its arrival already counted in 'last_rx'. */
        dvs__envelope__free_unpacked(env, NULL);
        break;

    case DVS__ENVELOPE__BODY_ERROR: {
        char *reason = xasprintf("peer sent error %s: %s",
                                 dvs_wire_error_code_name(env->error->code),
                                 env->error->message);
        VLOG_WARN_RL(&rl, "%s: %s", conn->name, reason);
        if (conn->notify) {
            conn->cbs.received(conn, env, conn->aux);
        } else {
            dvs__envelope__free_unpacked(env, NULL);
        }
        if (conn->state == CONN_OPEN) {
            conn_linger(conn, NULL, 0);
            conn_detach(conn, reason);
        }
        free(reason);
        break;
    }

    case DVS__ENVELOPE__BODY_HELLO:
    case DVS__ENVELOPE__BODY_HELLO_REPLY:
    case DVS__ENVELOPE__BODY_STATE:
    case DVS__ENVELOPE__BODY_ACK:
    case DVS__ENVELOPE__BODY_BINDINGS:
    case DVS__ENVELOPE__BODY_STATUS:
    case DVS__ENVELOPE__BODY_STATISTICS:
    case DVS__ENVELOPE__BODY__NOT_SET:
    case _DVS__ENVELOPE__BODY__CASE_IS_INT_SIZE:
    default:
        conn->useful = true;
        conn_identified(conn);
        if (conn->notify) {
            conn->cbs.received(conn, env, conn->aux);
        } else {
            dvs__envelope__free_unpacked(env, NULL);
        }
        break;
    }
}

static void
conn_stream_read(struct dvs_stream *stream, const uint8_t *data, size_t n)
{
    struct dvs_conn *conn = stream->owner;

    if (conn->state != CONN_OPEN) {
        /* Lingering after an Error: the rest is of no interest. */
        return;
    }

    conn->last_rx = uv_now(conn->loop);
    while (n && conn->state == CONN_OPEN && !conn->drop_reason) {
        Dvs__Envelope *env;
        char *error = dvs_wire_decode(&conn->decoder, &data, &n, &env);

        if (error) {
            dvs_conn_close_with_error(conn, DVS__ERROR__CODE__BAD_MESSAGE,
                                      error);
            free(error);
        } else if (env) {
            conn_dispatch(conn, env);
        }
    }
}

static void
conn_stream_ended(struct dvs_stream *stream, int error)
{
    struct dvs_conn *conn = stream->owner;

    if (conn->state == CONN_OPEN) {
        char *reason = (error == UV_EOF
                        ? xstrdup("connection closed by peer")
                        : xasprintf("connection failed: %s",
                                    uv_strerror(error)));
        conn_close__(conn, reason, error != UV_EOF);
        free(reason);
    } else {
        conn_close_io(conn);
    }
}

static void
conn_stream_closed(struct dvs_stream *stream)
{
    struct dvs_conn *conn = stream->owner;

    conn->stream = NULL;
    conn_maybe_free(conn);
}

static const struct dvs_stream_callbacks conn_stream_callbacks = {
    .read = conn_stream_read,
    .ended = conn_stream_ended,
    .closed = conn_stream_closed,
};

/* Returns true if 'conn' is open: envelopes can be sent on it. */
bool
dvs_conn_is_open(const struct dvs_conn *conn)
{
    return conn->state == CONN_OPEN && !conn->drop_reason;
}

/* The peer, as "tcp:IP:PORT" or "ssl:IP:PORT". */
const char *
dvs_conn_get_name(const struct dvs_conn *conn)
{
    return conn->name;
}

/* The host that the peer's verified TLS certificate names, or NULL for a
 * plain TCP connection (or one whose certificate names no valid host). */
const char *
dvs_conn_get_peer_host(const struct dvs_conn *conn)
{
    const struct dvs_stream *stream = conn->stream;

    return (stream && stream->class->peer_host
            ? stream->class->peer_host(stream) : NULL);
}

/* Bytes sent but not yet handed to the kernel. */
size_t
dvs_conn_get_backlog(const struct dvs_conn *conn)
{
    return conn->stream ? conn->stream->class->backlog(conn->stream) : 0;
}

/* Changes the heartbeat interval of 'conn' (0 disables heartbeats), e.g. to
 * the one the controller announced in its HelloReply. */
void
dvs_conn_set_heartbeat(struct dvs_conn *conn, unsigned int heartbeat_ms)
{
    conn->heartbeat_ms = heartbeat_ms;
    conn->last_rx = conn->last_tx = uv_now(conn->loop);
    conn_start_heartbeat(conn);
}

void
dvs_conn_set_user_data(struct dvs_conn *conn, void *data)
{
    conn->user_data = data;
}

void *
dvs_conn_get_user_data(const struct dvs_conn *conn)
{
    return conn->user_data;
}

/* Names. */

static char *
parse_ip(const char *name, const char *host, int port,
         struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (!uv_ip4_addr(host, port, (struct sockaddr_in *) ss)
        || !uv_ip6_addr(host, port, (struct sockaddr_in6 *) ss)) {
        return NULL;
    }
    memset(ss, 0, sizeof *ss);
    return xasprintf("%s: \"%s\" is not an IP address", name, host);
}

static char *
parse_port(const char *name, const char *s, int min, int *port)
{
    if (!s || !*s) {
        *port = DVS_CONN_DEFAULT_PORT;
        return NULL;
    }
    if (!str_to_int(s, 10, port) || *port < min || *port > 65535) {
        return xasprintf("%s: \"%s\" is not a port number (accepted: %d to "
                         "65535)", name, s, min);
    }
    return NULL;
}

/* Returns true if 'name' is a TLS name ("ssl:..." or "pssl:..."). */
bool
dvs_conn_name_is_ssl(const char *name)
{
    return !strncmp(name, "ssl:", 4) || !strncmp(name, "pssl:", 5);
}

/* Parses 'name', "tcp:IP[:PORT]" or "ssl:IP[:PORT]" (IPv6 addresses in
 * brackets; PORT defaults to DVS_CONN_DEFAULT_PORT) into '*ss'. */
char *
dvs_conn_parse_active(const char *name, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (strncmp(name, "tcp:", 4) && strncmp(name, "ssl:", 4)) {
        return xasprintf("%s: unknown connection method (accepted: "
                         "tcp:IP[:PORT], ssl:IP[:PORT])", name);
    }

    char *copy = xstrdup(name + 4);
    char *host, *port_s;
    int port;

    inet_parse_host_port_tokens(copy, &host, &port_s);
    char *error = (!host || !*host
                   ? xasprintf("%s: the IP address is missing (accepted: "
                               "tcp:IP[:PORT], ssl:IP[:PORT])", name)
                   : parse_port(name, port_s, 1, &port));
    if (!error) {
        error = parse_ip(name, host, port, ss);
    }
    free(copy);
    return error;
}

/* Parses 'name', "ptcp:[PORT][:IP]" or "pssl:[PORT][:IP]" like OVS's
 * passive names (PORT 0: the kernel chooses; PORT omitted:
 * DVS_CONN_DEFAULT_PORT; IP omitted: all IPv4 addresses) into '*ss'. */
char *
dvs_conn_parse_passive(const char *name, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (strncmp(name, "ptcp:", 5) && strncmp(name, "pssl:", 5)) {
        return xasprintf("%s: unknown listening method (accepted: "
                         "ptcp:[PORT][:IP], pssl:[PORT][:IP])", name);
    }

    char *copy = xstrdup(name + 5);
    char *host, *port_s;
    int port;

    inet_parse_port_host_tokens(copy, &port_s, &host);
    char *error = parse_port(name, port_s, 0, &port);
    if (!error) {
        error = parse_ip(name, host && *host ? host : "0.0.0.0", port, ss);
    }
    free(copy);
    return error;
}

static char *
tcp_peer_name(const uv_tcp_t *tcp, bool ssl)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    const char *method = ssl ? "ssl:" : "tcp:";

    if (uv_tcp_getpeername(tcp, (struct sockaddr *) &ss, &len)) {
        return xasprintf("%s(unknown)", method);
    }

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, method);
    ss_format_address(&ss, &s);
    ds_put_format(&s, ":%"PRIu16, ss_get_port(&ss));
    return ds_steal_cstr(&s);
}

/* Servers. */

static void
server_connection_cb(uv_stream_t *listener, int status)
{
    struct dvs_server *server = listener->data;

    if (status < 0) {
        VLOG_WARN_RL(&rl, "%s: accept failed: %s", server->name,
                     uv_strerror(status));
        return;
    }

    uv_tcp_t *tcp = xmalloc(sizeof *tcp);
    uv_tcp_init(server->loop, tcp);
    int error = uv_accept(listener, (uv_stream_t *) tcp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: accept failed: %s", server->name,
                     uv_strerror(error));
        close_and_free(tcp);
        return;
    }

    bool ssl = dvs_conn_name_is_ssl(server->name);
    char *name = tcp_peer_name(tcp, ssl);
    bool refuse = server->n_conns >= server->options.max_conns;
    if (refuse && server->n_refusing >= server->options.max_conns) {
        /* Even refusals are piling up: do not spend more on them. */
        VLOG_WARN_RL(&rl, "%s: too many connections, closing at once",
                     name);
        close_and_free(tcp);
        free(name);
        return;
    }
    if (!refuse && server->n_unidentified >= server->options.max_unidentified) {
        /* A flood of connections that say nothing (or are slow to): each
         * waits up to the Hello timeout, so the newest are the ones to
         * drop; established sessions are not affected. */
        VLOG_WARN_RL(&rl, "%s: %"PRIuSIZE" connections have not sent their "
                     "Hello yet, closing at once", name,
                     server->n_unidentified);
        close_and_free(tcp);
        free(name);
        return;
    }

    struct dvs_conn *conn = conn_create(server->loop, tcp, name, ssl,
                                        &server->options, &server->cbs,
                                        server->aux);
    conn->server = server;
    ovs_list_push_back(&server->conns, &conn->list_node);

    if (refuse) {
        conn->refusing = true;
        server->n_refusing++;
        if (conn_start(conn)) {
            char *message = xasprintf("the controller serves at most %u "
                                      "connections",
                                      server->options.max_conns);
            dvs_conn_close_with_error(conn, DVS__ERROR__CODE__OVERLOADED,
                                      message);
            free(message);
        }
    } else {
        conn->counted = true;
        server->n_conns++;
        conn->unidentified = true;
        server->n_unidentified++;
        conn->decoder.max_frame = server->options.max_hello_frame;
        conn->hello_timeout_ms = server->options.hello_timeout_ms;
        conn->hello_deadline = (uv_now(server->loop)
                                + server->options.hello_timeout_ms);
        VLOG_INFO("%s: connection accepted", name);
        if (conn_start(conn)) {
            conn->notify = true;
            conn->cbs.connected(conn, conn->aux);
        }
    }
}

static void
server_free(uv_handle_t *handle)
{
    struct dvs_server *server = handle->data;

    free(server->name);
    free(server);
}

/* Listens on 'name' ("ptcp:[PORT][:IP]" or "pssl:[PORT][:IP]", which needs
 * 'options->tls') with 'options' (defaults if null)
 * and serves the connections it accepts through 'cbs' with 'aux'.  On
 * success stores the server in '*serverp' and returns NULL; on failure
 * stores NULL and returns an error message. */
char *
dvs_server_create(uv_loop_t *loop, const char *name,
                  const struct dvs_conn_options *options,
                  const struct dvs_conn_callbacks *cbs, void *aux,
                  struct dvs_server **serverp)
{
    struct sockaddr_storage ss;
    char *error;

    *serverp = NULL;
    error = dvs_conn_parse_passive(name, &ss);
    if (error) {
        return error;
    }
    if (dvs_conn_name_is_ssl(name) && (!options || !options->tls)) {
        return xasprintf("%s: TLS needs --private-key, --certificate and "
                         "--ca-cert", name);
    }

    struct dvs_server *server = xzalloc(sizeof *server);
    server->loop = loop;
    server->name = xstrdup(name);
    options_copy(&server->options, options);
    server->cbs = *cbs;
    server->aux = aux;
    ovs_list_init(&server->conns);

    uv_tcp_init(loop, &server->listener);
    server->listener.data = server;
    int retval = uv_tcp_bind(&server->listener, (struct sockaddr *) &ss, 0);
    if (!retval) {
        retval = uv_listen((uv_stream_t *) &server->listener, 128,
                           server_connection_cb);
    }
    if (retval) {
        error = xasprintf("%s: cannot listen: %s", name,
                          uv_strerror(retval));
        uv_close((uv_handle_t *) &server->listener, server_free);
        return error;
    }

    VLOG_INFO("%s: listening on port %"PRIu16, name,
              dvs_server_get_port(server));
    *serverp = server;
    return NULL;
}

/* Closes the listener and every connection, without calling any callback.
 * The memory is freed from the loop, which must run on. */
void
dvs_server_destroy(struct dvs_server *server)
{
    if (!server) {
        return;
    }

    struct dvs_conn *conn;
    LIST_FOR_EACH_POP (conn, list_node, &server->conns) {
        ovs_list_init(&conn->list_node);
        conn->server = NULL;
        conn->notify = false;
        conn->counted = false;
        conn->refusing = false;
        conn->unidentified = false;
        if (conn->state == CONN_OPEN) {
            conn_close__(conn, "server shutting down", false);
        } else {
            conn_close_io(conn);
        }
    }
    server->n_conns = server->n_refusing = server->n_unidentified = 0;
    uv_close((uv_handle_t *) &server->listener, server_free);
}

/* The port the server listens on: the one the kernel chose for "ptcp:0". */
uint16_t
dvs_server_get_port(const struct dvs_server *server)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;

    if (uv_tcp_getsockname(&server->listener, (struct sockaddr *) &ss,
                           &len)) {
        return 0;
    }
    return ss_get_port(&ss);
}

/* Open connections being served (refused ones not counted). */
size_t
dvs_server_n_conns(const struct dvs_server *server)
{
    return server->n_conns;
}

/* Open connections that have not delivered an envelope yet. */
size_t
dvs_server_n_unidentified(const struct dvs_server *server)
{
    return server->n_unidentified;
}

/* Clients.
 *
 * The client walks its list of targets: an attempt that fails (refused,
 * timed out, or a session that ended before the peer sent anything but an
 * Error) moves on to the next target at once, so a dead controller costs
 * one attempt.  Once every target failed in a row, it waits, 'backoff_min_ms'
 * first and twice as long each time up to 'backoff_max_ms'.  A session in
 * which the peer sent something useful resets the wait; after it ends the
 * client waits 'backoff_min_ms' and tries the same target first. */

static void client_connect(struct dvs_client *);
static void client_attempt_failed(struct dvs_client *, const char *why);

static void
client_timer_cb(uv_timer_t *timer)
{
    struct dvs_client *client = timer->data;

    switch (client->state) {
    case CLIENT_WAITING:
        client_connect(client);
        break;

    case CLIENT_CONNECTING: {
        /* Abandon the attempt; its connect callback frees it. */
        struct client_attempt *attempt = client->attempt;
        char *why = xasprintf("no connection after %u ms",
                              client->options.connect_timeout_ms);

        client->attempt = NULL;
        attempt->client = NULL;
        close_and_free(attempt->tcp);
        client_attempt_failed(client, why);
        free(why);
        break;
    }

    case CLIENT_CONNECTED:
    default:
        break;
    }
}

static void
client_schedule(struct dvs_client *client, unsigned int delay)
{
    client->state = CLIENT_WAITING;
    uv_timer_start(&client->timer, client_timer_cb, delay, 0);
}

/* The attempt on the current target failed, for 'why'. */
static void
client_attempt_failed(struct dvs_client *client, const char *why)
{
    const struct client_target *target = &client->targets[client->index];

    VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)",
                 target->name, why);

    client->index = (client->index + 1) % client->n_targets;
    if (++client->n_failed < client->n_targets) {
        /* Fail over to the next controller at once. */
        client_schedule(client, 0);
    } else {
        unsigned int delay = client->backoff;

        client->n_failed = 0;
        client->backoff = MIN(client->backoff * 2,
                              client->options.backoff_max_ms);
        VLOG_INFO_RL(&rl, "no controller reachable, trying again in %u ms",
                     delay);
        client_schedule(client, delay);
    }
}

/* The session on 'client->conn' ended; 'useful' if the controller sent
 * something other than an Error. */
static void
client_session_ended(struct dvs_client *client, bool useful)
{
    if (useful) {
        client->n_failed = 0;
        client->backoff = client->options.backoff_min_ms;
        client_schedule(client, client->backoff);
    } else {
        client_attempt_failed(client, "session ended before the peer sent "
                              "anything useful");
    }
}

static void
client_connect_cb(uv_connect_t *req, int status)
{
    struct client_attempt *attempt = CONTAINER_OF(req, struct client_attempt,
                                                  req);
    struct dvs_client *client = attempt->client;
    uv_tcp_t *tcp = attempt->tcp;

    free(attempt);
    if (!client) {
        /* Abandoned (timeout or destroy): 'tcp' is already closing. */
        return;
    }

    client->attempt = NULL;
    uv_timer_stop(&client->timer);
    if (status < 0) {
        close_and_free(tcp);
        client_attempt_failed(client, uv_strerror(status));
        return;
    }

    const struct client_target *target = &client->targets[client->index];
    struct dvs_conn *conn = conn_create(client->loop, tcp,
                                        xstrdup(target->name), target->ssl,
                                        &client->options, &client->cbs,
                                        client->aux);
    conn->client = client;
    client->conn = conn;
    client->state = CLIENT_CONNECTED;
    VLOG_INFO("%s: connected", target->name);
    if (conn_start(conn)) {
        conn->notify = true;
        conn->cbs.connected(conn, conn->aux);
    }
}

static void
client_connect(struct dvs_client *client)
{
    const struct client_target *target = &client->targets[client->index];
    struct client_attempt *attempt = xzalloc(sizeof *attempt);

    attempt->client = client;
    attempt->tcp = xmalloc(sizeof *attempt->tcp);
    uv_tcp_init(client->loop, attempt->tcp);

    int error = uv_tcp_connect(&attempt->req, attempt->tcp,
                               (const struct sockaddr *) &target->ss,
                               client_connect_cb);
    if (error) {
        close_and_free(attempt->tcp);
        free(attempt);
        client_attempt_failed(client, uv_strerror(error));
        return;
    }

    VLOG_DBG("%s: connecting", target->name);
    client->attempt = attempt;
    client->state = CLIENT_CONNECTING;
    uv_timer_start(&client->timer, client_timer_cb,
                   client->options.connect_timeout_ms, 0);
}

static void
client_free(uv_handle_t *handle)
{
    struct dvs_client *client = handle->data;

    for (size_t i = 0; i < client->n_targets; i++) {
        free(client->targets[i].name);
    }
    free(client->targets);
    free(client);
}

/* Connects to one of 'targets', "tcp:IP[:PORT]" or "ssl:IP[:PORT]" names
 * separated by commas ("ssl:" needs 'options->tls'), with
 * 'options' (defaults if null), and reports the sessions through 'cbs' with
 * 'aux'.  The first attempt starts from the loop.  On success stores the
 * client in '*clientp' and returns NULL; on failure (a malformed name)
 * stores NULL and returns an error message. */
char *
dvs_client_create(uv_loop_t *loop, const char *targets,
                  const struct dvs_conn_options *options,
                  const struct dvs_conn_callbacks *cbs, void *aux,
                  struct dvs_client **clientp)
{
    struct dvs_client *client = xzalloc(sizeof *client);
    char *copy = xstrdup(targets);
    char *save = NULL;
    char *error = NULL;
    size_t allocated = 0;

    *clientp = NULL;
    for (char *name = strtok_r(copy, ",", &save); name && !error;
         name = strtok_r(NULL, ",", &save)) {
        struct sockaddr_storage ss;

        error = dvs_conn_parse_active(name, &ss);
        if (!error && dvs_conn_name_is_ssl(name)
            && (!options || !options->tls)) {
            error = xasprintf("%s: TLS needs --private-key, --certificate "
                              "and --ca-cert", name);
        }
        if (!error) {
            if (client->n_targets >= allocated) {
                client->targets = x2nrealloc(client->targets, &allocated,
                                             sizeof *client->targets);
            }
            struct client_target *t = &client->targets[client->n_targets++];
            t->name = xstrdup(name);
            t->ss = ss;
            t->ssl = dvs_conn_name_is_ssl(name);
        }
    }
    free(copy);
    if (!error && !client->n_targets) {
        error = xasprintf("\"%s\": no controller address (accepted: "
                          "tcp:IP[:PORT] or ssl:IP[:PORT], comma-separated)",
                          targets);
    }
    if (error) {
        for (size_t i = 0; i < client->n_targets; i++) {
            free(client->targets[i].name);
        }
        free(client->targets);
        free(client);
        return error;
    }

    client->loop = loop;
    options_copy(&client->options, options);
    client->cbs = *cbs;
    client->aux = aux;
    client->backoff = client->options.backoff_min_ms;
    uv_timer_init(loop, &client->timer);
    client->timer.data = client;
    client_schedule(client, 0);

    *clientp = client;
    return NULL;
}

/* Stops connecting and closes the session, without calling any callback.
 * The memory is freed from the loop, which must run on. */
void
dvs_client_destroy(struct dvs_client *client)
{
    if (!client) {
        return;
    }

    if (client->attempt) {
        client->attempt->client = NULL;
        close_and_free(client->attempt->tcp);
        client->attempt = NULL;
    }
    if (client->conn) {
        struct dvs_conn *conn = client->conn;

        client->conn = NULL;
        conn->client = NULL;
        conn->notify = false;
        conn_close__(conn, "client shutting down", false);
    }
    client->state = CLIENT_WAITING;
    uv_close((uv_handle_t *) &client->timer, client_free);
}

/* Sends 'env' on the current session, if there is one.  Returns false if
 * there is none or dvs_conn_send() failed. */
bool
dvs_client_send(struct dvs_client *client, const Dvs__Envelope *env)
{
    return client->conn && dvs_conn_send(client->conn, env);
}

/* The current session, or NULL while (re)connecting. */
struct dvs_conn *
dvs_client_get_conn(const struct dvs_client *client)
{
    return client->conn;
}

/* The target connected to or tried now (or next). */
const char *
dvs_client_get_target(const struct dvs_client *client)
{
    return client->targets[client->index].name;
}

/* The wait before the next round of attempts, once all targets fail. */
unsigned int
dvs_client_get_backoff(const struct dvs_client *client)
{
    return client->backoff;
}
