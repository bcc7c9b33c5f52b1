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

/* dvs-ctl commands for traffic filtering and marking rules (rule-*), the
 * Traffic_Rule rows of a switch, a portgroup or a port (VDS
 * DvsTrafficRule).  A rule is checked whole, by the code that
 * dvs-controller translates it with (lib/dvs-traffic-rule.c), before
 * anything is written. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-traffic-rule.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

/* The object that holds a set of rules. */
struct rule_owner {
    const char *kind;           /* "switch", "portgroup" or "port". */
    const char *name;
    const struct ovsdb_idl_row *row;
    const struct dvsrec_switch *sw;
    const struct dvsrec_portgroup *pg;
    const struct dvsrec_port *port;
    struct dvsrec_traffic_rule **rules;
    size_t n_rules;
};

static bool
has_option(const struct ctl_context *ctx, const char *option)
{
    return shash_find(&ctx->options, option) != NULL;
}

static void
owner_from_switch(struct rule_owner *o, const struct dvsrec_switch *sw)
{
    *o = (struct rule_owner) {
        .kind = "switch", .name = sw->name, .row = &sw->header_, .sw = sw,
        .rules = sw->traffic_rules, .n_rules = sw->n_traffic_rules,
    };
}

static void
owner_from_portgroup(struct rule_owner *o, const struct dvsrec_portgroup *pg)
{
    *o = (struct rule_owner) {
        .kind = "portgroup", .name = pg->name, .row = &pg->header_,
        .pg = pg, .rules = pg->traffic_rules,
        .n_rules = pg->n_traffic_rules,
    };
}

static void
owner_from_port(struct rule_owner *o, const struct dvsrec_port *port)
{
    *o = (struct rule_owner) {
        .kind = "port", .name = port->name, .row = &port->header_,
        .port = port, .rules = port->traffic_rules,
        .n_rules = port->n_traffic_rules,
    };
}

/* Finds the owner named 'name': of the kind that --switch, --portgroup or
 * --port says, else whichever object has that name; a name that several
 * kinds of objects have must be told apart. */
static bool
find_owner(struct ctl_context *ctx, const char *name, struct rule_owner *o)
{
    bool want_sw = has_option(ctx, "--switch");
    bool want_pg = has_option(ctx, "--portgroup");
    bool want_port = has_option(ctx, "--port");
    const struct dvsrec_switch *sw = NULL;
    const struct dvsrec_portgroup *pg = NULL;
    const struct dvsrec_port *port = NULL;

    if (want_sw + want_pg + want_port > 1) {
        ctl_error(ctx, "give at most one of --switch, --portgroup and --port");
        return false;
    }
    if (want_sw || want_pg || want_port) {
        if (want_sw) {
            sw = dvs_ctl_find_switch(ctx, name, true);
        } else if (want_pg) {
            pg = dvs_ctl_find_portgroup(ctx, name, true);
        } else {
            port = dvs_ctl_find_port(ctx, name, true);
        }
    } else {
        sw = dvs_ctl_find_switch(ctx, name, false);
        pg = dvs_ctl_find_portgroup(ctx, name, false);
        port = dvs_ctl_find_port(ctx, name, false);
        if (!!sw + !!pg + !!port > 1) {
            ctl_error(ctx, "\"%s\" names more than one of a switch, a "
                      "portgroup and a port: say which with --switch, "
                      "--portgroup or --port", name);
            return false;
        } else if (!sw && !pg && !port) {
            ctl_error(ctx, "\"%s\" is not a switch, a portgroup or a port",
                      name);
            return false;
        }
    }
    if (sw) {
        owner_from_switch(o, sw);
    } else if (pg) {
        owner_from_portgroup(o, pg);
    } else if (port) {
        owner_from_port(o, port);
    } else {
        return false;
    }
    return true;
}

/* Parses 'arg' as a rule's sequence number.  On error, reports it with
 * ctl_error() and returns false. */
static bool
parse_sequence(struct ctl_context *ctx, const char *arg, int64_t *sequence)
{
    char *error = dvs_parse_integer(arg, 0, 65535, sequence);

    if (error) {
        ctl_error(ctx, "sequence: %s", error);
        free(error);
        return false;
    }
    return true;
}

static const struct dvsrec_traffic_rule *
find_rule(const struct rule_owner *o, int64_t sequence)
{
    for (size_t i = 0; i < o->n_rules; i++) {
        if (o->rules[i]->sequence == sequence) {
            return o->rules[i];
        }
    }
    return NULL;
}

