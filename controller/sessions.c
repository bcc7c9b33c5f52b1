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
#include "controller/sessions.h"
#include "controller/mirror-stats.h"

#include <stdlib.h>
#include <string.h>

#include "controller/host-reports.h"
#include "controller/incremental.h"
#include "controller/lacp-status.h"
#include "controller/translate.h"
#include "coverage.h"
#include "hash.h"
#include "hmapx.h"
#include "lib/dvs-columns.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-learn.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-state.h"
#include "lib/dvs-wire.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"
#include "uuidset.h"

VLOG_DEFINE_THIS_MODULE(sessions);

/* How much work changes cause: tests compare these with the number of
 * hosts a change touches (coverage/read-counter). */
COVERAGE_DEFINE(controller_host_recompute);
COVERAGE_DEFINE(controller_host_own_scope);
COVERAGE_DEFINE(controller_update_sent);
COVERAGE_DEFINE(controller_recompute_all);
COVERAGE_DEFINE(controller_translate_full);
COVERAGE_DEFINE(controller_translate_update);
COVERAGE_DEFINE(controller_port_tracked);

/* A generation sent but not acknowledged yet, with the configuration
 * (DVS_Global nb_cfg) it was computed from. */
struct pending_gen {
    uint64_t generation;
    int64_t nb_cfg;
};

/* When a generation was sent to a host. */
struct sent_time {
    uint64_t generation;
    long long int msec;             /* time_wall_msec(). */
};

/* A host's report that it rolled a generation back, waiting for
 * sessions_next_rollback(). */
struct rollback_report {
    struct ovs_list node;
    char *host;
    long long int since_msec;       /* When its known-good generation was
                                     * sent, or -1 if unknown. */
    char *note;
};

/* One per host that has ever connected during this run. */
struct session {
    struct hmap_node node;          /* In sessions' 'by_host'. */
    char *host;
    uint64_t conn;                  /* 0 when not connected. */
    char *agent_version;
    bool needs_full;                /* Next update is a full one. */
    bool awaiting_bindings;         /* Connected, but its full Bindings
                                     * have not come yet: nothing is sent
                                     * to it before they do. */
    uint64_t generation;            /* Last generation sent. */
    uint64_t acked;                 /* Last generation acknowledged. */
    struct dvs_host_state sent;     /* Desired state as of 'generation'. */
    struct pending_gen *pending;    /* Sent and not acked, in order. */
    size_t n_pending, allocated_pending;
    int64_t applied_cfg;            /* nb_cfg the host has applied. */
    bool status_dirty;              /* Host row needs writing. */
    struct lacp_status lacp;        /* Its LAGs, as it reports them. */

    /* Automatic network rollback. */
    struct sent_time sent_times[16];  /* When recent generations went. */
    char *rollback_note;            /* "rolled back generation N: ...". */
    uint64_t rolled_back_generation;  /* The N. */
    bool held;                      /* Nothing is sent to the host until
                                     * the change it rolled back is
                                     * reverted in the database. */
};

struct conn_entry {
    struct hmap_node node;          /* In sessions' 'by_conn'. */
    uint64_t conn;
    struct session *session;        /* NULL until Hello. */
};

struct sessions {
    struct ovsdb_idl *idl;
    struct mirror_stats *mirror_stats;  /* Reported by the hosts. */
    struct sessions_transport transport;
    unsigned int heartbeat_ms;
    bool confirms;                  /* Confirm Acks (network rollback). */
    char *epoch;

    struct ovsdb_idl_index *port_by_name;
    struct ovsdb_idl_index *host_by_name;

    struct hmap by_host;            /* "struct session"s by host name. */
    struct ovs_list rollbacks;      /* "struct rollback_report"s. */
    struct hmap by_conn;            /* "struct conn_entry"s by conn. */

    struct dvs_bindings bindings;   /* Ports bound on connected hosts. */
    struct host_reports *reports;   /* LLDP and health check reports. */
    struct sset binding_changes;    /* Ports whose binding changed, to
                                     * write to the database. */
    struct sset dirty_bindings;     /* Those whose change the translation
                                     * sees (not only the link state), to
                                     * recompute. */
    struct sset new_bound_ports;    /* New Port rows with a known binding:
                                     * to write, nothing to recompute. */
    struct sset bindings_written;   /* Written, commit not confirmed. */

    /* What the hosts' sent states hold, for partial recomputation. */
    struct incr incr;

    struct sset dirty_hosts;        /* Hosts to recompute whole. */
    bool all_dirty;                 /* Recompute every connected host. */
    bool errors_dirty;              /* Rewrite the 'error' columns... */
    bool all_errors;                /* ...of every row, or only of the
                                     * switches, portgroups, members and
                                     * of the ports in 'error_ports'. */
    struct sset error_ports;

    /* The translation, kept from run to run and updated in place (or
     * NULL until a run needs one), and what a new one can reuse. */
    struct dvs_translate *tr;
    struct dvs_translate_cache *tr_cache;

    /* The Port and Portgroup rows whose configuration changed since the
     * last run (of the IDL's tracked rows, which also hold every row
     * that refers to a changed row: a Host's status tracks every Port
     * bound on it), found once per run. */
    struct hmapx changed_ports;
    struct hmapx changed_pgs;
    bool rules_changed_wide;        /* A traffic rule of a switch (or of
                                     * no row found) changed in place. */
    int64_t processed_cfg;          /* nb_cfg of the last processed run. */
    long long int status_held_since;  /* time_msec() when the hosts' status
                                       * began to wait for acks, or 0. */
    bool require_tls;               /* Refuse hosts without a certificate. */
    bool seeded;                    /* Bindings read from the database. */
};

static void send_envelope(struct sessions *, uint64_t conn,
                          const Dvs__Envelope *);
static void close_with_error(struct sessions *, uint64_t conn,
                             Dvs__Error__Code, const char *format, ...)
    OVS_PRINTF_FORMAT(4, 5);

struct sessions *
sessions_create(struct ovsdb_idl *idl,
                const struct sessions_transport *transport,
                unsigned int heartbeat_ms)
{
    struct sessions *s = xzalloc(sizeof *s);
    struct uuid epoch;

    s->idl = idl;
    s->mirror_stats = mirror_stats_create();
    s->port_by_name = ovsdb_idl_index_create1(idl, &dvsrec_port_col_name);
    s->host_by_name = ovsdb_idl_index_create1(idl, &dvsrec_host_col_name);
    s->transport = *transport;
    s->heartbeat_ms = heartbeat_ms;
    s->confirms = true;
    uuid_generate(&epoch);
    s->epoch = xasprintf(UUID_FMT, UUID_ARGS(&epoch));
    hmap_init(&s->by_host);
    ovs_list_init(&s->rollbacks);
    hmap_init(&s->by_conn);
    dvs_bindings_init(&s->bindings);
    s->reports = host_reports_create();
    sset_init(&s->binding_changes);
    sset_init(&s->dirty_bindings);
    sset_init(&s->new_bound_ports);
    sset_init(&s->bindings_written);
    incr_init(&s->incr);
    s->tr_cache = dvs_translate_cache_create();
    hmapx_init(&s->changed_ports);
    hmapx_init(&s->changed_pgs);
    sset_init(&s->dirty_hosts);
    sset_init(&s->error_ports);
    s->all_dirty = true;
    s->errors_dirty = true;
    s->all_errors = true;
    return s;
}

static void
session_clear_pending(struct session *session)
{
    session->n_pending = 0;
}

static void
session_destroy(struct session *session)
{
    dvs_host_state_destroy(&session->sent);
    lacp_status_destroy(&session->lacp);
    free(session->pending);
    free(session->agent_version);
    free(session->rollback_note);
    free(session->host);
    free(session);
}

static void
rollback_report_free(struct rollback_report *r)
{
    free(r->host);
    free(r->note);
    free(r);
}

