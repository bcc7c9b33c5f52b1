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

/* dvs-agent: the host agent of ovs-dvs.
 *
 * It holds the host's desired state (struct dvs_host_state: bridges and
 * flow groups) and makes the local Open vSwitch match it: the OVSDB side
 * through agent/ovs-reconcile, the flows through agent/ofctrl, with the
 * VM ports that agent/bindings finds.  The last fully applied state is
 * kept in a state file (agent/state-file) and applied again at start, so
 * that a host forwards as before even with no controller.
 *
 * The desired state comes from the controller (--controller), from the
 * state file at start, or from the unixctl command dvs-agent/load-state.
 * With a controller, the process has two threads (DESIGN §3): the main
 * thread runs libuv and the connection (lib/dvs-conn.h); the OVS thread
 * runs this file's loop.  They talk through a dvs_mailbox: each StateUpdate
 * received goes to agent_apply_update(), and the Acks and Bindings that
 * agent_applied() and binding_changed() produce go back.
 */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "agent/bindings.h"
#include "agent/lacp.h"
#include "agent/learned.h"
#include "agent/health-check.h"
#include "agent/lldp.h"
#include "agent/mirrors.h"
#include "dummy.h"
#include "agent/net-rollback.h"
#include "agent/ofctrl.h"
#include "agent/ovs-reconcile.h"
#include "agent/state-file.h"
#include "agent/teaming-notify.h"
#include "command-line.h"
#include <inttypes.h>
#include "lib/dvs-conn.h"
#include "lib/dvs-learn.h"
#include "lib/dvs-tls.h"
#include "lib/dvs-mailbox.h"
#include "lib/dvs-wire.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "timeval.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "simap.h"
#include "sset.h"
#include "stream-ssl.h"
#include "unixctl.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(dvs_agent);

/* Command-line options. */
static char *host_name;
static char *ovs_db;
static char *datapath_type;
static char *state_file;
static char *controllers;
static char *unixctl_path;
static struct dvs_tls_files tls_files;
static struct dvs_tls_ctx *tls;     /* Loaded from 'tls_files'. */
static long long int rollback_timeout_ms = NET_ROLLBACK_DEFAULT_TIMEOUT_MS;

/* The state file is written this long after a state is applied (the states
 * applied meanwhile make one write), and again this long after a failed
 * write. */
#define STATE_FILE_DELAY_MS 100
#define STATE_FILE_RETRY_MS 1000

struct agent {
    /* The desired state, once known.  'desired_seqno' changes with each new
     * desired state, even one with the same generation (a state loaded by
     * hand), and is what the parts below report as applied. */
    struct dvs_host_state desired;
    bool have_desired;
    uint64_t desired_seqno;
    uint64_t desired_generation;
    char *desired_epoch;
    char *desired_source;       /* Where it came from, for people. */
    bool desired_from_controller;

    /* What is applied. */
    uint64_t applied_seqno;     /* 0: nothing yet. */
    uint64_t applied_generation;
    char *applied_epoch;
    uint64_t persisted_seqno;   /* What the state file holds. */
    long long int persist_at;   /* When to write it, LLONG_MAX: no need. */

    char *state_error;          /* Why the last desired state was refused. */
    char *file_error;           /* Why the state file could not be written. */

    struct ovs_reconcile *reconcile;
    struct bindings bindings;
    bool bindings_known;        /* 'bindings' reflect the OVS database. */
    struct ofctrl *ofctrl;
    struct learned *learned;    /* The MACs that the ports learned. */
    struct lldp *lldp;          /* LLDP on the uplinks. */
    struct teaming_notify *notify;  /* notify-switches. */
    uint64_t lldp_reported;     /* lldp_seqno() last reported. */
    struct health_check *health_check;
    uint64_t health_reported;   /* health_check_seqno() last reported. */
    struct sset learned_reported;  /* "PORT SEGMENT MAC", as reported. */
    char *mirror_stats_sent;    /* Last MirrorStatistics sent, as text. */
    bool learned_dirty;         /* Learned flows or bindings changed. */
    char *lacp_reported;        /* LACP report last sent, NULL: none. */
    char *lacp_logged;          /* LACP state last logged. */
    uint64_t learned_seqno;     /* Of 'learned' when last looked at. */
    unsigned int idl_seqno;     /* Of the IDL contents last looked at. */
    uint64_t ofctrl_seqno;      /* Desired seqno last given to ofctrl. */
    struct sset changed_groups; /* Keys of the groups changed since. */
    bool all_groups_changed;    /* Any group may have changed since. */
    bool ofctrl_stale;          /* Bridges or ports changed. */

    /* The controller connection, if --controller was given. */
    struct dvs_mailbox *mailbox;
    uint64_t session;           /* Number of the controller connection. */
    bool connected;             /* Hello answered. */
    bool bindings_unsent;       /* Connected, full Bindings not sent yet. */
    bool controller_learns;     /* The controller takes LearnedMacs. */
    bool controller_mirrors;    /* It takes MirrorStatistics. */
    char *controller_epoch;     /* From HelloReply. */
    bool controller_confirms;   /* It answers Acks with Confirm. */
    bool controller_lldp;       /* It takes LldpNeighbors. */
    bool controller_health;     /* It takes HealthCheckResults. */

    struct net_rollback rollback;
    uint64_t acked_seqno;       /* Last desired seqno acknowledged. */
    bool exiting;
};

static void controller_send(struct agent *, const Dvs__Envelope *);
static void controller_send_ack(struct agent *, const char *error);
static void controller_send_binding(struct agent *, const struct binding *,
                                    const struct binding *old);
static void controller_send_all_bindings(struct agent *);
static void controller_send_learned(struct agent *);
static void controller_send_lacp(struct agent *);
static void controller_send_lldp(struct agent *);
static void controller_send_health_check(struct agent *);
static void controller_send_mirror_stats(struct agent *);

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);

static unixctl_cb_func agent_exit;
static unixctl_cb_func agent_status;
static unixctl_cb_func agent_bindings;
static unixctl_cb_func agent_learned;
static unixctl_cb_func agent_lacp_show;
static unixctl_cb_func agent_flows;
static unixctl_cb_func agent_meters;
static unixctl_cb_func agent_state;
static unixctl_cb_func agent_load_state;
static unixctl_cb_func agent_resync;
static unixctl_cb_func agent_lldp_neighbors;
static unixctl_cb_func agent_health_check_show;

/* The desired state. */

/* Makes 'state' (with 'generation' and 'epoch') the desired state, if it is
 * valid: every flow must parse and the bridges and NICs must be possible.
 * On error, keeps the current desired state and returns a malloc()'d
 * message (also shown by dvs-agent/status). */
static void agent_desired_changed(struct agent *, uint64_t generation,
                                  const char *epoch, const char *source);

static char *
agent_set_desired(struct agent *agent, const struct dvs_host_state *state,
                  uint64_t generation, const char *epoch, const char *source)
{
    char *error = ovs_reconcile_check_state(state);

    if (!error) {
        error = ofctrl_check_state(agent->ofctrl, state);
    }
    free(agent->state_error);
    agent->state_error = NULL;
    if (error) {
        VLOG_WARN("refusing the desired state of generation %"PRIu64
                  " from %s: %s", generation, source, error);
        agent->state_error = xasprintf("generation %"PRIu64" from %s "
                                       "refused: %s", generation, source,
                                       error);
        return error;
    }

    dvs_host_state_destroy(&agent->desired);
    dvs_host_state_clone(&agent->desired, state);
    agent->all_groups_changed = true;
    agent_desired_changed(agent, generation, epoch, source);
    return NULL;
}

/* Bookkeeping for a new desired state with 'generation' and 'epoch', from
 * 'source'. */
