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

/* LACP groups (LAGs), as VDS 5.5+ has them (VMwareDvsLacpGroupConfig): a
 * LAG of a switch has a number of ports, "LAG-1", "LAG-2"..., that each
 * member host backs with pNICs (host-set SWITCH HOST LAG=nic,nic), and that
 * dvs-agent bonds with LACP.  A portgroup uses the LAG by naming it in
 * active-uplinks. */

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

/* The schema's limits. */
#define LAG_NAME_MAX 29
#define LAG_PORTS_MAX 24
#define LAGS_PER_SWITCH_MAX 64

static const char *const lag_modes[] = { "active", "passive", NULL };
static const char *const lag_timeouts[] = { "fast", "slow", NULL };
static const char *const lag_fallbacks[] = { "active-backup", "none", NULL };
static const char *const lag_hashes[] = {
    "srcMac", "destMac", "srcDestMac", "destIpVlan", "srcIpVlan",
    "srcDestIpVlan", "destTcpUdpPort", "srcTcpUdpPort", "srcDestTcpUdpPort",
    "destIpTcpUdpPort", "srcIpTcpUdpPort", "srcDestIpTcpUdpPort",
    "destIpTcpUdpPortVlan", "srcIpTcpUdpPortVlan",
    "srcDestIpTcpUdpPortVlan", "destIp", "srcIp", "srcDestIp", "vlan",
    "srcPortId", NULL,
};

static bool
has_option(const struct ctl_context *ctx, const char *option)
{
    return shash_find(&ctx->options, option) != NULL;
}

static const struct dvsrec_lag *
find_lag(struct ctl_context *ctx, const struct dvsrec_switch *sw,
         const char *name, bool must_exist)
{
    const struct dvsrec_lag *lag;

    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        if (lag->switch_ == sw && !strcmp(lag->name, name)) {
            return lag;
        }
    }
    if (must_exist) {
        ctl_error(ctx, "switch %s has no LAG named %s", sw->name, name);
    }
    return NULL;
}

/* If 'name' is a port of a LAG of 'sw' ("LAG-N", N from 1 to the LAG's
 * number of ports), returns that LAG and stores N in '*n'. */
static const struct dvsrec_lag *
lag_of_port(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            const char *name, int64_t *n)
{
    const char *dash = strrchr(name, '-');
    const struct dvsrec_lag *lag;
    char *lag_name;
    char *error;

    if (!dash) {
        return NULL;
    }
    error = dvs_parse_integer(dash + 1, 1, LAG_PORTS_MAX, n);
    if (error) {
        free(error);
        return NULL;
    }
    lag_name = xmemdup0(name, dash - name);
    lag = find_lag(ctx, sw, lag_name, false);
    free(lag_name);
    if (lag && *n > (lag->n_uplink_num ? *lag->uplink_num : 2)) {
        return NULL;
    }
    return lag;
}

/* Whether 'name' is a port of a LAG of 'sw' ("LAG-N"). */
bool
dvs_ctl_is_lag_port(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                    const char *name)
{
    int64_t n;
    return lag_of_port(ctx, sw, name, &n) != NULL;
}

static bool
one_of(const char *value, const char *const *accepted)
{
    for (; *accepted; accepted++) {
        if (!strcmp(value, *accepted)) {
            return true;
        }
    }
    return false;
}

static void
error_not_one_of(struct ctl_context *ctx, const char *key, const char *value,
                 const char *const *accepted)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; accepted[i]; i++) {
        ds_put_format(&s, "%s%s", i ? ", " : "", accepted[i]);
    }
    ctl_error(ctx, "%s: \"%s\" is not valid (accepted: %s)", key, value,
              ds_cstr(&s));
    ds_destroy(&s);
}

/* The highest port number of 'lag' that a host member of its switch maps
 * to a pNIC, and that host in '*host', or 0. */