void
sessions_destroy(struct sessions *s)
{
    if (!s) {
        return;
    }
    struct session *session;
    HMAP_FOR_EACH_POP (session, node, &s->by_host) {
        session_destroy(session);
    }
    mirror_stats_destroy(s->mirror_stats);
    hmap_destroy(&s->by_host);
    struct rollback_report *r;
    LIST_FOR_EACH_POP (r, node, &s->rollbacks) {
        rollback_report_free(r);
    }
    struct conn_entry *entry;
    HMAP_FOR_EACH_POP (entry, node, &s->by_conn) {
        free(entry);
    }
    hmap_destroy(&s->by_conn);
    dvs_bindings_destroy(&s->bindings);
    host_reports_destroy(s->reports);
    sset_destroy(&s->binding_changes);
    sset_destroy(&s->dirty_bindings);
    sset_destroy(&s->new_bound_ports);
    sset_destroy(&s->bindings_written);
    incr_destroy(&s->incr);
    dvs_translate_destroy(s->tr);
    dvs_translate_cache_destroy(s->tr_cache);
    hmapx_destroy(&s->changed_ports);
    hmapx_destroy(&s->changed_pgs);
    sset_destroy(&s->dirty_hosts);
    sset_destroy(&s->error_ports);
    free(s->epoch);
    free(s);
}

static struct session *
find_session(const struct sessions *s, const char *host)
{
    struct session *session;
    HMAP_FOR_EACH_WITH_HASH (session, node, hash_string(host, 0),
                             &s->by_host) {
        if (!strcmp(session->host, host)) {
            return session;
        }
    }
    return NULL;
}

static struct session *
find_or_create_session(struct sessions *s, const char *host)
{
    struct session *session = find_session(s, host);
    if (!session) {
        session = xzalloc(sizeof *session);
        session->host = xstrdup(host);
        dvs_host_state_init(&session->sent);
        lacp_status_init(&session->lacp);
        hmap_insert(&s->by_host, &session->node, hash_string(host, 0));
    }
    return session;
}

static struct conn_entry *
find_conn(const struct sessions *s, uint64_t conn)
{
    struct conn_entry *entry;
    HMAP_FOR_EACH_WITH_HASH (entry, node, hash_uint64(conn), &s->by_conn) {
        if (entry->conn == conn) {
            return entry;
        }
    }
    return NULL;
}

static const struct dvsrec_host *
find_host_row(const struct sessions *s, const char *name)
{
    struct dvsrec_host *key = dvsrec_host_index_init_row(s->host_by_name);
    dvsrec_host_index_set_name(key, name);
    const struct dvsrec_host *host = dvsrec_host_index_find(s->host_by_name,
                                                            key);
    dvsrec_host_index_destroy_row(key);
    return host;
}

static const struct dvsrec_port *
find_port_row(const struct sessions *s, const char *name)
{
    struct dvsrec_port *key = dvsrec_port_index_init_row(s->port_by_name);
    dvsrec_port_index_set_name(key, name);
    const struct dvsrec_port *port = dvsrec_port_index_find(s->port_by_name,
                                                            key);
    dvsrec_port_index_destroy_row(key);
    return port;
}

/* Bindings as the database last recorded them (Port.host and Port.up).
 *
 * The agents report their bindings when they connect, but after a restart
 * of the controller they come back one by one: without these, the first
 * host would get a state without the ports of every other host and remove
 * their flows until their hosts are back.  Each agent's full bindings then
 * correct its own host's.  The database does not keep the interfaces'
 * attached MACs, so until its host reports it, a port without Port.mac has
 * no known-MAC flows on the other hosts.
 *
 * Called before the first message or run, once the IDL has the database's
 * contents (dvs-controller holds back the agents' messages until then). */
static void
seed_bindings(struct sessions *s)
{
    const struct dvsrec_port *port;

    if (s->seeded) {
        return;
    }
    s->seeded = true;
    DVSREC_PORT_FOR_EACH (port, s->idl) {
        if (port->host && !dvs_bindings_find(&s->bindings, port->name)) {
            dvs_bindings_set(&s->bindings, port->name, port->host->name,
                             NULL, port->n_up && port->up[0]);
        }
        /* The learned MACs are the port's, whether it is bound or not. */
        for (size_t i = 0; i < port->n_learned_macs; i++) {
            dvs_bindings_learn(&s->bindings, port->name,
                               port->learned_macs[i]);
        }
    }
    VLOG_INFO("%"PRIuSIZE" port bindings from the database",
              hmap_count(&s->bindings.map));
}

/* Sending. */

/* Packs 'env' into a frame, or logs why it cannot (a state too large for
 * a frame) and returns NULL. */
static uint8_t *
encode(const Dvs__Envelope *env, size_t *size)
{
    uint8_t *frame;
    char *error = dvs_wire_encode(env, DVS_WIRE_DEFAULT_MAX_FRAME, &frame,
                                  size);
    if (error) {
        VLOG_ERR("cannot send %s: %s", dvs_wire_body_name(env->body_case),
                 error);
        free(error);
        return NULL;
    }
    return frame;
}

static void
send_envelope(struct sessions *s, uint64_t conn, const Dvs__Envelope *env)
{
    size_t size;
    uint8_t *frame = encode(env, &size);
    if (frame) {
        s->transport.send(s->transport.aux, conn, frame, size);
    }
}

static void
close_with_error(struct sessions *s, uint64_t conn, Dvs__Error__Code code,
                 const char *format, ...)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Error error = DVS__ERROR__INIT;
    va_list args;
    size_t size;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);

    VLOG_WARN("connection %"PRIu64": %s", conn, message);
    error.code = code;
    error.message = message;
    env.body_case = DVS__ENVELOPE__BODY_ERROR;
    env.error = &error;
    uint8_t *frame = encode(&env, &size);
    s->transport.close(s->transport.aux, conn, frame, frame ? size : 0);
    free(message);
}

/* Sends 'update' (of generation session->generation + 1) to 'session''s
 * host, unless it is an empty incremental one, and frees it. */
static void
send_state_update(struct sessions *s, struct session *session,
                  Dvs__StateUpdate *update)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    uint64_t generation = session->generation + 1;

    if (!session->needs_full && dvs_state_update_is_empty(update)) {
        dvs_state_update_free(update);
        return;
    }
    env.body_case = DVS__ENVELOPE__BODY_STATE;
    env.state = update;
    send_envelope(s, session->conn, &env);
    dvs_state_update_free(update);
    COVERAGE_INC(controller_update_sent);

    session->generation = generation;
    session->needs_full = false;
    session->sent_times[generation % ARRAY_SIZE(session->sent_times)]
        = (struct sent_time) { generation, time_wall_msec() };
    if (session->n_pending >= session->allocated_pending) {
        session->pending = x2nrealloc(session->pending,
                                      &session->allocated_pending,
                                      sizeof *session->pending);
    }
    session->pending[session->n_pending++] = (struct pending_gen) {
        .generation = generation,
        .nb_cfg = s->processed_cfg,
    };
}

/* Sends 'session''s host what turns its state into 'new_state'. */
static void
send_update(struct sessions *s, struct session *session,
            const struct dvs_host_state *new_state)
{
    uint64_t generation = session->generation + 1;

    send_state_update(s, session,
                      (session->needs_full
                       ? dvs_state_update_full(new_state, generation,
                                               s->epoch)
                       : dvs_state_update_diff(&session->sent, new_state,
                                               generation, s->epoch)));
}

/* Messages. */

/* Refuses the Hello of 'hello_host' on 'conn' if the connection's
 * certificate identifies another host (see sessions_receive()), or if TLS
 * is required and the connection has none.  Returns true if refused. */
static bool
refuse_identity(struct sessions *s, uint64_t conn, const char *hello_host,
                const char *cert_host)
{
    if (!cert_host) {
        if (s->require_tls) {
            close_with_error(s, conn, DVS__ERROR__CODE__NOT_AUTHORIZED,
                             "host %s: the controller requires TLS with a "
                             "host certificate", hello_host);
            return true;
        }
    } else if (!cert_host[0]) {
        close_with_error(s, conn, DVS__ERROR__CODE__NOT_AUTHORIZED,
                         "host %s: the certificate's common name names no "
                         "host", hello_host);
        return true;
    } else if (strcmp(cert_host, hello_host)) {
        close_with_error(s, conn, DVS__ERROR__CODE__NOT_AUTHORIZED,
                         "the certificate is for host %s, not %s",
                         cert_host, hello_host);
        return true;
    }
    return false;
}

/* When generation 'generation' was sent to 'session', or -1 if that is no
 * longer known. */
static long long int
sent_msec(const struct session *session, uint64_t generation)
{
    const struct sent_time *t
        = &session->sent_times[generation % ARRAY_SIZE(session->sent_times)];
    return t->generation == generation && t->msec ? t->msec : -1;
}

