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

/* dvs-ctl commands for port mirroring sessions (mirror-*), VDS's VSPAN
 * sessions.  A command writes the session's columns, then checks the
 * session as a whole for its type: any error aborts the transaction. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-mirror.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "sset.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

/* Open vSwitch makes at most 32 mirrors per bridge (MAX_MIRRORS). */
#define MAX_SESSIONS_PER_SWITCH 32

static const char *session_types[] = {
    "dvPortMirror", "remoteMirrorSource", "remoteMirrorDest",
    "encapsulatedRemoteMirrorSource", "mixedDestMirror",
};

#define KEYS "type, src-rx, src-tx, src-vlan, dest-port, dest-uplink, " \
    "dest-ip, encap-vlan, strip-vlan, encap, erspan-id, length, sampling, " \
    "normal-traffic, enabled, description"

/* Parses comma-separated port names 'value' of 'sw' into 'ports' (an array
 * to free) and '*n'. */
static bool
parse_ports(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            const char *key, const char *value,
            struct dvsrec_port ***ports, size_t *n)
{
    struct svec names = SVEC_EMPTY_INITIALIZER;
    char *error = dvs_parse_name_list(value, DVS_PORT_NAME_MAX, &names);

    *ports = NULL;
    *n = 0;
    if (error) {
        ctl_error(ctx, "%s: %s", key, error);
        free(error);
        svec_destroy(&names);
        return false;
    }
    *ports = xmalloc((names.n + 1) * sizeof **ports);
    for (size_t i = 0; i < names.n; i++) {
        const struct dvsrec_port *p = dvs_ctl_find_port(ctx, names.names[i],
                                                        false);
        if (!p) {
            ctl_error(ctx, "%s: no port named %s", key, names.names[i]);
        } else if (!p->portgroup || p->portgroup->switch_ != sw) {
            ctl_error(ctx, "%s: port %s is not a port of switch %s", key,
                      p->name, sw->name);
        } else {
            (*ports)[(*n)++] = CONST_CAST(struct dvsrec_port *, p);
            continue;
        }
        free(*ports);
        *ports = NULL;
        svec_destroy(&names);
        return false;
    }
    svec_destroy(&names);
    return true;
}

static bool
parse_int(struct ctl_context *ctx, const char *key, const char *value,
          int64_t min, int64_t max, int64_t *n)
{
    char *error = dvs_parse_integer(value, min, max, n);
    if (error) {
        ctl_error(ctx, "%s: %s", key, error);
        free(error);
        return false;
    }
    return true;
}

static bool
parse_bool(struct ctl_context *ctx, const char *key, const char *value,
           bool *b)
{
    char *error = dvs_parse_bool(value, b);
    if (error) {
        ctl_error(ctx, "%s: %s", key, error);
        free(error);
        return false;
    }
    return true;
}

/* Parses a comma-separated list of items into 'items'. */
static void
split_list(const char *value, struct svec *items)
{
    char *copy = xstrdup(value), *save_ptr = NULL;

    for (char *item = strtok_r(copy, ",", &save_ptr); item;
         item = strtok_r(NULL, ",", &save_ptr)) {
        svec_add(items, item);
    }
    free(copy);
}

static bool
set_vlans(struct ctl_context *ctx, const struct dvsrec_mirror_session *s,
          const char *key, const char *value)
{
    int64_t *vlans;
    size_t n;
    char *error = dvs_parse_vlan_ranges(value, &vlans, &n);

    if (error) {
        ctl_error(ctx, "%s: %s", key, error);
        free(error);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (vlans[i] < 1 || vlans[i] > 4094) {
            ctl_error(ctx, "%s: VLAN %"PRId64" is out of range (1 to 4094)",
                      key, vlans[i]);
            free(vlans);
            return false;
        }
    }
    dvsrec_mirror_session_set_source_vlans(s, vlans, n);
    free(vlans);
    return true;
}

static bool
set_uplinks(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            const struct dvsrec_mirror_session *s, const char *key,
            const char *value)
{
    struct svec names = SVEC_EMPTY_INITIALIZER;
    bool ok = true;

    split_list(value, &names);
    for (size_t i = 0; ok && i < names.n; i++) {
        bool found = false;
        for (size_t j = 0; j < sw->n_uplink_names; j++) {
            found = found || !strcmp(sw->value_uplink_names[j],
                                     names.names[i]);
        }
        if (!found) {
            ctl_error(ctx, "%s: %s is not an uplink of switch %s", key,
                      names.names[i], sw->name);
            ok = false;
        }
    }
    if (ok) {
        dvsrec_mirror_session_set_dest_uplinks(
            s, (const char **) names.names, names.n);
    }
    svec_destroy(&names);
    return ok;
}