static void
agent_desired_changed(struct agent *agent, uint64_t generation,
                      const char *epoch, const char *source)
{
    agent->have_desired = true;
    agent->desired_seqno++;
    agent->desired_generation = generation;
    free(agent->desired_epoch);
    agent->desired_epoch = xstrdup(epoch ? epoch : "");
    free(agent->desired_source);
    agent->desired_source = xstrdup(source);
    agent->desired_from_controller = !strcmp(source, "the controller");
    VLOG_INFO("desired state: generation %"PRIu64" (epoch \"%s\") from %s",
              generation, agent->desired_epoch, source);
    poll_immediate_wake();
}

/* Applies incremental 'update', which changes no bridge, to the desired
 * state in place: only the groups it carries are checked, and only they
 * (with those it deletes) are recomputed.  Returns NULL or a malloc()'d
 * error, in which case the desired state stays as it was. */
static char *
agent_apply_groups_update(struct agent *agent,
                          const Dvs__StateUpdate *update, const char *source)
{
    char *error = dvs_state_update_check(&agent->desired, update);

    if (!error) {
        struct dvs_host_state groups;

        dvs_host_state_init(&groups);
        dvs_state_update_get_groups(update, &groups);
        error = ofctrl_check_state(agent->ofctrl, &groups);
        dvs_host_state_destroy(&groups);
    }
    free(agent->state_error);
    agent->state_error = NULL;
    if (error) {
        VLOG_WARN("refusing the desired state of generation %"PRIu64
                  " from %s: %s", update->generation, source, error);
        agent->state_error = xasprintf("generation %"PRIu64" from %s "
                                       "refused: %s", update->generation,
                                       source, error);
        return error;
    }

    error = dvs_state_update_apply(&agent->desired, update);
    ovs_assert(!error);
    for (size_t i = 0; i < update->n_flow_groups; i++) {
        sset_add(&agent->changed_groups, update->flow_groups[i]->key);
    }
    for (size_t i = 0; i < update->n_deleted_flow_groups; i++) {
        sset_add(&agent->changed_groups, update->deleted_flow_groups[i]);
    }
    agent_desired_changed(agent, update->generation, update->epoch, source);
    return NULL;
}

/* Applies 'update', a full or incremental StateUpdate as the controller
 * sends it, to the desired state.  An incremental update applies to the
 * current desired state (not to what is applied yet): the agent always
 * works toward the latest state.  Returns NULL or a malloc()'d error, in
 * which case the desired state stays as it was. */
static char *
agent_apply_update(struct agent *agent, const Dvs__StateUpdate *update,
                   const char *source)
{
    struct dvs_host_state new;
    char *error;

    if (agent->have_desired && !(update->has_full && update->full)
        && !update->n_bridges && !update->n_deleted_bridges) {
        return agent_apply_groups_update(agent, update, source);
    }
    dvs_host_state_clone(&new, &agent->desired);
    error = dvs_state_update_apply(&new, update);
    if (!error) {
        error = agent_set_desired(agent, &new, update->generation,
                                  update->epoch, source);
    } else {
        free(agent->state_error);
        agent->state_error = xasprintf("generation %"PRIu64" from %s "
                                       "refused: %s", update->generation,
                                       source, error);
    }
    dvs_host_state_destroy(&new);
    return error;
}

/* The known-good state's file, beside the state file. */
static char *
good_file_name(void)
{
    return xasprintf("%s.good", state_file);
}

static void
agent_write_file(struct agent *agent, const char *file_name,
                 const struct dvs_host_state *state, uint64_t generation,
                 const char *epoch)
{
    char *error = state_file_write(file_name, state, generation, epoch);
    free(agent->file_error);
    agent->file_error = error;
    if (error) {
        VLOG_WARN("%s", error);
    }
}

/* Writes the applied state to the state file, which a restarted agent
 * applies again at once, so that the host forwards as before.  Only a state
 * that is applied, and still desired, is written. */
static void
agent_persist(struct agent *agent)
{
    if (agent->persisted_seqno != agent->applied_seqno
        && agent->applied_seqno == agent->desired_seqno) {
        agent_write_file(agent, state_file, &agent->desired,
                         agent->applied_generation, agent->applied_epoch);
        if (!agent->file_error) {
            agent->persisted_seqno = agent->applied_seqno;
            agent->persist_at = LLONG_MAX;
        } else {
            agent->persist_at = time_msec() + STATE_FILE_RETRY_MS;
        }
    }
}

/* Schedules writing the state file for a state just applied: the Ack goes
 * first, and the states applied within STATE_FILE_DELAY_MS make one
 * write, of the last one. */
static void
agent_schedule_persist(struct agent *agent)
{
    if (agent->persisted_seqno == agent->applied_seqno) {
        return;
    }
    if (agent->persist_at == LLONG_MAX) {
        agent->persist_at = time_msec() + STATE_FILE_DELAY_MS;
        poll_timer_wait_until(agent->persist_at);
    } else if (time_msec() >= agent->persist_at) {
        agent_persist(agent);
    }
}

/* Writes the state file if a write is due, or if 'now' says so (before
 * exiting). */
static void
agent_persist_run(struct agent *agent, bool now)
{
    if (agent->persist_at != LLONG_MAX
        && (now || time_msec() >= agent->persist_at)) {
        agent_persist(agent);
    }
}

/* A fatal signal (SIGTERM...) ends the agent: write what it applied
 * first. */
static void
agent_fatal_signal_hook(void *agent)
{
    agent_persist_run(agent, true);
}

/* Writes the known-good state (network rollback's) to its file, so that
 * the agent still knows it after a restart. */
static void
agent_persist_good(struct agent *agent)
{
    const struct net_rollback *rb = &agent->rollback;
    char *name = good_file_name();

    agent_write_file(agent, name, &rb->good, rb->good_generation,
                     rb->good_epoch);
    free(name);
}

/* Automatic network rollback: no Confirm came for the applied state in
 * time, so the host cannot reach the controller with it.  Applies the
 * known-good state again (ofctrl installs it in one atomic bundle per
 * bridge, as any state). */
static void
agent_network_rollback(struct agent *agent)
{
    struct net_rollback *rb = &agent->rollback;
    char *reason = xasprintf("%s within %lld ms of applying it",
                             (agent->connected
                              ? "no answer from the controller"
                              : "lost the controller connection"),
                             rb->timeout_ms);

    VLOG_WARN("generation %"PRIu64" cut this host off from the controller "
              "(%s): rolling back to generation %"PRIu64,
              rb->watched_generation, reason, rb->good_generation);
    net_rollback_start(rb, reason);
    free(reason);

    struct dvs_host_state good;
    dvs_host_state_clone(&good, &rb->good);
    char *error = agent_set_desired(agent, &good, rb->good_generation,
                                    rb->good_epoch, "network rollback");
    if (error) {
        VLOG_ERR("network rollback: %s", error);
        free(error);
    }
    dvs_host_state_destroy(&good);
}

/* Called once the desired state with 'generation' is applied: the OVSDB
 * objects are in place and every owned bridge has its flows (the bundle's
 * barrier came back).  This is where the controller connection sends its
 * Ack. */
static void
agent_applied(struct agent *agent)
{
    VLOG_INFO("applied generation %"PRIu64" (epoch \"%s\")",
              agent->applied_generation, agent->applied_epoch);
    controller_send_ack(agent, NULL);
    agent_schedule_persist(agent);

    /* A state from the controller is known-good only once the controller
     * confirms it: until then, it may be the one that cut the host off. */
    if (net_rollback_applied(&agent->rollback, &agent->desired,
                             agent->applied_generation, agent->applied_epoch,
                             (agent->desired_from_controller
                              && agent->controller_confirms))) {
        agent_persist_good(agent);
    }
}

/* Called for each binding that appears, changes or goes away.  This is
 * where the controller connection sends Bindings. */
static void
binding_changed(const struct binding *old, const struct binding *new,
                void *agent_)
{
    controller_send_binding(agent_, new, old);
    if (new) {
        VLOG_INFO("port %s: %s bridge %s, interface %s, ofport %"PRId64
                  ", mac %s, link %s", new->port, old ? "now on" : "bound to",
                  new->bridge, new->iface, new->ofport,
                  new->mac ? new->mac : "none", new->up ? "up" : "down");
    } else {
        VLOG_INFO("port %s: unbound (interface %s on bridge %s is gone)",
                  old->port, old->iface, old->bridge);
    }
}

