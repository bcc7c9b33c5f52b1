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

/* dvs-ctl commands for a switch's private VLAN map (pvlan-*).
 *
 * The map follows VDS: a private VLAN is a primary VLAN, whose own entry
 * (primary = secondary) is promiscuous and is added first and deleted
 * last, and secondary VLANs, each isolated (at most one per primary) or a
 * community.  Ports join with pvlan=SECONDARY. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

static bool
has_option(const struct ctl_context *ctx, const char *option)
{
    return shash_find(&ctx->options, option) != NULL;
}

/* Parses VLAN ID 'arg', for argument 'what', into '*vlan'.  VLANs 0 and
 * 4095 are reserved. */
static bool
parse_vlan(struct ctl_context *ctx, const char *what, const char *arg,
           int64_t *vlan)
{
    char *error = dvs_parse_integer(arg, 1, 4094, vlan);

    if (error) {
        ctl_error(ctx, "%s: %s", what, error);
        free(error);
        return false;
    }
    return true;
}

/* Returns the description of an object of 'sw' that uses VLAN 'vlan' in a
 * way that a secondary VLAN cannot be used (as its vlan, or as its pvlan
 * when it stops being one), e.g. "portgroup pg1 (vlan=101)", to free, or
 * NULL. */
static char *
find_vlan_user(struct ctl_context *ctx, const struct dvsrec_switch *sw,
               const char *key, int64_t vlan)
{
    bool pvlan = !strcmp(key, "pvlan");
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;

#define USES(ROW) \
    (pvlan ? (ROW)->n_pvlan && *(ROW)->pvlan == vlan \
           : (ROW)->n_vlan && *(ROW)->vlan == vlan)

    if (USES(sw)) {
        return xasprintf("switch %s (%s=%"PRId64")", sw->name, key, vlan);
    }
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw && USES(pg)) {
            return xasprintf("portgroup %s (%s=%"PRId64")", pg->name, key,
                             vlan);
        }
    }
    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (port->portgroup && port->portgroup->switch_ == sw
            && USES(port)) {
            return xasprintf("port %s (%s=%"PRId64")", port->name, key,
                             vlan);
        }
    }
#undef USES
    return NULL;
}

/* pvlan-add SWITCH PRIMARY [SECONDARY TYPE]. */
static void
cmd_pvlan_add(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_pvlan_entry *e;
    int64_t primary, secondary;
    const char *type;
    char *user;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    if (!sw || !parse_vlan(ctx, "primary VLAN", ctx->argv[2], &primary)) {
        return;
    }
    if (ctx->argc == 4) {
        ctl_error(ctx, "pvlan-add: give both a secondary VLAN and its type "
                  "(isolated or community), or neither for the primary "
                  "VLAN's own entry");
        return;
    }
    if (ctx->argc > 3) {
        if (!parse_vlan(ctx, "secondary VLAN", ctx->argv[3], &secondary)) {
            return;
        }
        type = ctx->argv[4];
    } else {
        secondary = primary;
        type = "promiscuous";
    }
    if (strcmp(type, "promiscuous") && strcmp(type, "isolated")
        && strcmp(type, "community")) {
        ctl_error(ctx, "%s: not a private VLAN type (accepted: isolated, "
                  "community, or promiscuous for the primary VLAN's own "
                  "entry)", type);
        return;
    }
    if ((primary == secondary) != !strcmp(type, "promiscuous")) {
        ctl_error(ctx, primary == secondary
                  ? "%"PRId64": a primary VLAN's own entry is promiscuous"
                  : "%"PRId64": only a primary VLAN's own entry is "
                    "promiscuous (a secondary VLAN is isolated or "
                    "community)", secondary);
        return;
    }

    e = dvs_ctl_find_pvlan_entry(ctx, sw, secondary);
    if (e) {
        if (has_option(ctx, "--may-exist") && e->primary_vlan == primary
            && !strcmp(e->type, type)) {
            return;
        }
        ctl_error(ctx, "VLAN %"PRId64" is already in the private VLAN map "
                  "of switch %s (primary %"PRId64", %s)", secondary,
                  sw->name, e->primary_vlan, e->type);
        return;
    }

    if (primary != secondary) {
        const struct dvsrec_pvlan_entry *p
            = dvs_ctl_find_pvlan_entry(ctx, sw, primary);

        if (!p || p->primary_vlan != primary) {
            ctl_error(ctx, "primary VLAN %"PRId64" is not in the private "
                      "VLAN map of switch %s%s", primary, sw->name,
                      p ? " as a primary VLAN"
                        : " (add it first: pvlan-add SWITCH PRIMARY)");
            return;
        }
        if (!strcmp(type, "isolated")) {
            DVSREC_PVLAN_ENTRY_FOR_EACH (p, ctx->idl) {
                if (p->switch_ == sw && p->primary_vlan == primary
                    && !strcmp(p->type, "isolated")) {
                    ctl_error(ctx, "private VLAN %"PRId64" already has an "
                              "isolated VLAN, %"PRId64" (a private VLAN "
                              "has at most one)", primary,
                              p->secondary_vlan);
                    return;
                }
            }
        }
        /* A secondary VLAN carries only its ports' frames. */
        user = find_vlan_user(ctx, sw, "vlan", secondary);
        if (user) {
            ctl_error(ctx, "VLAN %"PRId64" is used by %s: a secondary VLAN "
                      "is joined with pvlan=%"PRId64, secondary, user,
                      secondary);
            free(user);
            return;
        }
    }

    e = dvsrec_pvlan_entry_insert(ctx->txn);
    dvsrec_pvlan_entry_set_switch_(e, sw);
    dvsrec_pvlan_entry_set_primary_vlan(e, primary);
    dvsrec_pvlan_entry_set_secondary_vlan(e, secondary);
    dvsrec_pvlan_entry_set_type(e, type);
}