/* Makes 'rules' the rules of 'o'.  The whole set is written, so that a
 * later command of the same transaction sees it. */
static void
set_owner_rules(const struct rule_owner *o,
                struct dvsrec_traffic_rule **rules, size_t n)
{
    if (o->sw) {
        dvsrec_switch_set_traffic_rules(o->sw, rules, n);
    } else if (o->pg) {
        dvsrec_portgroup_set_traffic_rules(o->pg, rules, n);
    } else {
        dvsrec_port_set_traffic_rules(o->port, rules, n);
    }
}

static void
bump_owner_version(const struct rule_owner *o)
{
    if (o->sw) {
        dvs_ctl_bump_version(o->row, &dvsrec_switch_col_config_version,
                             o->sw->config_version);
    } else if (o->pg) {
        dvs_ctl_bump_version(o->row, &dvsrec_portgroup_col_config_version,
                             o->pg->config_version);
    } else {
        dvs_ctl_bump_version(o->row, &dvsrec_port_col_config_version,
                             o->port->config_version);
    }
}

/* "src_ip" -> "src-ip", the spelling of dvs-ctl's keys. */
static char *
dashed(const char *s)
{
    char *d = xstrdup(s);

    for (char *p = d; *p; p++) {
        if (*p == '_') {
            *p = '-';
        }
    }
    return d;
}

/* Rewrites the qualifier names in 'error' (the database's, "src_ip") as
 * dvs-ctl spells them ("src-ip"). */
static char *
dashed_error(char *error)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&s, error);
    free(error);
    for (size_t i = 0; dvs_rule_qualifiers[i]; i++) {
        const char *q = dvs_rule_qualifiers[i];
        const char *underscore = strchr(q, '_');
        char *p;

        while (underscore && (p = strstr(ds_cstr(&s), q)) != NULL) {
            p[underscore - q] = '-';
        }
    }
    return ds_steal_cstr(&s);
}

/* Maps the protocol names that rules commonly use to IP protocol numbers;
 * other values are taken as given. */
static const char *
protocol_number(const char *value)
{
    static const char *names[][2] = {
        { "icmp", "1" }, { "tcp", "6" }, { "udp", "17" }, { "icmpv6", "58" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(value, names[i][0])) {
            return names[i][1];
        }
    }
    return value;
}

