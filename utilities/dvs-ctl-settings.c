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

/* Lookups and KEY=VALUE settings shared by dvs-ctl's commands.
 *
 * A command writes every setting first and then checks the rules that span
 * several keys or objects against the rows as they would be committed; a
 * failed check aborts the whole transaction, so nothing is written. */

#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

const struct dvsrec_switch *
dvs_ctl_find_switch(struct ctl_context *ctx, const char *name,
                    bool must_exist)
{
    const struct dvsrec_switch *sw;
    DVSREC_SWITCH_FOR_EACH (sw, ctx->idl) {
        if (!strcmp(sw->name, name)) {
            return sw;
        }
    }
    if (must_exist) {
        ctl_error(ctx, "no switch named %s", name);
    }
    return NULL;
}

const struct dvsrec_portgroup *
dvs_ctl_find_portgroup(struct ctl_context *ctx, const char *name,
                       bool must_exist)
{
    const struct dvsrec_portgroup *pg;
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (!strcmp(pg->name, name)) {
            return pg;
        }
    }
    if (must_exist) {
        ctl_error(ctx, "no portgroup named %s", name);
    }
    return NULL;
}

const struct dvsrec_port *
dvs_ctl_find_port(struct ctl_context *ctx, const char *name, bool must_exist)
{
    const struct dvsrec_port *port = dvs_ctl_index_port(name);
    if (port) {
        return port;
    }
    if (must_exist) {
        ctl_error(ctx, "no port named %s", name);
    }
    return NULL;
}

const struct dvsrec_host_member *
dvs_ctl_find_member(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                    const char *host, bool must_exist)
{
    const struct dvsrec_host_member *m;
    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if (m->switch_ == sw && m->host && !strcmp(m->host->name, host)) {
            return m;
        }
    }
    if (must_exist) {
        ctl_error(ctx, "host %s is not a member of switch %s", host,
                  sw->name);
    }
    return NULL;
}

bool
dvs_ctl_check_name(struct ctl_context *ctx, const char *what,
                   const char *name, size_t max_len)
{
    char *error = dvs_parse_name(name, max_len);
    if (error) {
        ctl_error(ctx, "%s name: %s", what, error);
        free(error);
        return false;
    }
    return true;
}

/* "--config-version=N": the command is meant for version N of the object
 * (as read by "dvs-get"/"pg-get"/"port-show" or "list").  If the object
 * has moved on, it is refused, naming the current version, instead of
 * overwriting another administrator's change.  Checked against the data
 * the transaction runs on; the version bump that follows verifies that
 * column, so a change that lands before the commit makes the command run
 * again on fresh data, and be refused then: the check is atomic. */
bool
dvs_ctl_check_config_version(struct ctl_context *ctx, const char *what,
                             const char *name, int64_t current)
{
    const char *expected = shash_find_data(&ctx->options,
                                           "--config-version");
    long long int n;

    if (!expected) {
        return true;
    }
    if (!str_to_llong(expected, 10, &n) || n < 0) {
        ctl_error(ctx, "--config-version: \"%s\" is not valid (accepted: "
                  "a configuration version, a non-negative integer)",
                  expected);
        return false;
    }
    if (n != current) {
        ctl_error(ctx, "%s %s: configuration version %lld is stale: the "
                  "current version is %"PRId64" (another change was made; "
                  "read it and retry)", what, name, n, current);
        return false;
    }
    return true;
}

/* Optimistic concurrency, as VDS's configVersion: the write fails and the
 * command is retried on fresh data if someone else changed the row since
 * we read it. */
void
dvs_ctl_bump_version(const struct ovsdb_idl_row *row,
                     const struct ovsdb_idl_column *column, int64_t current)
{
    dvs_idl_bump_version(row, column, current);
}

static const struct ovsdb_idl_table_class *
level_table(enum dvs_level level)
{
    return (level == DVS_SWITCH ? &dvsrec_table_switch
            : level == DVS_PORTGROUP ? &dvsrec_table_portgroup
            : &dvsrec_table_port);
}

/* "mac_learning" -> "mac-learning-override-allowed". */
static char *
gate_key_name(const char *gate)
{
    char *name = xasprintf("%s-override-allowed", gate);
    for (char *p = name; *p; p++) {
        if (*p == '_') {
            *p = '-';
        }
    }
    return name;
}