static bool
set_ips(struct ctl_context *ctx, const struct dvsrec_mirror_session *s,
        const char *key, const char *value)
{
    struct svec items = SVEC_EMPTY_INITIALIZER;
    struct svec ips = SVEC_EMPTY_INITIALIZER;
    bool ok = true;

    split_list(value, &items);
    for (size_t i = 0; ok && i < items.n; i++) {
        char *ip, *error = dvs_parse_ip(items.names[i], &ip);
        if (error) {
            ctl_error(ctx, "%s: %s", key, error);
            free(error);
            ok = false;
        } else {
            svec_add_nocopy(&ips, ip);
        }
    }
    if (ok) {
        dvsrec_mirror_session_set_dest_ips(s, (const char **) ips.names,
                                           ips.n);
    }
    svec_destroy(&items);
    svec_destroy(&ips);
    return ok;
}

/* Applies the KEY=VALUE 'settings' to session 's' of switch 'sw'. */
static bool
apply_settings(struct ctl_context *ctx, const struct dvsrec_switch *sw,
               const struct dvsrec_mirror_session *s, char *settings[],
               int n)
{
    for (int i = 0; i < n; i++) {
        char *eq = strchr(settings[i], '=');
        struct dvsrec_port **ports;
        size_t n_ports;
        int64_t number;
        bool b;

        if (!eq) {
            ctl_error(ctx, "%s: expected KEY=VALUE (keys: "KEYS")",
                      settings[i]);
            return false;
        }
        char *key = xmemdup0(settings[i], eq - settings[i]);
        const char *value = eq + 1;
        bool ok = true;

#define PORTS(COLUMN) \
        ok = parse_ports(ctx, sw, key, value, &ports, &n_ports); \
        if (ok) { \
            dvsrec_mirror_session_set_##COLUMN(s, ports, n_ports); \
            free(ports); \
        }
        if (!strcmp(key, "type")) {
            bool known = false;
            for (size_t t = 0; t < ARRAY_SIZE(session_types); t++) {
                known = known || !strcmp(value, session_types[t]);
            }
            if (known) {
                dvsrec_mirror_session_set_session_type(s, value);
            } else {
                ctl_error(ctx, "type: %s is not a session type (dvPortMirror,"
                          " remoteMirrorSource, remoteMirrorDest, "
                          "encapsulatedRemoteMirrorSource or "
                          "mixedDestMirror)", value);
                ok = false;
            }
        } else if (!strcmp(key, "src-rx")) {
            PORTS(source_rx);
        } else if (!strcmp(key, "src-tx")) {
            PORTS(source_tx);
        } else if (!strcmp(key, "dest-port")) {
            PORTS(dest_ports);
        } else if (!strcmp(key, "src-vlan")) {
            ok = set_vlans(ctx, s, key, value);
        } else if (!strcmp(key, "dest-uplink")) {
            ok = set_uplinks(ctx, sw, s, key, value);
        } else if (!strcmp(key, "dest-ip")) {
            ok = set_ips(ctx, s, key, value);
        } else if (!strcmp(key, "encap-vlan")) {
            ok = parse_int(ctx, key, value, 1, 4094, &number);
            if (ok) {
                dvsrec_mirror_session_set_encap_vlan(s, &number, 1);
            }
        } else if (!strcmp(key, "strip-vlan")) {
            ok = parse_bool(ctx, key, value, &b);
            if (ok) {
                dvsrec_mirror_session_set_strip_original_vlan(s, &b, 1);
            }
        } else if (!strcmp(key, "encap")) {
            if (!strcmp(value, "gre") || !strcmp(value, "erspan2")
                || !strcmp(value, "erspan3")) {
                dvsrec_mirror_session_set_encap_type(s, value);
            } else {
                ctl_error(ctx, "encap: %s is not an encapsulation (gre, "
                          "erspan2 or erspan3)", value);
                ok = false;
            }
        } else if (!strcmp(key, "erspan-id")) {
            ok = parse_int(ctx, key, value, 0, 1023, &number);
            if (ok) {
                dvsrec_mirror_session_set_erspan_id(s, &number, 1);
            }
        } else if (!strcmp(key, "length")) {
            ok = parse_int(ctx, key, value, 60, 65535, &number);
            if (ok) {
                dvsrec_mirror_session_set_mirrored_packet_length(s, &number,
                                                                 1);
            }
        } else if (!strcmp(key, "sampling")) {
            ok = parse_int(ctx, key, value, 1, 65535, &number);
            if (ok && number != 1) {
                ctl_error(ctx, "sampling: mirroring 1 packet of %"PRId64" is "
                          "not supported (Open vSwitch 3.1 mirrors every "
                          "packet; only sampling=1 is accepted)", number);
                ok = false;
            } else if (ok) {
                dvsrec_mirror_session_set_sampling_rate(s, &number, 1);
            }
        } else if (!strcmp(key, "normal-traffic")) {
            ok = parse_bool(ctx, key, value, &b);
            if (ok) {
                dvsrec_mirror_session_set_normal_traffic_allowed(s, &b, 1);
            }
        } else if (!strcmp(key, "enabled")) {
            ok = parse_bool(ctx, key, value, &b);
            if (ok) {
                dvsrec_mirror_session_set_enabled(s, &b, 1);
            }
        } else if (!strcmp(key, "description")) {
            dvsrec_mirror_session_set_description(s, value);
        } else {
            ctl_error(ctx, "%s: unknown mirror setting (keys: "KEYS")", key);
            ok = false;
        }
#undef PORTS
        free(key);
        if (!ok) {
            return false;
        }
    }
    return true;
}

