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
#include "agent/ofctrl.h"
#include "agent/meters.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "byte-order.h"
#include "coverage.h"
#include "dirs.h"
#include "hash.h"
#include "lib/dvs-sort.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-bundle.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "openvswitch/shash.h"
#include "simap.h"
#include "socket-util.h"
#include "sset.h"
#include "svec.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(ofctrl);

COVERAGE_DEFINE(ofctrl_bundle);
COVERAGE_DEFINE(ofctrl_bundle_failed);
COVERAGE_DEFINE(ofctrl_dump);
COVERAGE_DEFINE(ofctrl_flow_add);
COVERAGE_DEFINE(ofctrl_flow_delete);
COVERAGE_DEFINE(ofctrl_flow_modify);
COVERAGE_DEFINE(ofctrl_group_compute);
COVERAGE_DEFINE(ofctrl_packet_in);
COVERAGE_DEFINE(ofctrl_packet_in_dropped);
COVERAGE_DEFINE(ofctrl_packet_out);

/* Messages handled per bridge per run, so that one busy bridge does not
 * starve the rest of the main loop. */
#define MAX_RECV_PER_RUN 50

/* How often the meters' statistics are read, in ms. */
#define METER_STATS_INTERVAL 1000

/* After a bundle fails without naming the flow at fault, wait this long
 * (doubling up to the maximum) before trying again. */
#define MIN_BACKOFF_MSEC 1000
#define MAX_BACKOFF_MSEC 30000

/* The reconnection backoff of the management connections: they are local,
 * so that a restarted ovs-vswitchd gets its flows back quickly. */
#define RCONN_MAX_BACKOFF 2

/* Packet-outs queued on a connection at most: beyond, they are dropped
 * (EAGAIN), so that a slow switch does not make the queue grow without
 * bound. */
#define MAX_QUEUED_PACKET_OUTS 1000

#define COOKIE_MASK htonll(UINT64_C(0xff) << 56)
#define COOKIE_VALUE htonll((uint64_t) OFCTRL_COOKIE_MAGIC << 56)

/* One OpenFlow flow, desired or installed. */
struct of_flow {
    struct hmap_node node;      /* In a bridge's 'desired' or 'installed'. */
    uint8_t table_id;
    uint16_t priority;
    struct minimatch match;
    struct ofpact *ofpacts;
    size_t ofpacts_len;
    char *actions;              /* 'ofpacts' formatted, to compare. */
    ovs_be64 cookie;
    uint16_t idle_timeout;
    uint16_t hard_timeout;

    /* Desired flows only. */
    char *group;                /* Key of the flow group it comes from. */
    char *text;                 /* Its text with the ports resolved. */
};

/* The desired flows of one flow group on a bridge, as last computed: the
 * unit of recomputation.  A change to the group, or to a port that its
 * flows name, recomputes the group and nothing else. */
struct desired_group {
    struct hmap_node node;      /* In a bridge's 'groups', by key. */
    char *key;
    struct of_flow **flows;     /* Its flows, in the bridge's 'desired'. */
    size_t n_flows, allocated_flows;
    struct sset symbols;        /* Port symbols its flows name ("uplink"). */
    struct svec waiting;        /* Its flows that wait for a port. */
    struct svec problems;       /* Its flows that cannot be installed. */
    struct shash refused;       /* Flow text -> why the switch refused it. */
    bool conflicts;             /* A flow clashed with another one. */
};

/* A change in a bundle. */
enum flow_op_type {
    OP_ADD,                     /* New flow, or replacement (cookie). */
    OP_MODIFY,                  /* Same flow, other actions. */
    OP_DELETE,
};

struct flow_op {
    struct ovs_list list_node;  /* In a bridge's 'ops'. */
    enum flow_op_type type;
    struct of_flow *flow;       /* The desired flow, or the one to delete. */
    ovs_be32 xid;               /* Of its flow_mod. */
};

enum ofctrl_state {
    S_DISCONNECTED,             /* Not connected to the switch. */
    S_DUMPING,                  /* Reading the installed flows. */
    S_IDLE,                     /* Installed flows known, no bundle. */
    S_BUNDLE,                   /* Waiting for a bundle's barrier. */
};

struct ofctrl_bridge {
    struct hmap_node node;      /* In struct ofctrl's 'bridges'. */
    struct ofctrl *ofctrl;
    char *name;
    struct rconn *rconn;
    struct rconn_packet_counter *packet_outs;  /* Queued packet-outs. */
    unsigned int conn_seqno;
    enum ofctrl_state state;

    /* Desired flows. */
    bool have_desired;
    uint64_t desired_seqno;
    struct simap ports;         /* Symbol ("uplink", "port:vm1") -> ofport. */
    struct hmap desired;        /* Contains "struct of_flow"s. */
    struct hmap groups;         /* Contains "struct desired_group"s. */
    struct shash symbol_groups; /* Symbol -> "struct sset" of group keys. */
    struct shash parsed;        /* Flow text -> "struct of_flow *" that
                                 * ofctrl_check_state() parsed, for the
                                 * next ofctrl_set_desired() to take. */
    size_t n_waiting;           /* Flows that wait for a port. */
    size_t n_problems;          /* Flows that cannot be installed. */
    size_t n_conflicts;         /* Groups with clashing flows. */
    bool dirty;                 /* Desired or installed flows changed. */

    /* What the next bundle must compare: every flow ('dirty_all'), or the
     * flows (by table, priority and match) whose desired version changed
     * since the last bundle. */
    bool dirty_all;
    struct hmap dirty_flows;    /* Contains "struct of_flow"s. */

    /* Installed flows (S_IDLE and S_BUNDLE), and those being read. */
    struct hmap installed;      /* Contains "struct of_flow"s. */
    struct hmap dump;           /* Contains "struct of_flow"s. */
    ovs_be32 dump_xid;

    /* The bundle in flight (S_BUNDLE). */
    struct ovs_list ops;        /* Contains "struct flow_op"s. */
    uint32_t first_xid, last_xid;       /* Range of its messages' xids. */
    ovs_be32 barrier_xid;
    uint64_t bundle_seqno;      /* Desired seqno it installs. */
    bool bundle_failed;
    bool bundle_culprit;        /* A refused flow was left out. */
    bool resync_requested;      /* Read the flows again after the bundle. */
    uint32_t next_bundle_id;

    uint64_t applied_seqno;     /* Desired seqno known installed. */
    long long int retry_at;     /* No bundle before this time. */
    int backoff;
    char *last_error;

    /* Meters (traffic shaping) that the desired flows use, and when to
     * read their statistics next. */
    struct meters *meters;
    long long int next_meter_stats;

    /* Statistics. */
    size_t n_add, n_modify, n_delete;   /* In the last bundle. */
    unsigned long long int n_bundles;
    unsigned long long int n_flow_mods;
    unsigned long long int n_resyncs;
};

/* Who gets the packet-ins of one purpose. */
struct packet_handler {
    ofctrl_packet_handler *cb;
    void *aux;
};

struct ofctrl {
    struct hmap bridges;        /* Contains "struct ofctrl_bridge"s. */
    struct packet_handler handlers[256];        /* By purpose. */
};

static void ofctrl_bridge_destroy(struct ofctrl_bridge *);
static void start_dump(struct ofctrl_bridge *);
static void desired_groups_clear(struct ofctrl_bridge *);

/* Flows. */

static uint32_t
of_flow_hash(const struct of_flow *f)
{
    return minimatch_hash(&f->match, hash_2words(f->table_id, f->priority));
}

static void
of_flow_destroy(struct of_flow *f)
{
    if (f) {
        minimatch_destroy(&f->match);
        free(f->ofpacts);
        free(f->actions);
        free(f->group);
        free(f->text);
        free(f);
    }
}

static struct of_flow *
of_flow_clone(const struct of_flow *src)
{
    struct of_flow *f = xzalloc(sizeof *f);

    f->table_id = src->table_id;
    f->priority = src->priority;
    minimatch_clone(&f->match, &src->match);
    f->ofpacts = xmemdup(src->ofpacts, src->ofpacts_len);
    f->ofpacts_len = src->ofpacts_len;
    f->actions = xstrdup(src->actions);
    f->cookie = src->cookie;
    f->idle_timeout = src->idle_timeout;
    f->hard_timeout = src->hard_timeout;
    f->group = nullable_xstrdup(src->group);
    f->text = nullable_xstrdup(src->text);
    return f;
}

/* Finds the flow in 'flows' with the table, priority and match of
 * 'target'. */
static struct of_flow *
of_flow_find(const struct hmap *flows, const struct of_flow *target)
{
    struct of_flow *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, of_flow_hash(target), flows) {
        if (f->table_id == target->table_id
            && f->priority == target->priority
            && minimatch_equal(&f->match, &target->match)) {
            return f;
        }
    }
    return NULL;
}

static void
of_flows_clear(struct hmap *flows)
{
    struct of_flow *f;

    HMAP_FOR_EACH_POP (f, node, flows) {
        of_flow_destroy(f);
    }
}

/* Sets the actions of 'f' to a copy of the 'len' bytes at 'ofpacts'. */
static void
of_flow_set_actions(struct of_flow *f, const struct ofpact *ofpacts,
                    size_t len)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fp = { .s = &s };

    f->ofpacts = xmemdup(ofpacts, len);
    f->ofpacts_len = len;
    if (len) {
        ofpacts_format(ofpacts, len, &fp);
    } else {
        ds_put_cstr(&s, "drop");
    }
    f->actions = ds_steal_cstr(&s);
}

/* Compares actions as text, as "ovs-ofctl replace-flows" does: decoded
 * actions carry details that do not survive a trip through the switch
 * (the 'raw' encoding of set_field, for one) and do not matter. */
