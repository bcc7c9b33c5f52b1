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

#ifndef DVS_CONN_H
#define DVS_CONN_H 1

/* Controller <-> agent connections on libuv.
 *
 * Everything here runs on the libuv thread of a daemon (see dvs-mailbox.h):
 * every function must be called on the thread that runs the uv_loop_t the
 * object was created on, and every callback is called there.  The daemons
 * hand what they receive to their OVS thread through dvs-mailbox.
 *
 * Layers, bottom up:
 *
 *   - struct dvs_stream: a connected byte stream behind a small class
 *     (start, write, backlog, shutdown, close; data arrives through a read
 *     callback): plain TCP, or TLS over it (dvs-tls.h) for "ssl:" and
 *     "pssl:" names, without the layers above changing.
 *
 *   - struct dvs_conn: one peer.  Frames envelopes (dvs-wire), validates
 *     what it receives, sends and checks heartbeats, bounds its unsent
 *     output, and closes with an Error envelope first when the peer is at
 *     fault.
 *
 *   - struct dvs_server: listens on "ptcp:PORT[:IP]" or "pssl:PORT[:IP]"
 *     (PORT 0 = any; see dvs_server_get_port()), accepts up to a limit of
 *     connections and refuses more with an Error OVERLOADED.  Until a
 *     connection delivers its first envelope (the agent's Hello) it is
 *     "unidentified": it may send only a small frame, must do so within a
 *     timeout, and only so many unidentified connections are kept at once,
 *     so that idle, slow or flooding peers cannot hold memory or slots.
 *
 *   - struct dvs_client: connects to one of a list of controllers, each
 *     "tcp:IP[:PORT]" or "ssl:IP[:PORT]", comma-separated, fails over to
 *     the next one when an attempt fails, and reconnects with exponential
 *     backoff.
 *
 * A peer that sends bytes that do not frame, unpack or validate is dropped
 * (after an Error BAD_MESSAGE), never trusted: nothing a peer sends can
 * crash the daemon or make it allocate more than its limits. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "openvswitch/compiler.h"
#include "proto/dvs.pb-c.h"

/* Port of "tcp:IP" and "ptcp:" without one. */
#define DVS_CONN_DEFAULT_PORT 6655

/* Byte streams. */

struct dvs_stream;

/* Implemented by the stream's owner (a dvs_conn). */
struct dvs_stream_callbacks {
    /* 'n' bytes arrived. */
    void (*read)(struct dvs_stream *, const uint8_t *data, size_t n);

    /* The stream ended (UV_EOF) or failed (another libuv error).  No more
     * reads follow; the owner closes the stream. */
    void (*ended)(struct dvs_stream *, int error);

    /* The stream finished closing and is about to be freed. */
    void (*closed)(struct dvs_stream *);
};

struct dvs_stream_class {
    const char *name;           /* "tcp" or "ssl". */

    /* Starts delivering data through 'cbs->read' (and, for TLS, starts the
     * handshake).  Returns 0 or a libuv error. */
    int (*start)(struct dvs_stream *);

    /* Queues the 'n' bytes at 'data' for sending and takes ownership of
     * 'data' (a malloc()'d block).  Returns 0 or a libuv error. */
    int (*write)(struct dvs_stream *, void *data, size_t n);

    /* Bytes that write() accepted but that are not yet handed to the kernel:
     * what a peer that does not read makes us hold. */
    size_t (*backlog)(const struct dvs_stream *);

    /* Sends what is queued, then ends the output side (TCP: FIN; TLS:
     * close_notify, then FIN).  Reading goes on until the owner calls
     * close(). */
    void (*shutdown)(struct dvs_stream *);

    /* Closes at once, dropping unsent data; 'cbs->closed' follows from the
     * loop.  Idempotent. */
    void (*close)(struct dvs_stream *);

    /* The host named by the peer's verified certificate, or NULL (plain
     * TCP, handshake not done, or no usable name).  May be null. */
    const char *(*peer_host)(const struct dvs_stream *);
};

struct dvs_stream {
    const struct dvs_stream_class *class;
    const struct dvs_stream_callbacks *cbs;
    void *owner;
};

struct dvs_stream *dvs_stream_tcp_create(uv_tcp_t *,
                                         const struct dvs_stream_callbacks *,
                                         void *owner);

struct dvs_tls_ctx;

/* Options of servers and clients. */
struct dvs_conn_options {
    size_t max_frame;           /* Largest envelope received or sent. */
    size_t max_backlog;         /* Unsent bytes before the peer is dropped. */

    /* Heartbeats: each side sends one when it sent nothing for this long,
     * and drops a peer from which nothing arrived for 3 times as long.
     * 0 disables both.  Both ends must agree: the agent adopts the interval
     * of the controller's HelloReply with dvs_conn_set_heartbeat(). */
    unsigned int heartbeat_ms;

    /* Certificates for "ssl:" and "pssl:" names (not owned; must outlive
     * the server or client).  Null: such names are refused. */
    struct dvs_tls_ctx *tls;

