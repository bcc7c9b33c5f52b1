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

/* dvs-controller: watches the configuration database and keeps every
 * member host's agent supplied with its desired state.
 *
 * Two threads (DESIGN §3): the main thread runs libuv and owns the agents'
 * connections; the OVS thread runs the IDL, the sessions and unixctl.  They
 * exchange owned messages through a dvs_mailbox. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "command-line.h"
#include "controller/checkpoint.h"
#include "controller/sessions.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "hash.h"
#include "lib/dvs-columns.h"
#include "lib/dvs-conn.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-mailbox.h"
#include "lib/dvs-tls.h"
#include "lib/dvs-wire.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "sset.h"
#include "stream-ssl.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dvs_controller);

/* Command line. */
static char *db;
static char *listen_target;
static char *unixctl_path;
static unsigned int heartbeat_ms = DVS_CONN_DEFAULT_HEARTBEAT_MS;
static unsigned int hello_timeout_ms = DVS_CONN_DEFAULT_HELLO_TIMEOUT_MS;
static struct dvs_tls_files tls_files;
static bool require_tls;
static unsigned int max_checkpoints = CHECKPOINT_DEFAULT_MAX;
static char *snapshot_dir;
static bool network_rollback = true;

/* Mailbox message types. */
enum {
    /* libuv -> OVS. */
    MSG_RECEIVED,               /* struct received_msg. */
    MSG_CLOSED,                 /* uint64_t connection id. */
    /* OVS -> libuv. */
    MSG_SEND,                   /* struct frame_msg. */
    MSG_CLOSE,                  /* struct frame_msg (frame may be NULL). */
};

struct received_msg {
    uint64_t conn;
    Dvs__Envelope *env;
    char *cert_host;            /* For a Hello: see sessions_receive(). */
};

struct frame_msg {
    uint64_t conn;
    uint8_t *frame;
    size_t size;
};

/* The libuv thread's state. */
struct uv_side {
    uv_loop_t loop;
    struct dvs_mailbox *mailbox;
    struct dvs_server *server;
    struct hmap conns;          /* "struct conn_node"s by id. */
    uint64_t next_id;
};

struct conn_node {
    struct hmap_node node;
    uint64_t id;
    struct dvs_conn *conn;
};

/* The OVS thread's state. */
struct ovs_side {
    struct dvs_mailbox *mailbox;
    struct ovsdb_idl *idl;
    struct sessions *sessions;
    struct checkpoints *checkpoints;
    struct unixctl_server *unixctl;
    uint16_t port;              /* Bound listening port. */
    struct ovs_list deferred;   /* Mail held until the database is read. */
    bool exiting;
};

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);

/* libuv thread. */

static void
received_msg_destroy(void *msg_)
{
    struct received_msg *msg = msg_;
    dvs_wire_envelope_free(msg->env);
    free(msg->cert_host);
    free(msg);
}

static void
frame_msg_destroy(void *msg_)
{
    struct frame_msg *msg = msg_;
    free(msg->frame);
    free(msg);
}

static struct conn_node *
find_conn_node(struct uv_side *uv, uint64_t id)
{
    struct conn_node *node;
    HMAP_FOR_EACH_WITH_HASH (node, node, hash_uint64(id), &uv->conns) {
        if (node->id == id) {
            return node;
        }
    }
    return NULL;
}

static void
conn_connected(struct dvs_conn *conn, void *uv_)
{
    struct uv_side *uv = uv_;
    struct conn_node *node = xmalloc(sizeof *node);

    node->id = ++uv->next_id;
    node->conn = conn;
    hmap_insert(&uv->conns, &node->node, hash_uint64(node->id));
    dvs_conn_set_user_data(conn, node);
    VLOG_DBG("connection %"PRIu64" from %s", node->id,
             dvs_conn_get_name(conn));
}

static void
conn_received(struct dvs_conn *conn, Dvs__Envelope *env, void *uv_)
{
    struct uv_side *uv = uv_;
    struct conn_node *node = dvs_conn_get_user_data(conn);
    struct received_msg *msg = xmalloc(sizeof *msg);

    msg->conn = node->id;
    msg->env = env;
    msg->cert_host = NULL;
    if (env->body_case == DVS__ENVELOPE__BODY_HELLO
        && dvs_conn_name_is_ssl(dvs_conn_get_name(conn))) {
        const char *host = dvs_conn_get_peer_host(conn);
        msg->cert_host = xstrdup(host ? host : "");
    }
    if (!dvs_mailbox_send_to_ovs(uv->mailbox, MSG_RECEIVED, msg,
                                 dvs__envelope__get_packed_size(env),
                                 received_msg_destroy)) {
        /* The OVS thread is far behind: shed this peer, not the process. */
        dvs_conn_close_with_error(conn, DVS__ERROR__CODE__OVERLOADED,
                                  "controller overloaded");
    }
}