static void
clear_column(const struct ovsdb_idl_row *row,
             const struct ovsdb_idl_column *column)
{
    struct ovsdb_datum empty;
    ovsdb_datum_init_empty(&empty);
    ovsdb_idl_txn_write(row, column, &empty);
}

/* A new VLAN setting replaces the whole VLAN policy of the object: VDS's
 * vlan spec is one of VLAN id, trunk ranges or private VLAN. */
static void
clear_vlan_group(const struct ovsdb_idl_row *row,
                 const struct ovsdb_idl_table_class *table,
                 const struct dvs_key *except)
{
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (&keys[i] != except && keys[i].group
            && !strcmp(keys[i].group, except->group)) {
            clear_column(row, dvs_key_column(&keys[i], table));
        }
    }
}

static int64_t
effective_integer(const char *key_name, const struct dvsrec_switch *sw,
                  const struct dvsrec_portgroup *pg,
                  const struct dvsrec_port *port)
{
    struct ds value = DS_EMPTY_INITIALIZER;
    int64_t x;

    dvs_key_effective(dvs_key_find(key_name), sw, pg, port, &value);
    x = atoll(ds_cstr(&value));
    ds_destroy(&value);
    return x;
}

/* Checks that the traffic shaping in effect for the most specific of 'sw',
 * 'pg' (may be NULL) and 'port' (may be NULL) has its peaks at least at its
 * averages.  With 'inherited', that object is not the one being changed but
 * inherits from it, and the message names it. */
static bool
check_shaping(struct ctl_context *ctx, const struct dvsrec_switch *sw,
              const struct dvsrec_portgroup *pg,
              const struct dvsrec_port *port, bool inherited)
{
    static const char *dirs[] = { "in", "out" };

    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        char *avg_key = xasprintf("%s-average", dirs[i]);
        char *peak_key = xasprintf("%s-peak", dirs[i]);
        int64_t avg = effective_integer(avg_key, sw, pg, port);
        int64_t peak = effective_integer(peak_key, sw, pg, port);
        bool ok = peak >= avg;

        if (!ok && inherited) {
            ctl_error(ctx, "%s: %s %s would have %"PRId64" bit/s, below %s "
                      "%"PRId64" bit/s (the peak must be at least the "
                      "average)", peak_key, port ? "port" : "portgroup",
                      port ? port->name : pg->name, peak, avg_key, avg);
        } else if (!ok) {
            ctl_error(ctx, "%s: %"PRId64" bit/s is below %s %"PRId64" bit/s "
                      "(the peak must be at least the average)",
                      peak_key, peak, avg_key, avg);
        }
        free(avg_key);
        free(peak_key);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Returns true if 'given' has a key that can change the traffic shaping in
 * effect for the objects that inherit it. */
static bool
shaping_given(const struct sset *given)
{
    return (sset_contains(given, "in-average")
            || sset_contains(given, "in-peak")
            || sset_contains(given, "out-average")
            || sset_contains(given, "out-peak")
            || sset_contains(given, "shaping-override-allowed"));
}

/* Checks the traffic shaping of the objects that inherit it from 'pg', or
 * if 'pg' is NULL, from 'sw': their own peaks or averages must still fit
 * what they now inherit. */
static bool
check_shaping_below(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                    const struct dvsrec_portgroup *pg)
{
    const struct dvsrec_portgroup *child;
    const struct dvsrec_port *port;

    if (!pg) {
        DVSREC_PORTGROUP_FOR_EACH (child, ctx->idl) {
            if (child->switch_ == sw
                && !check_shaping(ctx, sw, child, NULL, true)) {
                return false;
            }
        }
    }
    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        child = port->portgroup;
        if (child && (pg ? child == pg : child->switch_ == sw)
            && !check_shaping(ctx, sw, child, port, true)) {
            return false;
        }
    }
    return true;
}

static bool
is_uplink_or_lag(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                 const char *name)
{
    const struct dvsrec_lag *lag;

    for (size_t i = 0; i < sw->n_uplink_names; i++) {
        if (!strcmp(sw->value_uplink_names[i], name)) {
            return true;
        }
    }
    DVSREC_LAG_FOR_EACH (lag, ctx->idl) {
        if (lag->switch_ == sw && !strcmp(lag->name, name)) {
            return true;
        }
    }
    return false;
}