    /* Server only: connections served at once; more are refused. */
    unsigned int max_conns;

    /* Server only: limits on unidentified connections (no envelope but
     * heartbeats received yet, e.g. during the TLS handshake): how long
     * one may stay so, how many may exist at once (more are closed as they
     * arrive), and the largest first envelope. */
    unsigned int hello_timeout_ms;
    unsigned int max_unidentified;
    size_t max_hello_frame;

    /* Client only. */
    unsigned int backoff_min_ms;        /* First wait before reconnecting. */
    unsigned int backoff_max_ms;        /* Waits double up to this. */
    unsigned int connect_timeout_ms;    /* Give up on a connection attempt. */
};

#define DVS_CONN_DEFAULT_MAX_BACKLOG (64u * 1024 * 1024)
#define DVS_CONN_DEFAULT_HEARTBEAT_MS 5000
#define DVS_CONN_DEFAULT_MAX_CONNS 4096
#define DVS_CONN_DEFAULT_HELLO_TIMEOUT_MS 10000
#define DVS_CONN_DEFAULT_MAX_UNIDENTIFIED 256
#define DVS_CONN_DEFAULT_MAX_HELLO_FRAME (64u * 1024)
#define DVS_CONN_DEFAULT_BACKOFF_MIN_MS 1000
#define DVS_CONN_DEFAULT_BACKOFF_MAX_MS 8000
#define DVS_CONN_DEFAULT_CONNECT_TIMEOUT_MS 5000

void dvs_conn_options_init(struct dvs_conn_options *);

/* Connections. */

struct dvs_conn;

/* Callbacks of servers and clients, with their 'aux'. */
struct dvs_conn_callbacks {
    /* A connection is established (server: accepted; client: connected).
     * The client typically sends its Hello here. */
    void (*connected)(struct dvs_conn *, void *aux);

    /* An envelope arrived; the callee owns it and frees it with
     * dvs__envelope__free_unpacked(env, NULL) (or dvs_wire_envelope_free()).
     * It has been validated with dvs_wire_validate().  Heartbeats are
     * consumed by the connection and not passed on.  An Error is passed on,
     * then the connection closes. */
    void (*received)(struct dvs_conn *, Dvs__Envelope *env, void *aux);

    /* The connection closed, for 'reason'.  'conn' must not be used after
     * this returns.  Called once per connection passed to 'connected', also
     * when the callee itself closed it, but not for connections closed by
     * dvs_server_destroy() or dvs_client_destroy(). */
    void (*closed)(struct dvs_conn *, const char *reason, void *aux);
};

bool dvs_conn_send(struct dvs_conn *, const Dvs__Envelope *);
bool dvs_conn_send_frame(struct dvs_conn *, uint8_t *frame, size_t size);
void dvs_conn_close(struct dvs_conn *, const char *reason);
void dvs_conn_close_with_error(struct dvs_conn *, Dvs__Error__Code,
                               const char *message);
bool dvs_conn_is_open(const struct dvs_conn *);
const char *dvs_conn_get_name(const struct dvs_conn *);
const char *dvs_conn_get_peer_host(const struct dvs_conn *);
size_t dvs_conn_get_backlog(const struct dvs_conn *);
void dvs_conn_set_heartbeat(struct dvs_conn *, unsigned int heartbeat_ms);
void dvs_conn_set_user_data(struct dvs_conn *, void *);
void *dvs_conn_get_user_data(const struct dvs_conn *);

/* Servers. */

struct dvs_server;

char *dvs_server_create(uv_loop_t *, const char *name,
                        const struct dvs_conn_options *,
                        const struct dvs_conn_callbacks *, void *aux,
                        struct dvs_server **serverp)
    OVS_WARN_UNUSED_RESULT;
void dvs_server_destroy(struct dvs_server *);
uint16_t dvs_server_get_port(const struct dvs_server *);
size_t dvs_server_n_conns(const struct dvs_server *);
size_t dvs_server_n_unidentified(const struct dvs_server *);

/* Clients. */

struct dvs_client;

char *dvs_client_create(uv_loop_t *, const char *targets,
                        const struct dvs_conn_options *,
                        const struct dvs_conn_callbacks *, void *aux,
                        struct dvs_client **clientp)
    OVS_WARN_UNUSED_RESULT;
void dvs_client_destroy(struct dvs_client *);
bool dvs_client_send(struct dvs_client *, const Dvs__Envelope *);
struct dvs_conn *dvs_client_get_conn(const struct dvs_client *);
const char *dvs_client_get_target(const struct dvs_client *);
unsigned int dvs_client_get_backoff(const struct dvs_client *);

/* Names. */

char *dvs_conn_parse_active(const char *name, struct sockaddr_storage *)
    OVS_WARN_UNUSED_RESULT;
char *dvs_conn_parse_passive(const char *name, struct sockaddr_storage *)
    OVS_WARN_UNUSED_RESULT;
bool dvs_conn_name_is_ssl(const char *name);

#endif /* dvs-conn.h */