static void
conn_closed(struct dvs_conn *conn, const char *reason, void *uv_)
{
    struct uv_side *uv = uv_;
    struct conn_node *node = dvs_conn_get_user_data(conn);
    uint64_t *id = xmalloc(sizeof *id);

    VLOG_DBG("connection %"PRIu64" closed: %s", node->id, reason);
    *id = node->id;
    hmap_remove(&uv->conns, &node->node);
    free(node);
    /* Closing must always reach the sessions: ignore the memory limit. */
    dvs_mailbox_send_to_ovs(uv->mailbox, MSG_CLOSED, id, 0, free);
}

static const struct dvs_conn_callbacks conn_callbacks = {
    .connected = conn_connected,
    .received = conn_received,
    .closed = conn_closed,
};

static void
uv_received(struct dvs_mailbox *mb OVS_UNUSED, struct dvs_mailbox_msg *msg,
            void *uv_)
{
    struct uv_side *uv = uv_;
    struct frame_msg *f = msg->data;
    struct conn_node *node = find_conn_node(uv, f->conn);

    if (node) {
        if (f->frame) {
            dvs_conn_send_frame(node->conn, f->frame, f->size);
            f->frame = NULL;    /* Taken by the connection. */
        }
        if (msg->type == MSG_CLOSE) {
            dvs_conn_close(node->conn, "closed by the controller");
        }
    }
    dvs_mailbox_msg_destroy(msg);
}

static void
uv_stopped(struct dvs_mailbox *mb, void *uv_)
{
    struct uv_side *uv = uv_;

    dvs_server_destroy(uv->server);
    uv->server = NULL;
    dvs_mailbox_close(mb);
}

/* OVS thread. */

static void
transport_send(void *ovs_, uint64_t conn, uint8_t *frame, size_t size)
{
    struct ovs_side *ovs = ovs_;
    struct frame_msg *msg = xmalloc(sizeof *msg);

    *msg = (struct frame_msg) { conn, frame, size };
    dvs_mailbox_send_to_uv(ovs->mailbox, MSG_SEND, msg, size,
                           frame_msg_destroy);
}

static void
transport_close(void *ovs_, uint64_t conn, uint8_t *frame, size_t size)
{
    struct ovs_side *ovs = ovs_;
    struct frame_msg *msg = xmalloc(sizeof *msg);

    *msg = (struct frame_msg) { conn, frame, size };
    dvs_mailbox_send_to_uv(ovs->mailbox, MSG_CLOSE, msg, 0,
                           frame_msg_destroy);
}

