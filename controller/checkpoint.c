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

/* Checkpoints of each switch's configuration (see checkpoint.h).
 *
 * The controller keeps, per switch, the snapshot document of the
 * configuration it last saw: the switch with its portgroups, host members,
 * LAGs and PVLAN map, without ports (struct dvs_snapshot).  When the
 * document changes, the one it had is the checkpoint.  Only the switches
 * whose rows changed (the IDL's change tracking) are looked at again, and
 * of those only the rows changed are serialised again (checkpoint-doc.h),
 * so that the cost of a change does not grow with the size of the
 * configuration, and a change to ports costs nothing here.  A checkpoint
 * is kept in memory until the database has it: a transaction that fails
 * (another client wrote first) is simply followed by another that writes
 * it again. */

#include <config.h>

#include "controller/checkpoint.h"
#include "controller/checkpoint-doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dvs-columns.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/list.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(checkpoint);

/* The configuration last seen of one switch. */
struct seen_switch {
    char *name;
    char *data;                 /* Snapshot document. */
    int64_t config_version;
};

/* A checkpoint that the database does not have yet. */
struct pending {
    struct ovs_list node;
    char *name;
    char *switch_name;
    char *switch_uuid;
    char *data;
    char *description;
    long long int created;
    bool written;               /* In the transaction being committed. */
};

struct checkpoints {
    unsigned int max;
    char *dir;
    bool primed;                /* 'seen' holds the database's contents. */
    struct shash seen;          /* "struct seen_switch"s by switch UUID. */
    struct checkpoint_docs *docs;  /* Their documents, row by row. */
    struct ovs_list pending;    /* "struct pending"s. */
    struct shash files;         /* Snapshot names written to 'dir'. */
    struct shash notes;         /* Switch UUID -> why it was reverted, for
                                 * the next checkpoint's description. */
    struct shash reverted;      /* Switch UUID -> time of its last revert
                                 * (a "long long int *"). */
};

struct checkpoints *
checkpoints_create(unsigned int max, const char *snapshot_dir)
{
    struct checkpoints *cp = xzalloc(sizeof *cp);
    cp->max = max;
    cp->dir = nullable_xstrdup(snapshot_dir);
    if (cp->dir && mkdir(cp->dir, 0750) && errno != EEXIST) {
        VLOG_WARN("%s: cannot create (%s)", cp->dir, ovs_strerror(errno));
    }
    shash_init(&cp->seen);
    cp->docs = checkpoint_docs_create();
    ovs_list_init(&cp->pending);
    shash_init(&cp->files);
    shash_init(&cp->notes);
    shash_init(&cp->reverted);
    return cp;
}

static void
seen_switch_free(struct seen_switch *s)
{
    if (s) {
        free(s->name);
        free(s->data);
        free(s);
    }
}

static void
pending_free(struct pending *p)
{
    free(p->name);
    free(p->switch_name);
    free(p->switch_uuid);
    free(p->data);
    free(p->description);
    free(p);
}

void
checkpoints_destroy(struct checkpoints *cp)
{
    if (cp) {
        struct shash_node *node;
        SHASH_FOR_EACH_SAFE (node, &cp->seen) {
            seen_switch_free(node->data);
            shash_delete(&cp->seen, node);
        }
        shash_destroy(&cp->seen);
        checkpoint_docs_destroy(cp->docs);
        struct pending *p;
        LIST_FOR_EACH_POP (p, node, &cp->pending) {
            pending_free(p);
        }
        shash_destroy(&cp->files);
        shash_destroy_free_data(&cp->notes);
        shash_destroy_free_data(&cp->reverted);
        free(cp->dir);
        free(cp);
    }
}

/* The sequence number for the next checkpoint of switch 'uuid': one more
 * than the largest in the database or pending, so that names never repeat
 * across controller restarts. */
static unsigned long long int
next_sequence(const struct checkpoints *cp, struct ovsdb_idl *idl,
              const char *uuid)
{
    const struct dvsrec_snapshot *s;
    unsigned long long int max = 0;

    DVSREC_SNAPSHOT_FOR_EACH (s, idl) {
        const char *s_uuid = smap_get(&s->external_ids, "switch-uuid");
        unsigned long long int seq = smap_get_ullong(&s->external_ids,
                                                     "sequence", 0);
        if (!strcmp(s->kind, "checkpoint") && s_uuid && !strcmp(s_uuid, uuid)
            && seq > max) {
            max = seq;
        }
    }
    const struct pending *p;
    LIST_FOR_EACH (p, node, &cp->pending) {
        const char *colon = strrchr(p->name, ':');
        unsigned long long int seq = strtoull(colon + 1, NULL, 10);
        if (!strcmp(p->switch_uuid, uuid) && seq > max) {
            max = seq;
        }
    }
    return max + 1;
}