static bool
of_flow_actions_equal(const struct of_flow *a, const struct of_flow *b)
{
    return !strcmp(a->actions, b->actions);
}

/* Whether 'a' and 'b' differ in what a modify cannot change. */
static bool
of_flow_attrs_differ(const struct of_flow *a, const struct of_flow *b)
{
    return (a->cookie != b->cookie
            || a->idle_timeout != b->idle_timeout
            || a->hard_timeout != b->hard_timeout);
}

/* Appends 'f' to 's' in the format of ovs-ofctl dump-flows, without
 * statistics. */
static void
of_flow_format(const struct of_flow *f, bool cookie, struct ds *s)
{
    if (cookie) {
        ds_put_format(s, "cookie=0x%"PRIx64", ", ntohll(f->cookie));
    }
    ds_put_format(s, "table=%"PRIu8", ", f->table_id);
    minimatch_format(&f->match, NULL, NULL, s, f->priority);
    if (s->length && s->string[s->length - 1] != ' ') {
        ds_put_char(s, ' ');
    }
    ds_put_format(s, "actions=%s", f->actions);
}

/* Cookies. */

/* Returns the cookie of the flows of group 'key'. */
ovs_be64
ofctrl_group_cookie(const char *key)
{
    uint64_t h = ((uint64_t) hash_string(key, 0) << 32
                  | hash_string(key, 0x9e3779b9));

    return htonll((uint64_t) OFCTRL_COOKIE_MAGIC << 56
                  | (h & UINT64_C(0x00ffffffffffffff)));
}

/* Symbolic ports. */

static bool
is_port_symbol(const char *name)
{
    return (!strcmp(name, "uplink") || !strcmp(name, "vxlan")
            || !strcmp(name, "erspan") || !strcmp(name, "gre")
            || (!strncmp(name, "port:", 5) && name[5])
            || (!strncmp(name, "uplink:", 7) && name[7])
            || (!strncmp(name, "mirror:", 7) && name[7]));
}

/* Appends the 'len' bytes at 's' to 'out' with each symbol resolved with
 * 'ports', or with a placeholder port if 'ports' is NULL.  On the first
 * symbol that 'ports' lacks, stores it in '*missing' (to free) if that is
 * still NULL.  Adds each port symbol to 'used', if nonnull.  Returns NULL,
 * or a malloc()'d error for a malformed or unknown symbol. */
static char *
resolve_symbols(const char *s, size_t len, const struct simap *ports,
                struct meters *meters, struct ds *out, char **missing,
                struct sset *used)
{
    const char *end = s + len;

    while (s < end) {
        const char *dollar = s;
        const char *close;
        char *name;

        while (dollar + 1 < end && !(dollar[0] == '$' && dollar[1] == '{')) {
            dollar++;
        }
        if (dollar + 1 >= end) {
            ds_put_buffer(out, s, end - s);
            break;
        }
        ds_put_buffer(out, s, dollar - s);
        close = memchr(dollar + 2, '}', end - (dollar + 2));
        if (!close) {
            return xasprintf("\"%.*s\": \"${\" without \"}\"",
                             (int) (end - dollar), dollar);
        }
        name = xmemdup0(dollar + 2, close - (dollar + 2));
        if (!strcmp(name, "local")) {
            ds_put_cstr(out, "LOCAL");
        } else if (meters_is_symbol(name)) {
            /* A meter: its ID, the meter made first (agent/meters.c). */
            uint32_t id = 1;
            char *error = meters ? meters_resolve(meters, name, &id)
                                 : meters_check(name);
            if (error) {
                free(name);
                return error;
            }
            if (used) {
                sset_add(used, name);
            }
            ds_put_format(out, "%"PRIu32, id);
        } else if (is_port_symbol(name)) {
            const struct simap_node *node = ports ? simap_find(ports, name)
                                                  : NULL;
            if (used) {
                sset_add(used, name);
            }
            if (!ports) {
                ds_put_cstr(out, "1");
            } else if (node) {
                ds_put_format(out, "%u", node->data);
            } else {
                if (!*missing) {
                    *missing = xasprintf("${%s}", name);
                }
                ds_put_cstr(out, "NONE");
            }
        } else {
            char *error = xasprintf("unknown symbol \"${%s}\" (use ${local}, "
                                    "${uplink}, ${uplink:NAME}, ${vxlan}, "
                                    "${erspan}, ${gre}, ${port:NAME}, "
                                    "${mirror:NAME} or ${meter:...})", name);
            free(name);
            return error;
        }
        free(name);
        s = close + 1;
    }
    return NULL;
}

/* Whether action 'a' (trimmed) only outputs to a symbolic port, so that it
 * can be left out when the port is missing.  A clone() counts as an
 * output: it changes nothing for the actions after it. */
static bool
is_output_to_symbol(const char *a, size_t len)
{
    const char *close;

    if (len > 7 && !strncmp(a, "clone(", 6) && a[len - 1] == ')') {
        return true;
    }
    if (len > 7 && !strncmp(a, "output:", 7)) {
        a += 7;
        len -= 7;
    }
    if (len < 4 || strncmp(a, "${", 2)) {
        return false;
    }
    close = memchr(a, '}', len);
    return close == a + len - 1;
}

/* Appends to 'out' bundle() or bundle_load() action 'a' (of 'len' bytes)
 * with the symbols of its member list resolved with 'ports' (placeholders
 * if NULL), leaving out the members that 'ports' lacks: the action then
 * chooses among the uplinks the host has, and none if it has none.  Adds
 * the member symbols to 'used', if nonnull.  Returns NULL, or a malloc()'d
 * error. */
static char *
resolve_bundle_action(const char *a, size_t len, const struct simap *ports,
                      struct meters *meters, struct ds *out,
                      struct sset *used)
{
    const char *end = a + len;
    const char *members = memmem(a, len, "members:", 8);
    const char *close = end > a && end[-1] == ')' ? end - 1 : NULL;
    const char *p;
    size_t n = 0;

    if (!members || !close || members > close) {
        char *missing = NULL;
        char *error = resolve_symbols(a, len, ports, meters, out, &missing,
                                      used);
        free(missing);
        return error;
    }
    members += 8;
    ds_put_buffer(out, a, members - a);
    for (p = members; p < close; ) {
        const char *comma = memchr(p, ',', close - p);
        const char *m_end = comma ? comma : close;
        char *missing = NULL;
        struct ds member = DS_EMPTY_INITIALIZER;
        char *error = resolve_symbols(p, m_end - p, ports, meters, &member,
                                      &missing, used);

        if (error) {
            ds_destroy(&member);
            return error;
        }
        if (!missing && member.length) {
            ds_put_format(out, "%s%s", n++ ? "," : "", ds_cstr(&member));
        }
        free(missing);
        ds_destroy(&member);
        p = m_end + 1;
    }
    ds_put_char(out, ')');
    return NULL;
}

/* Composes in 'text' the ovs-ofctl text of 'flow' with its ports resolved
 * with 'ports' (placeholders if NULL).  If the match names a missing port,
 * or an action other than an output does, stores the first such symbol in
 * '*missing' (to free).  Outputs to missing ports are left out.  Adds the
 * port symbols that decide the result to 'used', if nonnull.  Returns NULL
 * or a malloc()'d error. */
static char *
resolve_flow(const struct dvs_flow *flow, const struct simap *ports,
             struct meters *meters, struct ds *text, char **missing,
             struct sset *used)
{
    const char *p, *start;
    size_t n_kept = 0;
    int depth = 0;
    char *error;

    *missing = NULL;
    ds_clear(text);
    ds_put_format(text, "table=%"PRIu8",priority=%"PRIu16,
                  flow->table, flow->priority);
    if (flow->match && flow->match[strspn(flow->match, " \t")]) {
        ds_put_char(text, ',');
        error = resolve_symbols(flow->match, strlen(flow->match), ports,
                                meters, text, missing, used);
        if (error || *missing) {
            return error;
        }
    }
    ds_put_cstr(text, ",actions=");

    /* The actions, one by one: commas inside parentheses, as in learn(),
     * do not separate actions. */
    start = flow->actions;
    for (p = flow->actions; ; p++) {
        if (*p == '(') {
            depth++;
        } else if (*p == ')' && depth > 0) {
            depth--;
        } else if ((*p == ',' && !depth) || !*p) {
            const char *a = start, *e = p;
            char *action_missing = NULL;
            struct ds action = DS_EMPTY_INITIALIZER;

            while (a < e && (*a == ' ' || *a == '\t')) {
                a++;
            }
            while (e > a && (*(e - 1) == ' ' || *(e - 1) == '\t')) {
                e--;
            }
            if (a < e) {
                error = (!strncmp(a, "bundle", 6)
                         ? resolve_bundle_action(a, e - a, ports, meters,
                                                 &action, used)
                         : resolve_symbols(a, e - a, ports, meters, &action,
                                           &action_missing, used));
                if (error) {
                    ds_destroy(&action);
                    return error;
                }
                if (action_missing) {
                    if (!is_output_to_symbol(a, e - a)) {
                        *missing = action_missing;
                        ds_destroy(&action);
                        return NULL;
                    }
                    free(action_missing);
                } else {
                    if (n_kept++) {
                        ds_put_char(text, ',');
                    }
                    ds_put_buffer(text, action.string, action.length);
                }
            }
            ds_destroy(&action);
            if (!*p) {
                break;
            }
            start = p + 1;
        }
    }
    if (!n_kept) {
        ds_put_cstr(text, "drop");
    }
    return NULL;
}