static long long int
bridge_ofport(const void *reconcile, const char *bridge, const char *iface)
{
    return ovs_reconcile_get_ofport(reconcile, bridge, iface);
}

/* Fills 'ports' with the symbolic ports of bridge 'name' and their
 * OpenFlow ports. */
static void
get_bridge_ports(const struct agent *agent, const char *name,
                 struct simap *ports)
{
    const struct dvs_bridge *br = dvs_host_state_find_bridge(&agent->desired,
                                                             name);
    const struct binding *b;
    int64_t ofport;

    for (size_t i = 0; br && i < br->n_uplinks; i++) {
        ofport = ovs_reconcile_get_ofport(agent->reconcile, name,
                                          br->uplinks[i].pnic);
        if (ofport > 0
            && lacp_uplink_usable(agent->reconcile,
                                  br, br->uplinks[i].name)) {
            char *symbol = xasprintf("uplink:%s", br->uplinks[i].name);

            if (!i) {
                simap_put(ports, "uplink", ofport);
            }
            simap_put(ports, symbol, ofport);
            free(symbol);
        }
    }
    if (br && br->vxlan) {
        char *vxlan = ovs_reconcile_vxlan_port_name(name);

        ofport = ovs_reconcile_get_ofport(agent->reconcile, name, vxlan);
        if (ofport > 0) {
            simap_put(ports, "vxlan", ofport);
        }
        free(vxlan);
    }
    if (br) {
        mirrors_get_ports(br, bridge_ofport, agent->reconcile, ports);
    }
    HMAP_FOR_EACH (b, node, &agent->bindings.map) {
        if (b->ofport > 0 && !strcmp(b->bridge, name)) {
            char *symbol = xasprintf("port:%s", b->port);
            simap_put(ports, symbol, b->ofport);
            free(symbol);
        }
    }
}

/* Whether ovs-vswitchd has made owned bridge 'name' (its internal
 * interface has an OpenFlow port, so its management socket exists). */
static bool
bridge_is_live(const struct agent *agent, const char *name)
{
    return ovs_reconcile_get_ofport(agent->reconcile, name, name) > 0;
}

/* Tells ofctrl which bridges to manage and their desired flows.  These are
 * the owned bridges (one that is no longer desired but stays for ports that
 * are not ours gets no flows) that ovs-vswitchd has made: their internal
 * interface has an OpenFlow port, so their management socket exists. */
static void
update_ofctrl(struct agent *agent)
{
    struct sset owned = SSET_INITIALIZER(&owned);
    const char *name, *next;

    ovs_reconcile_get_owned_bridges(agent->reconcile, &owned);
    SSET_FOR_EACH_SAFE (name, next, &owned) {
        if (!bridge_is_live(agent, name)) {
            sset_delete(&owned, SSET_NODE_FROM_NAME(name));
        }
    }
    ofctrl_set_bridges(agent->ofctrl, &owned);
    learned_set_bridges(agent->learned, &owned);
    SSET_FOR_EACH (name, &owned) {
        struct simap ports = SIMAP_INITIALIZER(&ports);

        get_bridge_ports(agent, name, &ports);
        ofctrl_set_desired(agent->ofctrl, name, &agent->desired, &ports,
                           agent->desired_seqno,
                           (agent->all_groups_changed
                            ? NULL : &agent->changed_groups));
        simap_destroy(&ports);
    }
    sset_destroy(&owned);
    agent->ofctrl_seqno = agent->desired_seqno;
    sset_clear(&agent->changed_groups);
    agent->all_groups_changed = false;
}

/* Reports the desired state as applied once the OVSDB side matches it and
 * every bridge the agent owns has its flows: the desired bridges, and the
 * bridges that are no longer desired but stay (with no flows of ours). */
static void
check_applied(struct agent *agent)
{
    struct sset owned = SSET_INITIALIZER(&owned);
    bool applied = true;
    const char *name;

    if (!agent->have_desired
        || agent->applied_seqno == agent->desired_seqno
        || agent->ofctrl_seqno != agent->desired_seqno
        || ovs_reconcile_applied_seqno(agent->reconcile)
           != agent->desired_seqno) {
        return;
    }
    ovs_reconcile_get_owned_bridges(agent->reconcile, &owned);
    SSET_FOR_EACH (name, &owned) {
        bool desired = dvs_host_state_find_bridge(&agent->desired,
                                                  name) != NULL;

        if ((desired || bridge_is_live(agent, name))
            && !ofctrl_is_applied(agent->ofctrl, name,
                                  agent->desired_seqno)) {
            applied = false;
            break;
        }
    }
    sset_destroy(&owned);

    if (applied) {
        agent->applied_seqno = agent->desired_seqno;
        agent->applied_generation = agent->desired_generation;
        free(agent->applied_epoch);
        agent->applied_epoch = xstrdup(agent->desired_epoch);
        agent_applied(agent);
    }
}

static void
agent_run(struct agent *agent)
{
    unsigned int idl_seqno;

    ovs_reconcile_run(agent->reconcile,
                      agent->have_desired ? &agent->desired : NULL,
                      agent->desired_seqno);
    if (!ovs_reconcile_has_data(agent->reconcile)) {
        return;
    }

    idl_seqno = ovsdb_idl_get_seqno(ovs_reconcile_get_idl(agent->reconcile));
    if (idl_seqno != agent->idl_seqno) {
        agent->idl_seqno = idl_seqno;
        bindings_update(&agent->bindings,
                        ovs_reconcile_get_idl(agent->reconcile),
                        binding_changed, agent);
        agent->bindings_known = true;
        agent->ofctrl_stale = true;
        agent->learned_dirty = true;
    }
    controller_send_all_bindings(agent);
    /* Never touch flows before the desired state is known. */
    bool ports_changed = false;
    if (agent->have_desired
        && (agent->ofctrl_stale
            || agent->ofctrl_seqno != agent->desired_seqno)) {
        agent->ofctrl_stale = false;
        update_ofctrl(agent);
        ports_changed = true;
    }
    ofctrl_run(agent->ofctrl);
    if (agent->have_desired) {
        lldp_run(agent->lldp, &agent->desired, agent->reconcile);
    }
    if (agent->have_desired && agent->applied_seqno == agent->desired_seqno) {
        /* Probes only while the flows that receive them are in place. */
        health_check_run(agent->health_check, &agent->desired,
                         agent->reconcile);
    }
    if (ports_changed) {
        /* A link or the desired state changed: a port may have another
         * uplink now. */
        teaming_notify_run(agent->notify, &agent->desired, agent->ofctrl,
                           agent->reconcile);
    }
    learned_run(agent->learned);
    if (learned_seqno(agent->learned) != agent->learned_seqno) {
        agent->learned_seqno = learned_seqno(agent->learned);
        agent->learned_dirty = true;
    }
    controller_send_learned(agent);
    controller_send_lacp(agent);
    controller_send_lldp(agent);
    controller_send_health_check(agent);
    controller_send_mirror_stats(agent);
    check_applied(agent);
    if (net_rollback_probe_due(&agent->rollback)) {
        controller_send_ack(agent, NULL);
    }
    if (net_rollback_expired(&agent->rollback)) {
        agent_network_rollback(agent);
    }
    agent_persist_run(agent, false);
}

static void
agent_wait(struct agent *agent)
{
    ovs_reconcile_wait(agent->reconcile);
    ofctrl_wait(agent->ofctrl);
    lldp_wait(agent->lldp);
    health_check_wait(agent->health_check);
    learned_wait(agent->learned);
    net_rollback_wait(&agent->rollback);
    poll_timer_wait_until(agent->persist_at);
}

/* Loads the known-good state of network rollback at start: the file that
 * holds it, else the state file's 'state'. */