/* The host of 'session' rolled back 'generation' (automatic network
 * rollback) and is at 'good_generation' again (if 'good_known').  The
 * change is rejected, as VDS does: the host is held (sent nothing) until
 * the caller of sessions_next_rollback() has reverted, from their
 * checkpoints, the switches changed since the host's good state was sent.
 * Otherwise the controller would send the same state again and cut the
 * host off once more. */
static void
record_rollback(struct sessions *s, struct session *session,
                uint64_t generation, bool good_known,
                uint64_t good_generation, const char *reason)
{
    if (session->rollback_note
        && session->rolled_back_generation == generation) {
        /* Reported again (in an Ack, then in a Hello): known already. */
        return;
    }

    struct rollback_report *r = xzalloc(sizeof *r);
    session->rolled_back_generation = generation;
    free(session->rollback_note);
    session->rollback_note = xasprintf("rolled back generation %"PRIu64": "
                                       "%s", generation,
                                       reason ? reason : "no reason given");
    VLOG_WARN("host %s %s", session->host, session->rollback_note);
    session->status_dirty = true;
    session->held = true;
    session->needs_full = true;

    r->host = xstrdup(session->host);
    r->since_msec = good_known ? sent_msec(session, good_generation) : -1;
    r->note = xasprintf("host %s %s", session->host, session->rollback_note);
    ovs_list_push_back(&s->rollbacks, &r->node);
}

/* Returns the next rollback report, if any, with the host, the time since
 * which changes are to be reverted (-1: unknown, revert nothing) and a
 * note for people.  The caller must then call sessions_release(). */
bool
sessions_next_rollback(struct sessions *s, char **host,
                       long long int *since_msec, char **note)
{
    if (ovs_list_is_empty(&s->rollbacks)) {
        return false;
    }
    struct rollback_report *r = CONTAINER_OF(ovs_list_pop_front(
                                                 &s->rollbacks),
                                             struct rollback_report, node);
    *host = r->host;
    *since_msec = r->since_msec;
    *note = r->note;
    free(r);
    return true;
}

/* With 'confirms' false, the controller tells the agents that connect from
 * now on that it does not confirm their Acks, which disables their
 * automatic network rollback (VDS's config.vpxd.network.rollback). */
void
sessions_set_confirms(struct sessions *s, bool confirms)
{
    s->confirms = confirms;
}

/* Lets the controller send to 'host' again, after a rollback. */
void
sessions_release(struct sessions *s, const char *host)
{
    struct session *session = find_session(s, host);
    if (session && session->held) {
        session->held = false;
        sset_add(&s->dirty_hosts, session->host);
    }
}

static void
send_confirm(struct sessions *s, struct session *session,
             const Dvs__Ack *ack)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Confirm confirm = DVS__CONFIRM__INIT;

    confirm.generation = ack->generation;
    confirm.epoch = s->epoch;
    env.body_case = DVS__ENVELOPE__BODY_CONFIRM;
    env.confirm = &confirm;
    send_envelope(s, session->conn, &env);
}

static void
handle_hello(struct sessions *s, struct conn_entry *entry,
             const Dvs__Hello *hello, const char *cert_host)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__HelloReply reply = DVS__HELLO_REPLY__INIT;

    if (entry->session) {
        close_with_error(s, entry->conn, DVS__ERROR__CODE__BAD_MESSAGE,
                         "second Hello from host %s", entry->session->host);
        return;
    }
    char *version_error = dvs_wire_check_version(hello->protocol_version);
    if (version_error) {
        close_with_error(s, entry->conn, DVS__ERROR__CODE__VERSION_MISMATCH,
                         "%s", version_error);
        free(version_error);
        return;
    }
    if (refuse_identity(s, entry->conn, hello->host, cert_host)) {
        return;
    }
    if (!find_host_row(s, hello->host)) {
        close_with_error(s, entry->conn, DVS__ERROR__CODE__UNKNOWN_HOST,
                         "host %s is not a member of any switch",
                         hello->host);
        return;
    }

    struct session *session = find_or_create_session(s, hello->host);
    if (session->conn) {
        /* The agent reconnected before we noticed the old connection die,
         * or a second agent claims the host: the newest one wins. */
        struct conn_entry *old = find_conn(s, session->conn);
        VLOG_INFO("host %s: replacing connection %"PRIu64" by %"PRIu64,
                  session->host, session->conn, entry->conn);
        close_with_error(s, session->conn, DVS__ERROR__CODE__BAD_MESSAGE,
                         "host %s connected again", session->host);
        if (old) {
            hmap_remove(&s->by_conn, &old->node);
            free(old);
        }
    }
    entry->session = session;
    session->conn = entry->conn;
    free(session->agent_version);
    session->agent_version = nullable_xstrdup(hello->agent_version);
    session->needs_full = true;
    session_clear_pending(session);
    session->status_dirty = true;
    /* The agent sends its full bindings right after our reply.  Its first
     * state is computed only once they are here: computed before, it would
     * lack the host's own ports (after our restart, or if the VMs changed
     * while it was away), and the agent would remove their flows only to
     * put them back a moment later. */
    session->awaiting_bindings = true;
    VLOG_INFO("host %s connected (agent %s, connection %"PRIu64")",
              session->host,
              hello->agent_version ? hello->agent_version : "unknown",
              entry->conn);
    if (hello->has_rolled_back_generation && hello->rolled_back_epoch
        && !strcmp(hello->rolled_back_epoch, s->epoch)) {
        bool same_epoch = (hello->has_applied_generation
                           && hello->applied_epoch
                           && !strcmp(hello->applied_epoch, s->epoch));
        record_rollback(s, session, hello->rolled_back_generation,
                        same_epoch, hello->applied_generation,
                        hello->rollback_reason);
    }

    reply.protocol_version = DVS_PROTOCOL_VERSION;
    reply.controller_version = CONST_CAST(char *, DVS_VERSION);
    reply.epoch = s->epoch;
    reply.has_heartbeat_interval_ms = true;
    reply.heartbeat_interval_ms = s->heartbeat_ms;
    /* "confirm" only when automatic network rollback is on: agents roll
     * back only states that a controller with it fails to confirm. */
    static char *capabilities[] = { "learned-macs", "lldp", "health-check",
                                    "mirror-statistics",
                                    "confirm" };
    reply.n_capabilities = ARRAY_SIZE(capabilities) - !s->confirms;
    reply.capabilities = capabilities;
    env.body_case = DVS__ENVELOPE__BODY_HELLO_REPLY;
    env.hello_reply = &reply;
    send_envelope(s, entry->conn, &env);
}

static void
binding_changed(struct sessions *s, const char *port)
{
    sset_add(&s->binding_changes, port);
    sset_add(&s->dirty_bindings, port);
}

/* The switches that 'host' is a member of, as UUIDs in 'switches'. */
static void
member_switches(const struct sessions *s, const char *host,
                struct uuidset *switches)
{
    const struct dvsrec_host_member *m;
    DVSREC_HOST_MEMBER_FOR_EACH (m, s->idl) {
        if (m->host && m->switch_ && !strcmp(m->host->name, host)) {
            uuidset_insert(switches, &m->switch_->header_.uuid);
        }
    }
}

/* Authorization of binding claims.  A VM moving to another host is
 * reported by the new host alone, so a host may claim a port bound
 * elsewhere; but only a port of a switch it is a member of: a port of a
 * switch whose configuration the host does not receive is not its to
 * take.  A port that is not configured yet may be claimed (hypervisors
 * attach interfaces before or after the port is created); it takes effect
 * only if it is created on one of the host's switches. */
static bool
may_bind(const struct sessions *s, const struct uuidset *switches,
         const char *port_name)
{
    const struct dvsrec_port *port = find_port_row(s, port_name);

    return (!port || !port->portgroup || !port->portgroup->switch_
            || uuidset_find(switches,
                            &port->portgroup->switch_->header_.uuid));
}

