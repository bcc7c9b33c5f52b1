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

/* dvs-ctl commands for what the hosts see of the physical network: LLDP
 * neighbours (lldp-neighbors) and the network health check
 * (health-check-show, health-check-set). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "openvswitch/dynamic-string.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

/* The Host_Member rows of 'host' (every host if NULL) and of 'sw' (every
 * switch if NULL), by switch then host name. */
static int
compare_members(const void *a_, const void *b_)
{
    const struct dvsrec_host_member *const *a = a_;
    const struct dvsrec_host_member *const *b = b_;
    int cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);

    return cmp ? cmp : strcmp((*a)->host->name, (*b)->host->name);
}

static const struct dvsrec_host_member **
sorted_members(struct ctl_context *ctx, const struct dvsrec_switch *sw,
               const char *host, size_t *n)
{
    const struct dvsrec_host_member **list = NULL;
    const struct dvsrec_host_member *m;
    size_t allocated = 0;

    *n = 0;
    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if (m->switch_ && m->host && (!sw || m->switch_ == sw)
            && (!host || !strcmp(m->host->name, host))) {
            if (*n >= allocated) {
                list = x2nrealloc(list, &allocated, sizeof *list);
            }
            list[(*n)++] = m;
        }
    }
    if (*n) {
        qsort(list, *n, sizeof *list, compare_members);
    }
    return list;
}

static bool
host_exists(struct ctl_context *ctx, const char *name)
{
    const struct dvsrec_host *host;

    DVSREC_HOST_FOR_EACH (host, ctx->idl) {
        if (!strcmp(host->name, name)) {
            return true;
        }
    }
    ctl_error(ctx, "%s: no such host", name);
    return false;
}

static int
compare_neighbors(const void *a_, const void *b_)
{
    const struct dvsrec_lldp_neighbor *const *a = a_;
    const struct dvsrec_lldp_neighbor *const *b = b_;
    int cmp = strcmp((*a)->uplink, (*b)->uplink);

    if (!cmp) {
        cmp = strcmp((*a)->chassis_id, (*b)->chassis_id);
    }
    return cmp ? cmp : strcmp((*a)->port_id, (*b)->port_id);
}

/* The LLDP neighbours of 'm', sorted by uplink, chassis and port, in an
 * array to free. */
struct dvsrec_lldp_neighbor **
dvs_ctl_sorted_lldp_neighbors(const struct dvsrec_host_member *m)
{
    struct dvsrec_lldp_neighbor **list;

    list = xmalloc(m->n_lldp_neighbors * sizeof *list + 1);
    if (m->n_lldp_neighbors) {
        memcpy(list, m->lldp_neighbors, m->n_lldp_neighbors * sizeof *list);
        qsort(list, m->n_lldp_neighbors, sizeof *list, compare_neighbors);
    }
    return list;
}

static char *
text_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

/* lldp-neighbors [HOST]. */
static void
cmd_lldp_neighbors(struct ctl_context *ctx)
{
    const char *host = ctx->argc > 1 ? ctx->argv[1] : NULL;
    const struct dvsrec_host_member **members;
    size_t n_members;

    if (host && !host_exists(ctx, host)) {
        return;
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "host");
    table_add_column(t, "switch");
    table_add_column(t, "uplink");
    table_add_column(t, "chassis");
    table_add_column(t, "port");
    table_add_column(t, "system name");
    table_add_column(t, "port description");
    table_add_column(t, "management");
    table_add_column(t, "ttl");

    members = sorted_members(ctx, NULL, host, &n_members);
    for (size_t i = 0; i < n_members; i++) {
        const struct dvsrec_host_member *m = members[i];
        struct dvsrec_lldp_neighbor **list;
        size_t n = m->n_lldp_neighbors;

        list = dvs_ctl_sorted_lldp_neighbors(m);
        for (size_t j = 0; j < n; j++) {
            const struct dvsrec_lldp_neighbor *nb = list[j];

            table_add_row(t);
            table_add_cell(t)->text = xstrdup(m->host->name);
            table_add_cell(t)->text = xstrdup(m->switch_->name);
            table_add_cell(t)->text = xstrdup(nb->uplink);
            table_add_cell(t)->text = xstrdup(nb->chassis_id);
            table_add_cell(t)->text = xstrdup(nb->port_id);
            table_add_cell(t)->text = text_or_empty(nb->system_name);
            table_add_cell(t)->text = text_or_empty(nb->port_description);
            table_add_cell(t)->text = text_or_empty(nb->management_address);
            table_add_cell(t)->text = (nb->n_ttl
                                       ? xasprintf("%"PRId64, *nb->ttl)
                                       : xstrdup(""));
        }
        free(list);
    }
    free(members);
    ctx->table = t;
}

static char *
format_vlans(const int64_t *vlans, size_t n)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < n; i++) {
        /* Ranges of consecutive VLANs, as VDS shows them. */
        size_t j = i;
        while (j + 1 < n && vlans[j + 1] == vlans[j] + 1) {
            j++;
        }
        ds_put_format(&s, "%s%"PRId64, s.length ? "," : "", vlans[i]);
        if (j > i) {
            ds_put_format(&s, "-%"PRId64, vlans[j]);
        }
        i = j;
    }
    return ds_steal_cstr(&s);
}