/* Parses 'text' into a flow as the switch will store it: the flow_mod is
 * encoded in OpenFlow 1.5 and decoded again, so that the flow compares
 * equal to what a flow stats reply returns.  Returns NULL and stores the
 * flow in '*flowp', or returns a malloc()'d error. */
static char *
parse_flow(const char *text, struct of_flow **flowp)
{
    enum ofputil_protocol usable_protocols;
    struct ofputil_flow_mod fm, fm2;
    struct ofpbuf *msg;
    struct ofpbuf ofpacts;
    enum ofperr ofperr;
    struct of_flow *f;
    char *error;

    *flowp = NULL;
    error = parse_ofp_str(&fm, OFPFC_ADD, text, NULL, NULL,
                          &usable_protocols);
    if (error) {
        return error;
    }
    if (!(usable_protocols & OFPUTIL_P_OF15_OXM)) {
        minimatch_destroy(&fm.match);
        free(fm.ofpacts);
        return xstrdup("cannot be expressed in OpenFlow 1.5");
    }
    fm.new_cookie = htonll(0);
    fm.cookie = htonll(0);
    fm.cookie_mask = htonll(0);
    fm.buffer_id = UINT32_MAX;
    fm.out_port = OFPP_ANY;
    fm.out_group = OFPG_ANY;
    fm.flags = 0;
    msg = ofputil_encode_flow_mod(&fm, OFPUTIL_P_OF15_OXM);
    minimatch_destroy(&fm.match);
    free(fm.ofpacts);

    /* A bundle add message wraps the flow_mod in 16 more bytes, and an
     * OpenFlow message has at most 65535. */
    if (msg->size > UINT16_MAX - 16) {
        size_t size = msg->size;
        ofpbuf_delete(msg);
        return xasprintf("flow too large for OpenFlow (%"PRIuSIZE" bytes)",
                         size);
    }

    ofpbuf_init(&ofpacts, 64);
    ofperr = ofputil_decode_flow_mod(&fm2, msg->data, OFPUTIL_P_OF15_OXM,
                                     NULL, NULL, &ofpacts, OFPP_MAX, 255);
    ofpbuf_delete(msg);
    if (ofperr) {
        ofpbuf_uninit(&ofpacts);
        return xasprintf("not a valid flow (%s)", ofperr_to_string(ofperr));
    }

    f = xzalloc(sizeof *f);
    f->table_id = fm2.table_id;
    f->priority = fm2.priority;
    minimatch_move(&f->match, &fm2.match);
    of_flow_set_actions(f, fm2.ofpacts, fm2.ofpacts_len);
    f->idle_timeout = fm2.idle_timeout;
    f->hard_timeout = fm2.hard_timeout;
    ofpbuf_uninit(&ofpacts);
    *flowp = f;
    return NULL;
}

static int
compare_groups(const void *a_, const void *b_)
{
    const struct dvs_flow_group *const *a = a_;
    const struct dvs_flow_group *const *b = b_;

    return strcmp((*a)->key, (*b)->key);
}

/* Returns the groups of 'state' on 'bridge' (all if NULL), sorted by key,
 * in a malloc()'d array, and their number in '*n'. */
static const struct dvs_flow_group **
sorted_groups(const struct dvs_host_state *state, const char *bridge,
              size_t *n)
{
    const struct dvs_flow_group **groups;
    const struct dvs_flow_group *g;

    groups = xmalloc((hmap_count(&state->groups) + 1) * sizeof *groups);
    *n = 0;
    DVS_HOST_STATE_FOR_EACH_GROUP (g, state) {
        if (!bridge || !strcmp(g->bridge, bridge)) {
            groups[(*n)++] = g;
        }
    }
    qsort(groups, *n, sizeof *groups, compare_groups);
    return groups;
}

static struct ofctrl_bridge *ofctrl_bridge_find(const struct ofctrl *,
                                                const char *name);
static void parsed_clear(struct ofctrl_bridge *);

/* Parses 'flow' with the ports that bridge 'b' (may be NULL) has now, if
 * it has every port that the flow names, and keeps the result in
 * 'b->parsed' for compute_group(), which resolves the flow the same way
 * unless a port changes in between: a flow of a new state is parsed once,
 * not once to check it and again to install it.  Returns true if the flow
 * parsed; false if it did not or could not be resolved so, for the caller
 * to check it with placeholder ports. */
static bool
check_flow_with_ports(struct ofctrl_bridge *b, const struct dvs_flow *flow,
                      struct ds *text)
{
    struct sset used = SSET_INITIALIZER(&used);
    char *missing = NULL;
    bool parsed = false;
    const char *name;

    if (!b || simap_is_empty(&b->ports)) {
        return false;
    }
    char *error = resolve_flow(flow, &b->ports, NULL, text, &missing, &used);
    if (error || missing) {
        goto out;
    }
    /* An output to a missing port is left out without a word: the text
     * would not be the one to check. */
    SSET_FOR_EACH (name, &used) {
        if (is_port_symbol(name) && !simap_find(&b->ports, name)) {
            goto out;
        }
    }
    parsed = shash_find(&b->parsed, ds_cstr(text)) != NULL;
    if (!parsed) {
        struct of_flow *f;
        char *parse_error = parse_flow(ds_cstr(text), &f);

        if (!parse_error) {
            shash_add(&b->parsed, ds_cstr(text), f);
            parsed = true;
        }
        free(parse_error);
    }
out:
    free(error);
    free(missing);
    sset_destroy(&used);
    return parsed;
}

/* Checks that every flow of 'state' is valid: symbols known, text that
 * parses with the ports of its bridge in 'ofctrl' (may be NULL) where it
 * has them all, else whatever ports the symbols turn out to be.  Returns
 * NULL or a malloc()'d message that names the first bad flow. */
char *
ofctrl_check_state(struct ofctrl *ofctrl, const struct dvs_host_state *state)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    const struct dvs_flow_group **groups;
    struct ofctrl_bridge *b;
    char *error = NULL;
    size_t n;

    if (ofctrl) {
        HMAP_FOR_EACH (b, node, &ofctrl->bridges) {
            parsed_clear(b);
        }
    }
    groups = sorted_groups(state, NULL, &n);
    for (size_t i = 0; i < n && !error; i++) {
        b = ofctrl ? ofctrl_bridge_find(ofctrl, groups[i]->bridge) : NULL;
        for (size_t j = 0; j < groups[i]->n_flows && !error; j++) {
            const struct dvs_flow *flow = &groups[i]->flows[j];
            struct of_flow *f = NULL;
            char *missing = NULL;

            if (check_flow_with_ports(b, flow, &text)) {
                continue;
            }
            error = resolve_flow(flow, NULL, NULL, &text, &missing, NULL);
            if (!error) {
                error = parse_flow(ds_cstr(&text), &f);
            }
            if (error) {
                char *msg = xasprintf("flow group \"%s\": flow %"PRIuSIZE
                                      " (table=%"PRIu8",priority=%"PRIu16
                                      ",%s actions=%s): %s",
                                      groups[i]->key, j + 1, flow->table,
                                      flow->priority, flow->match,
                                      flow->actions, error);
                free(error);
                error = msg;
            }
            of_flow_destroy(f);
            free(missing);
        }
    }
    free(groups);
    ds_destroy(&text);
    return error;
}

/* Bridges. */

struct ofctrl *
ofctrl_create(void)
{
    struct ofctrl *ofctrl = xzalloc(sizeof *ofctrl);

    hmap_init(&ofctrl->bridges);
    return ofctrl;
}

void
ofctrl_destroy(struct ofctrl *ofctrl)
{
    if (ofctrl) {
        struct ofctrl_bridge *b;

        HMAP_FOR_EACH_POP (b, node, &ofctrl->bridges) {
            ofctrl_bridge_destroy(b);
        }
        hmap_destroy(&ofctrl->bridges);
        free(ofctrl);
    }
}

static struct ofctrl_bridge *
ofctrl_bridge_find(const struct ofctrl *ofctrl, const char *name)
{
    struct ofctrl_bridge *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(name, 0),
                             &ofctrl->bridges) {
        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

/* Frees the flows that ofctrl_check_state() parsed for 'b' and that no
 * group took. */
static void
parsed_clear(struct ofctrl_bridge *b)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &b->parsed) {
        of_flow_destroy(node->data);
    }
    shash_clear(&b->parsed);
}

static struct ofctrl_bridge *
ofctrl_bridge_create(struct ofctrl *ofctrl, const char *name)
{
    struct ofctrl_bridge *b = xzalloc(sizeof *b);
    char *target;

    b->ofctrl = ofctrl;
    b->name = xstrdup(name);
    b->rconn = rconn_create(0, RCONN_MAX_BACKOFF, DSCP_DEFAULT,
                            1u << OFP15_VERSION);
    target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), name);
    rconn_connect(b->rconn, target, name);
    b->packet_outs = rconn_packet_counter_create();
    free(target);
    b->conn_seqno = rconn_get_connection_seqno(b->rconn);
    b->state = S_DISCONNECTED;

    simap_init(&b->ports);
    hmap_init(&b->desired);
    hmap_init(&b->groups);
    shash_init(&b->symbol_groups);
    shash_init(&b->parsed);
    hmap_init(&b->dirty_flows);
    hmap_init(&b->installed);
    hmap_init(&b->dump);
    ovs_list_init(&b->ops);
    b->next_bundle_id = 1;
    b->retry_at = LLONG_MIN;
    b->meters = meters_create();

    hmap_insert(&ofctrl->bridges, &b->node, hash_string(name, 0));
    VLOG_INFO("%s: managing flows through %s", name,
              rconn_get_target(b->rconn));
    return b;
}