static bool
port_in(struct dvsrec_port **ports, size_t n, const struct dvsrec_port *p)
{
    for (size_t i = 0; i < n; i++) {
        if (ports[i] == p) {
            return true;
        }
    }
    return false;
}

/* Checks session 's' as a whole: what its type needs and allows. */
static bool
check_session(struct ctl_context *ctx, const struct dvsrec_mirror_session *s)
{
    enum dvs_mirror_type type = dvs_mirror_get_type(s);
    const char *tname = s->session_type ? s->session_type : "dvPortMirror";
    bool sources = s->n_source_rx || s->n_source_tx;

    struct {
        const char *key;        /* dvs-ctl key. */
        bool set;               /* Whether the session has it. */
        bool needed, allowed;   /* For this type. */
    } rules[] = {
        {"src-rx or src-tx", sources, type != DVS_MIRROR_RSPAN_DEST,
         type != DVS_MIRROR_RSPAN_DEST},
        {"src-vlan", s->n_source_vlans > 0, type == DVS_MIRROR_RSPAN_DEST,
         type == DVS_MIRROR_RSPAN_DEST},
        {"dest-port", s->n_dest_ports > 0,
         type == DVS_MIRROR_DVPORT || type == DVS_MIRROR_RSPAN_DEST,
         type == DVS_MIRROR_DVPORT || type == DVS_MIRROR_RSPAN_DEST
         || type == DVS_MIRROR_MIXED},
        {"dest-uplink", s->n_dest_uplinks > 0,
         type == DVS_MIRROR_RSPAN_SOURCE,
         type == DVS_MIRROR_RSPAN_SOURCE || type == DVS_MIRROR_MIXED},
        {"dest-ip", s->n_dest_ips > 0, type == DVS_MIRROR_ENCAP_SOURCE,
         type == DVS_MIRROR_ENCAP_SOURCE},
        {"encap-vlan", s->n_encap_vlan > 0, type == DVS_MIRROR_RSPAN_SOURCE,
         type == DVS_MIRROR_RSPAN_SOURCE},
        {"strip-vlan", s->n_strip_original_vlan > 0, false,
         type == DVS_MIRROR_RSPAN_SOURCE},
        {"encap", s->encap_type != NULL, false,
         type == DVS_MIRROR_ENCAP_SOURCE},
        {"erspan-id", s->n_erspan_id > 0, false,
         type == DVS_MIRROR_ENCAP_SOURCE},
    };
    for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
        if (rules[i].needed && !rules[i].set) {
            ctl_error(ctx, "mirroring session %s (%s) needs %s", s->name,
                      tname, rules[i].key);
            return false;
        }
        if (rules[i].set && !rules[i].allowed) {
            ctl_error(ctx, "mirroring session %s (%s) takes no %s", s->name,
                      tname, rules[i].key);
            return false;
        }
    }
    if (type == DVS_MIRROR_MIXED && !s->n_dest_ports && !s->n_dest_uplinks) {
        ctl_error(ctx, "mirroring session %s (%s) needs dest-port or "
                  "dest-uplink", s->name, tname);
        return false;
    }
    for (size_t i = 0; i < s->n_dest_ports; i++) {
        const struct dvsrec_port *p = s->dest_ports[i];
        if (port_in(s->source_rx, s->n_source_rx, p)
            || port_in(s->source_tx, s->n_source_tx, p)) {
            ctl_error(ctx, "port %s is both a source and a destination of "
                      "mirroring session %s", p->name, s->name);
            return false;
        }
    }
    return true;
}