static void
load_good_file(struct agent *agent, const struct dvs_host_state *state,
               uint64_t generation, const char *epoch)
{
    struct dvs_host_state good;
    uint64_t good_generation;
    char *good_epoch = NULL;
    char *name = good_file_name();
    struct stat s;

    dvs_host_state_init(&good);
    char *error = (stat(name, &s) && errno == ENOENT
                   ? xstrdup("no such file")
                   : state_file_read(name, &good, &good_generation,
                                     &good_epoch));
    if (!error) {
        net_rollback_set_good(&agent->rollback, &good, good_generation,
                              good_epoch);
    } else {
        VLOG_INFO("%s: %s: the state file's state is the known-good one",
                  name, error);
        net_rollback_set_good(&agent->rollback, state, generation, epoch);
    }
    free(error);
    free(good_epoch);
    free(name);
    dvs_host_state_destroy(&good);
}

/* Loads the state file at start, if there is one. */
static void
load_state_file(struct agent *agent)
{
    struct dvs_host_state state;
    uint64_t generation;
    char *epoch = NULL;
    char *error;
    struct stat s;

    if (stat(state_file, &s) && errno == ENOENT) {
        VLOG_INFO("%s: no state file: waiting for a desired state",
                  state_file);
        return;
    }

    dvs_host_state_init(&state);
    error = state_file_read(state_file, &state, &generation, &epoch);
    if (!error) {
        char *source = xasprintf("state file %s", state_file);
        error = agent_set_desired(agent, &state, generation, epoch, source);
        free(source);
        if (!error) {
            agent->persisted_seqno = agent->desired_seqno;
            load_good_file(agent, &state, generation, epoch);
        }
    } else {
        free(agent->state_error);
        agent->state_error = xasprintf("state file refused: %s", error);
    }
    if (error) {
        VLOG_WARN("%s: not applied: %s", state_file, error);
        free(error);
    }
    free(epoch);
    dvs_host_state_destroy(&state);
}

/* The controller connection: the OVS thread's side. */

enum {
    /* libuv -> OVS. */
    MSG_CONNECTED,              /* uint64_t: the connection's number. */
    MSG_DISCONNECTED,           /* No data. */
    MSG_RECEIVED,               /* Dvs__Envelope. */
    /* OVS -> libuv. */
    MSG_SEND,                   /* struct frame. */
};

/* A frame for the controller connection numbered 'session': a frame
 * meant for a connection that is gone (a Hello for a controller that
 * dropped us while it was being made) must not go to its successor. */
struct frame {
    uint8_t *data;
    size_t size;
    uint64_t session;
};

static void
frame_destroy(void *frame_)
{
    struct frame *frame = frame_;
    free(frame->data);
    free(frame);
}

static void
controller_send(struct agent *agent, const Dvs__Envelope *env)
{
    struct frame *frame = xmalloc(sizeof *frame);
    char *error = dvs_wire_encode(env, DVS_WIRE_DEFAULT_MAX_FRAME,
                                  &frame->data, &frame->size);
    if (error) {
        VLOG_ERR("cannot send %s: %s", dvs_wire_body_name(env->body_case),
                 error);
        free(error);
        free(frame);
        return;
    }
    frame->session = agent->session;
    dvs_mailbox_send_to_uv(agent->mailbox, MSG_SEND, frame, frame->size,
                           frame_destroy);
}

/* Acknowledges the applied generation, or with 'error', that the desired
 * generation was refused.  Only for generations of the controller's
 * current epoch: a state from the file or loaded by hand is not the
 * controller's to hear about. */
static void
controller_send_ack(struct agent *agent, const char *error)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Ack ack = DVS__ACK__INIT;
    const char *epoch = error ? agent->desired_epoch : agent->applied_epoch;

    if (!agent->mailbox || !agent->connected || !agent->controller_epoch
        || strcmp(epoch, agent->controller_epoch)) {
        return;
    }
    ack.generation = (error ? agent->desired_generation
                      : agent->applied_generation);
    ack.epoch = agent->controller_epoch;
    ack.error = CONST_CAST(char *, error);
    const struct net_rollback *rb = &agent->rollback;
    if (!error && rb->report_pending && rb->rolled_back_epoch
        && !strcmp(rb->rolled_back_epoch, ack.epoch)) {
        ack.has_rolled_back_generation = true;
        ack.rolled_back_generation = rb->rolled_back_generation;
        ack.rollback_reason = rb->reason;
    }
    env.body_case = DVS__ENVELOPE__BODY_ACK;
    env.ack = &ack;
    controller_send(agent, &env);
}

static void
binding_to_msg(const struct binding *b, Dvs__Binding *msg)
{
    dvs__binding__init(msg);
    msg->port = b->port;
    msg->bridge = b->bridge;
    msg->interface = b->iface;
    msg->has_ofport = b->ofport > 0;
    msg->ofport = b->ofport > 0 ? b->ofport : 0;
    msg->mac = b->mac;
    msg->has_up = true;
    msg->up = b->up;
}

static void
controller_send_binding(struct agent *agent, const struct binding *new,
                        const struct binding *old)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Bindings bindings = DVS__BINDINGS__INIT;
    Dvs__Binding binding, *list[1] = { &binding };

    if (!agent->mailbox || !agent->connected || agent->bindings_unsent) {
        /* The full bindings, when they go, include this change. */
        return;
    }
    if (new) {
        binding_to_msg(new, &binding);
    } else {
        dvs__binding__init(&binding);
        binding.port = old->port;
        binding.has_deleted = true;
        binding.deleted = true;
    }
    bindings.n_bindings = 1;
    bindings.bindings = list;
    env.body_case = DVS__ENVELOPE__BODY_BINDINGS;
    env.bindings = &bindings;
    controller_send(agent, &env);
}

/* Sends the full bindings that the controller waits for after its
 * HelloReply, once they are known: the controller computes the host's
 * first state with them, and full bindings sent before the agent has read
 * the OVS database (right after a restart) would say that the host has no
 * VMs at all. */
static void
controller_send_all_bindings(struct agent *agent)
{
    if (!agent->bindings_unsent || !agent->connected
        || !agent->bindings_known) {
        return;
    }
    agent->bindings_unsent = false;

    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Bindings bindings = DVS__BINDINGS__INIT;
    size_t n = hmap_count(&agent->bindings.map), i = 0;
    Dvs__Binding *msgs = xmalloc(n * sizeof *msgs);
    Dvs__Binding **list = xmalloc(n * sizeof *list);
    const struct binding *b;

    HMAP_FOR_EACH (b, node, &agent->bindings.map) {
        binding_to_msg(b, &msgs[i]);
        list[i] = &msgs[i];
        i++;
    }
    bindings.has_full = true;
    bindings.full = true;
    bindings.n_bindings = n;
    bindings.bindings = list;
    env.body_case = DVS__ENVELOPE__BODY_BINDINGS;
    env.bindings = &bindings;
    controller_send(agent, &env);
    free(list);
    free(msgs);
}

/* Returns the MACs that the bound ports learned, as "PORT SEGMENT MAC", in
 * 'macs'.  Returns false if a bridge has not been read yet. */
static bool
get_learned_macs(const struct agent *agent, struct sset *macs)
{
    struct sset entries = SSET_INITIALIZER(&entries);
    struct shash ports = SHASH_INITIALIZER(&ports);
    const struct binding *b;
    const char *entry;
    bool complete;

    /* Learned flows carry their port's cookie. */
    HMAP_FOR_EACH (b, node, &agent->bindings.map) {
        shash_add_nocopy(&ports,
                         xasprintf("%016"PRIx64, dvs_learn_cookie(b->port)),
                         b->port);
    }
    complete = learned_get(agent->learned, &entries);
    SSET_FOR_EACH (entry, &entries) {
        const char *space = strchr(entry, ' ');
        char *cookie = xmemdup0(entry, space - entry);
        const char *port = shash_find_data(&ports, cookie);

        if (port) {
            sset_add_and_free(macs, xasprintf("%s%s", port, space));
        }
        free(cookie);
    }
    shash_destroy(&ports);
    sset_destroy(&entries);
    return complete;
}