/* rule-add OWNER SEQUENCE ACTION [KEY=VALUE]... */
static void
cmd_rule_add(struct ctl_context *ctx)
{
    struct smap match = SMAP_INITIALIZER(&match);
    const char *direction = "both", *description = "";
    const struct dvsrec_traffic_rule *rule;
    int64_t sequence, cos, dscp;
    bool have_cos = false, have_dscp = false;
    struct rule_owner o;
    char *error;

    if (!find_owner(ctx, ctx->argv[1], &o)) {
        return;
    }
    if (!parse_sequence(ctx, ctx->argv[2], &sequence)) {
        return;
    }
    if (o.port && !dvs_override_allowed(o.port->portgroup,
                                        "traffic_filter")) {
        ctl_error(ctx, "port %s: portgroup %s does not let its ports "
                  "override traffic filtering (set "
                  "traffic-filter-override-allowed=true on the portgroup "
                  "first)", o.name, o.port->portgroup->name);
        return;
    }

    for (int i = 4; i < ctx->argc; i++) {
        const char *arg = ctx->argv[i];
        const char *eq = strchr(arg, '=');
        char *key, *column = NULL;

        if (!eq || eq == arg) {
            ctl_error(ctx, "%s: not KEY=VALUE", arg);
            goto out;
        }
        key = xmemdup0(arg, eq - arg);
        for (size_t j = 0; dvs_rule_qualifiers[j]; j++) {
            char *d = dashed(dvs_rule_qualifiers[j]);
            if (!strcmp(key, d)) {
                column = xstrdup(dvs_rule_qualifiers[j]);
            }
            free(d);
        }
        if (!strcmp(key, "direction")) {
            direction = eq + 1;
            if (strcmp(direction, "incoming") && strcmp(direction, "outgoing")
                && strcmp(direction, "both")) {
                ctl_error(ctx, "direction: \"%s\" is not valid (accepted: "
                          "incoming, outgoing or both)", direction);
            }
        } else if (!strcmp(key, "description")) {
            description = eq + 1;
        } else if (!strcmp(key, "cos") || !strcmp(key, "dscp")) {
            bool is_cos = !strcmp(key, "cos");
            error = dvs_parse_integer(eq + 1, 0, is_cos ? 7 : 63,
                                      is_cos ? &cos : &dscp);
            if (error) {
                ctl_error(ctx, "%s: %s", key, error);
                free(error);
            }
            *(is_cos ? &have_cos : &have_dscp) = true;
        } else if (!column) {
            ctl_error(ctx, "%s: unknown key (accepted: direction, "
                      "description, cos, dscp, src-mac, dst-mac, ether-type, "
                      "vlan, src-ip, dst-ip, ip-protocol, src-port, dst-port, "
                      "tcp-flags)", key);
        } else if (smap_get(&match, column)) {
            ctl_error(ctx, "%s: given twice", key);
        } else {
            smap_add(&match, column, (!strcmp(column, "ip_protocol")
                                      ? protocol_number(eq + 1) : eq + 1));
        }
        free(key);
        free(column);
        if (ctx->error) {
            goto out;
        }
    }

    error = dvs_rule_check(&match, ctx->argv[3], have_cos ? &cos : NULL,
                           have_dscp ? &dscp : NULL);
    if (error) {
        error = dashed_error(error);
        ctl_error(ctx, "%s", error);
        free(error);
        goto out;
    }
    if (find_rule(&o, sequence)) {
        ctl_error(ctx, "%s %s already has a rule with sequence %"PRId64,
                  o.kind, o.name, sequence);
        goto out;
    }

    rule = dvsrec_traffic_rule_insert(ctx->txn);
    dvsrec_traffic_rule_set_sequence(rule, sequence);
    dvsrec_traffic_rule_set_action(rule, ctx->argv[3]);
    dvsrec_traffic_rule_set_direction(rule, direction);
    dvsrec_traffic_rule_set_description(rule, description);
    dvsrec_traffic_rule_set_match(rule, &match);
    if (have_cos) {
        dvsrec_traffic_rule_set_cos(rule, &cos, 1);
    }
    if (have_dscp) {
        dvsrec_traffic_rule_set_dscp(rule, &dscp, 1);
    }
    struct dvsrec_traffic_rule **rules = xmalloc((o.n_rules + 1)
                                                 * sizeof *rules);
    memcpy(rules, o.rules, o.n_rules * sizeof *rules);
    rules[o.n_rules] = CONST_CAST(struct dvsrec_traffic_rule *, rule);
    set_owner_rules(&o, rules, o.n_rules + 1);
    free(rules);
    bump_owner_version(&o);

out:
    smap_destroy(&match);
}

/* rule-del OWNER SEQUENCE. */
static void
cmd_rule_del(struct ctl_context *ctx)
{
    const struct dvsrec_traffic_rule *rule;
    struct rule_owner o;
    int64_t sequence;

    if (!find_owner(ctx, ctx->argv[1], &o)) {
        return;
    }
    if (!parse_sequence(ctx, ctx->argv[2], &sequence)) {
        return;
    }
    rule = find_rule(&o, sequence);
    if (!rule) {
        if (!has_option(ctx, "--if-exists")) {
            ctl_error(ctx, "%s %s has no rule with sequence %"PRId64,
                      o.kind, o.name, sequence);
        }
        return;
    }
    /* The reference is strong: the rule goes with it. */
    struct dvsrec_traffic_rule **rules = xmalloc(o.n_rules * sizeof *rules);
    size_t n = 0;
    for (size_t i = 0; i < o.n_rules; i++) {
        if (o.rules[i] != rule) {
            rules[n++] = o.rules[i];
        }
    }
    set_owner_rules(&o, rules, n);
    free(rules);
    bump_owner_version(&o);
}

struct listed_rule {
    const struct rule_owner *owner;
    const struct dvsrec_traffic_rule *rule;
};

static int
compare_listed(const void *a_, const void *b_)
{
    const struct listed_rule *a = a_, *b = b_;
    int cmp = strcmp(a->owner->kind, b->owner->kind);

    if (!cmp) {
        cmp = strcmp(a->owner->name, b->owner->name);
    }
    if (!cmp && a->rule->sequence != b->rule->sequence) {
        cmp = a->rule->sequence < b->rule->sequence ? -1 : 1;
    }
    return cmp;
}