/* Active and standby uplinks must exist and may not overlap. */
static bool
check_uplink_order(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                   char **active, size_t n_active,
                   char **standby, size_t n_standby)
{
    for (size_t i = 0; i < n_active + n_standby; i++) {
        const char *name = i < n_active ? active[i] : standby[i - n_active];
        if (!is_uplink_or_lag(ctx, sw, name)) {
            ctl_error(ctx, "%s: \"%s\" is neither an uplink nor a LAG of "
                      "switch %s", i < n_active ? "active-uplinks"
                                                : "standby-uplinks",
                      name, sw->name);
            return false;
        }
    }
    for (size_t i = 0; i < n_active; i++) {
        for (size_t j = 0; j < n_standby; j++) {
            if (!strcmp(active[i], standby[j])) {
                ctl_error(ctx, "standby-uplinks: \"%s\" is already an "
                          "active uplink", active[i]);
                return false;
            }
        }
    }
    return true;
}

/* Returns the entry of secondary VLAN 'vlan' in the private VLAN map of
 * 'sw', or NULL. */
const struct dvsrec_pvlan_entry *
dvs_ctl_find_pvlan_entry(struct ctl_context *ctx,
                         const struct dvsrec_switch *sw, int64_t vlan)
{
    const struct dvsrec_pvlan_entry *e;

    DVSREC_PVLAN_ENTRY_FOR_EACH (e, ctx->idl) {
        if (e->switch_ == sw && e->secondary_vlan == vlan) {
            return e;
        }
    }
    return NULL;
}

static bool
check_pvlan(struct ctl_context *ctx, const struct dvsrec_switch *sw,
            const int64_t *pvlan, size_t n_pvlan)
{
    if (n_pvlan && !dvs_ctl_find_pvlan_entry(ctx, sw, *pvlan)) {
        ctl_error(ctx, "pvlan: %"PRId64" is not a secondary VLAN in the "
                  "private VLAN map of switch %s", *pvlan, sw->name);
        return false;
    }
    return true;
}

/* A secondary VLAN of the private VLAN map is joined with pvlan=, never
 * used as a plain VLAN. */
static bool
check_vlan(struct ctl_context *ctx, const struct dvsrec_switch *sw,
           const int64_t *vlan, size_t n_vlan)
{
    const struct dvsrec_pvlan_entry *e
        = n_vlan ? dvs_ctl_find_pvlan_entry(ctx, sw, *vlan) : NULL;

    if (e && e->primary_vlan != *vlan) {
        ctl_error(ctx, "vlan: %"PRId64" is a secondary VLAN (%s) of private "
                  "VLAN %"PRId64" of switch %s: use pvlan=%"PRId64, *vlan,
                  e->type, e->primary_vlan, sw->name, *vlan);
        return false;
    }
    return true;
}

/* The warnings of the commands that run. */
static struct svec warnings = SVEC_EMPTY_INITIALIZER;

void
dvs_ctl_warn(const char *format, ...)
{
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);
    if (svec_contains_unsorted(&warnings, msg)) {
        free(msg);
    } else {
        svec_add_nocopy(&warnings, msg);
    }
}

void
dvs_ctl_clear_warnings(void)
{
    svec_clear(&warnings);
}

void
dvs_ctl_print_warnings(void)
{
    const char *msg;
    size_t i;

    fflush(stdout);
    SVEC_FOR_EACH (i, msg, &warnings) {
        fprintf(stderr, "%s: warning: %s\n", program_name, msg);
    }
    svec_clear(&warnings);
}

/* VXLAN over IPv4 adds this much to a VM's frame on the physical network,
 * whose MTU is the switch's; VMs usually send 1500-byte packets. */
#define VXLAN_OVERHEAD 50
#define VM_MTU 1500

/* Warns if 'sw' has VXLAN-backed portgroups and an MTU without room for
 * their overhead. */
static void
warn_vxlan_mtu(struct ctl_context *ctx, const struct dvsrec_switch *sw)
{
    int64_t mtu = effective_integer("mtu", sw, NULL, NULL);
    const struct dvsrec_portgroup *pg;

    if (mtu >= VM_MTU + VXLAN_OVERHEAD) {
        return;
    }
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw && pg->n_vni) {
            dvs_ctl_warn("switch %s: mtu %"PRId64" leaves no room for the %d "
                         "bytes of VXLAN overhead: VMs of its VXLAN-backed "
                         "portgroups must use an MTU of at most %"PRId64" "
                         "(or set mtu=%d or more)", sw->name, mtu,
                         VXLAN_OVERHEAD, mtu - VXLAN_OVERHEAD,
                         VM_MTU + VXLAN_OVERHEAD);
            return;
        }
    }
}

