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

/* dvs-ctl commands for switches (dvs-*) and their host members (host-*). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

static bool
has_option(const struct ctl_context *ctx, const char *option)
{
    return shash_find(&ctx->options, option) != NULL;
}

static void
cmd_dvs_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const struct dvsrec_switch *sw;

    if (!dvs_ctl_check_name(ctx, "switch", name, DVS_SWITCH_NAME_MAX)) {
        return;
    }
    sw = dvs_ctl_find_switch(ctx, name, false);
    if (sw) {
        if (!has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "switch %s already exists", name);
        }
        return;
    }

    sw = dvsrec_switch_insert(ctx->txn);
    dvsrec_switch_set_name(sw, name);
    dvsrec_switch_set_config_version(sw, 1);

    /* A new switch has the default uplinks (uplink1..uplink4, as VDS). */
    char *default_uplinks[] = { "uplinks=default" };
    if (dvs_ctl_apply_settings(ctx, DVS_SWITCH, &sw->header_, sw, NULL,
                               default_uplinks, 1)) {
        dvs_ctl_apply_settings(ctx, DVS_SWITCH, &sw->header_, sw, NULL,
                               ctx->argv + 2, ctx->argc - 2);
    }
}

static void
cmd_dvs_del(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_portgroup *pg;
    struct svec pgs = SVEC_EMPTY_INITIALIZER;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                             !has_option(ctx, "--if-exists"));
    if (!sw) {
        return;
    }

    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw) {
            svec_add(&pgs, pg->name);
        }
    }
    if (pgs.n && !has_option(ctx, "--force")) {
        svec_sort(&pgs);
        char *list = svec_join(&pgs, ", ", "");
        ctl_error(ctx, "switch %s still has %"PRIuSIZE" portgroup%s (%s): "
                  "delete them first, or use --force to delete them and "
                  "their ports", sw->name, pgs.n, pgs.n > 1 ? "s" : "", list);
        free(list);
        svec_destroy(&pgs);
        return;
    }
    svec_destroy(&pgs);

    /* Everything that belongs to the switch goes with it; snapshots stay,
     * so that a deleted switch can be restored. */
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw) {
            dvs_ctl_delete_portgroup(pg);
        }
    }
    const struct dvsrec_host_member *m;
    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if (m->switch_ == sw) {
            dvsrec_host_member_delete(m);
        }
    }
    const struct dvsrec_lag *lag;
    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        if (lag->switch_ == sw) {
            dvsrec_lag_delete(lag);
        }
    }
    const struct dvsrec_pvlan_entry *e;
    DVSREC_PVLAN_ENTRY_FOR_EACH (e, ctx->idl) {
        if (e->switch_ == sw) {
            dvsrec_pvlan_entry_delete(e);
        }
    }
    const struct dvsrec_mirror_session *mirror;
    DVSREC_MIRROR_SESSION_FOR_EACH (mirror, ctx->idl) {
        if (mirror->switch_ == sw) {
            dvsrec_mirror_session_delete(mirror);
        }
    }
    dvsrec_switch_delete(sw);
}

static int
compare_switches(const void *a_, const void *b_)
{
    const struct dvsrec_switch *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static void
cmd_dvs_list(struct ctl_context *ctx)
{
    const struct dvsrec_switch **switches = NULL;
    const struct dvsrec_switch *sw;
    size_t n = 0, allocated = 0;

    DVSREC_SWITCH_FOR_EACH (sw, ctx->idl) {
        if (n >= allocated) {
            switches = x2nrealloc(switches, &allocated, sizeof *switches);
        }
        switches[n++] = sw;
    }
    if (n) {
        qsort(switches, n, sizeof *switches, compare_switches);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "name");
    table_add_column(t, "mtu");
    table_add_column(t, "hosts");
    table_add_column(t, "portgroups");
    table_add_column(t, "ports");
    for (size_t i = 0; i < n; i++) {
        const struct dvsrec_host_member *m;
        const struct dvsrec_portgroup *pg;
        size_t n_hosts = 0, n_pgs = 0, n_ports = 0;

        sw = switches[i];
        DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
            n_hosts += m->switch_ == sw;
        }
        DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
            if (pg->switch_ == sw) {
                n_pgs++;
                n_ports += dvs_ctl_index_count_ports(pg);
            }
        }
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(sw->name);
        table_add_cell(t)->text = xasprintf("%"PRId64,
                                            sw->n_mtu ? *sw->mtu : 1500);
        table_add_cell(t)->text = xasprintf("%"PRIuSIZE, n_hosts);
        table_add_cell(t)->text = xasprintf("%"PRIuSIZE, n_pgs);
        table_add_cell(t)->text = xasprintf("%"PRIuSIZE, n_ports);
    }
    ctx->table = t;
    free(switches);
}