static const struct dvsrec_mirror_session *
find_session(struct ctl_context *ctx, const struct dvsrec_switch *sw,
             const char *name)
{
    const struct dvsrec_mirror_session *s;

    DVSREC_MIRROR_SESSION_FOR_EACH (s, ctx->idl) {
        if (s->switch_ == sw && !strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}

/* Finds the session that arguments [SWITCH] NAME (from argv[1]) name. */
static const struct dvsrec_mirror_session *
find_session_arg(struct ctl_context *ctx, bool must_exist)
{
    const struct dvsrec_mirror_session *s, *found = NULL;
    const char *name = ctx->argv[ctx->argc - 1];

    if (ctx->argc > 2) {
        const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx,
                                                             ctx->argv[1],
                                                             true);
        if (!sw) {
            return NULL;
        }
        found = find_session(ctx, sw, name);
        if (!found && must_exist) {
            ctl_error(ctx, "switch %s has no mirroring session named %s",
                      sw->name, name);
        }
        return found;
    }
    DVSREC_MIRROR_SESSION_FOR_EACH (s, ctx->idl) {
        if (!strcmp(s->name, name)) {
            if (found) {
                ctl_error(ctx, "switches %s and %s both have a mirroring "
                          "session named %s: give the switch too",
                          found->switch_->name, s->switch_->name, name);
                return NULL;
            }
            found = s;
        }
    }
    if (!found && must_exist) {
        ctl_error(ctx, "no mirroring session named %s", name);
    }
    return found;
}

/* mirror-add SWITCH NAME [KEY=VALUE]... */
static void
cmd_mirror_add(struct ctl_context *ctx)
{
    const struct dvsrec_switch *sw = dvs_ctl_find_switch(ctx, ctx->argv[1],
                                                         true);
    const char *name = ctx->argv[2];
    const struct dvsrec_mirror_session *s;
    size_t n = 0;

    if (!sw) {
        return;
    }
    if (!dvs_mirror_name_is_valid(name)) {
        ctl_error(ctx, "%s: a mirroring session name is 1 to 32 letters, "
                  "digits, '-', '_' or '.'", name);
        return;
    }
    if (find_session(ctx, sw, name)) {
        ctl_error(ctx, "switch %s already has a mirroring session named %s",
                  sw->name, name);
        return;
    }
    DVSREC_MIRROR_SESSION_FOR_EACH (s, ctx->idl) {
        n += s->switch_ == sw;
    }
    if (n >= MAX_SESSIONS_PER_SWITCH) {
        ctl_error(ctx, "switch %s already has %d mirroring sessions, the "
                  "most that Open vSwitch makes on one bridge", sw->name,
                  MAX_SESSIONS_PER_SWITCH);
        return;
    }

    bool enabled = true;
    s = dvsrec_mirror_session_insert(ctx->txn);
    dvsrec_mirror_session_set_name(s, name);
    dvsrec_mirror_session_set_switch_(s, sw);
    dvsrec_mirror_session_set_enabled(s, &enabled, 1);
    if (apply_settings(ctx, sw, s, &ctx->argv[3], ctx->argc - 3)) {
        check_session(ctx, s);
    }
}

/* mirror-set [SWITCH] NAME KEY=VALUE... */
static void
cmd_mirror_set(struct ctl_context *ctx)
{
    const struct dvsrec_mirror_session *s;
    int first = 1;

    /* The first argument with '=' starts the settings. */
    while (first < ctx->argc && !strchr(ctx->argv[first], '=')) {
        first++;
    }
    if (first < 2 || first > 3 || first >= ctx->argc) {
        ctl_error(ctx, "mirror-set: expected [SWITCH] NAME KEY=VALUE...");
        return;
    }
    int argc = ctx->argc;
    ctx->argc = first;
    s = find_session_arg(ctx, true);
    ctx->argc = argc;
    if (s && apply_settings(ctx, s->switch_, s, &ctx->argv[first],
                            ctx->argc - first)) {
        check_session(ctx, s);
    }
}

/* mirror-del [SWITCH] NAME. */
static void
cmd_mirror_del(struct ctl_context *ctx)
{
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct dvsrec_mirror_session *s = find_session_arg(ctx,
                                                             !if_exists);
    if (s) {
        dvsrec_mirror_session_delete(s);
    }
}

static const char *
port_host(const struct dvsrec_port *port, void *aux OVS_UNUSED)
{
    return port->host ? port->host->name : NULL;
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct dvsrec_port *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Appends "WHAT: PORT (HOST)..." to 's', by port name. */
static void
put_ports(struct ds *s, const char *what, struct dvsrec_port **ports_,
          size_t n)
{
    if (n) {
        struct dvsrec_port **ports = xmemdup(ports_, n * sizeof *ports);

        qsort(ports, n, sizeof *ports, compare_ports);
        ds_put_format(s, "%s:", what);
        for (size_t i = 0; i < n; i++) {
            ds_put_format(s, " %s (%s)", ports[i]->name,
                          ports[i]->host ? ports[i]->host->name
                                         : "not bound");
        }
        ds_put_char(s, '\n');
        free(ports);
    }
}

static void
put_strings(struct ds *s, const char *what, char **items, size_t n)
{
    if (n) {
        ds_put_format(s, "%s:", what);
        for (size_t i = 0; i < n; i++) {
            ds_put_format(s, " %s", items[i]);
        }
        ds_put_char(s, '\n');
    }
}

static int64_t
get_statistic(const struct dvsrec_mirror_session *s, const char *key)
{
    for (size_t i = 0; i < s->n_statistics; i++) {
        if (!strcmp(s->key_statistics[i], key)) {
            return s->value_statistics[i];
        }
    }
    return 0;
}

/* Appends to 'out' a warning for the source ports of tunnelled session 's'
 * bound on hosts without a VTEP address, which send no copies. */
static void
put_vtep_warning(struct ctl_context *ctx,
                 const struct dvsrec_mirror_session *s, struct ds *out)
{
    struct dvsrec_port **lists[] = { s->source_rx, s->source_tx };
    size_t sizes[] = { s->n_source_rx, s->n_source_tx };
    struct sset hosts = SSET_INITIALIZER(&hosts);

    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; i < sizes[l]; i++) {
            const struct dvsrec_host *host = lists[l][i]->host;
            const struct dvsrec_host_member *m
                = host ? dvs_ctl_find_member(ctx, s->switch_, host->name,
                                             false) : NULL;
            if (m && !m->vtep_ip) {
                sset_add(&hosts, host->name);
            }
        }
    }
    if (!sset_is_empty(&hosts)) {
        const char **sorted = sset_sort(&hosts);

        ds_put_cstr(out, "warning: no vtep-ip, no copies from:");
        for (size_t i = 0; i < sset_count(&hosts); i++) {
            ds_put_format(out, " %s", sorted[i]);
        }
        ds_put_char(out, '\n');
        free(sorted);
    }
    sset_destroy(&hosts);
}