static bool
check_mac_unique(struct ctl_context *ctx, const struct dvsrec_port *port,
                 const struct dvsrec_switch *sw)
{
    const struct dvsrec_port *other;

    if (!port->mac) {
        return true;
    }
    other = dvs_ctl_index_same_mac(port, sw);
    if (other) {
        ctl_error(ctx, "mac: %s is already the address of port %s in "
                  "switch %s", port->mac, other->name, sw->name);
        return false;
    }
    return true;
}

/* Uplink names that hosts or teaming orders refer to cannot disappear. */
static bool
check_uplinks_in_use(struct ctl_context *ctx, const struct dvsrec_switch *sw)
{
    const struct dvsrec_host_member *m;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;

    DVSREC_HOST_MEMBER_FOR_EACH (m, ctx->idl) {
        if (m->switch_ != sw) {
            continue;
        }
        struct smap_node *node;
        SMAP_FOR_EACH (node, &m->uplinks) {
            if (!is_uplink_or_lag(ctx, sw, node->key)
                && !dvs_ctl_is_lag_port(ctx, sw, node->key)) {
                ctl_error(ctx, "uplinks: \"%s\" is still used by host %s "
                          "(pnic %s)", node->key,
                          m->host ? m->host->name : "?", node->value);
                return false;
            }
        }
    }
    if (!check_uplink_order(ctx, sw, sw->value_active_uplinks,
                            sw->n_active_uplinks, sw->value_standby_uplinks,
                            sw->n_standby_uplinks)) {
        return false;
    }
    DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
        if (pg->switch_ == sw
            && !check_uplink_order(ctx, sw, pg->value_active_uplinks,
                                   pg->n_active_uplinks,
                                   pg->value_standby_uplinks,
                                   pg->n_standby_uplinks)) {
            return false;
        }
    }
    DVSREC_PORT_FOR_EACH (port, ctx->idl) {
        if (port->portgroup && port->portgroup->switch_ == sw
            && !check_uplink_order(ctx, sw, port->value_active_uplinks,
                                   port->n_active_uplinks,
                                   port->value_standby_uplinks,
                                   port->n_standby_uplinks)) {
            return false;
        }
    }
    return true;
}

static bool
check_switch(struct ctl_context *ctx, const struct dvsrec_switch *sw,
             const struct sset *given)
{
    if (sset_contains(given, "uplinks") && !check_uplinks_in_use(ctx, sw)) {
        return false;
    }
    if (sset_contains(given, "mtu")) {
        warn_vxlan_mtu(ctx, sw);
    }
    return (check_uplink_order(ctx, sw, sw->value_active_uplinks,
                               sw->n_active_uplinks,
                               sw->value_standby_uplinks,
                               sw->n_standby_uplinks)
            && check_pvlan(ctx, sw, sw->pvlan, sw->n_pvlan)
            && check_vlan(ctx, sw, sw->vlan, sw->n_vlan)
            && check_shaping(ctx, sw, NULL, NULL, false)
            && (!shaping_given(given) || check_shaping_below(ctx, sw, NULL)));
}

