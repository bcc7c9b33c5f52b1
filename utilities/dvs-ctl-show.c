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

/* dvs-ctl show: the configuration as a tree, switch -> hosts and
 * portgroups -> ports, with the status the controller reports. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "svec.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

/* Collects rows and sorts them by name, so that output is stable. */
struct named_row {
    const char *name;
    const void *row;
};

static int
compare_named_rows(const void *a_, const void *b_)
{
    const struct named_row *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

struct row_list {
    struct named_row *rows;
    size_t n, allocated;
};

static void
row_list_add(struct row_list *list, const char *name, const void *row)
{
    if (list->n >= list->allocated) {
        list->rows = x2nrealloc(list->rows, &list->allocated,
                                sizeof *list->rows);
    }
    list->rows[list->n++] = (struct named_row) { name, row };
}

static void
row_list_sort(struct row_list *list)
{
    /* qsort() must not be given the null array of an empty list. */
    if (list->n) {
        qsort(list->rows, list->n, sizeof *list->rows, compare_named_rows);
    }
}

/* The LLDP neighbours of member 'm' and its health check results, when
 * it has any. */
static void
show_member_network(const struct dvsrec_host_member *m, struct ds *out)
{
    if (m->n_lldp_neighbors) {
        struct dvsrec_lldp_neighbor **list = dvs_ctl_sorted_lldp_neighbors(m);

        ds_put_format(out, "        lldp neighbors: %"PRIuSIZE" (",
                      m->n_lldp_neighbors);
        for (size_t i = 0; i < m->n_lldp_neighbors; i++) {
            const struct dvsrec_lldp_neighbor *n = list[i];

            ds_put_format(out, "%s%s on %s", i ? ", " : "",
                          n->system_name ? n->system_name : n->chassis_id,
                          n->uplink);
        }
        ds_put_cstr(out, ")\n");
        free(list);
    }
    if (m->n_health_check_results) {
        struct dvsrec_health_check_result **list
            = dvs_ctl_sorted_health_check_results(m);
        size_t n_problems = 0;

        ds_put_cstr(out, "        health check:");
        for (size_t i = 0; i < m->n_health_check_results; i++) {
            const struct dvsrec_health_check_result *r = list[i];
            bool teaming_bad = (r->teaming_status
                                && strstr(r->teaming_status, "Mismatch"));

            if (r->n_untrunked_vlans || r->n_vlans_mtu_failed
                || teaming_bad) {
                ds_put_format(out, "%s %s:", n_problems++ ? ";" : "",
                              r->uplink);
                if (r->n_untrunked_vlans) {
                    ds_put_format(out, " %"PRIuSIZE" untrunked VLAN%s",
                                  r->n_untrunked_vlans,
                                  r->n_untrunked_vlans == 1 ? "" : "s");
                }
                if (r->n_vlans_mtu_failed) {
                    ds_put_format(out, "%s MTU failed on %"PRIuSIZE" VLAN%s",
                                  r->n_untrunked_vlans ? "," : "",
                                  r->n_vlans_mtu_failed,
                                  r->n_vlans_mtu_failed == 1 ? "" : "s");
                }
                if (teaming_bad) {
                    ds_put_format(out, "%s teaming %s",
                                  (r->n_untrunked_vlans
                                   || r->n_vlans_mtu_failed) ? "," : "",
                                  r->teaming_status);
                }
            }
        }
        ds_put_cstr(out, n_problems ? " (see health-check-show)\n"
                                    : " ok\n");
        free(list);
    }
}

static void
show_member(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            const struct dvsrec_host_member *m, struct ds *out)
{
    const struct dvsrec_host *host = m->host;
    const char *status = m->status ? m->status
                         : host->status ? host->status : "pending";

    ds_put_format(out, "    host %s\n", host->name);
    if (m->vtep_ip) {
        ds_put_format(out, "        vtep-ip: %s\n", m->vtep_ip);
    }
    if (!smap_is_empty(&m->uplinks)) {
        ds_put_cstr(out, "        uplinks:");
        for (size_t i = 0; i < sw->n_uplink_names; i++) {
            const char *pnic = smap_get(&m->uplinks,
                                        sw->value_uplink_names[i]);
            if (pnic) {
                ds_put_format(out, " %s=%s", sw->value_uplink_names[i], pnic);
            }
        }
        ds_put_char(out, '\n');
    }
    dvs_ctl_show_member_lags(ctx, m, out);
    ds_put_format(out, "        status: %s", status);
    if (host->status_detail) {
        ds_put_format(out, " (%s)", host->status_detail);
    }
    ds_put_format(out, ", applied generation %"PRId64"\n", host->hv_cfg);
    if (m->error) {
        ds_put_format(out, "        error: %s\n", m->error);
    }
    show_member_network(m, out);
}

static void
show_portgroup(struct ctl_context *ctx, const struct dvsrec_portgroup *pg,
               struct ds *out)
{
    const struct dvsrec_port *port;
    struct row_list ports = { NULL, 0, 0 };
    size_t n;

    const struct dvsrec_port **pg_ports = dvs_ctl_index_ports_of(pg, &n);
    for (size_t i = 0; i < n; i++) {
        row_list_add(&ports, pg_ports[i]->name, pg_ports[i]);
    }
    free(pg_ports);
    row_list_sort(&ports);

    ds_put_format(out, "    portgroup %s (", pg->name);
    dvs_ctl_format_backing(pg->switch_, pg, NULL, out);
    if (pg->type && !strcmp(pg->type, "ephemeral")) {
        ds_put_format(out, ", ephemeral, %"PRIuSIZE" port%s)\n", ports.n,
                      ports.n == 1 ? "" : "s");
    } else {
        ds_put_format(out, ", static, %"PRIuSIZE"/%"PRId64" ports)\n",
                      ports.n, pg->n_num_ports ? *pg->num_ports : 8);
    }
    if (pg->error) {
        ds_put_format(out, "        error: %s\n", pg->error);
    }
    for (size_t i = 0; i < ports.n; i++) {
        port = ports.rows[i].row;
        ds_put_format(out, "        port %s", port->name);
        if (port->mac) {
            ds_put_format(out, " (%s)", port->mac);
        }
        if (port->host) {
            ds_put_format(out, ": host %s, %s", port->host->name,
                          port->n_up && *port->up ? "up" : "down");
        }
        ds_put_char(out, '\n');
        if (port->error) {
            ds_put_format(out, "            error: %s\n", port->error);
        }
    }
    free(ports.rows);
}

/* The switch's LLDP mode, and its health check when it has one. */
static void
show_switch_network(const struct dvsrec_switch *sw, struct ds *out)
{
    char *lldp = dvs_key_effective_string("lldp", sw, NULL, NULL);
    bool v = dvs_key_effective_bool("health-check-vlan-mtu", sw, NULL, NULL);
    bool t = dvs_key_effective_bool("health-check-teaming", sw, NULL, NULL);

    ds_put_format(out, "    lldp: %s\n", lldp);
    if (v || t) {
        ds_put_format(out, "    health check: %s%s%s, every %"PRIu64" s\n",
                      v ? "vlan-mtu" : "", v && t ? ", " : "",
                      t ? "teaming" : "",
                      dvs_key_effective_uint("health-check-interval", sw,
                                             NULL, NULL));
    }
    free(lldp);
}

static void
show_switch(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            struct ds *out)
{
    const struct dvsrec_host_member *m;
    const struct dvsrec_portgroup *pg;
    struct row_list members = { NULL, 0, 0 };
    struct row_list pgs = { NULL, 0, 0 };

    ds_put_format(out, "switch %s\n", sw->name);
    ds_put_format(out, "    mtu: %"PRId64"\n", sw->n_mtu ? *sw->mtu : 1500);
    ds_put_cstr(out, "    uplinks:");
    for (size_t i = 0; i < sw->n_uplink_names; i++) {
        ds_put_format(out, " %s", sw->value_uplink_names[i]);
    }
    ds_put_char(out, '\n');
    dvs_ctl_show_lags(ctx, sw, out);
    show_switch_network(sw, out);
    if (sw->error) {
        ds_put_format(out, "    error: %s\n", sw->error);
    }

    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if (m->switch_ == sw && m->host) {
            row_list_add(&members, m->host->name, m);
        }
    }
    row_list_sort(&members);
    for (size_t i = 0; i < members.n; i++) {
        show_member(ctx, sw, members.rows[i].row, out);
    }

    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw) {
            row_list_add(&pgs, pg->name, pg);
        }
    }
    row_list_sort(&pgs);
    for (size_t i = 0; i < pgs.n; i++) {
        show_portgroup(ctx, pgs.rows[i].row, out);
    }

    free(members.rows);
    free(pgs.rows);
}

static void
cmd_show(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    struct row_list switches = { NULL, 0, 0 };

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (sw) {
            show_switch(ctx, sw, &ctx->output);
        }
        return;
    }
    DVSREC_SWITCH_FOR_EACH (sw, ctx->idl) {
        row_list_add(&switches, sw->name, sw);
    }
    row_list_sort(&switches);
    for (size_t i = 0; i < switches.n; i++) {
        show_switch(ctx, switches.rows[i].row, &ctx->output);
    }
    free(switches.rows);
}

const struct ctl_command_syntax dvs_ctl_show_commands[] = {
    {"show", 0, 1, "[SWITCH]", dvs_ctl_pre_port_summary, cmd_show, NULL, "",
     RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
