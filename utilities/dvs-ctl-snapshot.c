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

/* dvs-ctl commands for configuration snapshots (snapshot-*), their export
 * and import, and rollback to a snapshot or to the checkpoint that
 * dvs-controller saved before the last change.  The snapshot format is in
 * lib/dvs-snapshot.c and Documentation/snapshots.md. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "table.h"
#include "timeval.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

static const char *
option(const struct ctl_context *ctx, const char *name)
{
    struct shash_node *node = shash_find(&ctx->options, name);
    return node ? (node->data ? node->data : "") : NULL;
}

static const struct dvsrec_snapshot *
find_snapshot(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct dvsrec_snapshot *s;
    DVSREC_SNAPSHOT_FOR_EACH (s, ctx->idl) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    if (must_exist) {
        ctl_error(ctx, "no snapshot named %s", name);
    }
    return NULL;
}

/* Reads the content of 's'; on error reports it and returns false. */
static bool
read_snapshot(struct ctl_context *ctx, const struct dvsrec_snapshot *s,
              struct dvs_snapshot *snap)
{
    char *error = dvs_snapshot_from_string(s->data, snap);
    if (error) {
        ctl_error(ctx, "snapshot %s is unreadable: %s", s->name, error);
        free(error);
        return false;
    }
    return true;
}

/* Prerequisite of the commands that read the content of snapshots, which
 * dvs-ctl does not replicate otherwise (see dvs-ctl-replica.c), besides the
 * whole database. */
static void
pre_snapshot_data(struct ctl_context *ctx)
{
    dvs_ctl_pre_db(ctx);
    ovsdb_idl_add_column(ctx->idl, &dvsrec_snapshot_col_data);
}

/* snapshot-create NAME [SWITCH] */
static void
cmd_snapshot_create(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const struct dvsrec_switch *sw = NULL;

    if (!dvs_ctl_check_name(ctx, "snapshot", name, 80)) {
        return;
    }
    if (find_snapshot(ctx, name, false)) {
        ctl_error(ctx, "snapshot %s already exists", name);
        return;
    }
    if (ctx->argc > 2) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[2], true);
        if (!sw) {
            return;
        }
    }

    struct dvs_snapshot snap;
    dvs_snapshot_from_idl(ctx->idl, sw, true, &snap);
    char *data = dvs_snapshot_to_string(&snap);
    dvs_snapshot_destroy(&snap);

    const struct dvsrec_snapshot *s = dvsrec_snapshot_insert(ctx->txn);
    dvsrec_snapshot_set_name(s, name);
    dvsrec_snapshot_set_kind(s, "snapshot");
    dvsrec_snapshot_set_scope(s, sw ? "switch" : "global");
    dvsrec_snapshot_set_target(s, sw ? sw->name : "");
    dvsrec_snapshot_set_description(s, option(ctx, "--description")
                                       ? option(ctx, "--description") : "");
    dvsrec_snapshot_set_created(s, time_wall_msec());
    dvsrec_snapshot_set_format_version(s, DVS_SNAPSHOT_VERSION);
    dvsrec_snapshot_set_data(s, data);
    if (sw) {
        char *uuid = xasprintf(UUID_FMT, UUID_ARGS(&sw->header_.uuid));
        const struct smap ids = SMAP_CONST1(&ids, "switch-uuid", uuid);
        dvsrec_snapshot_set_external_ids(s, &ids);
        free(uuid);
    }
    free(data);
}

static int
compare_snapshots(const void *a_, const void *b_)
{
    const struct dvsrec_snapshot *const *a = a_, *const *b = b_;
    return ((*a)->created != (*b)->created
            ? ((*a)->created < (*b)->created ? -1 : 1)
            : strcmp((*a)->name, (*b)->name));
}