/* mirror-show [SWITCH] NAME. */
static void
cmd_mirror_show(struct ctl_context *ctx)
{
    const struct dvsrec_mirror_session *s = find_session_arg(ctx, true);
    struct ds *out = &ctx->output;

    if (!s) {
        return;
    }
    char *reason = dvs_mirror_inactive_reason(s, port_host, NULL);

    ds_put_format(out, "session: %s\nswitch: %s\ntype: %s\n", s->name,
                  s->switch_->name,
                  s->session_type ? s->session_type : "dvPortMirror");
    if (s->description[0]) {
        ds_put_format(out, "description: %s\n", s->description);
    }
    ds_put_format(out, "enabled: %s\n",
                  dvs_mirror_is_enabled(s) ? "true" : "false");
    if (reason) {
        ds_put_format(out, "status: not active: %s\n", reason);
    } else {
        ds_put_cstr(out, "status: active\n");
    }
    free(reason);
    if (dvs_mirror_get_type(s) == DVS_MIRROR_ENCAP_SOURCE) {
        put_vtep_warning(ctx, s, out);
    }
    put_ports(out, "src-rx", s->source_rx, s->n_source_rx);
    put_ports(out, "src-tx", s->source_tx, s->n_source_tx);
    if (s->n_source_vlans) {
        ds_put_cstr(out, "src-vlan: ");
        dvs_format_vlan_ranges(s->source_vlans, s->n_source_vlans, out);
        ds_put_char(out, '\n');
    }
    put_ports(out, "dest-port", s->dest_ports, s->n_dest_ports);
    put_strings(out, "dest-uplink", s->dest_uplinks, s->n_dest_uplinks);
    put_strings(out, "dest-ip", s->dest_ips, s->n_dest_ips);
    if (s->n_encap_vlan) {
        ds_put_format(out, "encap-vlan: %"PRId64"\n", s->encap_vlan[0]);
    }
    if (s->n_strip_original_vlan) {
        ds_put_format(out, "strip-vlan: %s\n",
                      s->strip_original_vlan[0] ? "true" : "false");
    }
    if (dvs_mirror_get_type(s) == DVS_MIRROR_ENCAP_SOURCE) {
        ds_put_format(out, "encap: %s\nerspan-id: %"PRId64"\n",
                      s->encap_type ? s->encap_type : "gre",
                      s->n_erspan_id ? s->erspan_id[0] : 0);
    }
    if (s->n_mirrored_packet_length) {
        ds_put_format(out, "length: %"PRId64"\n",
                      s->mirrored_packet_length[0]);
    }
    ds_put_format(out, "normal-traffic: %s\n",
                  s->n_normal_traffic_allowed && s->normal_traffic_allowed[0]
                  ? "true" : "false");
    ds_put_format(out, "statistics: tx_packets=%"PRId64" tx_bytes=%"PRId64
                  "\n", get_statistic(s, "tx_packets"),
                  get_statistic(s, "tx_bytes"));
}