static int64_t
highest_mapped_port(struct ctl_context *ctx, const struct dvsrec_lag *lag,
                    const char **host)
{
    const struct dvsrec_host_member *m;
    int64_t highest = 0;

    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        const struct smap_node *node;

        if (m->switch_ != lag->switch_) {
            continue;
        }
        SMAP_FOR_EACH (node, &m->uplinks) {
            size_t len = strlen(lag->name);
            int64_t n;
            char *error;

            if (strncmp(node->key, lag->name, len) || node->key[len] != '-') {
                continue;
            }
            error = dvs_parse_integer(node->key + len + 1, 1, INT64_MAX, &n);
            if (!error && n > highest) {
                highest = n;
                *host = m->host ? m->host->name : "?";
            }
            free(error);
        }
    }
    return highest;
}

/* Applies the KEY=VALUE settings of lag-add and lag-set to 'lag'. */
static bool
apply_lag_settings(struct ctl_context *ctx, const struct dvsrec_lag *lag,
                   char *settings[], int n_settings)
{
    for (int i = 0; i < n_settings; i++) {
        char *key = settings[i];
        char *eq = strchr(key, '=');
        const char *value;

        if (!eq) {
            ctl_error(ctx, "\"%s\" is not a KEY=VALUE setting", key);
            return false;
        }
        value = eq + 1;
        if (!strncmp(key, "mode=", 5)) {
            if (!one_of(value, lag_modes)) {
                error_not_one_of(ctx, "mode", value, lag_modes);
                return false;
            }
            dvsrec_lag_set_mode(lag, value);
        } else if (!strncmp(key, "timeout=", 8)) {
            if (!one_of(value, lag_timeouts)) {
                error_not_one_of(ctx, "timeout", value, lag_timeouts);
                return false;
            }
            dvsrec_lag_set_timeout(lag, value);
        } else if (!strncmp(key, "fallback=", 9)) {
            if (!one_of(value, lag_fallbacks)) {
                error_not_one_of(ctx, "fallback", value, lag_fallbacks);
                return false;
            }
            dvsrec_lag_set_fallback(lag, value);
        } else if (!strncmp(key, "hash=", 5)) {
            if (!one_of(value, lag_hashes)) {
                error_not_one_of(ctx, "hash", value, lag_hashes);
                return false;
            }
            dvsrec_lag_set_load_balance(lag, value);
        } else if (!strncmp(key, "uplinks=", 8)) {
            const char *host = NULL;
            int64_t n, mapped;
            char *error = dvs_parse_integer(value, 1, LAG_PORTS_MAX, &n);

            if (error) {
                ctl_error(ctx, "uplinks: %s", error);
                free(error);
                return false;
            }
            mapped = highest_mapped_port(ctx, lag, &host);
            if (mapped > n) {
                ctl_error(ctx, "uplinks: host %s maps port %s-%"PRId64" of "
                          "LAG %s to a pNIC: unmap it first (host-set %s "
                          "%s %s=...)", host, lag->name, mapped, lag->name,
                          lag->switch_->name, host, lag->name);
                return false;
            }
            dvsrec_lag_set_uplink_num(lag, &n, 1);
        } else {
            ctl_error(ctx, "%.*s: unknown key for a LAG (accepted: mode, "
                      "timeout, hash, uplinks, fallback)",
                      (int) (eq - key), key);
            return false;
        }
    }
    return true;
}

/* A LAG's name: its ports are "NAME-N" and it may stand in active-uplinks
 * and standby-uplinks, so it must not be, or look like, an uplink name or
 * a LAG port. */