/* snapshot-list [SWITCH] */
static void
cmd_snapshot_list(struct ctl_context *ctx)
{
    const struct dvsrec_snapshot **list = NULL, *s;
    size_t n = 0, allocated = 0;

    DVSREC_SNAPSHOT_FOR_EACH (s, ctx->idl) {
        if (ctx->argc > 1 && strcmp(s->target, ctx->argv[1])) {
            continue;
        }
        if (n >= allocated) {
            list = x2nrealloc(list, &allocated, sizeof *list);
        }
        list[n++] = s;
    }
    qsort(list, n, sizeof *list, compare_snapshots);

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "name");
    table_add_column(t, "kind");
    table_add_column(t, "switch");
    table_add_column(t, "created");
    table_add_column(t, "description");
    for (size_t i = 0; i < n; i++) {
        s = list[i];
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(s->name);
        table_add_cell(t)->text = xstrdup(s->kind);
        table_add_cell(t)->text = xstrdup(*s->target ? s->target : "(all)");
        table_add_cell(t)->text = xastrftime_msec("%Y-%m-%d %H:%M:%S",
                                                  s->created, true);
        table_add_cell(t)->text = xstrdup(s->description);
    }
    ctx->table = t;
    free(list);
}

/* snapshot-show NAME */
static void
cmd_snapshot_show(struct ctl_context *ctx)
{
    const struct dvsrec_snapshot *s = find_snapshot(ctx, ctx->argv[1], true);
    if (s) {
        char *text = dvs_snapshot_document(s);
        ds_put_format(&ctx->output, "%s\n", text);
        free(text);
    }
}

/* snapshot-delete NAME */
static void
cmd_snapshot_delete(struct ctl_context *ctx)
{
    const struct dvsrec_snapshot *s
        = find_snapshot(ctx, ctx->argv[1], !option(ctx, "--if-exists"));
    if (s) {
        dvsrec_snapshot_delete(s);
    }
}

/* snapshot-export NAME FILE */
static void
cmd_snapshot_export(struct ctl_context *ctx)
{
    const struct dvsrec_snapshot *s = find_snapshot(ctx, ctx->argv[1], true);
    const char *file = ctx->argv[2];
    struct dvs_snapshot snap;

    if (!s || !read_snapshot(ctx, s, &snap)) {
        return;
    }
    dvs_snapshot_destroy(&snap);

    char *text = dvs_snapshot_document(s);
    if (!strcmp(file, "-")) {
        ds_put_format(&ctx->output, "%s\n", text);
    } else {
        char *tmp = xasprintf("%s.tmp", file);
        FILE *stream = fopen(tmp, "w");
        if (!stream
            || fprintf(stream, "%s\n", text) < 0
            || fclose(stream)
            || rename(tmp, file)) {
            ctl_error(ctx, "%s: cannot write (%s)", file,
                      ovs_strerror(errno));
            if (stream) {
                unlink(tmp);
            }
        }
        free(tmp);
    }
    free(text);
}

/* Reads a snapshot document from 'file'.  (Not from standard input: the
 * command runs again if the transaction must be retried.) */
static bool
read_snapshot_file(struct ctl_context *ctx, const char *file,
                   struct dvs_snapshot *snap)
{
    struct json *json = json_from_file(file);
    char *error = NULL;

    if (json->type == JSON_STRING) {
        error = xasprintf("not a snapshot: %s", json_string(json));
    } else {
        error = dvs_snapshot_from_json(json, snap);
    }
    json_destroy(json);
    if (error) {
        ctl_error(ctx, "%s: %s", file, error);
        free(error);
        return false;
    }
    return true;
}