static bool
check_portgroup(struct ctl_context *ctx, const struct dvsrec_switch *sw,
                const struct dvsrec_portgroup *pg, const struct sset *given)
{
    bool ephemeral = pg->type && !strcmp(pg->type, "ephemeral");

    if (pg->n_vni && (pg->n_vlan || pg->n_trunks || pg->n_pvlan)) {
        ctl_error(ctx, "vni: a VXLAN-backed portgroup carries no VLAN "
                  "backing (remove vlan, trunk and pvlan, or vni)");
        return false;
    }
    if (pg->n_vni && sset_contains(given, "vni")) {
        warn_vxlan_mtu(ctx, sw);
    }
    if (pg->n_remote_vteps && !pg->n_vni) {
        ctl_error(ctx, "remote-vteps: only a VXLAN-backed portgroup "
                  "(vni=N) has remote VTEPs");
        return false;
    }
    if (pg->n_vni) {
        /* A port's own VLAN backing would be as wrong as the portgroup's
         * (see check_port()). */
        const struct dvsrec_port *port;
        DVSREC_PORT_FOR_EACH (port, ctx->idl) {
            if (port->portgroup == pg
                && (port->n_vlan || port->n_trunks || port->n_pvlan)) {
                ctl_error(ctx, "vni: port %s of portgroup %s has a VLAN "
                          "backing of its own (clear its vlan, trunk and "
                          "pvlan first)", port->name, pg->name);
                return false;
            }
        }
    }
    if (ephemeral && (sset_contains(given, "num-ports")
                      || sset_contains(given, "auto-expand"))) {
        ctl_error(ctx, "%s: ephemeral portgroups have no port count "
                  "(ports are created as VMs connect)",
                  sset_contains(given, "num-ports") ? "num-ports"
                                                    : "auto-expand");
        return false;
    }
    if (!ephemeral && (sset_contains(given, "num-ports")
                       || sset_contains(given, "type"))) {
        /* Against the default port count too: an ephemeral portgroup that
         * becomes static gets it. */
        size_t n_ports = dvs_ctl_index_count_ports(pg);
        int64_t num_ports = effective_integer("num-ports", sw, pg, NULL);
        if (num_ports < n_ports) {
            ctl_error(ctx, "num-ports: portgroup %s has %"PRIuSIZE" ports, "
                      "more than %"PRId64" (delete ports first)",
                      pg->name, n_ports, num_ports);
            return false;
        }
    }
    return (check_uplink_order(ctx, sw, pg->value_active_uplinks,
                               pg->n_active_uplinks,
                               pg->value_standby_uplinks,
                               pg->n_standby_uplinks)
            && check_pvlan(ctx, sw, pg->pvlan, pg->n_pvlan)
            && check_vlan(ctx, sw, pg->vlan, pg->n_vlan)
            && check_shaping(ctx, sw, pg, NULL, false)
            && (!shaping_given(given) || check_shaping_below(ctx, sw, pg)));
}

static bool
check_port(struct ctl_context *ctx, const struct dvsrec_switch *sw,
           const struct dvsrec_portgroup *pg, const struct dvsrec_port *port)
{
    if (pg->n_vni && (port->n_vlan || port->n_trunks || port->n_pvlan)) {
        ctl_error(ctx, "port %s: portgroup %s is VXLAN-backed and carries "
                  "no VLAN backing", port->name, pg->name);
        return false;
    }
    return (check_mac_unique(ctx, port, sw)
            && check_uplink_order(ctx, sw, port->value_active_uplinks,
                                  port->n_active_uplinks,
                                  port->value_standby_uplinks,
                                  port->n_standby_uplinks)
            && check_pvlan(ctx, sw, port->pvlan, port->n_pvlan)
            && check_vlan(ctx, sw, port->vlan, port->n_vlan)
            && check_shaping(ctx, sw, pg, port, false));
}

/* Sets override gate 'gate' of 'pg' to 'allowed'.  This rewrites the whole
 * map rather than updating one key, so that later commands of the same
 * transaction (e.g. a port-set that the gate allows) see the new value. */
static void
set_gate(const struct dvsrec_portgroup *pg, const char *gate, bool allowed)
{
    size_t n = pg->n_override_allowed;
    const char **keys = xmalloc((n + 1) * sizeof *keys);
    bool *values = xmalloc((n + 1) * sizeof *values);
    bool found = false;

    for (size_t i = 0; i < n; i++) {
        keys[i] = pg->key_override_allowed[i];
        values[i] = pg->value_override_allowed[i];
        if (!strcmp(keys[i], gate)) {
            values[i] = allowed;
            found = true;
        }
    }
    if (!found) {
        keys[n] = gate;
        values[n++] = allowed;
    }
    dvsrec_portgroup_set_override_allowed(pg, keys, values, n);
    free(keys);
    free(values);
}