static void
flow_ops_clear(struct ovs_list *ops)
{
    struct flow_op *op;

    LIST_FOR_EACH_POP (op, list_node, ops) {
        of_flow_destroy(op->flow);
        free(op);
    }
}

static void
ofctrl_bridge_destroy(struct ofctrl_bridge *b)
{
    if (b) {
        rconn_destroy(b->rconn);
        rconn_packet_counter_destroy(b->packet_outs);
        simap_destroy(&b->ports);
        desired_groups_clear(b);
        hmap_destroy(&b->desired);
        hmap_destroy(&b->groups);
        shash_destroy(&b->symbol_groups);
        parsed_clear(b);
        shash_destroy(&b->parsed);
        of_flows_clear(&b->dirty_flows);
        hmap_destroy(&b->dirty_flows);
        of_flows_clear(&b->installed);
        hmap_destroy(&b->installed);
        of_flows_clear(&b->dump);
        hmap_destroy(&b->dump);
        flow_ops_clear(&b->ops);
        meters_destroy(b->meters);
        free(b->last_error);
        free(b->name);
        free(b);
    }
}

/* Makes the set of managed bridges 'names': connects to new ones, and
 * forgets the others (their flows stay on the switch). */
void
ofctrl_set_bridges(struct ofctrl *ofctrl, const struct sset *names)
{
    struct ofctrl_bridge *b, *next;
    const char *name;

    HMAP_FOR_EACH_SAFE (b, next, node, &ofctrl->bridges) {
        if (!sset_contains(names, b->name)) {
            VLOG_INFO("%s: no longer managing flows", b->name);
            hmap_remove(&ofctrl->bridges, &b->node);
            ofctrl_bridge_destroy(b);
        }
    }
    SSET_FOR_EACH (name, names) {
        if (!ofctrl_bridge_find(ofctrl, name)) {
            ofctrl_bridge_create(ofctrl, name);
        }
    }
}


/* Desired groups. */

static struct desired_group *
desired_group_find(const struct hmap *groups, const char *key)
{
    struct desired_group *dg;

    HMAP_FOR_EACH_WITH_HASH (dg, node, hash_string(key, 0), groups) {
        if (!strcmp(dg->key, key)) {
            return dg;
        }
    }
    return NULL;
}

static struct desired_group *
desired_group_create(const char *key)
{
    struct desired_group *dg = xzalloc(sizeof *dg);

    dg->key = xstrdup(key);
    sset_init(&dg->symbols);
    svec_init(&dg->waiting);
    svec_init(&dg->problems);
    shash_init(&dg->refused);
    return dg;
}

/* Frees 'dg' and the flows it still has (none of them in a bridge's
 * 'desired': see desired_group_detach()). */
static void
desired_group_destroy(struct desired_group *dg)
{
    if (dg) {
        for (size_t i = 0; i < dg->n_flows; i++) {
            of_flow_destroy(dg->flows[i]);
        }
        free(dg->flows);
        sset_destroy(&dg->symbols);
        svec_destroy(&dg->waiting);
        svec_destroy(&dg->problems);
        shash_destroy_free_data(&dg->refused);
        free(dg->key);
        free(dg);
    }
}

static void
desired_group_add_flow(struct desired_group *dg, struct of_flow *f)
{
    if (dg->n_flows >= dg->allocated_flows) {
        dg->flows = x2nrealloc(dg->flows, &dg->allocated_flows,
                               sizeof *dg->flows);
    }
    dg->flows[dg->n_flows++] = f;
}

/* Notes that the desired flow with the table, priority and match of 'f'
 * changed, for the next bundle to compare it with the installed one. */
static void
mark_dirty(struct ofctrl_bridge *b, const struct of_flow *f)
{
    b->dirty = true;
    if (!b->dirty_all && !of_flow_find(&b->dirty_flows, f)) {
        struct of_flow *k = xzalloc(sizeof *k);

        k->table_id = f->table_id;
        k->priority = f->priority;
        minimatch_clone(&k->match, &f->match);
        hmap_insert(&b->dirty_flows, &k->node, of_flow_hash(k));
    }
}

/* Makes the next bundle compare every flow: after the installed flows were
 * read, or when every desired flow is recomputed. */
static void
mark_all_dirty(struct ofctrl_bridge *b)
{
    b->dirty = true;
    b->dirty_all = true;
    of_flows_clear(&b->dirty_flows);
}

/* Adds 'dg' to 'b': its flows to the desired ones, its symbols to the
 * index. */
static void
desired_group_attach(struct ofctrl_bridge *b, struct desired_group *dg)
{
    const char *symbol;

    hmap_insert(&b->groups, &dg->node, hash_string(dg->key, 0));
    SSET_FOR_EACH (symbol, &dg->symbols) {
        struct sset *keys = shash_find_data(&b->symbol_groups, symbol);

        if (!keys) {
            keys = xmalloc(sizeof *keys);
            sset_init(keys);
            shash_add(&b->symbol_groups, symbol, keys);
        }
        sset_add(keys, dg->key);
    }
    b->n_waiting += dg->waiting.n;
    b->n_problems += dg->problems.n;
    b->n_conflicts += dg->conflicts;
}

/* Takes 'dg' out of 'b', with its flows out of the desired ones (they stay
 * in 'dg', parsed, for a recomputation to reuse). */
static void
desired_group_detach(struct ofctrl_bridge *b, struct desired_group *dg)
{
    const char *symbol;

    for (size_t i = 0; i < dg->n_flows; i++) {
        hmap_remove(&b->desired, &dg->flows[i]->node);
        mark_dirty(b, dg->flows[i]);
    }
    SSET_FOR_EACH (symbol, &dg->symbols) {
        struct shash_node *node = shash_find(&b->symbol_groups, symbol);
        struct sset *keys = node ? node->data : NULL;

        if (keys) {
            sset_find_and_delete(keys, dg->key);
            if (sset_is_empty(keys)) {
                sset_destroy(keys);
                free(keys);
                shash_delete(&b->symbol_groups, node);
            }
        }
    }
    hmap_remove(&b->groups, &dg->node);
    b->n_waiting -= dg->waiting.n;
    b->n_problems -= dg->problems.n;
    b->n_conflicts -= dg->conflicts;
}

static void
desired_groups_clear(struct ofctrl_bridge *b)
{
    struct desired_group *dg, *next;

    HMAP_FOR_EACH_SAFE (dg, next, node, &b->groups) {
        desired_group_detach(b, dg);
        desired_group_destroy(dg);
    }
}

/* Takes from 'old' (may be NULL) its parsed flow with 'text', if any, so
 * that an unchanged flow is not parsed again. */
static struct of_flow *
take_parsed(struct desired_group *old, const struct shash *by_text,
            const char *text)
{
    if (!old) {
        return NULL;
    }
    if (by_text) {
        size_t *index = shash_find_data(by_text, text);
        struct of_flow *f = index ? old->flows[*index] : NULL;

        if (f) {
            old->flows[*index] = NULL;
        }
        return f;
    }
    for (size_t i = 0; i < old->n_flows; i++) {
        struct of_flow *f = old->flows[i];

        if (f && !strcmp(f->text, text)) {
            old->flows[i] = NULL;
            return f;
        }
    }
    return NULL;
}

/* Computes the desired flows of group 'g' with the ports of 'b', adds them
 * to 'b' and returns the new group.  'old', the group as it was (detached,
 * or NULL), lends its parsed flows and the flows the switch refused. */
static struct desired_group *
compute_group(struct ofctrl_bridge *b, const struct dvs_flow_group *g,
              struct desired_group *old)
{
    struct desired_group *dg = desired_group_create(g->key);
    struct ds text = DS_EMPTY_INITIALIZER;
    ovs_be64 cookie = ofctrl_group_cookie(g->key);
    struct shash by_text = SHASH_INITIALIZER(&by_text);
    size_t *indexes = NULL;

    COVERAGE_INC(ofctrl_group_compute);

    /* Large groups: index the old flows by text. */
    if (old && old->n_flows > 8) {
        indexes = xmalloc(old->n_flows * sizeof *indexes);
        for (size_t i = 0; i < old->n_flows; i++) {
            indexes[i] = i;
            if (old->flows[i]) {
                shash_add_once(&by_text, old->flows[i]->text, &indexes[i]);
            }
        }
    }

    for (size_t j = 0; j < g->n_flows; j++) {
        const struct dvs_flow *flow = &g->flows[j];
        char *missing = NULL;
        char *error;

        error = resolve_flow(flow, &b->ports, b->meters, &text, &missing,
                             &dg->symbols);
        if (error) {
            svec_add_nocopy(&dg->problems,
                            xasprintf("%s: flow %"PRIuSIZE": %s",
                                      g->key, j + 1, error));
            free(error);
            continue;
        } else if (missing) {
            svec_add_nocopy(&dg->waiting,
                            xasprintf("%s: table=%"PRIu8", priority=%"
                                      PRIu16", %s actions=%s (needs %s)",
                                      g->key, flow->table, flow->priority,
                                      flow->match, flow->actions, missing));
            free(missing);
            continue;
        }

        const char *t = ds_cstr(&text);
        const char *refused = old ? shash_find_data(&old->refused, t) : NULL;
        if (refused) {
            /* Left out until its text changes. */
            if (shash_add_once(&dg->refused, t, xstrdup(refused))) {
                svec_add_nocopy(&dg->problems,
                                xasprintf("%s: %s: %s", g->key, t, refused));
            }
            continue;
        }

        struct of_flow *f = take_parsed(old, indexes ? &by_text : NULL, t);
        if (!f) {
            f = shash_find_and_delete(&b->parsed, t);
            error = f ? NULL : parse_flow(t, &f);
            if (error) {
                svec_add_nocopy(&dg->problems,
                                xasprintf("%s: %s: %s", g->key, t, error));
                free(error);
                continue;
            }
            f->text = xstrdup(t);
            f->group = xstrdup(g->key);
        }
        f->cookie = cookie;

        struct of_flow *other = of_flow_find(&b->desired, f);
        if (other) {
            svec_add_nocopy(&dg->problems,
                            xasprintf("%s: %s: same table, priority and "
                                      "match as a flow of %s, which wins",
                                      g->key, t, other->group));
            dg->conflicts = true;
            of_flow_destroy(f);
            continue;
        }
        hmap_insert(&b->desired, &f->node, of_flow_hash(f));
        mark_dirty(b, f);
        desired_group_add_flow(dg, f);
    }
    shash_destroy(&by_text);
    free(indexes);
    ds_destroy(&text);
    desired_group_attach(b, dg);
    return dg;
}