static void
handle_bindings(struct sessions *s, struct session *session,
                const Dvs__Bindings *msg)
{
    struct sset reported = SSET_INITIALIZER(&reported);
    struct uuidset switches = UUIDSET_INITIALIZER(&switches);

    if (msg->n_bindings) {
        member_switches(s, session->host, &switches);
    }

    for (size_t i = 0; i < msg->n_bindings; i++) {
        const Dvs__Binding *b = msg->bindings[i];
        struct dvs_binding *old = dvs_bindings_find(&s->bindings, b->port);

        if (!may_bind(s, &switches, b->port)) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
            VLOG_WARN_RL(&rl, "host %s: ignoring its binding of port %s, "
                         "which belongs to a switch it is not a member of",
                         session->host, b->port);
            continue;
        }

        if (b->has_deleted && b->deleted) {
            /* Only the host a port is bound on can unbind it: after a move,
             * the old host's late report must not undo the new binding. */
            if (old && !strcmp(old->host, session->host)) {
                dvs_bindings_remove(&s->bindings, b->port);
                binding_changed(s, b->port);
            }
            continue;
        }
        sset_add(&reported, b->port);
        bool up = b->has_up && b->up;
        if (!old || strcmp(old->host, session->host)
            || !nullable_string_is_equal(old->mac, b->mac)) {
            if (old && strcmp(old->host, session->host)) {
                VLOG_INFO("port %s moved from host %s to host %s", b->port,
                          old->host, session->host);
            }
            dvs_bindings_set(&s->bindings, b->port, session->host, b->mac,
                             up);
            binding_changed(s, b->port);
        } else if (old->up != up) {
            /* The link state is only written: no flow depends on it. */
            old->up = up;
            sset_add(&s->binding_changes, b->port);
        }
    }

    if (msg->has_full && msg->full) {
        struct sset gone = SSET_INITIALIZER(&gone);
        const struct sset *bound = dvs_bindings_host_ports(&s->bindings,
                                                           session->host);
        const char *port;

        if (bound) {
            SSET_FOR_EACH (port, bound) {
                if (!sset_contains(&reported, port)) {
                    sset_add(&gone, port);
                }
            }
        }
        SSET_FOR_EACH (port, &gone) {
            dvs_bindings_remove(&s->bindings, port);
            binding_changed(s, port);
        }
        sset_destroy(&gone);

        if (session->awaiting_bindings) {
            session->awaiting_bindings = false;
            sset_add(&s->dirty_hosts, session->host);
        }
    }
    sset_destroy(&reported);
    uuidset_destroy(&switches);
}

/* Returns learned MAC 'm' as an entry of Port.learned_macs, or NULL if the
 * port is not bound on 'host' (a late report from a host it left). */
static char *
learned_entry(const struct sessions *s, const char *host,
              const Dvs__LearnedMac *m)
{
    const struct dvs_binding *b = dvs_bindings_find(&s->bindings, m->port);
    const struct dvsrec_port *port;
    struct eth_addr mac;
    uint32_t own;
    char *error;

    if (!b || strcmp(b->host, host)) {
        return NULL;
    }
    port = find_port_row(s, m->port);
    if (!port) {
        return NULL;
    }
    error = dvs_parse_unicast_mac(m->mac, &mac);
    if (error) {
        /* dvs_wire_validate() refused it already. */
        free(error);
        return NULL;
    }
    return dvs_learned_format(&mac,
                              (m->has_segment
                               && (!dvs_port_own_segment(port, &own)
                                   || own != m->segment)),
                              m->segment);
}

/* The MACs that the ports of 'session''s host learned or forgot.  A MAC
 * learned by one port leaves every other port. */
static void
handle_learned_macs(struct sessions *s, struct session *session,
                    const Dvs__LearnedMacs *msg)
{
    for (size_t i = 0; i < msg->n_forgotten; i++) {
        const Dvs__LearnedMac *m = msg->forgotten[i];
        char *entry = learned_entry(s, session->host, m);

        if (entry && dvs_bindings_forget(&s->bindings, m->port, entry)) {
            binding_changed(s, m->port);
        }
        free(entry);
    }
    for (size_t i = 0; i < msg->n_learned; i++) {
        const Dvs__LearnedMac *m = msg->learned[i];
        char *entry = learned_entry(s, session->host, m);

        if (entry && dvs_bindings_learn(&s->bindings, m->port, entry)) {
            struct shash_node *node;

            binding_changed(s, m->port);
            SHASH_FOR_EACH (node, &s->bindings.learned) {
                if (strcmp(node->name, m->port)
                    && sset_contains(node->data, entry)) {
                    binding_changed(s, node->name);
                }
            }
            dvs_bindings_forget_mac(&s->bindings, m->port, entry);
        }
        free(entry);
    }
}

static void
handle_ack(struct sessions *s, struct session *session, const Dvs__Ack *ack)
{
    if (strcmp(ack->epoch, s->epoch)) {
        VLOG_DBG("host %s: ignoring ack from another epoch", session->host);
        return;
    }
    if (ack->error) {
        VLOG_WARN("host %s could not apply generation %"PRIu64": %s",
                  session->host, ack->generation, ack->error);
        session->status_dirty = true;
    } else if (s->confirms) {
        /* The host reaches us with this generation applied. */
        send_confirm(s, session, ack);
    }
    if (ack->has_rolled_back_generation) {
        record_rollback(s, session, ack->rolled_back_generation, true,
                        ack->generation, ack->rollback_reason);
    }
    size_t n_done = 0;
    while (n_done < session->n_pending
           && session->pending[n_done].generation <= ack->generation) {
        session->applied_cfg = MAX(session->applied_cfg,
                                   session->pending[n_done].nb_cfg);
        n_done++;
    }
    memmove(session->pending, &session->pending[n_done],
            (session->n_pending - n_done) * sizeof *session->pending);
    session->n_pending -= n_done;
    session->acked = MAX(session->acked, ack->generation);
    if (!session->n_pending) {
        session->applied_cfg = MAX(session->applied_cfg, s->processed_cfg);
    }
    session->status_dirty = true;
}

void
sessions_receive(struct sessions *s, uint64_t conn,
                 const Dvs__Envelope *env, const char *cert_host)
{
    struct conn_entry *entry = find_conn(s, conn);

    seed_bindings(s);
    if (!entry) {
        entry = xzalloc(sizeof *entry);
        entry->conn = conn;
        hmap_insert(&s->by_conn, &entry->node, hash_uint64(conn));
    }

    if (env->body_case == DVS__ENVELOPE__BODY_HELLO) {
        handle_hello(s, entry, env->hello, cert_host);
        return;
    }
    if (env->body_case == DVS__ENVELOPE__BODY_HEARTBEAT) {
        return;
    }
    if (!entry->session) {
        close_with_error(s, conn, DVS__ERROR__CODE__BAD_MESSAGE,
                         "expected Hello first, got message type %d",
                         (int) env->body_case);
        return;
    }

    struct session *session = entry->session;
    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_BINDINGS:
        handle_bindings(s, session, env->bindings);
        break;
    case DVS__ENVELOPE__BODY_ACK:
        handle_ack(s, session, env->ack);
        break;
    case DVS__ENVELOPE__BODY_STATUS:
        session->status_dirty = true;
        break;
    case DVS__ENVELOPE__BODY_LEARNED_MACS:
        handle_learned_macs(s, session, env->learned_macs);
        break;
    case DVS__ENVELOPE__BODY_LACP:
        lacp_status_receive(&session->lacp, session->host, env->lacp);
        session->status_dirty = true;
        break;
    case DVS__ENVELOPE__BODY_LLDP_NEIGHBORS:
        host_reports_set_lldp(s->reports, session->host,
                              env->lldp_neighbors);
        break;
    case DVS__ENVELOPE__BODY_HEALTH_CHECK:
        host_reports_set_health_check(s->reports, session->host,
                                      env->health_check);
        break;
    case DVS__ENVELOPE__BODY_MIRROR_STATISTICS:
        mirror_stats_update(s->mirror_stats, session->host,
                            env->mirror_statistics);
        break;
    case DVS__ENVELOPE__BODY_STATISTICS:
    case DVS__ENVELOPE__BODY_HEARTBEAT:
        break;
    case DVS__ENVELOPE__BODY_ERROR:
        VLOG_WARN("host %s reports an error: %s", session->host,
                  env->error->message);
        break;
    case DVS__ENVELOPE__BODY_HELLO:
    case DVS__ENVELOPE__BODY_HELLO_REPLY:
    case DVS__ENVELOPE__BODY_STATE:
    case DVS__ENVELOPE__BODY_CONFIRM:
    case DVS__ENVELOPE__BODY__NOT_SET:
    default:
        close_with_error(s, conn, DVS__ERROR__CODE__BAD_MESSAGE,
                         "host %s sent a message an agent does not send "
                         "(type %d)", session->host, (int) env->body_case);
        break;
    }
}