/* Applies the switches of 'snap' (only 'only' if nonnull) in 'mode'. */
static void
import_switches(struct ctl_context *ctx, const struct dvs_snapshot *snap,
                const char *only, enum dvs_snapshot_apply_mode mode,
                const struct dvsrec_switch *target, const char *new_name)
{
    size_t n_applied = 0;

    for (size_t i = 0; i < snap->n_switches; i++) {
        const struct dvs_snap_switch *ss = &snap->switches[i];
        if (only && strcmp(dvs_snap_row_name(&ss->row), only)) {
            continue;
        }
        char *error = dvs_snapshot_apply(ctx->idl, ctx->txn, ss, mode,
                                         target, new_name,
                                         option(ctx, "--force") != NULL);
        if (error) {
            ctl_error(ctx, "%s", error);
            free(error);
            return;
        }
        n_applied++;
    }
    if (!n_applied) {
        ctl_error(ctx, only ? "the snapshot has no switch named %s"
                  : "the snapshot has no switch%s", only ? only : "");
    }
}

/* snapshot-import FILE [SWITCH] */
static void
cmd_snapshot_import(struct ctl_context *ctx)
{
    const char *only = ctx->argc > 2 ? ctx->argv[2] : NULL;
    const char *apply_to = option(ctx, "--apply-to");
    const char *new_name = option(ctx, "--name");
    bool original = option(ctx, "--original-identity") != NULL;
    const struct dvsrec_switch *target = NULL;
    struct dvs_snapshot snap;

    if (apply_to && original) {
        ctl_error(ctx, "--apply-to and --original-identity are exclusive");
        return;
    }
    if (apply_to) {
        target = dvs_ctl_find_switch(ctx, apply_to, true);
        if (!target
            || !dvs_ctl_check_config_version(ctx, "switch", target->name,
                                             target->config_version)) {
            return;
        }
    }
    if (new_name && !dvs_ctl_check_name(ctx, "switch", new_name,
                                        DVS_SWITCH_NAME_MAX)) {
        return;
    }
    if (!read_snapshot_file(ctx, ctx->argv[1], &snap)) {
        return;
    }
    if (!only && (target || new_name) && snap.n_switches > 1) {
        ctl_error(ctx, "%s holds %"PRIuSIZE" switches: name the one to "
                  "import", ctx->argv[1], snap.n_switches);
    } else {
        import_switches(ctx, &snap, only,
                        (target ? DVS_APPLY_EXISTING
                         : original ? DVS_APPLY_ORIGINAL_IDENTITY
                         : DVS_APPLY_NEW_IDENTITY),
                        target, new_name);
    }
    dvs_snapshot_destroy(&snap);
}

/* Finds, in 'snap', the switch that is 'sw' (same UUID, else same name). */
static const struct dvs_snap_switch *
snapshot_switch_for(const struct dvs_snapshot *snap,
                    const struct dvsrec_switch *sw)
{
    for (size_t i = 0; i < snap->n_switches; i++) {
        if (uuid_equals(&snap->switches[i].row.uuid, &sw->header_.uuid)) {
            return &snap->switches[i];
        }
    }
    return dvs_snapshot_find_switch(snap, sw->name);
}

/* rollback with no target: every switch of a snapshot, applied to the
 * switch it was taken of, or recreated with its identity if it is gone. */
static void
rollback_everything(struct ctl_context *ctx, const struct dvs_snapshot *snap)
{
    for (size_t i = 0; i < snap->n_switches; i++) {
        const struct dvs_snap_switch *ss = &snap->switches[i];
        const struct dvsrec_switch *sw
            = dvsrec_switch_get_for_uuid(ctx->idl, &ss->row.uuid);
        if (!sw) {
            sw = dvs_ctl_find_switch(ctx, dvs_snap_row_name(&ss->row), false);
        }
        char *error = dvs_snapshot_apply(
            ctx->idl, ctx->txn, ss,
            sw ? DVS_APPLY_EXISTING : DVS_APPLY_ORIGINAL_IDENTITY, sw, NULL,
            option(ctx, "--force") != NULL);
        if (error) {
            ctl_error(ctx, "%s", error);
            free(error);
            return;
        }
    }
}

