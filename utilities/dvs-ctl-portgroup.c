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

/* dvs-ctl commands for portgroups (pg-*) and ports (port-*). */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-traffic-rule.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

/* How many ports an auto-expanding static portgroup grows by when full. */
#define AUTO_EXPAND_STEP 8

static bool
has_option(const struct ctl_context *ctx, const char *option)
{
    return shash_find(&ctx->options, option) != NULL;
}

static bool
is_ephemeral(const struct dvsrec_portgroup *pg)
{
    return pg->type && !strcmp(pg->type, "ephemeral");
}

static int64_t
effective_num_ports(const struct dvsrec_portgroup *pg)
{
    return pg->n_num_ports ? *pg->num_ports : 8;
}

static bool
effective_auto_expand(const struct dvsrec_portgroup *pg)
{
    return pg->n_auto_expand ? *pg->auto_expand : true;
}

static void
cmd_pg_add(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_portgroup *pg;
    const char *name = ctx->argv[2];

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    if (!sw || !dvs_ctl_check_name(ctx, "portgroup", name,
                                   DVS_PORTGROUP_NAME_MAX)) {
        return;
    }
    pg = dvs_ctl_find_portgroup(ctx, name, false);
    if (pg) {
        if (pg->switch_ != sw) {
            ctl_error(ctx, "portgroup %s already exists in switch %s "
                      "(portgroup names are unique in the database)",
                      name, pg->switch_->name);
        } else if (!has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "portgroup %s already exists", name);
        }
        return;
    }

    pg = dvsrec_portgroup_insert(ctx->txn);
    dvsrec_portgroup_set_name(pg, name);
    dvsrec_portgroup_set_switch_(pg, sw);
    dvsrec_portgroup_set_config_version(pg, 1);
    dvs_ctl_apply_settings(ctx, DVS_PORTGROUP, &pg->header_, sw, pg,
                           ctx->argv + 3, ctx->argc - 3);
}

/* Deletes 'pg' and its ports (the portgroup's ports must be replicated). */
void
dvs_ctl_delete_portgroup(const struct dvsrec_portgroup *pg)
{
    size_t n;
    const struct dvsrec_port **ports = dvs_ctl_index_ports_of(pg, &n);

    for (size_t i = 0; i < n; i++) {
        dvsrec_port_delete(ports[i]);
    }
    free(ports);
    dvsrec_portgroup_delete(pg);
}

static void
cmd_pg_del(struct ctl_context *ctx)
{
    const struct dvsrec_portgroup *pg;
    struct svec bound = SVEC_EMPTY_INITIALIZER;

    pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1],
                                !has_option(ctx, "--if-exists"));
    if (!pg) {
        return;
    }
    if (!dvs_ctl_replica_has_ports(ctx, pg)) {
        return;
    }

    size_t n;
    const struct dvsrec_port **ports = dvs_ctl_index_ports_of(pg, &n);
    for (size_t i = 0; i < n; i++) {
        if (ports[i]->host) {
            svec_add(&bound, ports[i]->name);
        }
    }
    free(ports);
    if (bound.n && !has_option(ctx, "--force")) {
        svec_sort(&bound);
        char *list = svec_join(&bound, ", ", "");
        ctl_error(ctx, "portgroup %s has %"PRIuSIZE" bound port%s (%s): "
                  "disconnect them first, or use --force", pg->name,
                  bound.n, bound.n > 1 ? "s" : "", list);
        free(list);
        svec_destroy(&bound);
        return;
    }
    svec_destroy(&bound);
    dvs_ctl_delete_portgroup(pg);
}

