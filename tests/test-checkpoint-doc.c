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

/* test-checkpoint-doc DATABASE CHANGES [SEED]
 *
 * Checks the switches' documents that dvs-controller keeps row by row for
 * its checkpoints (controller/checkpoint-doc.c) against a real
 * ovsdb-server at DATABASE (initialised: "dvs-ctl init"): makes CHANGES
 * random changes to two switches' configuration (portgroups added,
 * removed and renamed; traffic rules added, removed and changed in place;
 * host members, LAGs, PVLAN entries and mirror sessions; hosts and ports
 * renamed; config_version and status written alone; a switch deleted and
 * another created), one transaction each, and after each takes in the database's
 * change tracking as dvs-controller does.  The document of each switch
 * that the tracking says may have changed, and every tenth time of every
 * switch, must then be byte for byte what a full serialisation of the
 * switch gives (dvs_snapshot_to_string()), and a switch whose
 * configuration changed must be among those the tracking names.  Exits 1,
 * showing where the documents differ, at the first difference. */

#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controller/checkpoint-doc.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "random.h"
#include "smap.h"
#include "sset.h"
#include "util.h"

static struct ovsdb_idl *idl;
static struct ovsdb_idl_txn *txn;
static unsigned int counter;    /* For new names... */
static unsigned long int run;   /* ...unique across runs on the same
                                 * database. */

/* What the change just made is for the documents. */
static bool noticed;            /* A change that dirties its switch. */
static const char *what;        /* For messages. */

/* Commits 'txn'.  ovsdb-server sends the updates that a transaction makes
 * before its reply: the IDL has them when it returns. */
static void
commit(void)
{
    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit_block(txn);

    if (status != TXN_SUCCESS && status != TXN_UNCHANGED) {
        ovs_fatal(0, "%s: transaction failed: %s (%s)", what,
                  ovsdb_idl_txn_status_to_string(status),
                  ovsdb_idl_txn_get_error(txn));
    }
    ovsdb_idl_txn_destroy(txn);
    txn = NULL;
}

static char *
new_name(const char *prefix)
{
    return xasprintf("%s%lx-%u", prefix, run, counter++);
}

/* Random rows. */

static const struct dvsrec_switch *
random_switch(void)
{
    const struct dvsrec_switch *sw, *pick = NULL;
    size_t n = 0;
    DVSREC_SWITCH_FOR_EACH (sw, idl) {
        if (!random_range(++n)) {
            pick = sw;
        }
    }
    return pick;
}

/* A random row of 'table' whose "switch" column is 'sw' (any if NULL)
 * and that 'accept' accepts (if nonnull). */