/* Recomputes the desired flows of the groups of 'b' whose keys are in
 * 'keys' (every group if NULL) from 'state' and 'b->ports'.  A key whose
 * group is no longer in 'state' on 'b' loses its flows.  The groups are
 * computed in the order of their keys: when flows of two groups clash, the
 * group that comes first wins (the caller recomputes everything when a
 * clash appears, so that the order holds across changes). */
static void
recompute_groups(struct ofctrl_bridge *b, const struct dvs_host_state *state,
                 const struct sset *keys)
{
    struct hmap old = HMAP_INITIALIZER(&old);
    const struct dvs_flow_group **groups;
    struct desired_group *dg, *next;
    size_t n = 0;

    if (!keys) {
        mark_all_dirty(b);
        HMAP_FOR_EACH_SAFE (dg, next, node, &b->groups) {
            desired_group_detach(b, dg);
            hmap_insert(&old, &dg->node, hash_string(dg->key, 0));
        }
        groups = sorted_groups(state, b->name, &n);
    } else {
        const char **sorted = sset_sort(keys);

        groups = xmalloc((sset_count(keys) + 1) * sizeof *groups);
        for (size_t i = 0; sorted[i]; i++) {
            const struct dvs_flow_group *g;

            dg = desired_group_find(&b->groups, sorted[i]);
            if (dg) {
                desired_group_detach(b, dg);
                hmap_insert(&old, &dg->node, hash_string(dg->key, 0));
            }
            g = dvs_host_state_find_group(state, sorted[i]);
            if (g && !strcmp(g->bridge, b->name)) {
                groups[n++] = g;
            }
        }
        free(sorted);
    }

    for (size_t i = 0; i < n; i++) {
        struct desired_group *prev = desired_group_find(&old, groups[i]->key);

        if (prev) {
            hmap_remove(&old, &prev->node);
        }
        compute_group(b, groups[i], prev);
        desired_group_destroy(prev);
    }
    HMAP_FOR_EACH_POP (dg, node, &old) {
        desired_group_destroy(dg);
    }
    hmap_destroy(&old);
    free(groups);
}

/* Adds to 'keys' the groups of 'b' that name a symbol whose port differs
 * between 'b->ports' and 'ports'. */
static void
add_groups_of_changed_ports(const struct ofctrl_bridge *b,
                            const struct simap *ports, struct sset *keys)
{
    struct sset changed = SSET_INITIALIZER(&changed);
    const struct simap_node *node;
    const char *symbol;

    SIMAP_FOR_EACH (node, &b->ports) {
        const struct simap_node *other = simap_find(ports, node->name);
        if (!other || other->data != node->data) {
            sset_add(&changed, node->name);
        }
    }
    SIMAP_FOR_EACH (node, ports) {
        if (!simap_find(&b->ports, node->name)) {
            sset_add(&changed, node->name);
        }
    }
    SSET_FOR_EACH (symbol, &changed) {
        const struct sset *users = shash_find_data(&b->symbol_groups, symbol);
        const char *key;

        if (users) {
            SSET_FOR_EACH (key, users) {
                sset_add(keys, key);
            }
        }
    }
    sset_destroy(&changed);
}

static void
set_desired(struct ofctrl_bridge *b, const struct dvs_host_state *state,
            const struct simap *ports, uint64_t seqno,
            const struct sset *changed)
{
    bool same_ports = simap_equal(&b->ports, ports);
    if (b->have_desired && b->desired_seqno == seqno && same_ports
        && (!changed || sset_is_empty(changed))) {
        return;
    }

    struct sset keys = SSET_INITIALIZER(&keys);
    bool full = !b->have_desired || !changed || b->n_conflicts;
    if (!full) {
        const char *key;

        SSET_FOR_EACH (key, changed) {
            sset_add(&keys, key);
        }
        if (!same_ports) {
            add_groups_of_changed_ports(b, ports, &keys);
        }
    }
    if (!same_ports) {
        const struct simap_node *node;

        simap_clear(&b->ports);
        SIMAP_FOR_EACH (node, ports) {
            simap_put(&b->ports, node->name, node->data);
        }
    }
    b->have_desired = true;
    b->desired_seqno = seqno;
    if (full) {
        recompute_groups(b, state, NULL);
    } else {
        recompute_groups(b, state, &keys);
        if (b->n_conflicts) {
            /* Clashing flows: the order of all the groups decides. */
            recompute_groups(b, state, NULL);
        }
    }
    sset_destroy(&keys);
    b->dirty = true;
}

/* Sets the desired flows of 'bridge' to the groups of 'state' on it, with
 * symbolic ports resolved through 'ports' (symbol without "${}", e.g.
 * "uplink" or "port:vm1", to OpenFlow port).  'seqno' identifies 'state':
 * ofctrl_is_applied() reports when its flows are installed.
 *
 * 'changed' holds the keys of the groups (on any bridge) that changed,
 * appeared or went away since the previous call; NULL means that any may
 * have.  Only those groups, and the groups that name a port that changed
 * in 'ports', are recomputed. */
void
ofctrl_set_desired(struct ofctrl *ofctrl, const char *bridge,
                   const struct dvs_host_state *state,
                   const struct simap *ports, uint64_t seqno,
                   const struct sset *changed)
{
    struct ofctrl_bridge *b = ofctrl_bridge_find(ofctrl, bridge);

    if (b) {
        set_desired(b, state, ports, seqno, changed);
        parsed_clear(b);
    }
}

/* The connection. */

static void
set_error(struct ofctrl_bridge *b, char *error)
{
    free(b->last_error);
    b->last_error = error;
}

static void
reset_connection(struct ofctrl_bridge *b)
{
    flow_ops_clear(&b->ops);
    of_flows_clear(&b->dump);
    of_flows_clear(&b->installed);
    meters_reset(b->meters);
    b->state = S_DISCONNECTED;
}

static void ofctrl_send(struct ofctrl_bridge *, struct ofpbuf *);

/* Sends the messages of 'msgs'. */
static void
send_msgs(struct ofctrl_bridge *b, struct ovs_list *msgs)
{
    struct ofpbuf *msg;

    LIST_FOR_EACH_POP (msg, list_node, msgs) {
        ofctrl_send(b, msg);
    }
}

/* Deletes the meters that no desired flow uses any more: after the flows
 * that used them are gone, since deleting a meter deletes its flows. */
static void
remove_unused_meters(struct ofctrl_bridge *b)
{
    int version = rconn_get_version(b->rconn);
    struct ovs_list msgs = OVS_LIST_INITIALIZER(&msgs);

    if (version >= 0) {
        meters_remove_unused(b->meters, &b->symbol_groups, version, &msgs);
        send_msgs(b, &msgs);
    }
}

static void
ofctrl_send(struct ofctrl_bridge *b, struct ofpbuf *msg)
{
    rconn_send(b->rconn, msg, NULL);
}

/* Asks the switch to send packet-ins, with their userdata.  A connection
 * to the management socket gets no asynchronous messages until it sets a
 * nonzero miss_send_len, and only NXT_PACKET_IN2 carries the userdata of a
 * controller() action.  The bridge's flows have no table-miss flow to the
 * controller, so only explicit controller() actions send anything. */
static void
enable_packet_in(struct ofctrl_bridge *b)
{
    enum ofp_version version = rconn_get_version(b->rconn);
    struct ofputil_switch_config config = {
        .frag = OFPUTIL_FRAG_NORMAL,
        .miss_send_len = UINT16_MAX,
    };

    ofctrl_send(b, ofputil_encode_set_config(&config, version));
    ofctrl_send(b, ofputil_encode_set_packet_in_format(
                    version, OFPUTIL_PACKET_IN_NXT2));
}

/* Asks the switch for the flows with the agent's cookie. */
static void
start_dump(struct ofctrl_bridge *b)
{
    enum ofputil_protocol protocol = ofputil_protocol_from_ofp_version(
        rconn_get_version(b->rconn));
    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .cookie = COOKIE_VALUE,
        .cookie_mask = COOKIE_MASK,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = OFPTT_ALL,
    };
    struct ofpbuf *msg;

    match_init_catchall(&fsr.match);
    COVERAGE_INC(ofctrl_dump);
    flow_ops_clear(&b->ops);
    of_flows_clear(&b->dump);
    msg = ofputil_encode_flow_stats_request(&fsr, protocol);
    b->dump_xid = ((struct ofp_header *) msg->data)->xid;
    b->state = S_DUMPING;
    ofctrl_send(b, msg);
}