static void
unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    ovs->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
unixctl_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "database: %s (%s)\n", db,
                  ovsdb_idl_is_connected(ovs->idl) ? "connected"
                                                   : "not connected");
    ds_put_format(&s, "listening: %s, port %"PRIu16"\n", listen_target,
                  ovs->port);
    sessions_format_status(ovs->sessions, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
unixctl_hosts(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    struct ds s = DS_EMPTY_INITIALIZER;

    sessions_format_hosts(ovs->sessions, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
unixctl_dump_host(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[], void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (sessions_format_host_state(ovs->sessions, argv[1], &s)) {
        unixctl_command_reply(conn, ds_cstr(&s));
    } else {
        unixctl_command_reply_error(conn, "no such host has connected");
    }
    ds_destroy(&s);
}

static void
unixctl_listening(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    char *reply = xasprintf("%"PRIu16, ovs->port);
    unixctl_command_reply(conn, reply);
    free(reply);
}

/* Handles the messages from the libuv thread.  Until the IDL has the
 * database's contents, the agents' messages wait in 'ovs->deferred': the
 * sessions need the configuration to tell a member host from a stranger
 * (a Hello that came first would be refused) and to know the bindings
 * (see seed_bindings() in sessions.c).  The controller starts listening
 * before it has read the database, and agents reconnect as soon as it
 * does. */
static void
handle_mail(struct ovs_side *ovs, bool db_ready)
{
    struct dvs_mailbox_msg *msg;

    for (;;) {
        if (db_ready && !ovs_list_is_empty(&ovs->deferred)) {
            msg = CONTAINER_OF(ovs_list_pop_front(&ovs->deferred),
                               struct dvs_mailbox_msg, list_node);
        } else {
            msg = dvs_mailbox_recv(ovs->mailbox);
            if (!msg) {
                break;
            }
            if (!db_ready) {
                /* The message is ours once received, list_node too. */
                ovs_list_push_back(&ovs->deferred, &msg->list_node);
                continue;
            }
        }

        switch (msg->type) {
        case MSG_RECEIVED: {
            struct received_msg *r = msg->data;
            sessions_receive(ovs->sessions, r->conn, r->env, r->cert_host);
            break;
        }
        case MSG_CLOSED:
            sessions_closed(ovs->sessions, *(uint64_t *) msg->data);
            break;
        default:
            OVS_NOT_REACHED();
        }
        dvs_mailbox_msg_destroy(msg);
    }
}

/* Automatic network rollback: a host that undid a change has it rejected,
 * in 'txn', from the checkpoints; the host is added to 'releasing', to be
 * sent states again once 'txn' is committed. */
static void
revert_rollbacks(struct ovs_side *ovs, struct ovsdb_idl_txn *txn,
                 struct sset *releasing)
{
    long long int since_msec;
    char *host, *note;

    while (txn && sessions_next_rollback(ovs->sessions, &host, &since_msec,
                                         &note)) {
        checkpoints_revert(ovs->checkpoints, ovs->idl, txn, host, since_msec,
                           note);
        sset_add(releasing, host);
        free(host);
        free(note);
    }
}

/* dvs-controller writes the status columns itself, from what the hosts
 * report: their changes are no configuration, and being told of its own
 * writes would cost a run, in which the IDL tracks every row that refers
 * to a changed row, and those that refer to them (Host.hv_cfg, written at
 * every "--wait=hv", would track every Host_Member of the host and every
 * Port bound on it; a Switch's error, every Portgroup and Port of it).
 * Their values are still replicated, for the controller to read. */
static void
omit_status_alerts(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < DVSREC_N_TABLES; i++) {
        const struct ovsdb_idl_table_class *table = &dvsrec_table_classes[i];

        for (size_t j = 0; j < table->n_columns; j++) {
            if (dvs_column_is_status(table, &table->columns[j])) {
                ovsdb_idl_omit_alert(idl, &table->columns[j]);
            }
        }
    }
}

static void
ovs_main(struct dvs_mailbox *mb, void *ovs_)
{
    struct ovs_side *ovs = ovs_;
    struct ovsdb_idl_loop idl_loop;
    struct sset releasing = SSET_INITIALIZER(&releasing);

    ovs->idl = ovsdb_idl_create(db, &dvsrec_idl_class, true, true);
    ovsdb_idl_track_add_all(ovs->idl);
    omit_status_alerts(ovs->idl);
    idl_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(ovs->idl);

    const struct sessions_transport transport = {
        .send = transport_send,
        .close = transport_close,
        .aux = ovs,
    };
    ovs->sessions = sessions_create(ovs->idl, &transport, heartbeat_ms);
    sessions_set_require_tls(ovs->sessions, require_tls);
    sessions_set_confirms(ovs->sessions, network_rollback);
    ovs->checkpoints = checkpoints_create(max_checkpoints, snapshot_dir);

    unixctl_command_register("exit", "", 0, 0, unixctl_exit, ovs);
    unixctl_command_register("dvs-controller/status", "", 0, 0,
                             unixctl_status, ovs);
    unixctl_command_register("dvs-controller/hosts", "", 0, 0,
                             unixctl_hosts, ovs);
    unixctl_command_register("dvs-controller/dump-host", "HOST", 1, 1,
                             unixctl_dump_host, ovs);
    unixctl_command_register("dvs-controller/listening", "", 0, 0,
                             unixctl_listening, ovs);

    while (!ovs->exiting && !dvs_mailbox_should_exit(mb)) {
        struct ovsdb_idl_txn *txn = ovsdb_idl_loop_run(&idl_loop);

        bool db_ready = ovsdb_idl_has_ever_connected(ovs->idl);

        unixctl_server_run(ovs->unixctl);
        handle_mail(ovs, db_ready);
        if (db_ready) {
            checkpoints_run(ovs->checkpoints, ovs->idl, txn);
            revert_rollbacks(ovs, txn, &releasing);
            sessions_run(ovs->sessions, txn);
        }
        ovsdb_idl_track_clear(ovs->idl);
        int result = ovsdb_idl_loop_commit_and_wait(&idl_loop);
        sessions_commit_result(ovs->sessions, result);
        checkpoints_commit_result(ovs->checkpoints, result);
        if (result >= 0) {
            /* The reverts are committed (or failed, and will not be
             * retried): the hosts that reported the rollbacks get states
             * again. */
            const char *host;
            SSET_FOR_EACH (host, &releasing) {
                sessions_release(ovs->sessions, host);
            }
            sset_clear(&releasing);
        }

        unixctl_server_wait(ovs->unixctl);
        sessions_wait(ovs->sessions);
        dvs_mailbox_wait(mb);
        poll_block();
    }

    struct dvs_mailbox_msg *msg;
    LIST_FOR_EACH_POP (msg, list_node, &ovs->deferred) {
        dvs_mailbox_msg_destroy(msg);
    }
    sset_destroy(&releasing);
    sessions_destroy(ovs->sessions);
    checkpoints_destroy(ovs->checkpoints);
    ovsdb_idl_loop_destroy(&idl_loop);
    dvs_mailbox_stop(mb);
}

/* glibc's malloc keeps small freed chunks in "fastbins" and merges them all
 * at once when a larger block is next asked for (malloc_consolidate()).
 * The controller frees small blocks by the million (the texts and flows of
 * recomputations), and walking them again in bursts cost about a fifth of
 * its CPU to converge at 2,000 hosts (Documentation/performance.md).
 * Without fastbins a chunk is merged as it is freed. */
static void
disable_fastbins(void)
{
#ifdef __GLIBC__
    mallopt(M_MXFAST, 0);
#endif
}

int
main(int argc, char *argv[])
{
    struct uv_side uv;
    struct ovs_side ovs;
    struct dvs_conn_options options;
    char *error;
    int retval;

    disable_fastbins();
    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    memset(&ovs, 0, sizeof ovs);
    ovs_list_init(&ovs.deferred);
    daemonize_start(false);
    retval = unixctl_server_create(unixctl_path, &ovs.unixctl);
    if (retval) {
        exit(EXIT_FAILURE);
    }

    /* Everything that asserts a single thread comes before the OVS thread
     * exists (OVS-NOTES §4). */
    fatal_signal_init();

    memset(&uv, 0, sizeof uv);
    hmap_init(&uv.conns);
    uv_loop_init(&uv.loop);
    const struct dvs_mailbox_callbacks mailbox_callbacks = {
        .received = uv_received,
        .stopped = uv_stopped,
    };
    uv.mailbox = dvs_mailbox_create(&uv.loop, &mailbox_callbacks, &uv,
                                    256u * 1024 * 1024);

    struct dvs_tls_ctx *tls;
    error = dvs_tls_ctx_from_files(&tls_files, true, &tls);
    if (error) {
        ovs_fatal(0, "%s", error);
    }

    dvs_conn_options_init(&options);
    options.heartbeat_ms = heartbeat_ms;
    options.hello_timeout_ms = hello_timeout_ms;
    options.tls = tls;
    error = dvs_server_create(&uv.loop, listen_target, &options,
                              &conn_callbacks, &uv, &uv.server);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    /* Known before the OVS thread starts, so that dvs-controller/listening
     * never answers before it is (the sandbox asks right after start). */
    ovs.port = dvs_server_get_port(uv.server);
    VLOG_INFO("listening on %s (port %"PRIu16")", listen_target, ovs.port);

    ovs.mailbox = uv.mailbox;
    daemonize_complete();

    dvs_mailbox_start(uv.mailbox, "dvs_ovs", ovs_main, &ovs);
    uv_run(&uv.loop, UV_RUN_DEFAULT);

    struct conn_node *node;
    HMAP_FOR_EACH_POP (node, node, &uv.conns) {
        free(node);
    }
    hmap_destroy(&uv.conns);
    uv_loop_close(&uv.loop);
    dvs_tls_ctx_destroy(tls);
    unixctl_server_destroy(ovs.unixctl);
    return 0;
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_HEARTBEAT,
        OPT_HELLO_TIMEOUT,
        OPT_REQUIRE_TLS,
        SSL_OPTION_ENUMS,
        OPT_CHECKPOINTS,
        OPT_SNAPSHOT_DIR,
        OPT_NO_NETWORK_ROLLBACK,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"heartbeat", required_argument, NULL, OPT_HEARTBEAT},
        {"hello-timeout", required_argument, NULL, OPT_HELLO_TIMEOUT},
        {"require-tls", no_argument, NULL, OPT_REQUIRE_TLS},
        STREAM_SSL_LONG_OPTIONS,
        {"checkpoints", required_argument, NULL, OPT_CHECKPOINTS},
        {"snapshot-dir", required_argument, NULL, OPT_SNAPSHOT_DIR},
        {"no-network-rollback", no_argument, NULL, OPT_NO_NETWORK_ROLLBACK},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            listen_target = optarg;
            break;
        case OPT_HEARTBEAT:
            if (!str_to_uint(optarg, 10, &heartbeat_ms)) {
                ovs_fatal(0, "--heartbeat: \"%s\" is not a number of "
                          "milliseconds", optarg);
            }
            break;
        case OPT_HELLO_TIMEOUT:
            if (!str_to_uint(optarg, 10, &hello_timeout_ms)
                || !hello_timeout_ms) {
                ovs_fatal(0, "--hello-timeout: \"%s\" is not a positive "
                          "number of milliseconds", optarg);
            }
            break;
        case OPT_REQUIRE_TLS:
            require_tls = true;
            break;
        DVS_TLS_OPTION_HANDLERS(&tls_files)
        case OPT_CHECKPOINTS:
            if (!str_to_uint(optarg, 10, &max_checkpoints)
                || !max_checkpoints) {
                ovs_fatal(0, "--checkpoints: \"%s\" is not valid "
                          "(accepted: a positive number)", optarg);
            }
            break;
        case OPT_SNAPSHOT_DIR:
            snapshot_dir = optarg;
            break;
        case OPT_NO_NETWORK_ROLLBACK:
            network_rollback = false;
            break;
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case 'h':
            usage();
        case 'V':
            printf("%s (ovs-dvs) %s\n", program_name, DVS_VERSION);
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);

    if (optind < argc) {
        ovs_fatal(0, "non-option argument \"%s\" (see --help)", argv[optind]);
    }
    if (!db) {
        const char *env = getenv("DVS_DB");
        db = (env && *env
              ? xstrdup(env)
              : xasprintf("unix:%s/dvsnb.sock", ovs_rundir()));
    }
    if (!listen_target) {
        listen_target = xasprintf("ptcp:%d", DVS_CONN_DEFAULT_PORT);
    }
}