static void
cmd_dvs_set(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                                                         true);
    if (sw
        && dvs_ctl_check_config_version(ctx, "switch", sw->name,
                                        sw->config_version)
        && dvs_ctl_apply_settings(ctx, DVS_SWITCH, &sw->header_, sw, NULL,
                                     ctx->argv + 2, ctx->argc - 2)) {
        dvs_ctl_bump_version(&sw->header_, &dvsrec_switch_col_config_version,
                             sw->config_version);
    }
}

static void
cmd_dvs_get(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                                                         true);
    if (sw) {
        dvs_ctl_get_settings(ctx, DVS_SWITCH, sw, NULL, NULL,
                             ctx->argc > 2 ? ctx->argv[2] : NULL);
    }
}

/* Host members. */

static bool
set_member_vtep_ip(struct ctl_context *ctx,
                   const struct dvsrec_host_member *m, const char *value)
{
    const struct dvsrec_host_member *other;
    char *ip, *error;

    if (!*value) {
        dvsrec_host_member_set_vtep_ip(m, NULL);
        return true;
    }
    error = dvs_parse_ip(value, &ip);
    if (error) {
        ctl_error(ctx, "vtep-ip: %s", error);
        free(error);
        return false;
    }
    DVSREC_HOST_MEMBER_FOR_EACH (other, ctx->idl) {
        if (other != m && other->switch_ == m->switch_ && other->vtep_ip
            && !strcmp(other->vtep_ip, ip)) {
            ctl_error(ctx, "vtep-ip: %s is already the VTEP of host %s in "
                      "switch %s", ip, other->host->name,
                      m->switch_->name);
            free(ip);
            return false;
        }
    }
    dvsrec_host_member_set_vtep_ip(m, ip);
    free(ip);
    return true;
}

/* Maps the host's pNICs, in order, to the switch's uplinks, as VDS's
 * PnicBacking maps vmnics to uplink ports. */
static bool
set_member_pnics(struct ctl_context *ctx, const struct dvsrec_host_member *m,
                 const char *value)
{
    const struct dvsrec_switch *sw = m->switch_;
    struct smap uplinks = SMAP_INITIALIZER(&uplinks);
    struct svec pnics;
    char *error;

    /* The LAGs' ports keep their pNICs (LAG=nic,... maps them). */
    struct smap_node *kept;
    SMAP_FOR_EACH (kept, &m->uplinks) {
        if (dvs_ctl_is_lag_port(ctx, sw, kept->key)) {
            smap_add(&uplinks, kept->key, kept->value);
        }
    }
    if (!*value) {
        dvsrec_host_member_set_uplinks(m, &uplinks);
        smap_destroy(&uplinks);
        return true;
    }
    error = dvs_parse_name_list(value, DVS_PNIC_NAME_MAX, &pnics);
    if (error) {
        ctl_error(ctx, "pnics: %s", error);
        free(error);
        return false;
    }
    if (pnics.n > sw->n_uplink_names) {
        ctl_error(ctx, "pnics: %"PRIuSIZE" NICs given but switch %s has "
                  "%"PRIuSIZE" uplinks (add uplinks with dvs-set %s "
                  "uplinks=...)", pnics.n, sw->name, sw->n_uplink_names,
                  sw->name);
        svec_destroy(&pnics);
        return false;
    }
    /* A host's pNIC carries one switch, as a vmnic does in vSphere. */
    const struct dvsrec_host_member *other;
    DVSREC_HOST_MEMBER_FOR_EACH (other, ctx->idl) {
        if (other == m || other->host != m->host) {
            continue;
        }
        for (size_t i = 0; i < pnics.n; i++) {
            struct smap_node *node;
            SMAP_FOR_EACH (node, &other->uplinks) {
                if (!strcmp(node->value, pnics.names[i])) {
                    ctl_error(ctx, "pnics: %s of host %s is already an "
                              "uplink of switch %s", pnics.names[i],
                              m->host->name, other->switch_->name);
                    svec_destroy(&pnics);
                    return false;
                }
            }
        }
    }
    for (size_t i = 0; i < pnics.n; i++) {
        /* The map from position to name is sorted by position. */
        smap_add(&uplinks, sw->value_uplink_names[i], pnics.names[i]);
    }
    dvsrec_host_member_set_uplinks(m, &uplinks);
    smap_destroy(&uplinks);
    svec_destroy(&pnics);
    return true;
}