static void
handle_flow_stats_reply(struct ofctrl_bridge *b, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;
        int retval;

        retval = ofputil_decode_flow_stats_reply(&fs, &msg, false, &ofpacts);
        if (retval == EOF) {
            break;
        } else if (retval) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: bad flow stats reply (%s), reconnecting",
                         b->name, ofperr_to_string(retval));
            ofpbuf_uninit(&ofpacts);
            rconn_reconnect(b->rconn);
            reset_connection(b);
            return;
        }

        struct of_flow *f = xzalloc(sizeof *f);
        f->table_id = fs.table_id;
        f->priority = fs.priority;
        minimatch_init(&f->match, &fs.match);
        of_flow_set_actions(f, fs.ofpacts, fs.ofpacts_len);
        f->cookie = fs.cookie;
        f->idle_timeout = fs.idle_timeout;
        f->hard_timeout = fs.hard_timeout;
        if (of_flow_find(&b->dump, f)) {
            of_flow_destroy(f);
        } else {
            hmap_insert(&b->dump, &f->node, of_flow_hash(f));
        }
    }
    ofpbuf_uninit(&ofpacts);

    if (!ofpmp_more(oh)) {
        of_flows_clear(&b->installed);
        hmap_swap(&b->installed, &b->dump);
        b->state = S_IDLE;
        mark_all_dirty(b);
        VLOG_DBG("%s: %"PRIuSIZE" flows installed", b->name,
                 hmap_count(&b->installed));
    }
}

static struct flow_op *
add_op(struct ovs_list *ops, enum flow_op_type type,
       const struct of_flow *flow)
{
    struct flow_op *op = xzalloc(sizeof *op);

    op->type = type;
    op->flow = of_flow_clone(flow);
    ovs_list_push_back(ops, &op->list_node);
    return op;
}

static struct ofpbuf *
encode_op(const struct flow_op *op, enum ofputil_protocol protocol)
{
    const struct of_flow *f = op->flow;
    struct ofputil_flow_mod fm = {
        .priority = f->priority,
        .table_id = f->table_id,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .new_cookie = OVS_BE64_MAX,
    };
    struct ofpbuf *msg;

    minimatch_clone(&fm.match, &f->match);
    switch (op->type) {
    case OP_ADD:
        fm.command = OFPFC_ADD;
        fm.new_cookie = f->cookie;
        fm.idle_timeout = f->idle_timeout;
        fm.hard_timeout = f->hard_timeout;
        fm.ofpacts = f->ofpacts;
        fm.ofpacts_len = f->ofpacts_len;
        break;

    case OP_MODIFY:
        /* In OpenFlow 1.2 and later a modify cannot change the cookie: a
         * flow whose cookie changes is added again instead. */
        fm.command = OFPFC_MODIFY_STRICT;
        fm.ofpacts = f->ofpacts;
        fm.ofpacts_len = f->ofpacts_len;
        break;

    case OP_DELETE:
        /* Never a flow that someone else put there since the dump. */
        fm.command = OFPFC_DELETE_STRICT;
        fm.cookie = COOKIE_VALUE;
        fm.cookie_mask = COOKIE_MASK;
        break;
    }
    msg = ofputil_encode_flow_mod(&fm, protocol);
    minimatch_destroy(&fm.match);
    return msg;
}

/* Adds to the bundle of 'b' what turns installed flow 'i' into desired flow
 * 'd' (either may be NULL, for a flow to add or to delete). */
static void
diff_flow(struct ofctrl_bridge *b, const struct of_flow *d,
          const struct of_flow *i)
{
    if (d) {
        if (!i || of_flow_attrs_differ(i, d)) {
            add_op(&b->ops, OP_ADD, d);
            b->n_add++;
        } else if (!of_flow_actions_equal(i, d)) {
            add_op(&b->ops, OP_MODIFY, d);
            b->n_modify++;
        }
    } else if (i) {
        add_op(&b->ops, OP_DELETE, i);
        b->n_delete++;
    }
}

/* Compares the desired and installed flows of 'b' (all of them after the
 * installed flows were read, otherwise those whose desired version changed)
 * and, if they differ, sends the difference in one bundle. */
static void
start_bundle(struct ofctrl_bridge *b)
{
    int version = rconn_get_version(b->rconn);
    enum ofputil_protocol protocol;
    struct ovs_list msgs = OVS_LIST_INITIALIZER(&msgs);
    struct ofputil_bundle_ctrl_msg bc;
    const uint16_t flags = OFPBF_ATOMIC | OFPBF_ORDERED;
    struct of_flow *d, *i;
    struct flow_op *op;
    struct ofpbuf *msg;
    size_t n_ops = 0;

    b->n_add = b->n_modify = b->n_delete = 0;
    b->dirty = false;
    flow_ops_clear(&b->ops);
    if (b->dirty_all) {
        HMAP_FOR_EACH (d, node, &b->desired) {
            diff_flow(b, d, of_flow_find(&b->installed, d));
        }
        HMAP_FOR_EACH (i, node, &b->installed) {
            if (!of_flow_find(&b->desired, i)) {
                diff_flow(b, NULL, i);
            }
        }
    } else {
        /* Only the flows whose desired version changed since the last
         * bundle can differ from the installed ones. */
        const struct of_flow *k;

        HMAP_FOR_EACH (k, node, &b->dirty_flows) {
            diff_flow(b, of_flow_find(&b->desired, k),
                      of_flow_find(&b->installed, k));
        }
    }
    b->dirty_all = false;
    of_flows_clear(&b->dirty_flows);

    n_ops = b->n_add + b->n_modify + b->n_delete;
    if (version < 0) {
        flow_ops_clear(&b->ops);
        mark_all_dirty(b);
        return;
    }

    /* The meters that the flows use exist before the bundle: METER_MOD
     * cannot be bundled, and the switch handles messages in order. */
    meters_install(b->meters, &b->symbol_groups, version, &msgs);
    send_msgs(b, &msgs);
    if (!n_ops) {
        b->applied_seqno = b->desired_seqno;
        remove_unused_meters(b);
        return;
    }
    protocol = ofputil_protocol_from_ofp_version(version);

    /* Build every message first, then send them all: an open bundle that
     * waits for its messages expires. */
    bc = (struct ofputil_bundle_ctrl_msg) {
        .bundle_id = b->next_bundle_id++,
        .type = OFPBCT_OPEN_REQUEST,
        .flags = flags,
    };
    msg = ofputil_encode_bundle_ctrl_request(version, &bc);
    b->first_xid = ntohl(((struct ofp_header *) msg->data)->xid);
    ovs_list_push_back(&msgs, &msg->list_node);

    LIST_FOR_EACH (op, list_node, &b->ops) {
        struct ofpbuf *fm_msg = encode_op(op, protocol);
        const struct ofp_header *oh = fm_msg->data;
        struct ofputil_bundle_add_msg bam = {
            .bundle_id = bc.bundle_id,
            .flags = flags,
            .msg = oh,
        };

        op->xid = oh->xid;
        if (VLOG_IS_DBG_ENABLED()) {
            struct ds d = DS_EMPTY_INITIALIZER;
            of_flow_format(op->flow, true, &d);
            VLOG_DBG("%s: bundle %"PRIu32": %s %s", b->name, bc.bundle_id,
                     op->type == OP_ADD ? "add"
                     : op->type == OP_MODIFY ? "modify" : "delete",
                     ds_cstr(&d));
            ds_destroy(&d);
        }
        msg = ofputil_encode_bundle_add(version, &bam);
        ofpbuf_delete(fm_msg);
        ovs_list_push_back(&msgs, &msg->list_node);
    }

    bc.type = OFPBCT_COMMIT_REQUEST;
    msg = ofputil_encode_bundle_ctrl_request(version, &bc);
    ovs_list_push_back(&msgs, &msg->list_node);

    msg = ofputil_encode_barrier_request(version);
    b->barrier_xid = ((struct ofp_header *) msg->data)->xid;
    b->last_xid = ntohl(b->barrier_xid);
    ovs_list_push_back(&msgs, &msg->list_node);

    LIST_FOR_EACH_POP (msg, list_node, &msgs) {
        ofctrl_send(b, msg);
    }
    b->state = S_BUNDLE;
    b->bundle_seqno = b->desired_seqno;
    b->bundle_failed = false;
    b->bundle_culprit = false;
    b->n_bundles++;
    b->n_flow_mods += n_ops;
    COVERAGE_INC(ofctrl_bundle);
    COVERAGE_ADD(ofctrl_flow_add, b->n_add);
    COVERAGE_ADD(ofctrl_flow_modify, b->n_modify);
    COVERAGE_ADD(ofctrl_flow_delete, b->n_delete);
    VLOG_DBG("%s: sent bundle %"PRIu32" with %"PRIuSIZE" flow changes",
             b->name, bc.bundle_id, n_ops);
}

static bool
xid_in_bundle(const struct ofctrl_bridge *b, ovs_be32 xid)
{
    return (b->state == S_BUNDLE
            && ntohl(xid) - b->first_xid <= b->last_xid - b->first_xid);
}