static const struct ovsdb_idl_row *
random_row(const struct ovsdb_idl_table_class *table,
           const struct dvsrec_switch *sw,
           bool (*accept)(const struct ovsdb_idl_row *))
{
    const struct ovsdb_idl_row *row, *pick = NULL;
    size_t n = 0;

    for (row = ovsdb_idl_first_row(idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        if ((!sw || dvs_snap_row_belongs_to(row, table, &sw->header_.uuid))
            && (!accept || accept(row)) && !random_range(++n)) {
            pick = row;
        }
    }
    return pick;
}

#define RANDOM(TYPE, SW, ACCEPT)                                          \
    ((const struct dvsrec_##TYPE *)                                     \
     random_row(&dvsrec_table_##TYPE, SW, ACCEPT))

static bool
pg_without_ports(const struct ovsdb_idl_row *row)
{
    const struct dvsrec_port *port;
    DVSREC_PORT_FOR_EACH (port, idl) {
        if (&port->portgroup->header_ == row) {
            return false;
        }
    }
    return true;
}

static const struct dvsrec_host *
random_host(void)
{
    return (const struct dvsrec_host *) random_row(&dvsrec_table_host, NULL,
                                                   NULL);
}

static const struct dvsrec_port *
random_port(void)
{
    return (const struct dvsrec_port *) random_row(&dvsrec_table_port, NULL,
                                                   NULL);
}

/* Rows made. */

static const struct dvsrec_traffic_rule *
new_rule(void)
{
    const struct dvsrec_traffic_rule *rule = dvsrec_traffic_rule_insert(txn);
    static const char *actions[] = { "allow", "drop", "tag" };
    int64_t dscp = random_range(64);

    dvsrec_traffic_rule_set_sequence(rule, random_range(1000));
    dvsrec_traffic_rule_set_action(rule, actions[random_range(3)]);
    dvsrec_traffic_rule_set_dscp(rule, &dscp, 1);
    return rule;
}

static const struct dvsrec_portgroup *
new_portgroup(const struct dvsrec_switch *sw)
{
    const struct dvsrec_portgroup *pg = dvsrec_portgroup_insert(txn);
    char *name = new_name("pg");
    int64_t vlan = random_range(4095);

    dvsrec_portgroup_set_name(pg, name);
    dvsrec_portgroup_set_switch_(pg, sw);
    dvsrec_portgroup_set_vlan(pg, &vlan, 1);
    if (random_range(2)) {
        struct dvsrec_traffic_rule *rule
            = CONST_CAST(struct dvsrec_traffic_rule *, new_rule());
        dvsrec_portgroup_set_traffic_rules(pg, &rule, 1);
    }
    free(name);
    return pg;
}

static void
new_member(const struct dvsrec_switch *sw, const struct dvsrec_host *host)
{
    const struct dvsrec_host_member *m = dvsrec_host_member_insert(txn);
    char *vtep = xasprintf("10.0.%u.%u", random_range(256),
                           random_range(256));
    dvsrec_host_member_set_switch_(m, sw);
    dvsrec_host_member_set_host(m, host);
    dvsrec_host_member_set_vtep_ip(m, vtep);
    free(vtep);
}

static void
new_lag(const struct dvsrec_switch *sw)
{
    const struct dvsrec_lag *lag = dvsrec_lag_insert(txn);
    char *name = new_name("lag");
    int64_t n = 1 + random_range(24);

    dvsrec_lag_set_name(lag, name);
    dvsrec_lag_set_switch_(lag, sw);
    dvsrec_lag_set_uplink_num(lag, &n, 1);
    free(name);
}

static void
new_pvlan(const struct dvsrec_switch *sw)
{
    const struct dvsrec_pvlan_entry *e = dvsrec_pvlan_entry_insert(txn);
    static const char *types[] = { "promiscuous", "isolated", "community" };

    dvsrec_pvlan_entry_set_switch_(e, sw);
    dvsrec_pvlan_entry_set_primary_vlan(e, 100);
    /* Unique per switch in the schema: a clash fails the transaction, so
     * the key is new. */
    dvsrec_pvlan_entry_set_secondary_vlan(e, 101 + counter++ % 3900);
    dvsrec_pvlan_entry_set_type(e, types[random_range(3)]);
}

static void
new_mirror(const struct dvsrec_switch *sw)
{
    const struct dvsrec_mirror_session *ms
        = dvsrec_mirror_session_insert(txn);
    char *name = new_name("mirror");
    struct dvsrec_port *ports[2];
    size_t n = 0;

    for (int i = 0; i < 2; i++) {
        const struct dvsrec_port *p = random_port();
        if (p && (!n || ports[0] != p)) {
            ports[n++] = CONST_CAST(struct dvsrec_port *, p);
        }
    }
    dvsrec_mirror_session_set_name(ms, name);
    dvsrec_mirror_session_set_switch_(ms, sw);
    dvsrec_mirror_session_set_source_tx(ms, ports, n);
    free(name);
}

static void
new_switch(void)
{
    const struct dvsrec_switch *sw = dvsrec_switch_insert(txn);
    char *name = new_name("sw");
    dvsrec_switch_set_name(sw, name);
    free(name);

    for (int i = 0; i < 3; i++) {
        new_portgroup(sw);
    }
    const struct dvsrec_portgroup *pg = new_portgroup(sw);
    for (int i = 0; i < 3; i++) {
        const struct dvsrec_port *port = dvsrec_port_insert(txn);
        name = new_name("port");
        dvsrec_port_set_name(port, name);
        dvsrec_port_set_portgroup(port, pg);
        free(name);
    }
    /* Hosts exist only as members (the Host table is not a root): some of
     * those there are, and new ones up to 6. */
    const struct dvsrec_host *host;
    int n_hosts = 0;
    DVSREC_HOST_FOR_EACH (host, idl) {
        n_hosts++;
        if (random_range(2)) {
            new_member(sw, host);
        }
    }
    for (; n_hosts < 6; n_hosts++) {
        host = dvsrec_host_insert(txn);
        name = new_name("host");
        dvsrec_host_set_name(host, name);
        free(name);
        new_member(sw, host);
    }
    new_lag(sw);
    new_pvlan(sw);
    new_mirror(sw);
}

/* Deletes 'sw' with all its rows. */
static void
delete_switch(const struct dvsrec_switch *sw)
{
    const struct dvsrec_port *port;
    DVSREC_PORT_FOR_EACH (port, idl) {
        if (port->portgroup->switch_ == sw) {
            dvsrec_port_delete(port);
        }
    }
    const struct dvsrec_portgroup *pg;
    DVSREC_PORTGROUP_FOR_EACH (pg, idl) {
        if (pg->switch_ == sw) {
            dvsrec_portgroup_delete(pg);
        }
    }
    const struct dvsrec_host_member *m;
    DVSREC_HOST_MEMBER_FOR_EACH (m, idl) {
        if (m->switch_ == sw) {
            dvsrec_host_member_delete(m);
        }
    }
    for (size_t i = 0; i < DVS_SNAP_N_CHILD_TABLES; i++) {
        const struct ovsdb_idl_table_class *t = dvs_snap_child_tables[i].table;
        const struct ovsdb_idl_row *row, *next;
        for (row = ovsdb_idl_first_row(idl, t); row; row = next) {
            next = ovsdb_idl_next_row(row);
            if (dvs_snap_row_belongs_to(row, t, &sw->header_.uuid)) {
                ovsdb_idl_txn_delete(row);
            }
        }
    }
    dvsrec_switch_delete(sw);
}

/* One random change into 'txn', with 'noticed' and 'what' set.  Returns
 * false if there was nothing to change of the kind drawn. */
static bool
random_change(void)
{
    const struct dvsrec_switch *sw = random_switch();
    const struct dvsrec_portgroup *pg = RANDOM(portgroup, sw, NULL);
    const struct dvsrec_host_member *m = RANDOM(host_member, sw, NULL);
    int64_t n;
    char *name;

    noticed = true;
    switch (random_range(24)) {
    case 0: case 1: case 2: case 3: case 4:
        what = "portgroup VLAN changed";
        if (!pg) {
            return false;
        }
        n = random_range(4095);
        dvsrec_portgroup_set_vlan(pg, &n, 1);
        return true;
    case 5:
        what = "portgroup added";
        new_portgroup(sw);
        return true;
    case 6:
        what = "portgroup deleted";
        pg = RANDOM(portgroup, sw, pg_without_ports);
        if (!pg) {
            return false;
        }
        dvsrec_portgroup_delete(pg);
        return true;
    case 7:
        what = "portgroup renamed";
        if (!pg) {
            return false;
        }
        name = new_name(random_range(2) ? "a-pg" : "z-pg");
        dvsrec_portgroup_set_name(pg, name);
        free(name);
        return true;
    case 8:
        what = "switch's traffic rule added";
        dvsrec_switch_update_traffic_rules_addvalue(sw, new_rule());
        return true;
    case 9:
        what = "traffic rule added";
        if (!pg) {
            return false;
        }
        dvsrec_portgroup_update_traffic_rules_addvalue(pg, new_rule());
        return true;
    case 10: {
        what = "traffic rule changed in place";
        noticed = false;
        const struct dvsrec_traffic_rule *rule
            = (const struct dvsrec_traffic_rule *)
              random_row(&dvsrec_table_traffic_rule, NULL, NULL);
        if (!rule) {
            return false;
        }
        dvsrec_traffic_rule_set_sequence(rule, random_range(1000));
        return true;
    }
    case 11:
        what = "traffic rule removed";
        if (!pg || !pg->n_traffic_rules) {
            return false;
        }
        dvsrec_portgroup_update_traffic_rules_delvalue(
            pg, pg->traffic_rules[random_range(pg->n_traffic_rules)]);
        return true;
    case 12: {
        what = "host member added";
        const struct dvsrec_host *host = random_host();
        const struct dvsrec_host_member *other;
        if (!host) {
            return false;
        }
        DVSREC_HOST_MEMBER_FOR_EACH (other, idl) {
            if (other->switch_ == sw && other->host == host) {
                return false;
            }
        }
        new_member(sw, host);
        return true;
    }
    case 13:
        what = "host member deleted";
        if (!m) {
            return false;
        }
        dvsrec_host_member_delete(m);
        return true;
    case 14:
        what = "host member's VTEP changed";
        if (!m) {
            return false;
        }
        name = new_name("10.1.1.");
        dvsrec_host_member_set_vtep_ip(m, name);
        free(name);
        return true;
    case 15: {
        what = "host renamed";
        noticed = false;
        const struct dvsrec_host *host = random_host();
        if (!host) {
            return false;
        }
        name = new_name(random_range(2) ? "a-host" : "z-host");
        dvsrec_host_set_name(host, name);
        free(name);
        return true;
    }
    case 16: {
        what = "LAG added, changed or deleted";
        const struct dvsrec_lag *lag = RANDOM(lag, sw, NULL);
        if (!lag || !random_range(3)) {
            new_lag(sw);
        } else if (random_range(2)) {
            dvsrec_lag_set_mode(lag, random_range(2) ? "active" : "passive");
        } else {
            dvsrec_lag_delete(lag);
        }
        return true;
    }
    case 17: {
        what = "PVLAN entry added, changed or deleted";
        const struct dvsrec_pvlan_entry *e = RANDOM(pvlan_entry, sw, NULL);
        if (!e || !random_range(3)) {
            new_pvlan(sw);
        } else if (random_range(2)) {
            dvsrec_pvlan_entry_set_type(e, random_range(2) ? "isolated"
                                        : "community");
        } else {
            dvsrec_pvlan_entry_delete(e);
        }
        return true;
    }
    case 18: {
        what = "mirror session added or changed";
        const struct dvsrec_mirror_session *ms
            = RANDOM(mirror_session, sw, NULL);
        if (!ms || !random_range(3)) {
            new_mirror(sw);
        } else {
            bool enabled = random_range(2);
            dvsrec_mirror_session_set_enabled(ms, &enabled, 1);
        }
        return true;
    }
    case 19: {
        what = "port renamed";
        noticed = false;
        const struct dvsrec_port *port = random_port();
        if (!port) {
            return false;
        }
        name = new_name(random_range(2) ? "a-port" : "z-port");
        dvsrec_port_set_name(port, name);
        free(name);
        return true;
    }
    case 20:
        what = "switch changed";
        n = 1280 + random_range(9000 - 1280);
        dvsrec_switch_set_mtu(sw, &n, 1);
        return true;
    case 21:
        what = "config_version alone changed";
        noticed = false;
        if (!pg) {
            return false;
        }
        dvsrec_portgroup_set_config_version(pg, pg->config_version + 1);
        return true;
    case 22:
        what = "status alone written";
        noticed = false;
        if (!pg) {
            return false;
        }
        name = new_name("error ");
        dvsrec_portgroup_set_error(pg, name);
        free(name);
        return true;
    case 23:
        what = "a switch deleted, another created";
        delete_switch(sw);
        new_switch();
        return true;
    }
    OVS_NOT_REACHED();
}

/* Checks. */

static char *
full_document(const struct dvsrec_switch *sw)
{
    struct dvs_snapshot snap;
    dvs_snapshot_from_idl(idl, sw, false, &snap);
    char *text = dvs_snapshot_to_string(&snap);
    dvs_snapshot_destroy(&snap);
    return text;
}

static void
compare(const struct dvsrec_switch *sw, const char *kept, const char *full,
        int change)
{
    if (strcmp(kept, full)) {
        size_t i = 0;
        while (kept[i] == full[i]) {
            i++;
        }
        size_t start = i > 200 ? i - 200 : 0;
        fprintf(stderr, "change %d (%s): switch %s: the document kept row "
                "by row differs from a full serialisation at byte %"PRIuSIZE
                ":\n--- kept:\n%.400s\n--- full:\n%.400s\n",
                change, what, sw->name, i, kept + start, full + start);
        exit(1);
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    if (argc < 3) {
        ovs_fatal(0, "usage: %s DATABASE CHANGES [SEED]", argv[0]);
    }
    int n_changes = atoi(argv[2]);
    idl = ovsdb_idl_create(argv[1], &dvsrec_idl_class, true, true);
    ovsdb_idl_track_add_all(idl);
    for (;;) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            break;
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }
    run = getpid();
    random_set_seed(argc > 3 ? strtoul(argv[3], NULL, 10) : 1);

    /* Two switches more, and the rows of every kind. */
    what = "the initial configuration";
    for (int i = 0; i < 2; i++) {
        txn = ovsdb_idl_txn_create(idl);
        new_switch();
        commit();
    }

    struct checkpoint_docs *docs = checkpoint_docs_create();
    struct shash full = SHASH_INITIALIZER(&full);
    const struct dvsrec_switch *sw;

    /* As dvs-controller on its first run: every switch's document. */
    ovsdb_idl_track_clear(idl);
    DVSREC_SWITCH_FOR_EACH (sw, idl) {
        char *kept = checkpoint_docs_document(docs, idl, sw);
        char *text = full_document(sw);
        compare(sw, kept, text, 0);
        shash_add(&full, sw->name, text);
        free(kept);
    }

    int n_compared = 0, n_skipped = 0;
    for (int change = 1; change <= n_changes; change++) {
        txn = ovsdb_idl_txn_create(idl);
        if (!random_change()) {
            ovsdb_idl_txn_destroy(txn);
            txn = NULL;
            n_skipped++;
            change--;
            if (n_skipped > 100 * n_changes) {
                ovs_fatal(0, "too many changes drawn that cannot be made");
            }
            continue;
        }
        commit();

        struct sset dirty = SSET_INITIALIZER(&dirty);
        checkpoint_docs_track(docs, idl, &dirty);
        ovsdb_idl_track_clear(idl);

        const char *uuid_s;
        SSET_FOR_EACH (uuid_s, &dirty) {
            struct uuid uuid;
            if (uuid_from_string(&uuid, uuid_s)
                && !dvsrec_switch_get_for_uuid(idl, &uuid)) {
                checkpoint_docs_forget(docs, &uuid);
            }
        }

        struct shash now = SHASH_INITIALIZER(&now);
        DVSREC_SWITCH_FOR_EACH (sw, idl) {
            char uuid[UUID_LEN + 1];
            snprintf(uuid, sizeof uuid, UUID_FMT,
                     UUID_ARGS(&sw->header_.uuid));
            bool is_dirty = sset_contains(&dirty, uuid);
            char *text = full_document(sw);
            const char *before = shash_find_data(&full, sw->name);

            if (noticed && !is_dirty && before && strcmp(before, text)) {
                fprintf(stderr, "change %d (%s): switch %s changed but the "
                        "change tracking did not name it\n", change, what,
                        sw->name);
                exit(1);
            }
            if (is_dirty || !(change % 10)) {
                char *kept = checkpoint_docs_document(docs, idl, sw);
                compare(sw, kept, text, change);
                free(kept);
                n_compared++;
            }
            shash_add(&now, sw->name, text);
        }
        shash_destroy_free_data(&full);
        full = now;
        sset_destroy(&dirty);
    }

    printf("%d changes, %d documents kept row by row compared: all equal "
           "to a full serialisation\n", n_changes, n_compared);
    shash_destroy_free_data(&full);
    checkpoint_docs_destroy(docs);
    ovsdb_idl_destroy(idl);
    return 0;
}