static bool
apply_member_settings(struct ctl_context *ctx,
                      const struct dvsrec_host_member *m,
                      char *settings[], int n_settings)
{
    for (int i = 0; i < n_settings; i++) {
        const char *setting = settings[i];
        const char *eq = strchr(setting, '=');
        bool ok;

        if (!eq) {
            ctl_error(ctx, "\"%s\" is not a KEY=VALUE setting", setting);
            return false;
        }
        if (!strncmp(setting, "vtep-ip=", eq - setting + 1)) {
            ok = set_member_vtep_ip(ctx, m, eq + 1);
        } else if (!strncmp(setting, "pnics=", eq - setting + 1)) {
            ok = set_member_pnics(ctx, m, eq + 1);
        } else {
            char *key = xmemdup0(setting, eq - setting);
            int lag_ok = dvs_ctl_set_member_lag(ctx, m, key, eq + 1);

            free(key);
            if (lag_ok < 0) {
                ctl_error(ctx, "%.*s: unknown key for a host member "
                          "(accepted: vtep-ip, pnics, or a LAG of the "
                          "switch)", (int) (eq - setting), setting);
            }
            ok = lag_ok > 0;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

static const struct dvsrec_host *
find_or_create_host(struct ctl_context *ctx, const char *name)
{
    const struct dvsrec_host *host;

    DVSREC_HOST_FOR_EACH (host, ctx->idl) {
        if (!strcmp(host->name, name)) {
            return host;
        }
    }
    host = dvsrec_host_insert(ctx->txn);
    dvsrec_host_set_name(host, name);
    return host;
}

static void
cmd_host_add(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_host_member *m;
    const char *host_name = ctx->argv[2];

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    if (!sw || !dvs_ctl_check_name(ctx, "host", host_name,
                                   DVS_HOST_NAME_MAX)) {
        return;
    }
    if (dvs_ctl_find_member(ctx, sw, host_name, false)) {
        if (!has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "host %s is already a member of switch %s",
                      host_name, sw->name);
        }
        return;
    }

    m = dvsrec_host_member_insert(ctx->txn);
    dvsrec_host_member_set_switch_(m, sw);
    dvsrec_host_member_set_host(m, find_or_create_host(ctx, host_name));
    apply_member_settings(ctx, m, ctx->argv + 3, ctx->argc - 3);
}

static size_t
count_bound_ports(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                  const struct dvsrec_host *host)
{
    const struct dvsrec_port *port;
    size_t n = 0;

    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        n += (port->host == host && port->portgroup
              && port->portgroup->switch_ == sw);
    }
    return n;
}

static void
cmd_host_del(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_host_member *m;
    bool if_exists = has_option(ctx, "--if-exists");

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], !if_exists);
    if (!sw) {
        return;
    }
    m = dvs_ctl_find_member(ctx, sw, ctx->argv[2], !if_exists);
    if (!m) {
        return;
    }
    size_t n_bound = count_bound_ports(ctx, sw, m->host);
    if (n_bound && !has_option(ctx, "--force")) {
        ctl_error(ctx, "host %s has %"PRIuSIZE" port%s of switch %s bound "
                  "to it: move or disconnect them first, or use --force",
                  m->host->name, n_bound, n_bound > 1 ? "s" : "", sw->name);
        return;
    }
    /* The Host row goes away by itself with its last membership. */
    dvsrec_host_member_delete(m);
}