static bool
apply_one(struct ctl_context *ctx, enum dvs_level level,
          const struct ovsdb_idl_row *row, const struct dvsrec_portgroup *pg,
          const char *setting, struct sset *given)
{
    const struct ovsdb_idl_table_class *table = level_table(level);
    const char *eq = strchr(setting, '=');
    const struct dvs_key *key;
    char *name;
    bool ok = false;

    if (!eq || eq == setting) {
        ctl_error(ctx, "\"%s\" is not a KEY=VALUE setting", setting);
        return false;
    }
    name = xmemdup0(setting, eq - setting);
    key = dvs_key_find(name);
    if (!key) {
        ctl_error(ctx, "%s: unknown key (\"dvs-ctl --help\" lists the keys "
                  "of each object)", name);
        goto out;
    }
    if (!(key->levels & level)) {
        ctl_error(ctx, "%s: cannot be set on a %s (it is a setting of %s%s%s)",
                  name, dvs_level_name(level),
                  key->levels & DVS_SWITCH ? "switches" : "",
                  (key->levels & DVS_SWITCH
                   && key->levels & (DVS_PORTGROUP | DVS_PORT)) ? " and " : "",
                  (key->levels & DVS_PORTGROUP ? "portgroups"
                   : key->levels & DVS_PORT ? "ports" : ""));
        goto out;
    }
    if (sset_contains(given, name)) {
        ctl_error(ctx, "%s: given twice", name);
        goto out;
    }
    if (level == DVS_PORT && key->gate
        && !dvs_override_allowed(pg, key->gate)) {
        char *gate = gate_key_name(key->gate);
        ctl_error(ctx, "%s: portgroup %s does not let its ports override "
                  "this policy (set %s=true on the portgroup first)",
                  name, pg->name, gate);
        free(gate);
        goto out;
    }
    if (key->group) {
        const char *other;
        SSET_FOR_EACH (other, given) {
            const struct dvs_key *k = dvs_key_find(other);
            if (k->group && !strcmp(k->group, key->group)) {
                ctl_error(ctx, "%s: %s was given too; vlan, trunk and pvlan "
                          "are exclusive", name, other);
                goto out;
            }
        }
    }

    if (key->type == DVS_KEY_GATE) {
        bool allowed;
        char *error = dvs_parse_bool(eq + 1, &allowed);
        if (error) {
            ctl_error(ctx, "%s: %s", name, error);
            free(error);
            goto out;
        }
        set_gate(CONTAINER_OF(row, struct dvsrec_portgroup, header_),
                 key->column, allowed);
    } else {
        const struct ovsdb_idl_column *column = dvs_key_column(key, table);
        struct ovsdb_datum datum;
        char *error = dvs_key_parse(key, column, eq + 1, &datum);
        if (error) {
            ctl_error(ctx, "%s", error);
            free(error);
            goto out;
        }
        if (key->group) {
            clear_vlan_group(row, table, key);
        }
        ovsdb_idl_txn_write(row, column, &datum);
    }
    sset_add(given, name);
    ok = true;

out:
    free(name);
    return ok;
}

/* Refuses learning parameters given in one command with mac-learning=false:
 * they would say how to learn on ports that do not learn. */
static bool
check_learning_given(struct ctl_context *ctx, char *settings[],
                     int n_settings, const struct sset *given)
{
    static const char *params[] = {
        "mac-limit", "mac-limit-policy", "unicast-flooding", "mac-aging",
    };
    bool learning = true;

    for (int i = 0; i < n_settings; i++) {
        if (!strncmp(settings[i], "mac-learning=", 13)) {
            char *error = dvs_parse_bool(settings[i] + 13, &learning);
            free(error);            /* apply_one() reported it already. */
        }
    }
    if (learning) {
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
        if (sset_contains(given, params[i])) {
            ctl_error(ctx, "%s: has no effect with mac-learning=false, given "
                      "in the same command (set it where learning is on)",
                      params[i]);
            return false;
        }
    }
    return true;
}

/* Applies KEY=VALUE 'settings' to 'row', an object at 'level': a switch
 * ('sw'), a portgroup ('pg', in 'sw') or a port (in 'pg').  On error, reports
 * it with ctl_error() and returns false; the caller's transaction is then
 * aborted and nothing is written. */