static int
compare_portgroups(const void *a_, const void *b_)
{
    const struct dvsrec_portgroup *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static void
cmd_pg_list(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_portgroup **pgs = NULL;
    const struct dvsrec_portgroup *pg;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (!sw || pg->switch_ == sw) {
            if (n >= allocated) {
                pgs = x2nrealloc(pgs, &allocated, sizeof *pgs);
            }
            pgs[n++] = pg;
        }
    }
    if (n) {
        qsort(pgs, n, sizeof *pgs, compare_portgroups);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "name");
    table_add_column(t, "switch");
    table_add_column(t, "type");
    table_add_column(t, "backing");
    table_add_column(t, "ports");
    for (size_t i = 0; i < n; i++) {
        struct ds backing = DS_EMPTY_INITIALIZER;
        size_t n_ports;

        pg = pgs[i];
        n_ports = dvs_ctl_index_count_ports(pg);
        dvs_ctl_format_backing(pg->switch_, pg, NULL, &backing);
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(pg->name);
        table_add_cell(t)->text = xstrdup(pg->switch_->name);
        table_add_cell(t)->text = xstrdup(is_ephemeral(pg) ? "ephemeral"
                                                            : "static");
        table_add_cell(t)->text = ds_steal_cstr(&backing);
        table_add_cell(t)->text = (is_ephemeral(pg)
                                   ? xasprintf("%"PRIuSIZE, n_ports)
                                   : xasprintf("%"PRIuSIZE"/%"PRId64, n_ports,
                                               effective_num_ports(pg)));
    }
    ctx->table = t;
    free(pgs);
}

static void
cmd_pg_set(struct ctl_context *ctx)
{
    const struct dvsrec_portgroup *pg;

    pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1], true);
    if (pg && !dvs_ctl_replica_has_ports(ctx, pg)) {
        return;
    }
    if (pg
        && dvs_ctl_check_config_version(ctx, "portgroup", pg->name,
                                        pg->config_version)
        && dvs_ctl_apply_settings(ctx, DVS_PORTGROUP, &pg->header_,
                                     pg->switch_, pg, ctx->argv + 2,
                                     ctx->argc - 2)) {
        dvs_ctl_bump_version(&pg->header_,
                             &dvsrec_portgroup_col_config_version,
                             pg->config_version);
    }
}

static void
cmd_pg_get(struct ctl_context *ctx)
{
    const struct dvsrec_portgroup *pg;

    pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1], true);
    if (pg) {
        dvs_ctl_get_settings(ctx, DVS_PORTGROUP, pg->switch_, pg, NULL,
                             ctx->argc > 2 ? ctx->argv[2] : NULL);
    }
}

/* Ports. */

/* Names a new port "<portgroup>-<n>" with the lowest unused n. */
static char *
generate_port_name(const struct dvsrec_portgroup *pg)
{
    for (unsigned int i = 0; ; i++) {
        char *name = xasprintf("%s-%u", pg->name, i);
        if (!dvs_ctl_index_port(name)) {
            return name;
        }
        free(name);
    }
}

/* Makes room for one more port in a static portgroup, VDS style: a full
 * portgroup grows only if it auto-expands. */
static bool
reserve_port(struct ctl_context *ctx, const struct dvsrec_portgroup *pg)
{
    size_t n_ports;
    int64_t limit;

    if (is_ephemeral(pg)) {
        return true;
    }
    n_ports = dvs_ctl_index_count_ports(pg);
    limit = effective_num_ports(pg);
    if (n_ports < limit) {
        return true;
    }
    if (!effective_auto_expand(pg)) {
        ctl_error(ctx, "portgroup %s is full (%"PRIuSIZE" of %"PRId64" ports): "
                  "raise num-ports or set auto-expand=true", pg->name,
                  n_ports, limit);
        return false;
    }
    int64_t grown = MIN(n_ports + AUTO_EXPAND_STEP, 65536);
    dvsrec_portgroup_set_num_ports(pg, &grown, 1);
    return true;
}