static bool
check_lag_name(struct ctl_context *ctx, const struct dvsrec_switch *sw,
               const char *name)
{
    if (!dvs_ctl_check_name(ctx, "LAG", name, LAG_NAME_MAX)) {
        return false;
    }
    if (strchr(name, '-') || strchr(name, ',') || strchr(name, '=')) {
        ctl_error(ctx, "LAG name: \"%s\" has a '-', ',' or '=' (its ports "
                  "are named %s-1, %s-2...)", name, name, name);
        return false;
    }
    for (size_t i = 0; i < sw->n_uplink_names; i++) {
        if (!strcmp(sw->value_uplink_names[i], name)) {
            ctl_error(ctx, "LAG name: \"%s\" is an uplink of switch %s",
                      name, sw->name);
            return false;
        }
    }
    return true;
}

/* lag-add SWITCH LAG [KEY=VALUE]... */
static void
cmd_lag_add(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_lag *lag;
    size_t n = 0;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
    if (!sw || !check_lag_name(ctx, sw, ctx->argv[2])) {
        return;
    }
    if (find_lag(ctx, sw, ctx->argv[2], false)) {
        if (!has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "switch %s already has a LAG named %s", sw->name,
                      ctx->argv[2]);
        }
        return;
    }
    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        n += lag->switch_ == sw;
    }
    if (n >= LAGS_PER_SWITCH_MAX) {
        ctl_error(ctx, "switch %s has %d LAGs already (the most a switch "
                  "may have)", sw->name, LAGS_PER_SWITCH_MAX);
        return;
    }

    lag = dvsrec_lag_insert(ctx->txn);
    dvsrec_lag_set_switch_(lag, sw);
    dvsrec_lag_set_name(lag, ctx->argv[2]);
    dvsrec_lag_set_mode(lag, "passive");
    dvsrec_lag_set_timeout(lag, "slow");
    dvsrec_lag_set_load_balance(lag, "srcDestIpTcpUdpPortVlan");
    dvsrec_lag_set_uplink_num(lag, (int64_t[]) { 2 }, 1);
    dvsrec_lag_set_fallback(lag, "active-backup");
    apply_lag_settings(ctx, lag, ctx->argv + 3, ctx->argc - 3);
}

/* Whether 'list' (a name-order column) names 'name'. */
static bool
names(char **list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(list[i], name)) {
            return true;
        }
    }
    return false;
}

/* lag-del SWITCH LAG: also takes its ports out of the host members' pNIC
 * maps; refused while a teaming order names it. */
static void
cmd_lag_del(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw;
    const struct dvsrec_lag *lag;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;
    const struct dvsrec_host_member *m;
    const char *name = ctx->argv[2];
    const char *user = NULL;
    char *user_name = NULL;

    sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                             !has_option(ctx, "--if-exists"));
    if (!sw) {
        return;
    }
    lag = find_lag(ctx, sw, name, !has_option(ctx, "--if-exists"));
    if (!lag) {
        return;
    }

#define NAMES_LAG(ROW) \
    (names((ROW)->value_active_uplinks, (ROW)->n_active_uplinks, name) \
     || names((ROW)->value_standby_uplinks, (ROW)->n_standby_uplinks, name))
    if (NAMES_LAG(sw)) {
        user = "switch";
        user_name = xstrdup(sw->name);
    }
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (!user && pg->switch_ == sw && NAMES_LAG(pg)) {
            user = "portgroup";
            user_name = xstrdup(pg->name);
        }
    }
    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (!user && port->portgroup && port->portgroup->switch_ == sw
            && NAMES_LAG(port)) {
            user = "port";
            user_name = xstrdup(port->name);
        }
    }
#undef NAMES_LAG
    if (user) {
        ctl_error(ctx, "LAG %s is still in the active-uplinks or "
                  "standby-uplinks of %s %s: take it out first", name, user,
                  user_name);
        free(user_name);
        return;
    }

    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        const struct smap_node *node;
        int64_t n;

        if (m->switch_ != sw) {
            continue;
        }
        SMAP_FOR_EACH (node, &m->uplinks) {
            if (lag_of_port(ctx, sw, node->key, &n) == lag) {
                dvsrec_host_member_update_uplinks_delkey(m, node->key);
            }
        }
    }
    dvsrec_lag_delete(lag);
}