static void
usage(void)
{
    printf("%s: distributed switch controller\n"
           "usage: %s [OPTIONS]\n"
           "\n"
           "Options:\n"
           "  --db=DATABASE       configuration database (default: $DVS_DB,\n"
           "                      else unix:%s/dvsnb.sock)\n"
           "  --listen=ptcp:PORT[:IP]|pssl:PORT[:IP]\n"
           "                      where agents connect (default: ptcp:%d)\n"
           "  --heartbeat=MSEC    heartbeat interval for agents (default: "
           "%d)\n"
           "  --hello-timeout=MSEC  drop a connection without a Hello after "
           "this\n"
           "                      long (default: %d)\n"
           "  --require-tls       refuse agents without a TLS host "
           "certificate\n"
           "  --private-key=FILE  --certificate=FILE  --ca-cert=FILE\n"
           "                      TLS for pssl: and ssl: database "
           "connections\n"
           "  --checkpoints=N     checkpoints kept per switch (default: "
           "%d)\n"
           "  --snapshot-dir=DIR  keep every snapshot and checkpoint in DIR "
           "too\n"
           "  --no-network-rollback  disable the agents' automatic network "
           "rollback\n"
           "  --unixctl=SOCKET    override default control socket name\n"
           "  -h, --help          display this help message\n"
           "  -V, --version       display version information\n",
           program_name, program_name, ovs_rundir(), DVS_CONN_DEFAULT_PORT,
           DVS_CONN_DEFAULT_HEARTBEAT_MS, DVS_CONN_DEFAULT_HELLO_TIMEOUT_MS,
           CHECKPOINT_DEFAULT_MAX);
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}