/* With 'require', a Hello on a connection without a certificate (plain
 * TCP) is refused. */
void
sessions_set_require_tls(struct sessions *s, bool require)
{
    s->require_tls = require;
}

void
sessions_closed(struct sessions *s, uint64_t conn)
{
    struct conn_entry *entry = find_conn(s, conn);

    seed_bindings(s);
    if (!entry) {
        return;
    }
    struct session *session = entry->session;
    if (session && session->conn == conn) {
        VLOG_INFO("host %s disconnected", session->host);
        session->conn = 0;
        session->awaiting_bindings = false;
        session->status_dirty = true;
        session_clear_pending(session);
        incr_forget_state(&s->incr, session->host, &session->sent);
        dvs_host_state_clear(&session->sent);

        /* Its ports stay bound there.  The host forwards on its last state
         * without its agent (DESIGN §5), so its VMs are still where they
         * were: unbinding them would only take their flows off the other
         * hosts and cut their traffic, and put the flows back when the
         * agent returns.  The agent's full bindings on reconnection, or
         * another host that reports a port, say otherwise. */
    }
    hmap_remove(&s->by_conn, &entry->node);
    free(entry);
}

/* Database changes. */

/* Columns whose changes affect no host's state, and so cause no
 * recomputation: status (written by the controller itself) and
 * bookkeeping that the translation does not read.  Were a portgroup's
 * capacity (num_ports, auto_expand, which dvs-ctl changes when port-add
 * grows a full portgroup) configuration, adding a port to a full
 * portgroup would recompute every host of the fleet instead of the hosts
 * of the port's segment. */
static bool
is_inert_column(const struct ovsdb_idl_table_class *table,
                const struct ovsdb_idl_column *column)
{
    return (dvs_column_is_status(table, column)
            || dvs_column_is_bookkeeping(table, column));
}

static bool
is_live_column(const struct ovsdb_idl_table_class *table,
               const struct ovsdb_idl_column *column)
{
    return !is_inert_column(table, column);
}

static bool
config_changed(const struct ovsdb_idl_row *row,
               const struct ovsdb_idl_table_class *table)
{
    return dvs_row_changed(row, table, is_live_column);
}

/* Returns true if a tracked change in 'table' (other than to Ports and
 * Portgroups, which are handled one by one) changes configuration. */
static bool
table_config_changed(struct ovsdb_idl *idl,
                     const struct ovsdb_idl_table_class *table)
{
    const struct ovsdb_idl_row *row;
    for (row = ovsdb_idl_track_get_first(idl, table); row;
         row = ovsdb_idl_track_get_next(row)) {
        if (config_changed(row, table)) {
            return true;
        }
    }
    return false;
}

/* Whether the tracked changes reach further than ports and portgroups: a
 * rule of a switch (or of no owner found) changed, or the configuration of
 * a row of one of the 'n' 'tables'. */
static bool
change_is_wide(const struct sessions *s,
               const struct ovsdb_idl_table_class *const tables[], size_t n)
{
    bool wide = s->rules_changed_wide;
    for (size_t i = 0; !wide && i < n; i++) {
        wide = table_config_changed(s->idl, tables[i]);
    }
    return wide;
}

/* Whether the configuration change of tracked portgroup 'pg' can affect
 * hosts other than those of its own ports: the portgroups of one VNI share
 * its static remote VTEPs (in the flood lists of every host of the VNI).
 * A new portgroup has no ports yet but those added with it, and a deleted
 * one none left (ports refer to their portgroup strongly): both are
 * changes of their ports, which are tracked themselves. */
static bool
portgroup_change_is_wide(const struct dvsrec_portgroup *pg)
{
    if (ovsdb_idl_row_get_seqno(&pg->header_, OVSDB_IDL_CHANGE_INSERT)
        || ovsdb_idl_row_get_seqno(&pg->header_, OVSDB_IDL_CHANGE_DELETE)) {
        return pg->n_remote_vteps > 0;
    }
    return (dvsrec_portgroup_is_updated(pg, DVSREC_PORTGROUP_COL_VNI)
            || dvsrec_portgroup_is_updated(pg,
                                           DVSREC_PORTGROUP_COL_REMOTE_VTEPS));
}

static bool
port_in(struct dvsrec_port **ports, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(ports[i]->name, name)) {
            return true;
        }
    }
    return false;
}

/* Whether port 'name' is a source or a destination of a mirroring
 * session. */
static bool
port_is_mirrored(const struct sessions *s, const char *name)
{
    const struct dvsrec_mirror_session *ms;

#define HAS(PORTS, N) port_in(ms->PORTS, ms->N, name)
    DVSREC_MIRROR_SESSION_FOR_EACH (ms, s->idl) {
        if (HAS(source_rx, n_source_rx) || HAS(source_tx, n_source_tx)
            || HAS(dest_ports, n_dest_ports)) {
            return true;
        }
    }
#undef HAS
    return false;
}

/* Adds to 'dirty_ports' the ports whose configuration or binding changed,
 * and to 'dirty_pgs' the portgroups whose configuration changed (whose
 * bound ports change with them); or sets 'all_dirty'. */
static void
collect_changes(struct sessions *s, struct sset *dirty_ports,
                struct sset *dirty_pgs)
{
    static const struct ovsdb_idl_table_class *whole_tables[] = {
        &dvsrec_table_switch, &dvsrec_table_host_member, &dvsrec_table_lag,
        &dvsrec_table_pvlan_entry, &dvsrec_table_host,
        &dvsrec_table_mirror_session,
    };

    /* Switch-wide configuration is rare and may touch every host.  A
     * portgroup's or a port's traffic rule is a change of its owner
     * (find_changed_rows()). */
    if (change_is_wide(s, whole_tables, ARRAY_SIZE(whole_tables))) {
        s->all_dirty = true;
        s->errors_dirty = true;
        s->all_errors = true;
    }

    /* A portgroup's settings are its ports' settings: a change touches the
     * hosts that its ports touch. */
    struct hmapx_node *node;
    HMAPX_FOR_EACH (node, &s->changed_pgs) {
        const struct dvsrec_portgroup *pg = node->data;

        s->errors_dirty = true;
        if (portgroup_change_is_wide(pg)) {
            s->all_dirty = true;
            s->all_errors = true;
        } else if (!ovsdb_idl_row_get_seqno(&pg->header_,
                                            OVSDB_IDL_CHANGE_DELETE)) {
            sset_add(dirty_pgs, pg->name);
        }
    }

    HMAPX_FOR_EACH (node, &s->changed_ports) {
        const struct dvsrec_port *port = node->data;

        sset_add(dirty_ports, port->name);
        s->errors_dirty = true;
    }

    /* A port's errors depend on its binding too (the guest's MAC).  A
     * mirrored port takes its sessions along when it moves. */
    const char *name;
    SSET_FOR_EACH (name, &s->dirty_bindings) {
        sset_add(dirty_ports, name);
        s->errors_dirty = true;
        if (!s->all_dirty && port_is_mirrored(s, name)) {
            s->all_dirty = true;
        }
    }
    sset_clear(&s->dirty_bindings);
}

/* Whether 'session''s host takes updates now. */
static bool
session_ready(const struct session *session)
{
    return (session && session->conn && !session->awaiting_bindings
            && !session->held);
}

/* Computes 'host''s state whole and sends it what changed. */
static void
recompute_host(struct sessions *s, const struct dvs_translate *tr,
               struct session *session)
{
    struct dvs_host_state state;

    dvs_host_state_init(&state);
    dvs_translate_host(tr, session->host, &state);
    COVERAGE_INC(controller_host_recompute);

    send_update(s, session, &state);
    incr_set_state(&s->incr, session->host, &session->sent, &state);
    dvs_host_state_swap(&session->sent, &state);
    dvs_host_state_destroy(&state);
}

/* Computes again the groups of 'scope' in 'host''s state and sends it what
 * changed. */