static void
cmd_port_add(struct ctl_context *ctx)
{
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;
    char *name;
    int first_setting;

    pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1], true);
    if (!pg) {
        return;
    }
    /* A static portgroup's ports count against its capacity. */
    if (!dvs_ctl_replica_has_ports(ctx, is_ephemeral(pg) ? NULL : pg)) {
        return;
    }
    if (ctx->argc > 2 && !strchr(ctx->argv[2], '=')) {
        name = xstrdup(ctx->argv[2]);
        first_setting = 3;
        if (!dvs_ctl_check_name(ctx, "port", name, DVS_PORT_NAME_MAX)) {
            goto out;
        }
        port = dvs_ctl_find_port(ctx, name, false);
        if (port) {
            if (port->portgroup != pg) {
                ctl_error(ctx, "port %s already exists in portgroup %s "
                          "(port names are unique in the database)", name,
                          port->portgroup->name);
            } else if (!has_option(ctx, "--may-exist")) {
                ctl_error(ctx, "port %s already exists", name);
            }
            goto out;
        }
    } else {
        name = generate_port_name(pg);
        first_setting = 2;
        if (!dvs_ctl_check_name(ctx, "port", name, DVS_PORT_NAME_MAX)) {
            goto out;
        }
        /* The caller needs the name to attach an interface to it. */
        ds_put_format(&ctx->output, "%s\n", name);
    }
    if (!reserve_port(ctx, pg)) {
        goto out;
    }

    port = dvsrec_port_insert(ctx->txn);
    dvsrec_port_set_name(port, name);
    dvsrec_port_set_portgroup(port, pg);
    dvsrec_port_set_config_version(port, 1);
    dvs_ctl_apply_settings(ctx, DVS_PORT, &port->header_, pg->switch_, pg,
                           ctx->argv + first_setting,
                           ctx->argc - first_setting);
out:
    free(name);
}

static void
cmd_port_del(struct ctl_context *ctx)
{
    const struct dvsrec_port *port;

    port = dvs_ctl_find_port(ctx, ctx->argv[1],
                             !has_option(ctx, "--if-exists"));
    if (!port) {
        return;
    }
    if (port->host && !has_option(ctx, "--force")) {
        ctl_error(ctx, "port %s is bound on host %s: disconnect it first, "
                  "or use --force", port->name, port->host->name);
        return;
    }
    dvsrec_port_delete(port);
}

static const char *
port_state(const struct dvsrec_port *port)
{
    return (!port->host ? "unbound"
            : port->n_up && *port->up ? "up" : "down");
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct dvsrec_port *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static void
cmd_port_list(struct ctl_context *ctx)
{
    const struct dvsrec_portgroup *pg = NULL;
    const struct dvsrec_port **ports = NULL;
    const struct dvsrec_port *port;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        pg = dvs_ctl_find_portgroup(ctx, ctx->argv[1], true);
        if (!pg) {
            return;
        }
        if (!dvs_ctl_replica_has_ports(ctx, pg)) {
            return;
        }
    }
    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (!pg || port->portgroup == pg) {
            if (n >= allocated) {
                ports = x2nrealloc(ports, &allocated, sizeof *ports);
            }
            ports[n++] = port;
        }
    }
    if (n) {
        qsort(ports, n, sizeof *ports, compare_ports);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "name");
    table_add_column(t, "portgroup");
    table_add_column(t, "mac");
    table_add_column(t, "host");
    table_add_column(t, "state");
    for (size_t i = 0; i < n; i++) {
        port = ports[i];
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(port->name);
        table_add_cell(t)->text = xstrdup(port->portgroup->name);
        table_add_cell(t)->text = xstrdup(port->mac ? port->mac : "");
        table_add_cell(t)->text = xstrdup(port->host ? port->host->name : "");
        table_add_cell(t)->text = xstrdup(port_state(port));
    }
    ctx->table = t;
    free(ports);
}

static void
cmd_port_set(struct ctl_context *ctx)
{
    const struct dvsrec_port *port;

    port = dvs_ctl_find_port(ctx, ctx->argv[1], true);
    if (port
        && dvs_ctl_check_config_version(ctx, "port", port->name,
                                        port->config_version)
        && dvs_ctl_apply_settings(ctx, DVS_PORT, &port->header_,
                                       port->portgroup->switch_,
                                       port->portgroup, ctx->argv + 2,
                                       ctx->argc - 2)) {
        dvs_ctl_bump_version(&port->header_, &dvsrec_port_col_config_version,
                             port->config_version);
    }
}