static Dvs__LearnedMac *
learned_mac_from_string(const char *s)
{
    Dvs__LearnedMac *m = xmalloc(sizeof *m);
    char port[256], mac[32];
    uint32_t segment;

    dvs__learned_mac__init(m);
    if (ovs_scan(s, "%255s %"SCNu32" %31s", port, &segment, mac)) {
        m->port = xstrdup(port);
        m->mac = xstrdup(mac);
        m->has_segment = true;
        m->segment = segment;
    } else {
        OVS_NOT_REACHED();
    }
    return m;
}

static void
learned_macs_free(Dvs__LearnedMac **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i]->port);
        free(list[i]->mac);
        free(list[i]);
    }
    free(list);
}

/* Reports to the controller the MACs that the ports learned or forgot
 * since the last report (all of them after connecting). */
static void
controller_send_learned(struct agent *agent)
{
    if (!agent->learned_dirty || !agent->mailbox || !agent->connected
        || agent->bindings_unsent || !agent->controller_learns) {
        return;
    }

    struct sset current = SSET_INITIALIZER(&current);
    if (!get_learned_macs(agent, &current)) {
        sset_destroy(&current);
        return;
    }
    agent->learned_dirty = false;

    Dvs__LearnedMacs msg = DVS__LEARNED_MACS__INIT;
    size_t n_learned = 0, n_forgotten = 0;
    const char *entry;

    msg.learned = xmalloc(sset_count(&current) * sizeof *msg.learned);
    SSET_FOR_EACH (entry, &current) {
        if (!sset_contains(&agent->learned_reported, entry)) {
            msg.learned[n_learned++] = learned_mac_from_string(entry);
        }
    }
    msg.forgotten = xmalloc(sset_count(&agent->learned_reported)
                            * sizeof *msg.forgotten);
    SSET_FOR_EACH (entry, &agent->learned_reported) {
        if (!sset_contains(&current, entry)) {
            msg.forgotten[n_forgotten++] = learned_mac_from_string(entry);
        }
    }
    msg.n_learned = n_learned;
    msg.n_forgotten = n_forgotten;
    if (n_learned || n_forgotten) {
        Dvs__Envelope env = DVS__ENVELOPE__INIT;

        env.body_case = DVS__ENVELOPE__BODY_LEARNED_MACS;
        env.learned_macs = &msg;
        controller_send(agent, &env);
    }
    learned_macs_free(msg.learned, n_learned);
    learned_macs_free(msg.forgotten, n_forgotten);
    sset_swap(&agent->learned_reported, &current);
    sset_destroy(&current);
}

/* Sends the LACP state of the host's LAGs when it changed since the last
 * report (every change of the Open vSwitch database or of the desired
 * state may change it), and logs the changes. */
static void
controller_send_lacp(struct agent *agent)
{
    struct ds summary = DS_EMPTY_INITIALIZER;
    Dvs__TeamingLacpReport *report;

    if (!agent->have_desired || !ovs_reconcile_has_data(agent->reconcile)) {
        return;
    }
    report = lacp_report_create(agent->reconcile,
                                &agent->desired, &summary);
    if (!agent->lacp_logged
        || strcmp(agent->lacp_logged, ds_cstr(&summary))) {
        for (size_t i = 0; i < report->n_lags; i++) {
            const Dvs__TeamingLacpLag *lag = report->lags[i];
            char *line = xasprintf("%s %s %s\n", lag->switch_name, lag->lag,
                                   lag->status);

            if (!agent->lacp_logged || !strstr(agent->lacp_logged, line)) {
                if (lag->carries_traffic) {
                    VLOG_INFO("%s: LAG %s: %s", lag->switch_name, lag->lag,
                              lag->status);
                } else {
                    VLOG_WARN("%s: LAG %s: %s", lag->switch_name, lag->lag,
                              lag->status);
                }
            }
            free(line);
        }
        free(agent->lacp_logged);
        agent->lacp_logged = xstrdup(ds_cstr(&summary));
    }
    if (agent->mailbox && agent->connected && !agent->bindings_unsent
        && (!agent->lacp_reported
            || strcmp(agent->lacp_reported, ds_cstr(&summary)))) {
        Dvs__Envelope env = DVS__ENVELOPE__INIT;

        env.body_case = DVS__ENVELOPE__BODY_LACP;
        env.lacp = report;
        controller_send(agent, &env);
        free(agent->lacp_reported);
        agent->lacp_reported = ds_steal_cstr(&summary);
    }
    lacp_report_free(report);
    ds_destroy(&summary);
}

/* Whether a report whose source is at 'seqno', last reported at
 * 'reported', goes to the controller now: it changed, and the controller is
 * connected, has our full bindings and takes it ('capable'). */
static bool
report_due(const struct agent *agent, uint64_t seqno, uint64_t reported,
           bool capable)
{
    return (seqno != reported && agent->mailbox && agent->connected
            && !agent->bindings_unsent && capable);
}

/* Reports the LLDP neighbours to the controller when they changed (and
 * once after connecting). */
static void
controller_send_lldp(struct agent *agent)
{
    uint64_t seqno = lldp_seqno(agent->lldp);

    if (!report_due(agent, seqno, agent->lldp_reported,
                    agent->controller_lldp)) {
        return;
    }

    Dvs__Envelope env = DVS__ENVELOPE__INIT;

    env.body_case = DVS__ENVELOPE__BODY_LLDP_NEIGHBORS;
    env.lldp_neighbors = lldp_get_neighbors(agent->lldp);
    controller_send(agent, &env);
    lldp_neighbors_free(env.lldp_neighbors);
    agent->lldp_reported = seqno;
}

/* Reports the health check results to the controller when they changed
 * (and once after connecting). */
static void
controller_send_health_check(struct agent *agent)
{
    uint64_t seqno = health_check_seqno(agent->health_check);

    if (!report_due(agent, seqno, agent->health_reported,
                    agent->controller_health)) {
        return;
    }

    Dvs__Envelope env = DVS__ENVELOPE__INIT;

    env.body_case = DVS__ENVELOPE__BODY_HEALTH_CHECK;
    env.health_check = health_check_get_results(agent->health_check);
    controller_send(agent, &env);
    health_check_results_free(env.health_check);
    agent->health_reported = seqno;
}

/* Reports the counters of the host's mirrors to the controller when they
 * changed since the last report. */
static void
controller_send_mirror_stats(struct agent *agent)
{
    if (!agent->mailbox || !agent->connected || agent->bindings_unsent
        || !agent->controller_mirrors) {
        return;
    }

    Dvs__MirrorStatistics msg;
    struct ds text = DS_EMPTY_INITIALIZER;

    mirrors_get_statistics(ovs_reconcile_get_idl(agent->reconcile), &msg);
    for (size_t i = 0; i < msg.n_mirrors; i++) {
        const Dvs__MirrorCounters *c = msg.mirrors[i];
        ds_put_format(&text, "%s/%s %"PRIu64" %"PRIu64"\n", c->bridge,
                      c->name, c->tx_packets, c->tx_bytes);
    }
    /* Nothing to say to a new controller about a host without mirrors. */
    if (agent->mirror_stats_sent
        ? strcmp(agent->mirror_stats_sent, ds_cstr(&text)) : text.length) {
        Dvs__Envelope env = DVS__ENVELOPE__INIT;

        env.body_case = DVS__ENVELOPE__BODY_MIRROR_STATISTICS;
        env.mirror_statistics = &msg;
        controller_send(agent, &env);
        free(agent->mirror_stats_sent);
        agent->mirror_stats_sent = ds_steal_cstr(&text);
    }
    ds_destroy(&text);
    mirrors_statistics_free(&msg);
}