/* lag-set SWITCH LAG KEY=VALUE... */
static void
cmd_lag_set(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                                                         true);
    const struct dvsrec_lag *lag = sw ? find_lag(ctx, sw, ctx->argv[2], true)
                                      : NULL;

    if (lag) {
        apply_lag_settings(ctx, lag, ctx->argv + 3, ctx->argc - 3);
    }
}

static int
compare_lags(const void *a_, const void *b_)
{
    const struct dvsrec_lag *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);

    return cmp ? cmp : strcmp((*a)->name, (*b)->name);
}

/* lag-list [SWITCH]. */
static void
cmd_lag_list(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_lag **lags = NULL;
    const struct dvsrec_lag *lag;
    size_t n = 0, allocated = 0;
    struct table *t;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        if (!sw || lag->switch_ == sw) {
            if (n >= allocated) {
                lags = x2nrealloc(lags, &allocated, sizeof *lags);
            }
            lags[n++] = lag;
        }
    }
    if (n) {
        qsort(lags, n, sizeof *lags, compare_lags);
    }

    t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "switch");
    table_add_column(t, "lag");
    table_add_column(t, "mode");
    table_add_column(t, "timeout");
    table_add_column(t, "hash");
    table_add_column(t, "uplinks");
    table_add_column(t, "fallback");
    for (size_t i = 0; i < n; i++) {
        lag = lags[i];
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(lag->switch_->name);
        table_add_cell(t)->text = xstrdup(lag->name);
        table_add_cell(t)->text = xstrdup(lag->mode ? lag->mode : "passive");
        table_add_cell(t)->text = xstrdup(lag->timeout ? lag->timeout
                                                       : "slow");
        table_add_cell(t)->text = xstrdup(lag->load_balance
                                          ? lag->load_balance : "");
        table_add_cell(t)->text = xasprintf("%"PRId64, (lag->n_uplink_num
                                                        ? *lag->uplink_num
                                                        : 2));
        table_add_cell(t)->text = xstrdup(lag->fallback ? lag->fallback
                                                        : "active-backup");
    }
    ctx->table = t;
    free(lags);
}

/* Host member key LAG=nic[,nic]...: maps the LAG's ports, in order, to the
 * host's pNICs ("LAG-1" to the first...), replacing the LAG's previous
 * mapping; an empty value unmaps them.  Returns -1 if 'key' is not a LAG
 * of the member's switch, else whether it worked. */
int
dvs_ctl_set_member_lag(struct ctl_context *ctx,
                       const struct dvsrec_host_member *m, const char *key,
                       const char *value)
{
    const struct dvsrec_switch *sw = m->switch_;
    const struct dvsrec_lag *lag = find_lag(ctx, sw, key, false);
    struct svec pnics = SVEC_EMPTY_INITIALIZER;
    const struct smap_node *node;
    int64_t n_ports, n;
    char *error;

    if (!lag) {
        return -1;
    }
    n_ports = lag->n_uplink_num ? *lag->uplink_num : 2;
    if (*value) {
        error = dvs_parse_name_list(value, DVS_PNIC_NAME_MAX, &pnics);
        if (error) {
            ctl_error(ctx, "%s: %s", key, error);
            free(error);
            return false;
        }
    }
    if (pnics.n > n_ports) {
        ctl_error(ctx, "%s: %"PRIuSIZE" NICs given but LAG %s has %"PRId64
                  " ports (lag-set %s %s uplinks=N)", key, pnics.n, key,
                  n_ports, sw->name, key);
        svec_destroy(&pnics);
        return false;
    }
    /* Each pNIC backs one uplink of one switch. */
    for (size_t i = 0; i < pnics.n; i++) {
        const struct dvsrec_host_member *other;

        DVSREC_HOST_MEMBER_FOR_EACH (other, ctx->idl) {
            if (other->host != m->host) {
                continue;
            }
            SMAP_FOR_EACH (node, &other->uplinks) {
                if (!strcmp(node->value, pnics.names[i])
                    && (other != m || lag_of_port(ctx, sw, node->key, &n)
                                      != lag)) {
                    ctl_error(ctx, "%s: %s of host %s already backs uplink "
                              "%s of switch %s", key, pnics.names[i],
                              m->host->name, node->key,
                              other->switch_->name);
                    svec_destroy(&pnics);
                    return false;
                }
            }
        }
    }

    SMAP_FOR_EACH (node, &m->uplinks) {
        if (lag_of_port(ctx, sw, node->key, &n) == lag) {
            dvsrec_host_member_update_uplinks_delkey(m, node->key);
        }
    }
    for (size_t i = 0; i < pnics.n; i++) {
        char *port = xasprintf("%s-%"PRIuSIZE, key, i + 1);
        dvsrec_host_member_update_uplinks_setkey(m, port, pnics.names[i]);
        free(port);
    }
    svec_destroy(&pnics);
    return true;
}