static void
cmd_port_show(struct ctl_context *ctx)
{
    const struct dvsrec_port *port;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_switch *sw;
    const struct dvs_key *keys;
    struct ds *out = &ctx->output;
    size_t n;

    port = dvs_ctl_find_port(ctx, ctx->argv[1], true);
    if (!port) {
        return;
    }
    pg = port->portgroup;
    sw = pg->switch_;

    ds_put_format(out, "port %s\n", port->name);
    ds_put_format(out, "    switch: %s\n", sw->name);
    ds_put_format(out, "    portgroup: %s\n", pg->name);
    if (port->description[0]) {
        ds_put_format(out, "    description: %s\n", port->description);
    }
    ds_put_format(out, "    mac: %s\n", port->mac ? port->mac : "(none)");
    ds_put_cstr(out, "    backing: ");
    dvs_ctl_format_backing(sw, pg, port, out);
    ds_put_char(out, '\n');
    ds_put_format(out, "    host: %s\n",
                  port->host ? port->host->name : "(not bound)");
    ds_put_format(out, "    state: %s\n", port_state(port));
    if (port->error) {
        ds_put_format(out, "    error: %s\n", port->error);
    }

    struct smap_node *node;
    SMAP_FOR_EACH (node, &port->status) {
        ds_put_format(out, "    status:%s: %s\n", node->key, node->value);
    }
    if (port->n_statistics) {
        ds_put_cstr(out, "    statistics:");
        for (size_t i = 0; i < port->n_statistics; i++) {
            ds_put_format(out, " %s=%"PRId64, port->key_statistics[i],
                          port->value_statistics[i]);
        }
        ds_put_char(out, '\n');
    }
    if (port->n_learned_macs) {
        ds_put_cstr(out, "    learned macs:");
        for (size_t i = 0; i < port->n_learned_macs; i++) {
            ds_put_format(out, " %s", port->learned_macs[i]);
        }
        ds_put_char(out, '\n');
    }

    struct dvsrec_traffic_rule **rules;
    enum dvs_source rules_source = dvs_rules_effective(sw, pg, port, &rules,
                                                       &n);
    if (n) {
        ds_put_format(out, "    traffic rules: %"PRIuSIZE" (", n);
        dvs_ctl_format_source(rules_source, sw, pg, port, out);
        ds_put_cstr(out, "; dvs-ctl rule-list shows them)\n");
    }

    ds_put_cstr(out, "    policy:\n");
    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *key = &keys[i];
        struct ds value = DS_EMPTY_INITIALIZER;
        enum dvs_source source;

        if (!key->gate) {
            continue;
        }
        source = dvs_key_effective(key, sw, pg, port, &value);
        if (value.length || !key->group) {
            ds_put_format(out, "        %s: %s (", key->name,
                          value.length ? ds_cstr(&value) : "none");
            dvs_ctl_format_source(source, sw, pg, port, out);
            ds_put_cstr(out, ")\n");
        }
        ds_destroy(&value);
    }
}

const struct ctl_command_syntax dvs_ctl_portgroup_commands[] = {
    {"pg-add", 2, INT_MAX, "SWITCH PG [KEY=VALUE]...", dvs_ctl_pre_portgroup,
     cmd_pg_add, NULL, "--may-exist", RW},
    {"pg-del", 1, 1, "PG", dvs_ctl_pre_portgroup, cmd_pg_del, NULL,
     "--if-exists,--force", RW},
    {"pg-list", 0, 1, "[SWITCH]", dvs_ctl_pre_port_summary, cmd_pg_list,
     NULL, "", RO},
    {"pg-set", 2, INT_MAX, "PG KEY=VALUE...", dvs_ctl_pre_portgroup,
     cmd_pg_set, NULL, "--config-version=", RW},
    {"pg-get", 1, 2, "PG [KEY]", dvs_ctl_pre_portgroup, cmd_pg_get, NULL, "",
     RO},
    {"port-add", 1, INT_MAX, "PG [PORT] [KEY=VALUE]...",
     dvs_ctl_pre_port_add, cmd_port_add, NULL, "--may-exist", RW},
    {"port-del", 1, 1, "PORT", dvs_ctl_pre_port, cmd_port_del, NULL,
     "--if-exists,--force", RW},
    {"port-list", 0, 1, "[PG]", dvs_ctl_pre_port_list, cmd_port_list, NULL,
     "", RO},
    {"port-set", 2, INT_MAX, "PORT KEY=VALUE...", dvs_ctl_pre_port,
     cmd_port_set, NULL, "--config-version=", RW},
    {"port-show", 1, 1, "PORT", dvs_ctl_pre_port, cmd_port_show, NULL, "",
     RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