static int
compare_results(const void *a_, const void *b_)
{
    const struct dvsrec_health_check_result *const *a = a_;
    const struct dvsrec_health_check_result *const *b = b_;

    return strcmp((*a)->uplink, (*b)->uplink);
}

/* The health check results of 'm', sorted by uplink, in an array to
 * free. */
struct dvsrec_health_check_result **
dvs_ctl_sorted_health_check_results(const struct dvsrec_host_member *m)
{
    struct dvsrec_health_check_result **list;
    size_t n = m->n_health_check_results;

    list = xmalloc(n * sizeof *list + 1);
    if (n) {
        memcpy(list, m->health_check_results, n * sizeof *list);
        qsort(list, n, sizeof *list, compare_results);
    }
    return list;
}

/* health-check-show [SWITCH] [HOST]. */
static void
cmd_health_check_show(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = NULL;
    const char *host = ctx->argc > 2 ? ctx->argv[2] : NULL;
    const struct dvsrec_host_member **members;
    size_t n_members;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    if (host && !host_exists(ctx, host)) {
        return;
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "switch");
    table_add_column(t, "host");
    table_add_column(t, "uplink");
    table_add_column(t, "trunked");
    table_add_column(t, "untrunked");
    table_add_column(t, "mtu ok");
    table_add_column(t, "mtu failed");
    table_add_column(t, "teaming");

    members = sorted_members(ctx, sw, host, &n_members);
    for (size_t i = 0; i < n_members; i++) {
        const struct dvsrec_host_member *m = members[i];
        struct dvsrec_health_check_result **list;
        size_t n = m->n_health_check_results;

        list = dvs_ctl_sorted_health_check_results(m);
        for (size_t j = 0; j < n; j++) {
            const struct dvsrec_health_check_result *r = list[j];

            table_add_row(t);
            table_add_cell(t)->text = xstrdup(m->switch_->name);
            table_add_cell(t)->text = xstrdup(m->host->name);
            table_add_cell(t)->text = xstrdup(r->uplink);
            table_add_cell(t)->text = format_vlans(r->trunked_vlans,
                                                   r->n_trunked_vlans);
            table_add_cell(t)->text = format_vlans(r->untrunked_vlans,
                                                   r->n_untrunked_vlans);
            table_add_cell(t)->text = format_vlans(r->vlans_mtu_ok,
                                                   r->n_vlans_mtu_ok);
            table_add_cell(t)->text = format_vlans(r->vlans_mtu_failed,
                                                   r->n_vlans_mtu_failed);
            table_add_cell(t)->text = text_or_empty(r->teaming_status);
        }
        free(list);
    }
    free(members);
    ctx->table = t;
}

/* health-check-set SWITCH [vlan-mtu=BOOL] [teaming=BOOL] [interval=SECS]:
 * the switch settings health-check-vlan-mtu, health-check-teaming and
 * health-check-interval (which dvs-set also sets). */
static void
cmd_health_check_set(struct ctl_context *ctx)
{
    static const char *const names[] = { "vlan-mtu", "teaming", "interval" };
    const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                                                         true);
    char **settings;
    int n = ctx->argc - 2;

    if (!sw || !dvs_ctl_check_config_version(ctx, "switch", sw->name,
                                             sw->config_version)) {
        return;
    }
    settings = xmalloc(n * sizeof *settings);
    for (int i = 0; i < n; i++) {
        const char *arg = ctx->argv[i + 2];
        const char *eq = strchr(arg, '=');
        bool known = false;

        for (size_t j = 0; eq && j < ARRAY_SIZE(names); j++) {
            known = known || (strlen(names[j]) == eq - arg
                              && !strncmp(arg, names[j], eq - arg));
        }
        if (!known) {
            ctl_error(ctx, "\"%s\": expected vlan-mtu=BOOL, teaming=BOOL or "
                      "interval=SECS", arg);
            for (int k = 0; k < i; k++) {
                free(settings[k]);
            }
            free(settings);
            return;
        }
        settings[i] = xasprintf("health-check-%s", arg);
    }
    if (dvs_ctl_apply_settings(ctx, DVS_SWITCH, &sw->header_, sw, NULL,
                               settings, n)) {
        dvs_ctl_bump_version(&sw->header_, &dvsrec_switch_col_config_version,
                             sw->config_version);
    }
    for (int i = 0; i < n; i++) {
        free(settings[i]);
    }
    free(settings);
}

const struct ctl_command_syntax dvs_ctl_lldp_commands[] = {
    {"lldp-neighbors", 0, 1, "[HOST]", NULL, cmd_lldp_neighbors, NULL, "",
     RO},
    {"health-check-show", 0, 2, "[SWITCH] [HOST]", NULL,
     cmd_health_check_show, NULL, "", RO},
    {"health-check-set", 2, 4, "SWITCH [vlan-mtu=BOOL] [teaming=BOOL] "
     "[interval=SECS]", NULL, cmd_health_check_set, NULL,
     "--config-version=", RW},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