static void
recompute_host_scope(struct sessions *s, const struct dvs_translate *tr,
                     const struct dvs_translate_scope *scope,
                     struct session *session)
{
    uint64_t generation = session->generation + 1;
    Dvs__StateUpdate *update = incr_update_host(&s->incr, tr, scope,
                                                session->host,
                                                &session->sent, generation,
                                                s->epoch);
    COVERAGE_INC(controller_host_recompute);

    if (session->needs_full) {
        dvs_state_update_free(update);
        update = dvs_state_update_full(&session->sent, generation, s->epoch);
    }
    send_state_update(s, session, update);
}

static void
recompute_hosts_scope(struct sessions *s, const struct dvs_translate *tr,
                      const struct dvs_translate_scope *scope,
                      const struct sset *hosts)
{
    const char *name;

    SSET_FOR_EACH (name, hosts) {
        struct session *session = find_session(s, name);
        if (session_ready(session)
            && !sset_contains(&s->dirty_hosts, name)) {
            recompute_host_scope(s, tr, scope, session);
        }
    }
}

/* Brings the translation up to date with the database and the bindings:
 * in place after changes of ports and portgroups (and their bindings, in
 * 'dirty_ports'), else made again, if 'needed' or there was one.
 * Indexing the whole configuration costs as much as the configuration is
 * large: not for a run with nothing to recompute (an ack, say). */
static void
update_translation(struct sessions *s, const struct sset *dirty_ports,
                   bool needed)
{
    if (s->tr && !s->all_dirty) {
        struct hmapx ports;
        const char *name;

        /* The rows whose configuration changed: the translation's cache
         * has forgotten them (forget_changed_rows()).  The translation
         * reads no status column.  Then those whose binding changed. */
        hmapx_clone(&ports, &s->changed_ports);
        SSET_FOR_EACH (name, dirty_ports) {
            const struct dvsrec_port *port = find_port_row(s, name);
            if (port) {
                hmapx_add(&ports, CONST_CAST(struct dvsrec_port *, port));
            }
        }
        bool updated = dvs_translate_update(s->tr, &ports, &s->changed_pgs);
        hmapx_destroy(&ports);
        if (updated) {
            COVERAGE_INC(controller_translate_update);
            return;
        }
    }
    dvs_translate_destroy(s->tr);
    s->tr = NULL;
    if (needed) {
        COVERAGE_INC(controller_translate_full);
        s->tr = dvs_translate_create_cached(s->idl, &s->bindings,
                                            s->tr_cache);
    }
}

static void
recompute(struct sessions *s)
{
    struct sset dirty_ports = SSET_INITIALIZER(&dirty_ports);
    struct sset dirty_pgs = SSET_INITIALIZER(&dirty_pgs);
    const struct dvsrec_dvs_global *global;
    const char *name;

    collect_changes(s, &dirty_ports, &dirty_pgs);
    global = dvsrec_dvs_global_first(s->idl);
    int64_t nb_cfg = global ? global->nb_cfg : 0;
    s->processed_cfg = nb_cfg;

    /* A port that is bound nowhere and was bound nowhere at the last
     * translation (a new port whose VM has not come up yet, say) is in no
     * host's state and has no error: its change changes nothing. */
    if (!s->all_dirty) {
        struct sset unbound = SSET_INITIALIZER(&unbound);

        SSET_FOR_EACH (name, &dirty_ports) {
            if (!dvs_bindings_find(&s->bindings, name)
                && !incr_knows_port(&s->incr, name)) {
                sset_add(&unbound, name);
            }
        }
        SSET_FOR_EACH (name, &unbound) {
            sset_find_and_delete(&dirty_ports, name);
        }
        sset_destroy(&unbound);
    }

    update_translation(s, &dirty_ports,
                       (s->all_dirty || !sset_is_empty(&dirty_ports)
                        || !sset_is_empty(&dirty_pgs)
                        || !sset_is_empty(&s->dirty_hosts)));
    const struct dvs_translate *tr = s->tr;

    if (s->all_dirty) {
        COVERAGE_INC(controller_recompute_all);
        struct session *session;
        HMAP_FOR_EACH (session, node, &s->by_host) {
            if (session_ready(session)) {
                recompute_host(s, tr, session);
            }
        }
        incr_remember_ports(&s->incr, tr, NULL);
    } else if (tr) {
        struct dvs_translate_scope wide, narrow;
        struct sset wide_hosts = SSET_INITIALIZER(&wide_hosts);
        struct sset narrow_hosts = SSET_INITIALIZER(&narrow_hosts);
        struct shash own_scopes = SHASH_INITIALIZER(&own_scopes);
        struct shash_node *node;

        SSET_FOR_EACH (name, &dirty_pgs) {
            dvs_translate_portgroup_ports(tr, name, &dirty_ports);
        }
        dvs_translate_scope_init(&wide);
        dvs_translate_scope_init(&narrow);
        incr_scope(&s->incr, tr, &dirty_ports, &wide, &wide_hosts,
                   &narrow, &narrow_hosts, &own_scopes);

        /* Hosts that (re)connected get their whole state; the others, what
         * the changes reach. */
        SSET_FOR_EACH (name, &s->dirty_hosts) {
            struct session *session = find_session(s, name);
            if (session_ready(session)) {
                recompute_host(s, tr, session);
            }
        }
        VLOG_DBG("recomputing: %"PRIuSIZE" changed ports; %"PRIuSIZE
                 " hosts whole, %"PRIuSIZE" for %"PRIuSIZE" ports in %"
                 PRIuSIZE" segments, %"PRIuSIZE" for %"PRIuSIZE" ports, %"
                 PRIuSIZE" for their own ports",
                 sset_count(&dirty_ports), sset_count(&s->dirty_hosts),
                 sset_count(&wide_hosts), sset_count(&wide.ports),
                 sset_count(&wide.segments), sset_count(&narrow_hosts),
                 sset_count(&narrow.ports), shash_count(&own_scopes));
        recompute_hosts_scope(s, tr, &wide, &wide_hosts);
        recompute_hosts_scope(s, tr, &narrow, &narrow_hosts);
        SHASH_FOR_EACH (node, &own_scopes) {
            struct session *session = find_session(s, node->name);

            if (session_ready(session)
                && !sset_contains(&s->dirty_hosts, node->name)) {
                COVERAGE_INC(controller_host_own_scope);
                recompute_host_scope(s, tr, node->data, session);
            }
        }
        incr_remember_ports(&s->incr, tr, &dirty_ports);

        /* The errors of the changed ports, and of those whose groups they
         * can change, are to be written again (a port that stayed on its
         * host and in its segments is in the narrow scope only). */
        SSET_FOR_EACH (name, &wide.ports) {
            sset_add(&s->error_ports, name);
        }
        SSET_FOR_EACH (name, &narrow.ports) {
            sset_add(&s->error_ports, name);
        }
        SHASH_FOR_EACH (node, &own_scopes) {
            const struct dvs_translate_scope *own = node->data;

            SSET_FOR_EACH (name, &own->ports) {
                sset_add(&s->error_ports, name);
            }
        }
        incr_own_scopes_destroy(&own_scopes);
        dvs_translate_scope_destroy(&wide);
        dvs_translate_scope_destroy(&narrow);
        sset_destroy(&wide_hosts);
        sset_destroy(&narrow_hosts);
    }

    dvs_translate_end_run(s->tr);

    /* Hosts with nothing outstanding have applied the configuration as of
     * now, even if it changed nothing for them. */
    struct session *session;
    HMAP_FOR_EACH (session, node, &s->by_host) {
        if (session->conn && !session->awaiting_bindings
            && !session->n_pending && session->applied_cfg < nb_cfg) {
            session->applied_cfg = nb_cfg;
            session->status_dirty = true;
        }
    }

    s->all_dirty = false;
    sset_clear(&s->dirty_hosts);
    sset_destroy(&dirty_ports);
    sset_destroy(&dirty_pgs);
}

/* Status. */

static void
write_port_error(const struct dvs_translate *tr,
                 const struct dvsrec_port *port)
{
    const char *error = dvs_translate_get_error(tr, &port->header_.uuid);
    if (!nullable_string_is_equal(error, port->error)) {
        dvsrec_port_set_error(port, error);
    }
}

/* Writes the 'error' columns from 'tr': of every switch, portgroup and
 * member, and of the ports whose errors can have changed (every port after
 * a change that reaches further than some ports). */