/* rule-list [OWNER]. */
static void
cmd_rule_list(struct ctl_context *ctx)
{
    struct rule_owner *owners = NULL;
    size_t n_owners = 0, allocated_owners = 0;
    struct listed_rule *rules = NULL;
    size_t n = 0, allocated = 0;

    if (ctx->argc > 1) {
        owners = xmalloc(sizeof *owners);
        if (!find_owner(ctx, ctx->argv[1], &owners[0])) {
            free(owners);
            return;
        }
        n_owners = 1;
    } else {
        const struct dvsrec_switch *sw;
        const struct dvsrec_portgroup *pg;
        const struct dvsrec_port *port;

#define ADD_OWNER(FROM, ROW) \
        do { \
            if ((ROW)->n_traffic_rules) { \
                if (n_owners >= allocated_owners) { \
                    owners = x2nrealloc(owners, &allocated_owners, \
                                        sizeof *owners); \
                } \
                FROM(&owners[n_owners++], ROW); \
            } \
        } while (0)
        DVSREC_SWITCH_FOR_EACH (sw, ctx->idl) {
            ADD_OWNER(owner_from_switch, sw);
        }
        DVSREC_PORTGROUP_FOR_EACH (pg, ctx->idl) {
            ADD_OWNER(owner_from_portgroup, pg);
        }
        DVSREC_PORT_FOR_EACH (port, ctx->idl) {
            ADD_OWNER(owner_from_port, port);
        }
#undef ADD_OWNER
    }
    for (size_t i = 0; i < n_owners; i++) {
        for (size_t j = 0; j < owners[i].n_rules; j++) {
            if (n >= allocated) {
                rules = x2nrealloc(rules, &allocated, sizeof *rules);
            }
            rules[n++] = (struct listed_rule) { &owners[i],
                                                owners[i].rules[j] };
        }
    }
    if (n) {
        qsort(rules, n, sizeof *rules, compare_listed);
    }

    struct table *t = xmalloc(sizeof *t);
    table_init(t);
    table_add_column(t, "owner");
    table_add_column(t, "sequence");
    table_add_column(t, "direction");
    table_add_column(t, "action");
    table_add_column(t, "qualifiers");
    table_add_column(t, "description");
    for (size_t i = 0; i < n; i++) {
        const struct dvsrec_traffic_rule *r = rules[i].rule;
        struct ds s = DS_EMPTY_INITIALIZER;

        table_add_row(t);
        table_add_cell(t)->text = xasprintf("%s %s", rules[i].owner->kind,
                                            rules[i].owner->name);
        table_add_cell(t)->text = xasprintf("%"PRId64, r->sequence);
        table_add_cell(t)->text = xstrdup(r->direction ? r->direction
                                                       : "both");
        ds_put_cstr(&s, r->action);
        if (r->n_cos) {
            ds_put_format(&s, " cos=%"PRId64, r->cos[0]);
        }
        if (r->n_dscp) {
            ds_put_format(&s, " dscp=%"PRId64, r->dscp[0]);
        }
        table_add_cell(t)->text = ds_steal_cstr(&s);
        for (size_t j = 0; dvs_rule_qualifiers[j]; j++) {
            const char *value = smap_get(&r->match, dvs_rule_qualifiers[j]);
            if (value) {
                char *d = dashed(dvs_rule_qualifiers[j]);
                ds_put_format(&s, "%s%s=%s", s.length ? " " : "", d, value);
                free(d);
            }
        }
        table_add_cell(t)->text = ds_steal_cstr(&s);
        table_add_cell(t)->text = xstrdup(r->description);
    }
    ctx->table = t;
    free(rules);
    free(owners);
}

const struct ctl_command_syntax dvs_ctl_rule_commands[] = {
    {"rule-add", 3, INT_MAX, "OWNER SEQUENCE ACTION [KEY=VALUE]...",
     dvs_ctl_pre_owner, cmd_rule_add, NULL, "--switch,--port,--portgroup",
     RW},
    {"rule-del", 2, 2, "OWNER SEQUENCE", dvs_ctl_pre_owner, cmd_rule_del,
     NULL, "--switch,--port,--portgroup,--if-exists", RW},
    {"rule-list", 0, 1, "[OWNER]", dvs_ctl_pre_owner, cmd_rule_list, NULL,
     "--switch,--port,--portgroup", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