static void
controller_hello(struct agent *agent)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Hello hello = DVS__HELLO__INIT;

    hello.protocol_version = DVS_PROTOCOL_VERSION;
    hello.host = host_name;
    hello.agent_version = CONST_CAST(char *, DVS_VERSION);
    if (agent->applied_seqno) {
        hello.has_applied_generation = true;
        hello.applied_generation = agent->applied_generation;
        hello.applied_epoch = agent->applied_epoch;
    }
    const struct net_rollback *rb = &agent->rollback;
    if (rb->report_pending) {
        hello.has_rolled_back_generation = true;
        hello.rolled_back_generation = rb->rolled_back_generation;
        hello.rolled_back_epoch = rb->rolled_back_epoch;
        hello.rollback_reason = rb->reason;
    }
    env.body_case = DVS__ENVELOPE__BODY_HELLO;
    env.hello = &hello;
    controller_send(agent, &env);
}

static void
controller_received(struct agent *agent, const Dvs__Envelope *env)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_HELLO_REPLY: {
        char *error = dvs_wire_check_version(
            env->hello_reply->protocol_version);
        if (error) {
            VLOG_ERR("controller: %s", error);
            free(error);
            break;
        }
        free(agent->controller_epoch);
        agent->controller_epoch = xstrdup(env->hello_reply->epoch);
        agent->connected = true;
        agent->bindings_unsent = true;
        agent->controller_learns = false;
        agent->controller_mirrors = false;
        agent->controller_confirms = false;
        agent->controller_lldp = false;
        agent->controller_health = false;
        for (size_t i = 0; i < env->hello_reply->n_capabilities; i++) {
            const char *capability = env->hello_reply->capabilities[i];
            if (!strcmp(capability, "learned-macs")) {
                agent->controller_learns = true;
            } else if (!strcmp(capability, "mirror-statistics")) {
                agent->controller_mirrors = true;
            } else if (!strcmp(capability, "confirm")) {
                agent->controller_confirms = true;
            } else if (!strcmp(capability, "lldp")) {
                agent->controller_lldp = true;
            } else if (!strcmp(capability, "health-check")) {
                agent->controller_health = true;
            }
        }
        /* Everything learned goes to this controller, after the full
         * bindings. */
        sset_clear(&agent->learned_reported);
        agent->learned_dirty = true;
        free(agent->lacp_reported);
        agent->lacp_reported = NULL;
        agent->lldp_reported = 0;
        agent->health_reported = 0;
        free(agent->mirror_stats_sent);
        agent->mirror_stats_sent = NULL;
        VLOG_INFO("controller connected (epoch %s)", agent->controller_epoch);
        controller_send_all_bindings(agent);
        break;
    }
    case DVS__ENVELOPE__BODY_STATE: {
        char *error = agent_apply_update(agent, env->state, "the controller");
        if (error) {
            controller_send_ack(agent, error);
            free(error);
        }
        break;
    }
    case DVS__ENVELOPE__BODY_CONFIRM:
        /* Only a state that is fully applied can be known-good. */
        if (agent->applied_seqno == agent->desired_seqno
            && net_rollback_confirmed(&agent->rollback, &agent->desired,
                                      agent->applied_generation,
                                      agent->applied_epoch,
                                      env->confirm->generation,
                                      env->confirm->epoch)) {
            agent_persist_good(agent);
        }
        break;
    case DVS__ENVELOPE__BODY_ERROR:
        VLOG_WARN("controller refused us: %s (%s)", env->error->message,
                  dvs_wire_error_code_name(env->error->code));
        break;
    case DVS__ENVELOPE__BODY_HEARTBEAT:
        break;
    case DVS__ENVELOPE__BODY_HELLO:
    case DVS__ENVELOPE__BODY_ACK:
    case DVS__ENVELOPE__BODY_BINDINGS:
    case DVS__ENVELOPE__BODY_STATUS:
    case DVS__ENVELOPE__BODY_STATISTICS:
    case DVS__ENVELOPE__BODY_MIRROR_STATISTICS:
    case DVS__ENVELOPE__BODY__NOT_SET:
    default:
        VLOG_WARN_RL(&rl, "controller sent unexpected %s",
                     dvs_wire_body_name(env->body_case));
        break;
    }
}

static void
controller_handle_mail(struct agent *agent)
{
    struct dvs_mailbox_msg *msg;

    while ((msg = dvs_mailbox_recv(agent->mailbox))) {
        switch (msg->type) {
        case MSG_CONNECTED:
            agent->session = *(uint64_t *) msg->data;
            controller_hello(agent);
            break;
        case MSG_DISCONNECTED:
            if (agent->connected) {
                VLOG_INFO("controller disconnected: forwarding goes on with "
                          "the applied state");
            }
            agent->connected = false;
            break;
        case MSG_RECEIVED:
            controller_received(agent, msg->data);
            break;
        default:
            OVS_NOT_REACHED();
        }
        dvs_mailbox_msg_destroy(msg);
    }
}

/* The controller connection: the libuv thread's side. */

struct uv_side {
    uv_loop_t loop;
    struct dvs_mailbox *mailbox;
    struct dvs_client *client;
    uint64_t session;           /* Number of the current connection. */
};

static void
client_connected(struct dvs_conn *conn OVS_UNUSED, void *uv_)
{
    struct uv_side *uv = uv_;
    uint64_t *session = xmalloc(sizeof *session);

    *session = ++uv->session;
    dvs_mailbox_send_to_ovs(uv->mailbox, MSG_CONNECTED, session, 0, free);
}

static void
client_received(struct dvs_conn *conn, Dvs__Envelope *env, void *uv_)
{
    struct uv_side *uv = uv_;

    if (env->body_case == DVS__ENVELOPE__BODY_HELLO_REPLY
        && env->hello_reply->has_heartbeat_interval_ms) {
        /* Both sides must use the controller's interval, or each would
         * drop the other for silence. */
        dvs_conn_set_heartbeat(conn, env->hello_reply->heartbeat_interval_ms);
    }
    if (!dvs_mailbox_send_to_ovs(uv->mailbox, MSG_RECEIVED, env,
                                 dvs__envelope__get_packed_size(env),
                                 dvs_wire_envelope_free)) {
        dvs_conn_close(conn, "agent overloaded");
    }
}

static void
client_closed(struct dvs_conn *conn OVS_UNUSED, const char *reason,
              void *uv_)
{
    struct uv_side *uv = uv_;

    VLOG_INFO("controller connection closed: %s", reason);
    dvs_mailbox_send_to_ovs(uv->mailbox, MSG_DISCONNECTED, NULL, 0, NULL);
}

static const struct dvs_conn_callbacks client_callbacks = {
    .connected = client_connected,
    .received = client_received,
    .closed = client_closed,
};

static void
uv_mail(struct dvs_mailbox *mb OVS_UNUSED, struct dvs_mailbox_msg *msg,
        void *uv_)
{
    struct uv_side *uv = uv_;
    struct dvs_conn *conn = dvs_client_get_conn(uv->client);
    struct frame *frame = msg->data;

    if (conn && dvs_conn_is_open(conn) && frame->session == uv->session) {
        dvs_conn_send_frame(conn, frame->data, frame->size);
        frame->data = NULL;     /* Taken by the connection. */
    }
    dvs_mailbox_msg_destroy(msg);
}

static void
uv_stopped(struct dvs_mailbox *mb, void *uv_)
{
    struct uv_side *uv = uv_;

    dvs_client_destroy(uv->client);
    uv->client = NULL;
    dvs_mailbox_close(mb);
}

struct loop_args {
    struct agent *agent;
    struct unixctl_server *unixctl;
};

/* The agent's loop: on the main thread without a controller, on the OVS
 * thread with one. */