static void
write_errors(struct sessions *s, const struct dvs_translate *tr)
{
    const struct dvsrec_switch *sw;
    DVSREC_SWITCH_FOR_EACH (sw, s->idl) {
        const char *error = dvs_translate_get_error(tr, &sw->header_.uuid);
        if (!nullable_string_is_equal(error, sw->error)) {
            /* Switch-wide problems (the private VLAN map, an MTU without
             * room for VXLAN) are rare enough to log. */
            if (error) {
                VLOG_WARN("switch %s: %s", sw->name, error);
            }
            dvsrec_switch_set_error(sw, error);
        }
    }
    const struct dvsrec_portgroup *pg;
    DVSREC_PORTGROUP_FOR_EACH (pg, s->idl) {
        const char *error = dvs_translate_get_error(tr, &pg->header_.uuid);
        if (!nullable_string_is_equal(error, pg->error)) {
            dvsrec_portgroup_set_error(pg, error);
        }
    }
    if (s->all_errors) {
        const struct dvsrec_port *port;
        DVSREC_PORT_FOR_EACH (port, s->idl) {
            write_port_error(tr, port);
        }
    } else {
        const char *name;
        SSET_FOR_EACH (name, &s->error_ports) {
            const struct dvsrec_port *port = find_port_row(s, name);
            if (port) {
                write_port_error(tr, port);
            }
        }
    }
    const struct dvsrec_host_member *m;
    DVSREC_HOST_MEMBER_FOR_EACH (m, s->idl) {
        const char *error = dvs_translate_get_error(tr, &m->header_.uuid);
        if (!nullable_string_is_equal(error, m->error)) {
            dvsrec_host_member_set_error(m, error);
        }
    }
    s->errors_dirty = false;
    s->all_errors = false;
    sset_clear(&s->error_ports);
}

static void
write_learned_macs(const struct sessions *s, const struct dvsrec_port *port)
{
    const struct sset *learned = dvs_bindings_get_learned(&s->bindings,
                                                          port->name);
    size_t n = learned ? sset_count(learned) : 0;
    bool same = n == port->n_learned_macs;

    for (size_t i = 0; same && i < n; i++) {
        same = sset_contains(learned, port->learned_macs[i]);
    }
    if (!same) {
        const char **sorted = learned ? sset_sort(learned) : NULL;
        dvsrec_port_set_learned_macs(port, sorted, n);
        free(sorted);
    }
}

static void
write_bindings(struct sessions *s)
{
    const char *name;

    SSET_FOR_EACH (name, &s->new_bound_ports) {
        sset_add(&s->binding_changes, name);
    }
    sset_clear(&s->new_bound_ports);
    SSET_FOR_EACH (name, &s->binding_changes) {
        const struct dvsrec_port *port = find_port_row(s, name);
        if (!port) {
            continue;
        }

        const struct dvs_binding *b = dvs_bindings_find(&s->bindings, name);
        const struct dvsrec_host *host = b ? find_host_row(s, b->host) : NULL;
        if (port->host != host) {
            dvsrec_port_set_host(port, host);
        }
        bool up = b && b->up;
        if (!host) {
            if (port->n_up) {
                dvsrec_port_set_up(port, NULL, 0);
            }
        } else if (!port->n_up || *port->up != up) {
            dvsrec_port_set_up(port, &up, 1);
        }
        write_learned_macs(s, port);
    }
    SSET_FOR_EACH (name, &s->binding_changes) {
        sset_add(&s->bindings_written, name);
    }
    sset_clear(&s->binding_changes);
}

void
sessions_commit_result(struct sessions *s, int result)
{
    if (result > 0) {
        sset_clear(&s->bindings_written);
    } else if (!result) {
        /* Write everything again from what we know.  (-1 is a commit still
         * in progress: nothing to do yet.) */
        const char *name;
        SSET_FOR_EACH (name, &s->bindings_written) {
            sset_add(&s->binding_changes, name);
        }
        sset_clear(&s->bindings_written);
        struct session *session;
        HMAP_FOR_EACH (session, node, &s->by_host) {
            session->status_dirty = true;
        }
        s->errors_dirty = true;
        s->all_errors = true;
        host_reports_write_all(s->reports);
    }
}

/* How long, at most, the hosts' status waits for the acks of the updates
 * sent (see status_held()). */
#define STATUS_HOLD_MSEC 1000

/* Whether the hosts' status (Host's status and hv_cfg) waits, in this run,
 * for the acks of updates sent to connected hosts.  Written at once, what
 * the hosts that a change does not reach have applied would be committed
 * alone, and the ack of a host that it reaches, arriving while that commit
 * is in flight, would wait for its reply before being committed in turn:
 * two transactions in a row before DVS_Global's hv_cfg moves.  Held until
 * the acks come (a few milliseconds, usually), all of it is one
 * transaction.  DVS_Global's hv_cfg loses nothing by it (it waits for every
 * host anyway); a host that is slow to ack holds the others' status back
 * STATUS_HOLD_MSEC at most, after which it is written and held again. */
static bool
status_held(struct sessions *s)
{
    const struct session *session;
    bool acks_due = false;

    HMAP_FOR_EACH (session, node, &s->by_host) {
        if (session->conn && session->n_pending) {
            acks_due = true;
            break;
        }
    }

    long long int now = time_msec();
    if (!acks_due || (s->status_held_since
                      && now >= s->status_held_since + STATUS_HOLD_MSEC)) {
        s->status_held_since = 0;
        return false;
    }
    if (!s->status_held_since) {
        s->status_held_since = now;
    }
    return true;
}

void
sessions_wait(const struct sessions *s)
{
    if (s->status_held_since) {
        poll_timer_wait_until(s->status_held_since + STATUS_HOLD_MSEC);
    }
}

static void
write_host_status(struct sessions *s)
{
    const struct dvsrec_host *host;
    bool held = status_held(s);

    DVSREC_HOST_FOR_EACH (host, s->idl) {
        struct session *session = find_session(s, host->name);
        if (!session) {
            /* Not connected since this controller started: whatever an
             * earlier run wrote ("up", say) is no longer known.  A host
             * that was ever evaluated is disconnected, one that never was
             * is down. */
            const char *status = (!host->status || !strcmp(host->status,
                                                            "down")
                                  ? "down" : "disconnected");
            if (!nullable_string_is_equal(host->status, status)) {
                dvsrec_host_set_status(host, status);
            }
            continue;
        }
        if (session->lacp.dirty) {
            lacp_status_write(&session->lacp, s->idl, host->name);
        }
        if (!session->status_dirty || held) {
            continue;
        }
        const char *status = (!session->conn ? "disconnected"
                              : (session->n_pending
                                 || session->awaiting_bindings) ? "pending"
                              : "up");
        if (!nullable_string_is_equal(host->status, status)) {
            dvsrec_host_set_status(host, status);
        }
        if (host->hv_cfg != session->applied_cfg) {
            dvsrec_host_set_hv_cfg(host, session->applied_cfg);
            dvsrec_host_set_hv_cfg_timestamp(host, time_wall_msec());
        }
        if (!nullable_string_is_equal(host->status_detail,
                                      session->rollback_note)) {
            dvsrec_host_set_status_detail(host, session->rollback_note);
        }
        if (session->agent_version
            && !nullable_string_is_equal(host->agent_version,
                                         session->agent_version)) {
            dvsrec_host_set_agent_version(host, session->agent_version);
        }
        session->status_dirty = false;
    }
}

/* DVS_Global.hv_cfg: the configuration every member host has applied.  A
 * member that is not connected holds it back, as a chassis does in OVN. */
static void
write_hv_cfg(struct sessions *s)
{
    const struct dvsrec_dvs_global *global = dvsrec_dvs_global_first(s->idl);
    const struct dvsrec_host *host;
    int64_t hv_cfg = s->processed_cfg;

    if (!global) {
        return;
    }
    DVSREC_HOST_FOR_EACH (host, s->idl) {
        struct session *session = find_session(s, host->name);
        hv_cfg = MIN(hv_cfg, session ? session->applied_cfg : 0);
    }
    if (global->hv_cfg != hv_cfg) {
        dvsrec_dvs_global_set_hv_cfg(global, hv_cfg);
        dvsrec_dvs_global_set_hv_cfg_timestamp(global, time_wall_msec());
    }
}