/* Queues the checkpoint of 'old', whose document it takes. */
static void
add_checkpoint(struct checkpoints *cp, struct ovsdb_idl *idl,
               const char *uuid, struct seen_switch *old, const char *what)
{
    struct pending *p = xzalloc(sizeof *p);
    unsigned long long int seq = next_sequence(cp, idl, uuid);

    p->name = xasprintf("checkpoint:%s:%llu", old->name, seq);
    p->switch_name = xstrdup(old->name);
    p->switch_uuid = xstrdup(uuid);
    p->data = old->data;
    old->data = NULL;
    p->description = xasprintf("before %s (switch at version %"PRId64")",
                               what, old->config_version);
    p->created = time_wall_msec();
    ovs_list_push_back(&cp->pending, &p->node);
    VLOG_INFO("switch %s: saving checkpoint %s", old->name, p->name);
}

/* The checkpoint document of 'sw' as it is now. */
static struct seen_switch *
seen_switch_create(struct checkpoints *cp, struct ovsdb_idl *idl,
                   const struct dvsrec_switch *sw)
{
    struct seen_switch *s = xzalloc(sizeof *s);

    s->name = xstrdup(sw->name);
    s->data = checkpoint_docs_document(cp->docs, idl, sw);
    s->config_version = sw->config_version;
    return s;
}

/* Compares the configuration of the switches in 'dirty' (or of every
 * switch, the first time) with the last seen and queues a checkpoint of
 * what changed. */
static void
detect_changes(struct checkpoints *cp, struct ovsdb_idl *idl,
               const struct sset *dirty)
{
    const struct dvsrec_switch *sw;

    if (!cp->primed) {
        DVSREC_SWITCH_FOR_EACH (sw, idl) {
            char uuid[UUID_LEN + 1];
            snprintf(uuid, sizeof uuid, UUID_FMT,
                     UUID_ARGS(&sw->header_.uuid));
            seen_switch_free(shash_replace(&cp->seen, uuid,
                                           seen_switch_create(cp, idl,
                                                              sw)));
        }
        cp->primed = true;
        return;
    }

    const char *uuid;
    SSET_FOR_EACH (uuid, dirty) {
        struct seen_switch *old = shash_find_data(&cp->seen, uuid);
        struct uuid u;

        sw = (uuid_from_string(&u, uuid)
              ? dvsrec_switch_get_for_uuid(idl, &u) : NULL);
        if (!sw) {
            /* A deleted switch's last configuration is a checkpoint too:
             * "dvs-ctl rollback --to" recreates the switch from it. */
            if (old) {
                add_checkpoint(cp, idl, uuid, old, "its deletion");
                seen_switch_free(shash_find_and_delete(&cp->seen, uuid));
            }
            checkpoint_docs_forget(cp->docs, &u);
            continue;
        }

        struct seen_switch *s = seen_switch_create(cp, idl, sw);
        if (old && strcmp(old->data, s->data)) {
            char *note = shash_find_and_delete(&cp->notes, uuid);
            char *what = (note
                          ? xasprintf("the revert of a change that %s", note)
                          : xstrdup("a change"));
            add_checkpoint(cp, idl, uuid, old, what);
            free(what);
            free(note);
        }
        seen_switch_free(shash_replace(&cp->seen, uuid, s));
    }
}

static const struct dvsrec_snapshot *
find_snapshot(struct ovsdb_idl *idl, const char *name)
{
    const struct dvsrec_snapshot *s;
    DVSREC_SNAPSHOT_FOR_EACH (s, idl) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}

static int
compare_sequence_desc(const void *a_, const void *b_)
{
    const struct dvsrec_snapshot *const *a = a_, *const *b = b_;
    int64_t sa = smap_get_ullong(&(*a)->external_ids, "sequence", 0);
    int64_t sb = smap_get_ullong(&(*b)->external_ids, "sequence", 0);
    return sa < sb ? 1 : sa > sb ? -1 : 0;
}