static void
agent_loop(struct dvs_mailbox *mb, void *args_)
{
    struct loop_args *args = args_;
    struct agent *agent = args->agent;

    load_state_file(agent);
    while (!agent->exiting && !(mb && dvs_mailbox_should_exit(mb))) {
        if (mb) {
            controller_handle_mail(agent);
        }
        agent_run(agent);
        unixctl_server_run(args->unixctl);

        agent_wait(agent);
        unixctl_server_wait(args->unixctl);
        if (mb) {
            dvs_mailbox_wait(mb);
        }
        if (agent->exiting) {
            poll_immediate_wake();
        }
        poll_block();
        if (should_service_stop()) {
            agent->exiting = true;
        }
    }
    agent_persist_run(agent, true);
    if (mb) {
        dvs_mailbox_stop(mb);
    }
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct agent agent;
    int retval;

    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    daemonize_start(false);
    retval = unixctl_server_create(unixctl_path, &unixctl);
    if (retval) {
        exit(EXIT_FAILURE);
    }

    memset(&agent, 0, sizeof agent);
    dvs_host_state_init(&agent.desired);
    agent.desired_epoch = xstrdup("");
    agent.applied_epoch = xstrdup("");
    agent.reconcile = ovs_reconcile_create(ovs_db, datapath_type);
    bindings_init(&agent.bindings);
    agent.ofctrl = ofctrl_create();
    agent.learned = learned_create();
    agent.lldp = lldp_create(host_name, agent.ofctrl);
    agent.notify = teaming_notify_create();
    agent.health_check = health_check_create(host_name, agent.ofctrl);
    sset_init(&agent.learned_reported);
    sset_init(&agent.changed_groups);
    agent.persist_at = LLONG_MAX;
    net_rollback_init(&agent.rollback, rollback_timeout_ms);

    unixctl_command_register("exit", "", 0, 0, agent_exit, &agent.exiting);
    unixctl_command_register("dvs-agent/status", "", 0, 0, agent_status,
                             &agent);
    unixctl_command_register("dvs-agent/bindings", "", 0, 0,
                             agent_bindings, &agent);
    unixctl_command_register("dvs-agent/lacp-show", "", 0, 0,
                             agent_lacp_show, &agent);
    unixctl_command_register("dvs-agent/learned", "", 0, 0, agent_learned,
                             &agent);
    unixctl_command_register("dvs-agent/flows", "[BRIDGE]", 0, 1,
                             agent_flows, &agent);
    unixctl_command_register("dvs-agent/meters", "[BRIDGE]", 0, 1,
                             agent_meters, &agent);
    unixctl_command_register("dvs-agent/state", "", 0, 0, agent_state,
                             &agent);
    unixctl_command_register("dvs-agent/load-state", "FILE", 1, 1,
                             agent_load_state, &agent);
    unixctl_command_register("dvs-agent/resync", "[BRIDGE]", 0, 1,
                             agent_resync, &agent);
    unixctl_command_register("dvs-agent/lldp-neighbors", "[SWITCH]", 0, 1,
                             agent_lldp_neighbors, &agent);
    unixctl_command_register("dvs-agent/health-check-show", "[SWITCH]", 0, 1,
                             agent_health_check_show, &agent);

    daemonize_complete();
    VLOG_INFO("dvs-agent %s for host %s (Open vSwitch %s)", DVS_VERSION,
              host_name, VERSION);

    /* Before any other thread starts. */
    fatal_signal_add_hook(agent_fatal_signal_hook, NULL, &agent, false);

    struct loop_args args = { &agent, unixctl };
    if (!controllers) {
        agent_loop(NULL, &args);
    } else {
        struct uv_side uv;
        struct dvs_conn_options options;

        /* Everything that asserts a single thread comes first
         * (OVS-NOTES §4). */
        fatal_signal_init();
        memset(&uv, 0, sizeof uv);
        uv_loop_init(&uv.loop);
        const struct dvs_mailbox_callbacks mailbox_callbacks = {
            .received = uv_mail,
            .stopped = uv_stopped,
        };
        uv.mailbox = dvs_mailbox_create(&uv.loop, &mailbox_callbacks, &uv,
                                        256u * 1024 * 1024);
        agent.mailbox = uv.mailbox;
        dvs_conn_options_init(&options);
        options.tls = tls;
        char *error = dvs_client_create(&uv.loop, controllers, &options,
                                        &client_callbacks, &uv, &uv.client);
        if (error) {
            VLOG_FATAL("--controller: %s", error);
        }
        dvs_mailbox_start(uv.mailbox, "dvs_ovs", agent_loop, &args);
        uv_run(&uv.loop, UV_RUN_DEFAULT);
        uv_loop_close(&uv.loop);
    }

    /* The flows and the bridges stay: the host keeps forwarding. */
    unixctl_server_destroy(unixctl);
    lldp_destroy(agent.lldp);
    teaming_notify_destroy(agent.notify);
    health_check_destroy(agent.health_check);
    ofctrl_destroy(agent.ofctrl);
    learned_destroy(agent.learned);
    sset_destroy(&agent.learned_reported);
    free(agent.lacp_reported);
    free(agent.lacp_logged);
    free(agent.mirror_stats_sent);
    sset_destroy(&agent.changed_groups);
    bindings_destroy(&agent.bindings);
    ovs_reconcile_destroy(agent.reconcile);
    dvs_host_state_destroy(&agent.desired);
    net_rollback_destroy(&agent.rollback);
    free(agent.desired_epoch);
    free(agent.desired_source);
    free(agent.applied_epoch);
    free(agent.state_error);
    free(agent.file_error);
    free(agent.controller_epoch);
    service_stop();
    return 0;
}

/* unixctl commands. */