/* A port row that appears (a port re-created, e.g. by a rollback or an
 * import, after its VM was reported) takes the binding known for its
 * name: the agents report a binding once, not again for a new row.  The
 * new row is a change that recomputes its hosts by itself; its binding
 * only needs writing. */
static void
bind_new_ports(struct sessions *s)
{
    struct hmapx_node *node;

    HMAPX_FOR_EACH (node, &s->changed_ports) {
        const struct dvsrec_port *port = node->data;
        if (dvsrec_port_is_new(port)
            && dvs_bindings_find(&s->bindings, port->name)) {
            sset_add(&s->new_bound_ports, port->name);
        }
    }
}

/* Makes the translation cache forget what the database's changes since
 * the last run may have changed: every row whose configuration changed,
 * whatever the column (the cache keys on rows, not on columns); a change
 * of status (which the controller writes) changes nothing it keeps.
 *
 * The translation refers to the cache's values: it goes with them. */
static void
forget_changed_rows(struct sessions *s)
{
    /* A LAG's load_balance is in the uplink choice of the ports that use
     * it. */
    static const struct ovsdb_idl_table_class *whole_tables[] = {
        &dvsrec_table_switch, &dvsrec_table_lag,
    };

    if (change_is_wide(s, whole_tables, ARRAY_SIZE(whole_tables))) {
        dvs_translate_destroy(s->tr);
        s->tr = NULL;
        dvs_translate_cache_clear(s->tr_cache);
        return;
    }

    struct hmapx_node *node;
    HMAPX_FOR_EACH (node, &s->changed_pgs) {
        const struct dvsrec_portgroup *pg = node->data;
        dvs_translate_cache_forget_portgroup(s->tr_cache, &pg->header_.uuid);
    }
    HMAPX_FOR_EACH (node, &s->changed_ports) {
        const struct dvsrec_port *port = node->data;
        dvs_translate_cache_forget_port(s->tr_cache, &port->header_.uuid);
    }
}

/* Removes from 'rules' those of 'refs' (an owner's traffic_rules), and
 * returns true if there were any. */
static bool
take_rules(struct uuidset *rules, struct dvsrec_traffic_rule **refs,
           size_t n_refs)
{
    bool owns = false;

    for (size_t i = 0; i < n_refs; i++) {
        owns |= uuidset_find_and_delete(rules, &refs[i]->header_.uuid);
    }
    return owns;
}

/* A traffic rule is its owner's: the switch, portgroup or port whose
 * traffic_rules refers to it.  A rule added or deleted changes that column,
 * so its owner changed already; a rule changed in place leaves its owner
 * tracked only for the reference, which is no change of the owner's own.
 * Yet what the owner's ports translate to changes with the rule: adds
 * such owners, portgroups and ports, to the changed rows, as if they had
 * changed.  Sets 'rules_changed_wide' if a rule changed in place belongs
 * to a switch (every port of it changes) or to no row found. */
static void
add_rule_owners(struct sessions *s)
{
    struct uuidset rules = UUIDSET_INITIALIZER(&rules);
    const struct dvsrec_traffic_rule *rule;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;

    DVSREC_TRAFFIC_RULE_FOR_EACH_TRACKED (rule, s->idl) {
        const struct ovsdb_idl_row *row = &rule->header_;

        if (!ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
            && !ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE)
            && config_changed(row, &dvsrec_table_traffic_rule)) {
            uuidset_insert(&rules, &row->uuid);
        }
    }
    s->rules_changed_wide = false;
    if (uuidset_is_empty(&rules)) {
        uuidset_destroy(&rules);
        return;
    }

    /* The owners are tracked: the IDL tracks every row that refers to a
     * changed one. */
    DVSREC_PORTGROUP_FOR_EACH_TRACKED (pg, s->idl) {
        if (!uuidset_is_empty(&rules)
            && take_rules(&rules, pg->traffic_rules, pg->n_traffic_rules)) {
            hmapx_add(&s->changed_pgs, CONST_CAST(struct dvsrec_portgroup *,
                                                  pg));
        }
    }
    DVSREC_PORT_FOR_EACH_TRACKED (port, s->idl) {
        if (!uuidset_is_empty(&rules)
            && take_rules(&rules, port->traffic_rules,
                          port->n_traffic_rules)) {
            hmapx_add(&s->changed_ports, CONST_CAST(struct dvsrec_port *,
                                                    port));
        }
    }
    s->rules_changed_wide = !uuidset_is_empty(&rules);
    uuidset_destroy(&rules);
}

/* Finds the Port and Portgroup rows whose configuration changed. */
static void
find_changed_rows(struct sessions *s)
{
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;

    hmapx_clear(&s->changed_ports);
    hmapx_clear(&s->changed_pgs);
    DVSREC_PORTGROUP_FOR_EACH_TRACKED (pg, s->idl) {
        if (config_changed(&pg->header_, &dvsrec_table_portgroup)) {
            hmapx_add(&s->changed_pgs, CONST_CAST(struct dvsrec_portgroup *,
                                                  pg));
        }
    }
    DVSREC_PORT_FOR_EACH_TRACKED (port, s->idl) {
        COVERAGE_INC(controller_port_tracked);
        if (config_changed(&port->header_, &dvsrec_table_port)) {
            hmapx_add(&s->changed_ports, CONST_CAST(struct dvsrec_port *,
                                                    port));
        }
    }
    add_rule_owners(s);
}

void
sessions_run(struct sessions *s, struct ovsdb_idl_txn *txn)
{
    find_changed_rows(s);
    forget_changed_rows(s);
    seed_bindings(s);
    bind_new_ports(s);
    recompute(s);
    if (txn) {
        write_bindings(s);
        write_host_status(s);
        mirror_stats_write(s->mirror_stats, s->idl);
        if (s->errors_dirty) {
            if (!s->tr) {
                s->tr = dvs_translate_create_cached(s->idl, &s->bindings,
                                            s->tr_cache);
            }
            write_errors(s, s->tr);
        }
        write_hv_cfg(s);
        host_reports_write(s->reports, s->idl, txn);
    }
    /* Deleted rows go when the change tracking is cleared. */
    hmapx_clear(&s->changed_ports);
    hmapx_clear(&s->changed_pgs);
}

/* unixctl. */

void
sessions_format_status(const struct sessions *s, struct ds *out)
{
    size_t n_connected = 0;
    const struct session *session;

    HMAP_FOR_EACH (session, node, &s->by_host) {
        n_connected += session->conn != 0;
    }
    ds_put_format(out, "epoch: %s\n", s->epoch);
    ds_put_format(out, "configuration processed: %"PRId64"\n",
                  s->processed_cfg);
    ds_put_format(out, "hosts connected: %"PRIuSIZE"\n", n_connected);
    ds_put_format(out, "ports bound: %"PRIuSIZE"\n",
                  hmap_count(&s->bindings.map));

    const struct dvsrec_switch *sw;
    DVSREC_SWITCH_FOR_EACH (sw, s->idl) {
        if (sw->error) {
            ds_put_format(out, "switch %s: %s\n", sw->name, sw->error);
        }
    }
}

static int
compare_sessions(const void *a_, const void *b_)
{
    const struct session *const *a = a_, *const *b = b_;
    return strcmp((*a)->host, (*b)->host);
}

void
sessions_format_hosts(const struct sessions *s, struct ds *out)
{
    size_t n = hmap_count(&s->by_host), i = 0;
    const struct session **list = xmalloc(n * sizeof *list);
    const struct session *session;

    HMAP_FOR_EACH (session, node, &s->by_host) {
        list[i++] = session;
    }
    qsort(list, n, sizeof *list, compare_sessions);
    for (i = 0; i < n; i++) {
        session = list[i];
        ds_put_format(out, "%s: %s, generation sent %"PRIu64", acked "
                      "%"PRIu64", configuration applied %"PRId64"\n",
                      session->host,
                      session->conn ? "connected" : "disconnected",
                      session->generation, session->acked,
                      session->applied_cfg);
    }
    free(list);
}

bool
sessions_format_host_state(const struct sessions *s, const char *host,
                           struct ds *out)
{
    const struct session *session = find_session(s, host);
    if (!session) {
        return false;
    }
    dvs_host_state_format(&session->sent, out);
    return true;
}