/* The barrier after a bundle came back: the bundle is done. */
static void
finish_bundle(struct ofctrl_bridge *b)
{
    struct flow_op *op;

    if (b->bundle_failed) {
        flow_ops_clear(&b->ops);
        b->n_resyncs++;
        COVERAGE_INC(ofctrl_bundle_failed);
        if (!b->bundle_culprit) {
            /* Nothing to leave out next time: try again later. */
            b->backoff = (b->backoff
                          ? MIN(b->backoff * 2, MAX_BACKOFF_MSEC)
                          : MIN_BACKOFF_MSEC);
            b->retry_at = time_msec() + b->backoff;
        }
        /* Read the installed flows again before anything else. */
        start_dump(b);
        return;
    }

    LIST_FOR_EACH_POP (op, list_node, &b->ops) {
        struct of_flow *old = of_flow_find(&b->installed, op->flow);

        if (old) {
            hmap_remove(&b->installed, &old->node);
            of_flow_destroy(old);
        }
        if (op->type == OP_DELETE) {
            of_flow_destroy(op->flow);
        } else {
            free(op->flow->group);
            free(op->flow->text);
            op->flow->group = op->flow->text = NULL;
            hmap_insert(&b->installed, &op->flow->node,
                        of_flow_hash(op->flow));
        }
        free(op);
    }
    VLOG_INFO("%s: flows updated (%"PRIuSIZE" added, %"PRIuSIZE" modified, "
              "%"PRIuSIZE" deleted)", b->name, b->n_add, b->n_modify,
              b->n_delete);
    b->applied_seqno = b->bundle_seqno;
    b->backoff = 0;
    set_error(b, NULL);
    remove_unused_meters(b);
    b->state = S_IDLE;
    b->dirty = true;            /* Whatever changed meanwhile. */
    if (b->resync_requested) {
        b->resync_requested = false;
        start_dump(b);
    }
}

/* The switch refused the flow_mod with 'xid' of the bundle in flight: leave
 * its flow out until its text changes. */
static void
refuse_flow(struct ofctrl_bridge *b, ovs_be32 xid, enum ofperr error)
{
    struct flow_op *op;

    LIST_FOR_EACH (op, list_node, &b->ops) {
        if (op->xid != xid || op->type == OP_DELETE || !op->flow->text) {
            continue;
        }

        struct of_flow *d = of_flow_find(&b->desired, op->flow);
        struct desired_group *dg = (d && d->group
                                    ? desired_group_find(&b->groups, d->group)
                                    : NULL);
        if (dg && d->text && !strcmp(d->text, op->flow->text)) {
            char *why = xasprintf("refused by the switch (%s)",
                                  ofperr_to_string(error));

            svec_add_nocopy(&dg->problems, xasprintf("%s: %s: %s", d->group,
                                                     d->text, why));
            b->n_problems++;
            shash_add_once(&dg->refused, d->text, why);
            for (size_t i = 0; i < dg->n_flows; i++) {
                if (dg->flows[i] == d) {
                    dg->flows[i] = dg->flows[--dg->n_flows];
                    break;
                }
            }
            hmap_remove(&b->desired, &d->node);
            of_flow_destroy(d);
            b->bundle_culprit = true;
        }
        return;
    }
}

static void
handle_error(struct ofctrl_bridge *b, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    enum ofperr error = ofperr_decode_msg(oh, NULL);
    char *s = ofp_to_string(oh, ntohs(oh->length), NULL, NULL, 1);

    if (b->state == S_DUMPING && oh->xid == b->dump_xid) {
        VLOG_WARN_RL(&rl, "%s: reading the installed flows failed: %s",
                     b->name, s);
        set_error(b, xasprintf("reading the installed flows failed (%s)",
                               ofperr_to_string(error)));
        rconn_reconnect(b->rconn);
        reset_connection(b);
    } else if (xid_in_bundle(b, oh->xid)) {
        VLOG_WARN_RL(&rl, "%s: bundle failed: %s", b->name, s);
        set_error(b, xasprintf("the switch refused a change (%s)",
                               ofperr_to_string(error)));
        b->bundle_failed = true;
        refuse_flow(b, oh->xid, error);
    } else if (error == OFPERR_OFPMMFC_METER_EXISTS) {
        /* A meter that a previous dvs-agent made: it is modified next. */
        VLOG_DBG("%s: %s", b->name, s);
    } else {
        VLOG_INFO_RL(&rl, "%s: %s", b->name, s);
    }
    free(s);
}

/* Hands packet-in 'oh' to the handler of its purpose. */
static void
handle_packet_in(struct ofctrl_bridge *b, const struct ofp_header *oh)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct ofputil_packet_in pin;
    const struct packet_handler *h;
    enum ofperr error;

    error = ofputil_decode_packet_in(oh, true, NULL, NULL, &pin, NULL, NULL,
                                     NULL);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: bad packet-in (%s)", b->name,
                     ofperr_to_string(error));
        COVERAGE_INC(ofctrl_packet_in_dropped);
        return;
    }
    h = pin.userdata_len ? &b->ofctrl->handlers[pin.userdata[0]] : NULL;
    if (!h || !h->cb) {
        VLOG_DBG_RL(&rl, "%s: packet-in with %s, dropped", b->name,
                    pin.userdata_len ? "a purpose nobody handles"
                                     : "no userdata");
        COVERAGE_INC(ofctrl_packet_in_dropped);
        return;
    }

    COVERAGE_INC(ofctrl_packet_in);
    h->cb(&(struct ofctrl_packet_in) {
              .bridge = b->name,
              .in_port = pin.flow_metadata.flow.in_port.ofp_port,
              .packet = pin.packet,
              .len = pin.packet_len,
              .userdata = pin.userdata + 1,
              .userdata_len = pin.userdata_len - 1,
          }, h->aux);
}

static void
handle_msg(struct ofctrl_bridge *b, const struct ofp_header *oh)
{
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    switch (type) {
    case OFPTYPE_ECHO_REQUEST:
        ofctrl_send(b, ofputil_encode_echo_reply(oh));
        break;

    case OFPTYPE_FLOW_STATS_REPLY:
        if (b->state == S_DUMPING && oh->xid == b->dump_xid) {
            handle_flow_stats_reply(b, oh);
        }
        break;

    case OFPTYPE_ERROR:
        handle_error(b, oh);
        break;

    case OFPTYPE_PACKET_IN:
        handle_packet_in(b, oh);
        break;

    case OFPTYPE_METER_STATS_REPLY:
        meters_handle_stats_reply(b->meters, oh);
        break;

    case OFPTYPE_METER_CONFIG_STATS_REPLY:
        meters_handle_config_reply(b->meters, oh);
        break;

    case OFPTYPE_BARRIER_REPLY:
        if (b->state == S_BUNDLE && oh->xid == b->barrier_xid) {
            finish_bundle(b);
        }
        break;

    default:
        break;
    }
}

static void
ofctrl_bridge_run(struct ofctrl_bridge *b)
{
    unsigned int seqno;

    rconn_run(b->rconn);
    if (!rconn_is_connected(b->rconn)
        || rconn_get_version(b->rconn) < 0) {
        if (b->state != S_DISCONNECTED) {
            reset_connection(b);
        }
        return;
    }

    seqno = rconn_get_connection_seqno(b->rconn);
    if (seqno != b->conn_seqno || b->state == S_DISCONNECTED) {
        /* A new connection: whatever was in flight is lost, and the switch
         * may have been restarted.  Learn what is installed before
         * changing anything. */
        b->conn_seqno = seqno;
        reset_connection(b);
        VLOG_INFO("%s: connected, reading the installed flows", b->name);
        enable_packet_in(b);
        ofctrl_send(b, meters_config_request(rconn_get_version(b->rconn)));
        start_dump(b);
    }

    for (int i = 0; i < MAX_RECV_PER_RUN; i++) {
        struct ofpbuf *msg = rconn_recv(b->rconn);

        if (!msg) {
            break;
        }
        handle_msg(b, msg->data);
        ofpbuf_delete(msg);
    }

    if (b->state == S_IDLE && b->have_desired && b->dirty
        && time_msec() >= b->retry_at) {
        start_bundle(b);
    }

    /* Meter statistics, for dvs-agent/meters. */
    if (!meters_is_empty(b->meters) && time_msec() >= b->next_meter_stats) {
        ofctrl_send(b, meters_stats_request(b->meters,
                                            rconn_get_version(b->rconn)));
        b->next_meter_stats = time_msec() + METER_STATS_INTERVAL;
    }
}

void
ofctrl_run(struct ofctrl *ofctrl)
{
    struct ofctrl_bridge *b;

    HMAP_FOR_EACH (b, node, &ofctrl->bridges) {
        ofctrl_bridge_run(b);
    }
}

void
ofctrl_wait(struct ofctrl *ofctrl)
{
    struct ofctrl_bridge *b;

    HMAP_FOR_EACH (b, node, &ofctrl->bridges) {
        rconn_run_wait(b->rconn);
        rconn_recv_wait(b->rconn);
        if (b->state == S_IDLE && b->have_desired && b->dirty) {
            poll_timer_wait_until(b->retry_at);
        }
        if (!meters_is_empty(b->meters)) {
            poll_timer_wait_until(b->next_meter_stats);
        }
        if (!rconn_is_connected(b->rconn) && b->state != S_DISCONNECTED) {
            poll_immediate_wake();
        }
    }
}

/* Packets (see ofctrl.h). */

void
ofctrl_set_packet_handler(struct ofctrl *ofctrl, uint8_t purpose,
                          ofctrl_packet_handler *cb, void *aux)
{
    ofctrl->handlers[purpose] = (struct packet_handler) { cb, aux };
}