static void
agent_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
agent_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "host: %s\n", host_name);
    ds_put_format(&s, "controller: %s%s\n",
                  controllers ? controllers : "none",
                  !controllers ? "" : agent->connected ? " (connected)"
                                                       : " (not connected)");
    ds_put_format(&s, "state file: %s\n", state_file);
    net_rollback_format_status(&agent->rollback, &s);
    if (agent->connected && !agent->controller_confirms
        && agent->rollback.timeout_ms) {
        ds_put_cstr(&s, "network rollback: inactive (the controller does "
                    "not confirm)\n");
    }
    ovs_reconcile_format_status(agent->reconcile, &s);
    if (agent->have_desired) {
        ds_put_format(&s, "desired: generation %"PRIu64" (epoch \"%s\") "
                      "from %s\n", agent->desired_generation,
                      agent->desired_epoch, agent->desired_source);
    } else {
        ds_put_cstr(&s, "desired: none yet\n");
    }
    if (agent->applied_seqno) {
        ds_put_format(&s, "applied: generation %"PRIu64" (epoch \"%s\")%s\n",
                      agent->applied_generation, agent->applied_epoch,
                      agent->applied_seqno == agent->desired_seqno
                      ? "" : ", applying a newer state");
    } else {
        ds_put_cstr(&s, "applied: nothing yet\n");
    }
    if (agent->state_error) {
        ds_put_format(&s, "error: %s\n", agent->state_error);
    }
    if (agent->file_error) {
        ds_put_format(&s, "error: %s\n", agent->file_error);
    }
    ofctrl_format_status(agent->ofctrl, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
agent_bindings(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    bindings_format(&agent->bindings, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* dvs-agent/lacp-show: the LAGs of the bridges in the desired state, in
 * bridge name order, and their LACP state. */
static void
agent_lacp_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct sset names = SSET_INITIALIZER(&names);
    const struct dvs_bridge *br;
    const char **sorted;

    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, &agent->desired) {
        sset_add(&names, br->name);
    }
    sorted = sset_sort(&names);
    for (size_t i = 0; i < sset_count(&names); i++) {
        lacp_format_bridge(agent->reconcile,
                           dvs_host_state_find_bridge(&agent->desired,
                                                      sorted[i]),
                           &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    free(sorted);
    ds_destroy(&s);
    sset_destroy(&names);
}

static void
agent_learned(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *agent_)
{
    struct agent *agent = agent_;
    struct sset macs = SSET_INITIALIZER(&macs);
    struct ds s = DS_EMPTY_INITIALIZER;
    const char **sorted;

    get_learned_macs(agent, &macs);
    sorted = sset_sort(&macs);
    for (size_t i = 0; i < sset_count(&macs); i++) {
        ds_put_format(&s, "%s\n", sorted[i]);
    }
    free(sorted);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
    sset_destroy(&macs);
}

static void
agent_flows(struct unixctl_conn *conn, int argc, const char *argv[],
            void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!ofctrl_format_flows(agent->ofctrl, argc > 1 ? argv[1] : NULL,
                             &s)) {
        unixctl_command_reply_error(conn, "no such bridge");
    } else {
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    ds_destroy(&s);
}

static void
agent_meters(struct unixctl_conn *conn, int argc, const char *argv[],
             void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!ofctrl_format_meters(agent->ofctrl, argc > 1 ? argv[1] : NULL,
                              &s)) {
        unixctl_command_reply_error(conn, "no such bridge");
    } else {
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    ds_destroy(&s);
}

static void
agent_state(struct unixctl_conn *conn, int argc OVS_UNUSED,
            const char *argv[] OVS_UNUSED, void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (agent->have_desired) {
        ds_put_format(&s, "generation %"PRIu64" epoch \"%s\"\n",
                      agent->desired_generation, agent->desired_epoch);
        dvs_host_state_format(&agent->desired, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
agent_load_state(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[], void *agent_)
{
    struct agent *agent = agent_;
    struct dvs_host_state state;
    uint64_t generation;
    char *epoch = NULL;
    char *error;

    dvs_host_state_init(&state);
    error = state_file_read(argv[1], &state, &generation, &epoch);
    if (!error) {
        char *source = xasprintf("load-state %s", argv[1]);
        error = agent_set_desired(agent, &state, generation, epoch, source);
        free(source);
    } else {
        free(agent->state_error);
        agent->state_error = xasprintf("load-state refused: %s", error);
    }
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        char *reply = xasprintf("loaded generation %"PRIu64, generation);
        unixctl_command_reply(conn, reply);
        free(reply);
    }
    free(epoch);
    dvs_host_state_destroy(&state);
}

static void
agent_resync(struct unixctl_conn *conn, int argc, const char *argv[],
             void *agent_)
{
    struct agent *agent = agent_;

    if (!ofctrl_resync(agent->ofctrl, argc > 1 ? argv[1] : NULL)) {
        unixctl_command_reply_error(conn, "no such bridge");
    } else {
        poll_immediate_wake();
        unixctl_command_reply(conn, NULL);
    }
}

static void
agent_lldp_neighbors(struct unixctl_conn *conn, int argc, const char *argv[],
                     void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1 && !dvs_host_state_find_bridge(&agent->desired, argv[1])) {
        unixctl_command_reply_error(conn, "no such switch");
        return;
    }
    lldp_format(agent->lldp, argc > 1 ? argv[1] : NULL, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
agent_health_check_show(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *agent_)
{
    struct agent *agent = agent_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (argc > 1 && !dvs_host_state_find_bridge(&agent->desired, argv[1])) {
        unixctl_command_reply_error(conn, "no such switch");
        return;
    }
    health_check_format(agent->health_check, argc > 1 ? argv[1] : NULL, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Options. */

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_HOST = UCHAR_MAX + 1,
        OPT_OVS_DB,
        OPT_DATAPATH_TYPE,
        OPT_STATE_FILE,
        OPT_CONTROLLER,
        OPT_UNIXCTL,
        SSL_OPTION_ENUMS,
        OPT_ROLLBACK_TIMEOUT,
        OPT_ENABLE_TIME_WARP,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"host", required_argument, NULL, OPT_HOST},
        {"ovs-db", required_argument, NULL, OPT_OVS_DB},
        {"datapath-type", required_argument, NULL, OPT_DATAPATH_TYPE},
        {"state-file", required_argument, NULL, OPT_STATE_FILE},
        {"controller", required_argument, NULL, OPT_CONTROLLER},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        STREAM_SSL_LONG_OPTIONS,
        {"rollback-timeout", required_argument, NULL, OPT_ROLLBACK_TIMEOUT},
        {"enable-time-warp", no_argument, NULL, OPT_ENABLE_TIME_WARP},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_HOST:
            host_name = optarg;
            break;

        case OPT_OVS_DB:
            ovs_db = optarg;
            break;

        case OPT_DATAPATH_TYPE:
            datapath_type = optarg;
            break;

        case OPT_STATE_FILE:
            state_file = optarg;
            break;

        case OPT_CONTROLLER: {
            /* Checked here, before --detach hides errors from the caller. */
            char *copy = xstrdup(optarg), *save = NULL, *target;
            for (target = strtok_r(copy, ",", &save); target;
                 target = strtok_r(NULL, ",", &save)) {
                struct sockaddr_storage ss;
                char *error = dvs_conn_parse_active(target, &ss);
                if (error) {
                    ovs_fatal(0, "--controller: %s", error);
                }
            }
            free(copy);
            controllers = optarg;
            break;
        }

        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;

        DVS_TLS_OPTION_HANDLERS(&tls_files)
        case OPT_ROLLBACK_TIMEOUT: {
            /* Seconds, as VDS's setting; a fraction is allowed (tests). */
            char *end;
            double secs = strtod(optarg, &end);
            if (end == optarg || *end || !(secs >= 0) || secs > 86400) {
                ovs_fatal(0, "--rollback-timeout: \"%s\" is not valid "
                          "(accepted: seconds from 0, which disables "
                          "automatic network rollback, to 86400)", optarg);
            }
            rollback_timeout_ms = secs * 1000 + 0.5;
            break;
        }

        case OPT_ENABLE_TIME_WARP:
            /* For tests: "ovs-appctl time/warp" moves the agent's timers
             * (LLDP, health check) as it does ovs-vswitchd's. */
            timeval_dummy_register();
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
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    if (optind < argc) {
        ovs_fatal(0, "%s: no arguments expected (see --help)", argv[optind]);
    }
    /* Loaded before --detach, so that a bad file is reported. */
    char *tls_error = dvs_tls_ctx_from_files(&tls_files, false, &tls);
    if (tls_error) {
        ovs_fatal(0, "%s", tls_error);
    }
    if (controllers && strstr(controllers, "ssl:") && !tls) {
        ovs_fatal(0, "--controller=%s: ssl: needs --private-key, "
                  "--certificate and --ca-cert", controllers);
    }
    if (!host_name || !host_name[0]) {
        ovs_fatal(0, "--host=NAME is required (the host's name in the "
                  "configuration database)");
    }
    ovs_db = ovs_db ? xstrdup(ovs_db)
                    : xasprintf("unix:%s/db.sock", ovs_rundir());
    datapath_type = xstrdup(datapath_type ? datapath_type : "");
    state_file = state_file ? xstrdup(state_file)
                            : xasprintf("%s/dvs-agent.state", ovs_rundir());
}

static void
usage(void)
{
    printf("%s: the ovs-dvs host agent\n"
           "usage: %s [OPTIONS] --host=NAME\n"
           "\n"
           "Makes the local Open vSwitch match the desired state that "
           "dvs-controller\ncomputes for this host.\n"
           "\n"
           "Options:\n"
           "  --host=NAME             this host's name in the configuration "
           "(required)\n"
           "  --controller=LIST       dvs-controller(s), e.g. "
           "tcp:IP:6655[,ssl:IP:6655]\n"
           "  --private-key=FILE      this host's private key (ssl:)\n"
           "  --certificate=FILE      its certificate, CN = host name\n"
           "  --ca-cert=FILE          CA certificate of the controller\n"
           "  --ovs-db=REMOTE         local Open vSwitch database (default: "
           "unix:%s/db.sock)\n"
           "  --datapath-type=TYPE    datapath type of the agent's bridges "
           "(default: system)\n"
           "  --state-file=FILE       last applied state, FILE.good the "
           "known-good one\n"
           "                          (default: %s/dvs-agent.state)\n"
           "  --rollback-timeout=SECS roll back a state that cuts the host "
           "off from the\n"
           "                          controller after SECS (default: %d; 0: "
           "never)\n"
           "  --enable-time-warp      let \"ovs-appctl time/warp\" move the "
           "timers (tests)\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, ovs_rundir(), ovs_rundir(),
           NET_ROLLBACK_DEFAULT_TIMEOUT_MS / 1000);
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}