static int
compare_sessions(const void *a_, const void *b_)
{
    const struct dvsrec_mirror_session *const *a = a_, *const *b = b_;
    int cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);

    return cmp ? cmp : strcmp((*a)->name, (*b)->name);
}

/* mirror-list [SWITCH]. */
static void
cmd_mirror_list(struct ctl_context *ctx)
{
    const struct dvsrec_mirror_session **list = NULL;
    const struct dvsrec_mirror_session *s;
    const struct dvsrec_switch *sw = NULL;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        sw = dvs_ctl_find_switch(ctx, ctx->argv[1], true);
        if (!sw) {
            return;
        }
    }
    DVSREC_MIRROR_SESSION_FOR_EACH (s, ctx->idl) {
        if (!sw || s->switch_ == sw) {
            if (n >= allocated) {
                list = x2nrealloc(list, &allocated, sizeof *list);
            }
            list[n++] = s;
        }
    }
    if (n) {
        qsort(list, n, sizeof *list, compare_sessions);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "switch");
    table_add_column(t, "name");
    table_add_column(t, "type");
    table_add_column(t, "status");
    for (size_t i = 0; i < n; i++) {
        char *reason = dvs_mirror_inactive_reason(list[i], port_host, NULL);

        table_add_row(t);
        table_add_cell(t)->text = xstrdup(list[i]->switch_->name);
        table_add_cell(t)->text = xstrdup(list[i]->name);
        table_add_cell(t)->text = xstrdup(list[i]->session_type
                                          ? list[i]->session_type
                                          : "dvPortMirror");
        table_add_cell(t)->text = xstrdup(reason ? "not active" : "active");
        free(reason);
    }
    ctx->table = t;
    free(list);
}

const struct ctl_command_syntax dvs_ctl_mirror_commands[] = {
    {"mirror-add", 2, INT_MAX, "SWITCH NAME [KEY=VALUE]...", NULL,
     cmd_mirror_add, NULL, "", RW},
    {"mirror-set", 2, INT_MAX, "[SWITCH] NAME KEY=VALUE...", NULL,
     cmd_mirror_set, NULL, "", RW},
    {"mirror-del", 1, 2, "[SWITCH] NAME", NULL, cmd_mirror_del, NULL,
     "--if-exists", RW},
    {"mirror-list", 0, 1, "[SWITCH]", NULL, cmd_mirror_list, NULL, "", RO},
    {"mirror-show", 1, 2, "[SWITCH] NAME", NULL, cmd_mirror_show, NULL, "",
     RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
