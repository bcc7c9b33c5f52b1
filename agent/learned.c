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
#include "agent/learned.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "byte-order.h"
#include "dirs.h"
#include "hash.h"
#include "lib/dvs-learn.h"
#include "openvswitch/hmap.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "socket-util.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(learned);

struct learned_bridge {
    struct hmap_node node;      /* In struct learned's 'bridges'. */
    char *name;
    struct rconn *rconn;
    unsigned int conn_seqno;
    long long int next_dump;    /* When to read the learned flows again. */
    ovs_be32 dump_xid;          /* Of the reading in progress, or 0. */
    struct sset dump;           /* Entries read so far. */
    struct sset entries;        /* Entries as of the last full reading. */
    bool known;                 /* 'entries' is a full reading. */
};

struct learned {
    struct hmap bridges;        /* Contains "struct learned_bridge"s. */
    uint64_t seqno;             /* Bumped when an entry changes. */
};

struct learned *
learned_create(void)
{
    struct learned *l = xzalloc(sizeof *l);

    hmap_init(&l->bridges);
    return l;
}

static void
learned_bridge_destroy(struct learned_bridge *b)
{
    rconn_destroy(b->rconn);
    sset_destroy(&b->dump);
    sset_destroy(&b->entries);
    free(b->name);
    free(b);
}

void
learned_destroy(struct learned *l)
{
    if (l) {
        struct learned_bridge *b;

        HMAP_FOR_EACH_POP (b, node, &l->bridges) {
            learned_bridge_destroy(b);
        }
        hmap_destroy(&l->bridges);
        free(l);
    }
}

static struct learned_bridge *
learned_bridge_find(const struct learned *l, const char *name)
{
    struct learned_bridge *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(name, 0), &l->bridges) {
        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

/* Reads the learned flows of the bridges 'names' from now on, and no
 * longer those of the others. */
void
learned_set_bridges(struct learned *l, const struct sset *names)
{
    struct learned_bridge *b;
    const char *name;

    HMAP_FOR_EACH_SAFE (b, node, &l->bridges) {
        if (!sset_contains(names, b->name)) {
            hmap_remove(&l->bridges, &b->node);
            if (!sset_is_empty(&b->entries)) {
                l->seqno++;
            }
            learned_bridge_destroy(b);
        }
    }
    SSET_FOR_EACH (name, names) {
        if (!learned_bridge_find(l, name)) {
            char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), name);

            b = xzalloc(sizeof *b);
            b->name = xstrdup(name);
            b->rconn = rconn_create(0, 2, DSCP_DEFAULT,
                                    1u << OFP15_VERSION);
            rconn_connect(b->rconn, target, name);
            free(target);
            b->conn_seqno = rconn_get_connection_seqno(b->rconn);
            sset_init(&b->dump);
            sset_init(&b->entries);
            hmap_insert(&l->bridges, &b->node, hash_string(name, 0));
        }
    }
}

static void
start_dump(struct learned_bridge *b)
{
    enum ofputil_protocol protocol = ofputil_protocol_from_ofp_version(
        rconn_get_version(b->rconn));
    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .cookie = htonll((uint64_t) DVS_LEARN_COOKIE_MAGIC << 56),
        .cookie_mask = htonll(UINT64_C(0xff) << 56),
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = DVS_LEARN_TABLE,
    };
    struct ofpbuf *msg;

    match_init_catchall(&fsr.match);
    sset_clear(&b->dump);
    msg = ofputil_encode_flow_stats_request(&fsr, protocol);
    b->dump_xid = ((struct ofp_header *) msg->data)->xid;
    rconn_send(b->rconn, msg, NULL);
}

static void
handle_reply(struct learned *l, struct learned_bridge *b,
             const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;
        int retval = ofputil_decode_flow_stats_reply(&fs, &msg, false,
                                                     &ofpacts);
        if (retval == EOF) {
            break;
        } else if (retval) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
            VLOG_WARN_RL(&rl, "%s: bad flow stats reply", b->name);
            b->dump_xid = 0;
            ofpbuf_uninit(&ofpacts);
            return;
        }
        sset_add_and_free(&b->dump,
                          xasprintf("%016"PRIx64" %"PRIu32" "ETH_ADDR_FMT,
                                    ntohll(fs.cookie),
                                    fs.match.flow.regs[6],
                                    ETH_ADDR_ARGS(fs.match.flow.dl_dst)));
    }
    ofpbuf_uninit(&ofpacts);

    if (!ofpmp_more(oh)) {
        b->dump_xid = 0;
        if (!b->known || !sset_equals(&b->dump, &b->entries)) {
            sset_swap(&b->dump, &b->entries);
            l->seqno++;
        }
        b->known = true;
    }
}

static void
learned_bridge_run(struct learned *l, struct learned_bridge *b)
{
    rconn_run(b->rconn);
    if (!rconn_is_connected(b->rconn) || rconn_get_version(b->rconn) < 0) {
        return;
    }
    if (rconn_get_connection_seqno(b->rconn) != b->conn_seqno) {
        /* A new connection: a reading in progress is lost. */
        b->conn_seqno = rconn_get_connection_seqno(b->rconn);
        b->dump_xid = 0;
        b->next_dump = LLONG_MIN;
    }
    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(b->rconn);
        enum ofptype type;

        if (!msg) {
            break;
        }
        if (!ofptype_decode(&type, msg->data)) {
            const struct ofp_header *oh = msg->data;

            if (type == OFPTYPE_ECHO_REQUEST) {
                rconn_send(b->rconn, ofputil_encode_echo_reply(oh), NULL);
            } else if (type == OFPTYPE_FLOW_STATS_REPLY && b->dump_xid
                       && oh->xid == b->dump_xid) {
                handle_reply(l, b, oh);
            }
        }
        ofpbuf_delete(msg);
    }
    if (!b->dump_xid && time_msec() >= b->next_dump) {
        b->next_dump = time_msec() + LEARNED_INTERVAL_MSEC;
        start_dump(b);
    }
}

void
learned_run(struct learned *l)
{
    struct learned_bridge *b;

    HMAP_FOR_EACH (b, node, &l->bridges) {
        learned_bridge_run(l, b);
    }
}

void
learned_wait(struct learned *l)
{
    struct learned_bridge *b;

    HMAP_FOR_EACH (b, node, &l->bridges) {
        rconn_run_wait(b->rconn);
        rconn_recv_wait(b->rconn);
        if (rconn_is_connected(b->rconn) && !b->dump_xid) {
            poll_timer_wait_until(b->next_dump);
        }
    }
}

/* Adds every learned entry of every bridge to 'entries'.  Returns false if
 * a bridge has not been read yet. */
bool
learned_get(const struct learned *l, struct sset *entries)
{
    const struct learned_bridge *b;
    bool complete = true;

    HMAP_FOR_EACH (b, node, &l->bridges) {
        const char *entry;

        complete &= b->known;
        SSET_FOR_EACH (entry, &b->entries) {
            sset_add(entries, entry);
        }
    }
    return complete;
}

uint64_t
learned_seqno(const struct learned *l)
{
    return l->seqno;
}