bool
dvs_ctl_apply_settings(struct ctl_context *ctx, enum dvs_level level,
                       const struct ovsdb_idl_row *row,
                       const struct dvsrec_switch *sw,
                       const struct dvsrec_portgroup *pg,
                       char *settings[], int n_settings)
{
    struct sset given = SSET_INITIALIZER(&given);
    bool ok = true;

    for (int i = 0; ok && i < n_settings; i++) {
        ok = apply_one(ctx, level, row, pg, settings[i], &given);
    }
    if (ok) {
        ok = check_learning_given(ctx, settings, n_settings, &given);
    }
    if (ok && level == DVS_PORTGROUP && sset_contains(&given, "type")) {
        const struct dvsrec_portgroup *self = CONTAINER_OF(row, struct dvsrec_portgroup, header_);
        if (self->type && !strcmp(self->type, "ephemeral")
            && !sset_contains(&given, "num-ports")
            && !sset_contains(&given, "auto-expand")) {
            /* Ephemeral portgroups have no port count. */
            dvsrec_portgroup_set_num_ports(self, NULL, 0);
            dvsrec_portgroup_set_auto_expand(self, NULL, 0);
        }
    }
    if (ok) {
        switch (level) {
        case DVS_SWITCH:
            ok = check_switch(ctx, sw, &given);
            break;
        case DVS_PORTGROUP:
            ok = check_portgroup(ctx, sw, pg, &given);
            break;
        case DVS_PORT:
            ok = check_port(ctx, sw, pg, CONTAINER_OF(row, struct dvsrec_port, header_));
            break;
        case DVS_POLICY_LEVELS:
        default:
            OVS_NOT_REACHED();
        }
    }
    sset_destroy(&given);
    return ok;
}

/* Appends to 's' where a value in effect for 'port' comes from, in words:
 * "set on port p1", "inherited from portgroup pg1", "inherited from switch
 * sw0" or "default". */
void
dvs_ctl_format_source(enum dvs_source source, const struct dvsrec_switch *sw,
                      const struct dvsrec_portgroup *pg,
                      const struct dvsrec_port *port, struct ds *s)
{
    if (source == DVS_FROM_PORT) {
        ds_put_cstr(s, "set on ");
    } else if (source != DVS_FROM_DEFAULT) {
        ds_put_cstr(s, "inherited from ");
    }
    dvs_source_format(source, sw, pg, port, s);
}

/* Prints the settings in effect for the object at 'level' ('sw', 'pg' or
 * 'port', the less specific ones given too): only the value of 'key_name'
 * if it is nonnull, otherwise a table of every key with where its value
 * comes from. */
void
dvs_ctl_get_settings(struct ctl_context *ctx, enum dvs_level level,
                     const struct dvsrec_switch *sw,
                     const struct dvsrec_portgroup *pg,
                     const struct dvsrec_port *port, const char *key_name)
{
    const struct dvs_key *keys;
    size_t n;

    if (key_name) {
        const struct dvs_key *key = dvs_key_find(key_name);
        if (!key || !(key->levels & level)) {
            ctl_error(ctx, "%s: %s", key_name,
                      key ? "not a setting of this kind of object"
                          : "unknown key (\"dvs-ctl --help\" lists the keys "
                            "of each object)");
            return;
        }
        dvs_key_effective(key, sw, pg, port, &ctx->output);
        ds_put_char(&ctx->output, '\n');
        return;
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "key");
    table_add_column(t, "value");
    table_add_column(t, "from");

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *key = &keys[i];
        struct ds value = DS_EMPTY_INITIALIZER;
        enum dvs_source source;

        if (!(key->levels & level)) {
            continue;
        }
        source = dvs_key_effective(key, sw, pg, port, &value);
        table_add_row(t);
        table_add_cell(t)->text = xstrdup(key->name);
        table_add_cell(t)->text = ds_steal_cstr(&value);
        ds_init(&value);
        dvs_source_format(source, sw, pg, port, &value);
        table_add_cell(t)->text = ds_steal_cstr(&value);
    }
    ctx->table = t;
}

/* Describes the VLAN or VXLAN backing in effect for 'port' (may be NULL) in
 * 'pg' of 'sw', e.g. "vlan 10", "trunk 10-20", "pvlan 101", "vxlan 5001". */
void
dvs_ctl_format_backing(const struct dvsrec_switch *sw,
                       const struct dvsrec_portgroup *pg,
                       const struct dvsrec_port *port, struct ds *s)
{
    static const char *vlan_keys[] = { "trunk", "pvlan", "vlan" };

    if (pg && pg->n_vni) {
        ds_put_format(s, "vxlan %"PRId64, *pg->vni);
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(vlan_keys); i++) {
        struct ds value = DS_EMPTY_INITIALIZER;
        dvs_key_effective(dvs_key_find(vlan_keys[i]), sw, pg, port, &value);
        if (value.length) {
            if (!strcmp(vlan_keys[i], "vlan") && !strcmp(value.string, "0")) {
                ds_put_cstr(s, "untagged");
            } else {
                ds_put_format(s, "%s %s", vlan_keys[i], ds_cstr(&value));
            }
            ds_destroy(&value);
            return;
        }
        ds_destroy(&value);
    }
}