/* pvlan-del SWITCH VLAN. */
static void
cmd_pvlan_del(struct ctl_context *ctx)
{
    const struct dvsrec_pvlan_entry *e, *other;
    const struct dvsrec_switch *sw;
    int64_t vlan;
    char *user;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    if (!sw || !parse_vlan(ctx, "VLAN", ctx->argv[2], &vlan)) {
        return;
    }
    e = dvs_ctl_find_pvlan_entry(ctx, sw, vlan);
    if (!e) {
        if (!has_option(ctx, "--if-exists")) {
            ctl_error(ctx, "VLAN %"PRId64" is not in the private VLAN map of "
                      "switch %s", vlan, sw->name);
        }
        return;
    }
    if (e->primary_vlan == vlan) {
        const struct dvsrec_pvlan_entry *first = NULL;

        /* Names the lowest, so that the message is always the same. */
        DVSREC_PVLAN_ENTRY_FOR_EACH (other, ctx->idl) {
            if (other->switch_ == sw && other->primary_vlan == vlan
                && other != e
                && (!first || other->secondary_vlan < first->secondary_vlan)) {
                first = other;
            }
        }
        if (first) {
            ctl_error(ctx, "private VLAN %"PRId64" still has secondary VLAN "
                      "%"PRId64" (%s): delete its secondary VLANs first",
                      vlan, first->secondary_vlan, first->type);
            return;
        }
    }
    user = find_vlan_user(ctx, sw, "pvlan", vlan);
    if (user) {
        ctl_error(ctx, "VLAN %"PRId64" is still used by %s", vlan, user);
        free(user);
        return;
    }
    dvsrec_pvlan_entry_delete(e);
}

static int
compare_entries(const void *a_, const void *b_)
{
    const struct dvsrec_pvlan_entry *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);

    return (cmp ? cmp
            : (*a)->primary_vlan != (*b)->primary_vlan
            ? ((*a)->primary_vlan > (*b)->primary_vlan ? 1 : -1)
            : (*a)->secondary_vlan != (*b)->secondary_vlan
            ? ((*a)->secondary_vlan > (*b)->secondary_vlan ? 1 : -1)
            : 0);
}

/* pvlan-list [SWITCH]. */
static void
cmd_pvlan_list(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_pvlan_entry **entries = NULL;
    const struct dvsrec_pvlan_entry *e;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    DVSREC_PVLAN_ENTRY_FOR_EACH (e, ctx->idl) {
        if (!sw || e->switch_ == sw) {
            if (n >= allocated) {
                entries = x2nrealloc(entries, &allocated, sizeof *entries);
            }
            entries[n++] = e;
        }
    }
    if (n) {
        qsort(entries, n, sizeof *entries, compare_entries);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "switch");
    table_add_column(t, "primary");
    table_add_column(t, "secondary");
    table_add_column(t, "type");
    for (size_t i = 0; i < n; i++) {
        e = entries[i];
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(e->switch_->name);
        table_add_cell(t)->text = xasprintf("%"PRId64, e->primary_vlan);
        table_add_cell(t)->text = xasprintf("%"PRId64, e->secondary_vlan);
        table_add_cell(t)->text = xstrdup(e->type);
    }
    ctx->table = t;
    free(entries);
}

const struct ctl_command_syntax dvs_ctl_pvlan_commands[] = {
    {"pvlan-add", 2, 4, "SWITCH PRIMARY [SECONDARY TYPE]", NULL,
     cmd_pvlan_add, NULL, "--may-exist", RW},
    {"pvlan-del", 2, 2, "SWITCH VLAN", NULL, cmd_pvlan_del, NULL,
     "--if-exists", RW},
    {"pvlan-list", 0, 1, "[SWITCH]", NULL, cmd_pvlan_list, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