static void
format_uplinks(const struct dvsrec_switch *sw,
               const struct dvsrec_host_member *m, struct ds *s)
{
    /* In the switch's uplink order. */
    bool first = true;
    for (size_t i = 0; i < sw->n_uplink_names; i++) {
        const char *pnic = smap_get(&m->uplinks, sw->value_uplink_names[i]);
        if (pnic) {
            ds_put_format(s, "%s%s=%s", first ? "" : ",",
                          sw->value_uplink_names[i], pnic);
            first = false;
        }
    }
}

static int
compare_members(const void *a_, const void *b_)
{
    const struct dvsrec_host_member *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);
    return cmp ? cmp : strcmp((*a)->host->name, (*b)->host->name);
}

static void
cmd_host_list(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_host_member **members = NULL;
    const struct dvsrec_host_member *m;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if ((!sw || m->switch_ == sw) && m->switch_ && m->host) {
            if (n >= allocated) {
                members = x2nrealloc(members, &allocated, sizeof *members);
            }
            members[n++] = m;
        }
    }
    if (n) {
        qsort(members, n, sizeof *members, compare_members);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "switch");
    table_add_column(t, "host");
    table_add_column(t, "vtep-ip");
    table_add_column(t, "uplinks");
    table_add_column(t, "status");
    for (size_t i = 0; i < n; i++) {
        struct ds uplinks = DS_EMPTY_INITIALIZER;

        m = members[i];
        format_uplinks(m->switch_, m, &uplinks);
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(m->switch_->name);
        table_add_cell(t)->text = xstrdup(m->host->name);
        table_add_cell(t)->text = xstrdup(m->vtep_ip ? m->vtep_ip : "");
        table_add_cell(t)->text = ds_steal_cstr(&uplinks);
        table_add_cell(t)->text = xstrdup(m->status ? m->status
                                          : m->host->status ? m->host->status
                                          : "pending");
    }
    ctx->table = t;
    free(members);
}

static void
cmd_host_set(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_host_member *m;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    m = sw ? dvs_ctl_find_member(ctx, sw, ctx->argv[2], true) : NULL;
    if (m) {
        apply_member_settings(ctx, m, ctx->argv + 3, ctx->argc - 3);
    }
}

const struct ctl_command_syntax dvs_ctl_switch_commands[] = {
    {"dvs-add", 1, INT_MAX, "SWITCH [KEY=VALUE]...", NULL, cmd_dvs_add,
     NULL, "--may-exist", RW},
    {"dvs-del", 1, 1, "SWITCH", NULL, cmd_dvs_del, NULL,
     "--if-exists,--force", RW},
    {"dvs-list", 0, 0, "", dvs_ctl_pre_port_summary, cmd_dvs_list, NULL, "",
     RO},
    {"dvs-set", 2, INT_MAX, "SWITCH KEY=VALUE...", NULL, cmd_dvs_set, NULL,
     "--config-version=", RW},
    {"dvs-get", 1, 2, "SWITCH [KEY]", NULL, cmd_dvs_get, NULL, "", RO},
    {"host-add", 2, INT_MAX, "SWITCH HOST [KEY=VALUE]...", NULL,
     cmd_host_add, NULL, "--may-exist", RW},
    {"host-del", 2, 2, "SWITCH HOST", NULL, cmd_host_del, NULL,
     "--if-exists,--force", RW},
    {"host-list", 0, 1, "[SWITCH]", NULL, cmd_host_list, NULL, "", RO},
    {"host-set", 3, INT_MAX, "SWITCH HOST KEY=VALUE...", NULL, cmd_host_set,
     NULL, "", RW},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