/* Deletes the oldest checkpoints of switch 'uuid' beyond the newest
 * 'cp->max'. */
static void
prune(struct checkpoints *cp, struct ovsdb_idl *idl, const char *uuid)
{
    const struct dvsrec_snapshot **list = NULL, *s;
    size_t n = 0, allocated = 0;

    DVSREC_SNAPSHOT_FOR_EACH (s, idl) {
        const char *s_uuid = smap_get(&s->external_ids, "switch-uuid");
        if (!strcmp(s->kind, "checkpoint") && s_uuid
            && !strcmp(s_uuid, uuid)) {
            if (n >= allocated) {
                list = x2nrealloc(list, &allocated, sizeof *list);
            }
            list[n++] = s;
        }
    }
    qsort(list, n, sizeof *list, compare_sequence_desc);
    for (size_t i = cp->max; i < n; i++) {
        dvsrec_snapshot_delete(list[i]);
    }
    free(list);
}

/* Writes the pending checkpoints into 'txn'. */
static void
write_pending(struct checkpoints *cp, struct ovsdb_idl *idl,
              struct ovsdb_idl_txn *txn)
{
    struct pending *p;
    bool any = false;

    if (!txn) {
        return;
    }
    LIST_FOR_EACH (p, node, &cp->pending) {
        if (p->written || find_snapshot(idl, p->name)) {
            continue;
        }
        p->written = any = true;

        const struct dvsrec_snapshot *s = dvsrec_snapshot_insert(txn);
        const char *colon = strrchr(p->name, ':');
        struct smap ids = SMAP_INITIALIZER(&ids);

        dvsrec_snapshot_set_name(s, p->name);
        dvsrec_snapshot_set_kind(s, "checkpoint");
        dvsrec_snapshot_set_scope(s, "switch");
        dvsrec_snapshot_set_target(s, p->switch_name);
        dvsrec_snapshot_set_description(s, p->description);
        dvsrec_snapshot_set_created(s, p->created);
        dvsrec_snapshot_set_format_version(s, DVS_SNAPSHOT_VERSION);
        dvsrec_snapshot_set_data(s, p->data);
        smap_add(&ids, "switch-uuid", p->switch_uuid);
        smap_add(&ids, "sequence", colon + 1);
        dvsrec_snapshot_set_external_ids(s, &ids);
        smap_destroy(&ids);
    }
    if (any) {
        LIST_FOR_EACH (p, node, &cp->pending) {
            prune(cp, idl, p->switch_uuid);
        }
        ovsdb_idl_txn_add_comment(txn, "dvs-controller: checkpoints");
    }
}

/* Tells how the transaction that checkpoints_run() last wrote into went:
 * 'result' is what ovsdb_idl_loop_commit_and_wait() returned (1 committed,
 * -1 in progress, 0 failed).  Committed checkpoints are done; failed ones
 * are written again. */
void
checkpoints_commit_result(struct checkpoints *cp, int result)
{
    struct pending *p;

    LIST_FOR_EACH_SAFE (p, node, &cp->pending) {
        if (p->written && result > 0) {
            ovs_list_remove(&p->node);
            pending_free(p);
        } else if (!result) {
            p->written = false;
        }
    }
}

/* The snapshot directory. */

static char *
snapshot_file_name(const struct checkpoints *cp, const char *name)
{
    char *file = xasprintf("%s/%s.json", cp->dir, name);
    for (char *p = file + strlen(cp->dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '_';
        }
    }
    return file;
}

static void
write_file(const struct checkpoints *cp, const struct dvsrec_snapshot *s)
{
    char *file = snapshot_file_name(cp, s->name);
    char *tmp = xasprintf("%s.tmp", file);
    char *text = dvs_snapshot_document(s);
    FILE *stream = fopen(tmp, "w");

    if (!stream || fprintf(stream, "%s\n", text) < 0 || fclose(stream)
        || rename(tmp, file)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: cannot write (%s)", file, ovs_strerror(errno));
        if (stream) {
            unlink(tmp);
        }
    }
    free(text);
    free(tmp);
    free(file);
}

/* Keeps 'cp->dir' in step with the Snapshot table: files for new rows,
 * and for every row once, on the first run; a file removed for a deleted
 * row. */