int
ofctrl_send_packet(struct ofctrl *ofctrl, const char *bridge,
                   ofp_port_t port, const void *frame, size_t len)
{
    struct ofctrl_bridge *b = ofctrl_bridge_find(ofctrl, bridge);
    uint64_t ofpacts_stub[64 / 8];
    struct ofpbuf ofpacts;
    struct ofputil_packet_out po;
    enum ofputil_protocol protocol;
    int error;

    if (!b) {
        return ENOENT;
    }
    if (!rconn_is_connected(b->rconn) || rconn_get_version(b->rconn) < 0) {
        return ENOTCONN;
    }

    ofpbuf_use_stub(&ofpacts, ofpacts_stub, sizeof ofpacts_stub);
    ofpact_put_OUTPUT(&ofpacts)->port = port;
    po = (struct ofputil_packet_out) {
        .packet = frame,
        .packet_len = len,
        .buffer_id = UINT32_MAX,
        .ofpacts = ofpacts.data,
        .ofpacts_len = ofpacts.size,
    };
    match_init_catchall(&po.flow_metadata);
    match_set_in_port(&po.flow_metadata, OFPP_CONTROLLER);
    protocol = ofputil_protocol_from_ofp_version(
        rconn_get_version(b->rconn));
    error = rconn_send_with_limit(b->rconn,
                                  ofputil_encode_packet_out(&po, protocol),
                                  b->packet_outs, MAX_QUEUED_PACKET_OUTS);
    if (!error) {
        COVERAGE_INC(ofctrl_packet_out);
    }
    ofpbuf_uninit(&ofpacts);
    return error;
}

ofp_port_t
ofctrl_get_port(const struct ofctrl *ofctrl, const char *bridge,
                const char *symbol)
{
    const struct ofctrl_bridge *b = ofctrl_bridge_find(ofctrl, bridge);
    const struct simap_node *node = b ? simap_find(&b->ports, symbol) : NULL;

    return node ? OFP_PORT_C(node->data) : OFPP_NONE;
}

static void
ofctrl_bridge_resync(struct ofctrl_bridge *b)
{
    if (b->state == S_IDLE) {
        start_dump(b);
    } else if (b->state == S_BUNDLE) {
        b->resync_requested = true;
    }
    /* Disconnected or reading the flows already: nothing more to do. */
}

/* Makes 'bridge' (every bridge if NULL) read its installed flows again and
 * correct what differs from the desired flows, for flows that someone else
 * changed behind the agent's back.  Returns false if 'bridge' is not
 * managed. */
bool
ofctrl_resync(struct ofctrl *ofctrl, const char *bridge)
{
    struct ofctrl_bridge *b;

    if (bridge) {
        b = ofctrl_bridge_find(ofctrl, bridge);
        if (!b) {
            return false;
        }
        ofctrl_bridge_resync(b);
    } else {
        HMAP_FOR_EACH (b, node, &ofctrl->bridges) {
            ofctrl_bridge_resync(b);
        }
    }
    return true;
}

/* Returns true if the flows that desired state 'seqno' asks for on
 * 'bridge' are installed. */
bool
ofctrl_is_applied(const struct ofctrl *ofctrl, const char *bridge,
                  uint64_t seqno)
{
    const struct ofctrl_bridge *b = ofctrl_bridge_find(ofctrl, bridge);

    return b && b->applied_seqno == seqno;
}

static const char *
state_name(enum ofctrl_state state)
{
    switch (state) {
    case S_DISCONNECTED: return "disconnected";
    case S_DUMPING: return "reading installed flows";
    case S_IDLE: return "idle";
    case S_BUNDLE: return "installing";
    }
    return "unknown";
}

static int
compare_bridges(const void *a_, const void *b_)
{
    const struct ofctrl_bridge *const *a = a_;
    const struct ofctrl_bridge *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static const struct ofctrl_bridge **
sorted_bridges(const struct ofctrl *ofctrl, size_t *n)
{
    *n = hmap_count(&ofctrl->bridges);
    return (const struct ofctrl_bridge **)
        DVS_HMAP_SORT(&ofctrl->bridges, struct ofctrl_bridge, node,
                      compare_bridges);
}

static bool
installed_known(const struct ofctrl_bridge *b)
{
    return b->state == S_IDLE || b->state == S_BUNDLE;
}

/* Appends one line per bridge to 's':
 *
 *   bridge NAME: CONNECTION-STATE, STATE, N desired flows, N installed... */
void
ofctrl_format_status(const struct ofctrl *ofctrl, struct ds *s)
{
    const struct ofctrl_bridge **bridges;
    size_t n;

    bridges = sorted_bridges(ofctrl, &n);
    for (size_t i = 0; i < n; i++) {
        const struct ofctrl_bridge *b = bridges[i];

        ds_put_format(s, "bridge %s: openflow %s, %s, %"PRIuSIZE" flows "
                      "desired", b->name, rconn_get_state(b->rconn),
                      state_name(b->state), hmap_count(&b->desired));
        if (installed_known(b)) {
            ds_put_format(s, ", %"PRIuSIZE" installed",
                          hmap_count(&b->installed));
        }
        if (b->n_waiting) {
            ds_put_format(s, ", %"PRIuSIZE" waiting for ports",
                          b->n_waiting);
        }
        if (b->n_problems) {
            ds_put_format(s, ", %"PRIuSIZE" not installable",
                          b->n_problems);
        }
        ds_put_format(s, ", %llu bundles, %llu resyncs\n", b->n_bundles,
                      b->n_resyncs);
        if (b->last_error) {
            ds_put_format(s, "bridge %s: error: %s\n", b->name,
                          b->last_error);
        }
    }
    free(bridges);
}

static void
format_flow_line(struct svec *lines, const char *prefix,
                 const struct of_flow *f, const struct of_flow *installed)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, prefix);
    of_flow_format(f, false, &s);
    if (installed) {
        ds_put_cstr(&s, " (installed: ");
        of_flow_format(installed, true, &s);
        ds_put_char(&s, ')');
    }
    svec_add_nocopy(lines, ds_steal_cstr(&s));
}

static void
format_bridge_flows(const struct ofctrl_bridge *b, struct ds *s)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const struct of_flow *d, *i;

    ds_put_format(s, "bridge %s: %"PRIuSIZE" desired", b->name,
                  hmap_count(&b->desired));
    if (installed_known(b)) {
        ds_put_format(s, ", %"PRIuSIZE" installed",
                      hmap_count(&b->installed));
    } else {
        ds_put_format(s, ", installed unknown (%s)", state_name(b->state));
    }
    ds_put_format(s, ", %"PRIuSIZE" waiting for ports", b->n_waiting);
    if (b->n_problems) {
        ds_put_format(s, ", %"PRIuSIZE" not installable", b->n_problems);
    }
    ds_put_char(s, '\n');

    if (installed_known(b)) {
        HMAP_FOR_EACH (d, node, &b->desired) {
            i = of_flow_find(&b->installed, d);
            if (!i) {
                format_flow_line(&lines, "missing: ", d, NULL);
            } else if (of_flow_attrs_differ(i, d)
                       || !of_flow_actions_equal(i, d)) {
                format_flow_line(&lines, "differs: ", d, i);
            }
        }
        HMAP_FOR_EACH (i, node, &b->installed) {
            if (!of_flow_find(&b->desired, i)) {
                format_flow_line(&lines, "extra: ", i, NULL);
            }
        }
        svec_sort(&lines);
    }

    /* In the order of the groups' keys. */
    struct svec problems = SVEC_EMPTY_INITIALIZER;
    struct sset keys = SSET_INITIALIZER(&keys);
    const struct desired_group *dg;
    const char **sorted;

    HMAP_FOR_EACH (dg, node, &b->groups) {
        sset_add(&keys, dg->key);
        for (size_t j = 0; j < dg->problems.n; j++) {
            svec_add(&problems, dg->problems.names[j]);
        }
    }
    sorted = sset_sort(&keys);
    for (size_t k = 0; sorted[k]; k++) {
        dg = desired_group_find(&b->groups, sorted[k]);
        for (size_t j = 0; j < dg->waiting.n; j++) {
            svec_add_nocopy(&lines, xasprintf("waiting: %s",
                                              dg->waiting.names[j]));
        }
    }
    free(sorted);
    sset_destroy(&keys);
    svec_sort(&problems);
    for (size_t j = 0; j < problems.n; j++) {
        svec_add_nocopy(&lines, xasprintf("not installable: %s",
                                          problems.names[j]));
    }
    svec_destroy(&problems);
    for (size_t j = 0; j < lines.n; j++) {
        ds_put_format(s, "  %s\n", lines.names[j]);
    }
    svec_destroy(&lines);
}

/* Appends to 's', for 'bridge' (all bridges if NULL), the numbers of
 * desired and installed flows and then each flow that differs, waits for a
 * port or cannot be installed.  Returns false if 'bridge' is not
 * managed. */
/* Appends to 's' the meters of 'bridge' (every bridge if NULL) with their
 * last statistics.  Returns false if 'bridge' is not managed. */
bool
ofctrl_format_meters(const struct ofctrl *ofctrl, const char *bridge,
                     struct ds *s)
{
    const struct ofctrl_bridge **bridges;
    size_t n;

    if (bridge && !ofctrl_bridge_find(ofctrl, bridge)) {
        return false;
    }
    bridges = sorted_bridges(ofctrl, &n);
    for (size_t i = 0; i < n; i++) {
        if (!bridge || !strcmp(bridges[i]->name, bridge)) {
            ds_put_format(s, "%s:\n", bridges[i]->name);
            meters_format(bridges[i]->meters, s);
        }
    }
    free(bridges);
    return true;
}

bool
ofctrl_format_flows(const struct ofctrl *ofctrl, const char *bridge,
                    struct ds *s)
{
    if (bridge) {
        const struct ofctrl_bridge *b = ofctrl_bridge_find(ofctrl, bridge);

        if (!b) {
            return false;
        }
        format_bridge_flows(b, s);
    } else {
        const struct ofctrl_bridge **bridges;
        size_t n;

        bridges = sorted_bridges(ofctrl, &n);
        for (size_t i = 0; i < n; i++) {
            format_bridge_flows(bridges[i], s);
        }
        free(bridges);
    }
    return true;
}