/* rollback [SWITCH|PG] [--to=SNAPSHOT] */
static void
cmd_rollback(struct ctl_context *ctx)
{
    const char *to = option(ctx, "--to");
    const struct dvsrec_portgroup *pg = NULL;
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_snapshot *s;
    struct dvs_snapshot snap;

    if (ctx->argc < 2 && !to) {
        ctl_error(ctx, "rollback: name a switch or portgroup, or a "
                  "snapshot with --to");
        return;
    }
    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], false);
        if (!sw) {
            pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1], false);
            if (!pg) {
                ctl_error(ctx, "no switch or portgroup named %s",
                          ctx->argv[1]);
                return;
            }
            sw = pg->switch_;
        }
        if (!(pg ? dvs_ctl_check_config_version(ctx, "portgroup", pg->name,
                                                pg->config_version)
              : dvs_ctl_check_config_version(ctx, "switch", sw->name,
                                             sw->config_version))) {
            return;
        }
    }

    if (to) {
        s = find_snapshot(ctx, to, true);
    } else {
        s = dvs_snapshot_latest_checkpoint(ctx->idl, sw);
        if (!s) {
            ctl_error(ctx, "switch %s has no checkpoint (dvs-controller "
                      "saves one before each change it sees)", sw->name);
        }
    }
    if (!s || !read_snapshot(ctx, s, &snap)) {
        return;
    }

    char *error = NULL;
    if (!sw) {
        rollback_everything(ctx, &snap);
    } else if (pg) {
        const struct dvs_snap_switch *ss = snapshot_switch_for(&snap, sw);
        const struct dvs_snap_portgroup *sp = NULL;
        for (size_t i = 0; ss && i < ss->n_portgroups; i++) {
            if (uuid_equals(&ss->portgroups[i].row.uuid, &pg->header_.uuid)
                || !strcmp(dvs_snap_row_name(&ss->portgroups[i].row),
                           pg->name)) {
                sp = &ss->portgroups[i];
                break;
            }
        }
        error = (sp ? dvs_snapshot_apply_portgroup(ctx->idl, ctx->txn, sp,
                                                   ss->has_ports, pg)
                 : xasprintf("snapshot %s does not hold portgroup %s",
                             s->name, pg->name));
    } else {
        const struct dvs_snap_switch *ss = snapshot_switch_for(&snap, sw);
        error = (ss ? dvs_snapshot_apply(ctx->idl, ctx->txn, ss,
                                         DVS_APPLY_EXISTING, sw, NULL,
                                         option(ctx, "--force") != NULL)
                 : xasprintf("snapshot %s does not hold switch %s",
                             s->name, sw->name));
    }
    if (error) {
        ctl_error(ctx, "%s", error);
        free(error);
    }
    dvs_snapshot_destroy(&snap);
}

const struct ctl_command_syntax dvs_ctl_snapshot_commands[] = {
    {"snapshot-create", 1, 2, "NAME [SWITCH]", NULL, cmd_snapshot_create,
     NULL, "--description=", RW},
    {"snapshot-list", 0, 1, "[SWITCH]", NULL, cmd_snapshot_list, NULL, "",
     RO},
    {"snapshot-show", 1, 1, "NAME", pre_snapshot_data, cmd_snapshot_show,
     NULL, "", RO},
    {"snapshot-delete", 1, 1, "NAME", NULL, cmd_snapshot_delete, NULL,
     "--if-exists", RW},
    {"snapshot-export", 2, 2, "NAME FILE", pre_snapshot_data,
     cmd_snapshot_export, NULL,
     "", RO},
    {"snapshot-import", 1, 2, "FILE [SWITCH]", NULL, cmd_snapshot_import,
     NULL, "--original-identity,--apply-to=,--name=,--config-version=,"
     "--force", RW},
    {"rollback", 0, 1, "[SWITCH|PG]", pre_snapshot_data, cmd_rollback,
     NULL, "--to=,--config-version=,--force", RW},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