static void
sync_dir(struct checkpoints *cp, struct ovsdb_idl *idl, bool first)
{
    const struct dvsrec_snapshot *s;

    if (!cp->dir) {
        return;
    }
    if (first) {
        DVSREC_SNAPSHOT_FOR_EACH (s, idl) {
            write_file(cp, s);
            shash_replace(&cp->files, s->name, NULL);
        }
        return;
    }
    DVSREC_SNAPSHOT_FOR_EACH_TRACKED (s, idl) {
        if (dvsrec_snapshot_is_deleted(s)) {
            char *file = snapshot_file_name(cp, s->name);
            if (unlink(file) && errno != ENOENT) {
                VLOG_WARN("%s: cannot remove (%s)", file,
                          ovs_strerror(errno));
            }
            free(file);
            shash_find_and_delete(&cp->files, s->name);
        } else if (!shash_find(&cp->files, s->name)
                   || dvsrec_snapshot_is_updated(s,
                                                 DVSREC_SNAPSHOT_COL_DATA)) {
            write_file(cp, s);
            shash_replace(&cp->files, s->name, NULL);
        }
    }
}

void
checkpoints_run(struct checkpoints *cp, struct ovsdb_idl *idl,
                struct ovsdb_idl_txn *txn)
{
    bool first = !cp->primed;
    struct sset dirty = SSET_INITIALIZER(&dirty);

    if (!first) {
        checkpoint_docs_track(cp->docs, idl, &dirty);
    }
    if (first || !sset_is_empty(&dirty)) {
        detect_changes(cp, idl, &dirty);
    }
    sset_destroy(&dirty);
    write_pending(cp, idl, txn);
    sync_dir(cp, idl, first);
}

/* Automatic network rollback: host 'host' undid a change because it cut
 * the host off (see 'note').  Writes back into 'txn', from their newest
 * checkpoints, the switches of 'host' whose configuration changed since
 * 'since_msec' (when the host's good state was sent; if negative, that is
 * not known and nothing is reverted), so that the change is rejected as a
 * whole, as VDS does.  The checkpoint saved next for such a switch (the
 * rejected configuration) says why in its description. */
void
checkpoints_revert(struct checkpoints *cp, struct ovsdb_idl *idl,
                   struct ovsdb_idl_txn *txn, const char *host,
                   long long int since_msec, const char *note)
{
    const struct dvsrec_host_member *m;

    DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
        const struct dvsrec_switch *sw = m->switch_;
        if (!m->host || strcmp(m->host->name, host) || !sw) {
            continue;
        }

        char uuid[UUID_LEN + 1];
        snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&sw->header_.uuid));
        const long long int *reverted = shash_find_data(&cp->reverted, uuid);
        if (reverted && *reverted >= since_msec) {
            /* Another host reported the same change: it is reverted
             * already, and the newest checkpoint now holds the change
             * itself. */
            continue;
        }

        const struct dvsrec_snapshot *s
            = dvs_snapshot_latest_checkpoint(idl, sw);
        if (since_msec < 0 || !s || s->created <= since_msec) {
            VLOG_WARN("%s: switch %s: no change since the host's good state "
                      "to revert", note, sw->name);
            continue;
        }

        struct dvs_snapshot snap;
        char *error = dvs_snapshot_from_string(s->data, &snap);
        if (!error) {
            const struct dvs_snap_switch *ss = NULL;
            for (size_t i = 0; i < snap.n_switches; i++) {
                if (uuid_equals(&snap.switches[i].row.uuid,
                                &sw->header_.uuid)) {
                    ss = &snap.switches[i];
                }
            }
            error = (ss ? dvs_snapshot_apply(idl, txn, ss, DVS_APPLY_EXISTING,
                                             sw, NULL, false)
                     : xstrdup("the checkpoint does not hold the switch"));
            dvs_snapshot_destroy(&snap);
        }
        if (error) {
            VLOG_ERR("%s: switch %s: cannot revert to checkpoint %s: %s",
                     note, sw->name, s->name, error);
            free(error);
            continue;
        }
        VLOG_WARN("%s: switch %s: change rejected, configuration reverted "
                  "to checkpoint %s", note, sw->name, s->name);
        free(shash_replace(&cp->notes, uuid, xstrdup(note)));
        long long int *now = xmalloc(sizeof *now);
        *now = time_wall_msec();
        free(shash_replace(&cp->reverted, uuid, now));
        ovsdb_idl_txn_add_comment(txn, "dvs-controller: %s", note);
    }
}