/* For "show": the LAGs of 'sw', a line each. */
void
dvs_ctl_show_lags(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                  struct ds *out)
{
    const struct dvsrec_lag **lags = NULL;
    const struct dvsrec_lag *lag;
    size_t n = 0, allocated = 0;

    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        if (lag->switch_ == sw) {
            if (n >= allocated) {
                lags = x2nrealloc(lags, &allocated, sizeof *lags);
            }
            lags[n++] = lag;
        }
    }
    if (n) {
        qsort(lags, n, sizeof *lags, compare_lags);
    }
    for (size_t i = 0; i < n; i++) {
        lag = lags[i];
        ds_put_format(out, "    lag %s: mode=%s timeout=%s hash=%s "
                      "uplinks=%"PRId64" fallback=%s\n", lag->name,
                      lag->mode ? lag->mode : "passive",
                      lag->timeout ? lag->timeout : "slow",
                      lag->load_balance ? lag->load_balance : "-",
                      lag->n_uplink_num ? *lag->uplink_num : 2,
                      lag->fallback ? lag->fallback : "active-backup");
    }
    free(lags);
}

/* For "show": the LAG ports that member 'm' maps to pNICs, and the LACP
 * state of its LAGs as dvs-controller last heard it. */
void
dvs_ctl_show_member_lags(struct ctl_context *ctx,
                         const struct dvsrec_host_member *m, struct ds *out)
{
    const struct smap_node **nodes = smap_sort(&m->uplinks);
    size_t n = smap_count(&m->uplinks);
    bool any = false;

    for (size_t i = 0; i < n; i++) {
        if (dvs_ctl_is_lag_port(ctx, m->switch_, nodes[i]->key)) {
            ds_put_format(out, "%s %s=%s", any ? "" : "        lag ports:",
                          nodes[i]->key, nodes[i]->value);
            any = true;
        }
    }
    if (any) {
        ds_put_char(out, '\n');
    }
    free(nodes);

    nodes = smap_sort(&m->lacp_status);
    for (size_t i = 0; i < smap_count(&m->lacp_status); i++) {
        ds_put_format(out, "        lacp %s: %s\n", nodes[i]->key,
                      nodes[i]->value);
    }
    free(nodes);
}

const struct ctl_command_syntax dvs_ctl_lag_commands[] = {
    {"lag-add", 2, INT_MAX, "SWITCH LAG [KEY=VALUE]...", NULL, cmd_lag_add,
     NULL, "--may-exist", RW},
    {"lag-del", 2, 2, "SWITCH LAG", NULL, cmd_lag_del, NULL, "--if-exists",
     RW},
    {"lag-set", 3, INT_MAX, "SWITCH LAG KEY=VALUE...", NULL, cmd_lag_set,
     NULL, "", RW},
    {"lag-list", 0, 1, "[SWITCH]", NULL, cmd_lag_list, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
