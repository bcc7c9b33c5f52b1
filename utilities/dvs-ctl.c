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

/* dvs-ctl: the management CLI of the distributed switch.  The generic
 * database commands (list, get, set, ...) come from OVS's db-ctl-base; this
 * file runs them and ours in one transaction, the way ovs-vsctl and
 * ovn-nbctl do, and implements --wait=hv. */

#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "db-ctl-base.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "process.h"
#include "stream-ssl.h"
#include "stream.h"
#include "table.h"
#include "timeval.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

VLOG_DEFINE_THIS_MODULE(dvs_ctl);

/* --db: The database server to contact. */
static const char *db;

/* --oneline: Write each command's output as a single line? */
static bool oneline;

/* --dry-run: Do not commit any changes. */
static bool dry_run;

/* --wait=hv: Wait until every member host has applied the change. */
static bool wait_for_hv;

/* --timeout: Time to wait for a connection to 'db' and for --wait, and
 * the time_msec() at which it runs out. */
static unsigned int timeout;
static long long int deadline = LLONG_MAX;

/* Format for table output.  Our listing commands print tables unless the
 * user chose a format; the generic "list" and "find" keep OVS's record
 * layout, as in ovs-vsctl. */
static struct table_style table_style = TABLE_STYLE_DEFAULT;
static bool format_given;
#define FORMAT_UNSET ((enum table_format) -1)

/* The IDL we're using and the current transaction, if any.  This is for use
 * by dvs_ctl_exit() only, to allow it to clean up. */
static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

OVS_NO_RETURN static void dvs_ctl_exit(int status);
OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[], struct shash *);
static void run_prerequisites(struct ctl_command[], size_t n_commands,
                              struct ovsdb_idl *);
static bool is_own_command(const struct ctl_command_syntax *);
static bool is_general_command(const struct ctl_command_syntax *);
static bool do_dvs_ctl(const char *args, struct ctl_command *, size_t n,
                       struct ovsdb_idl *);
static void dvs_ctl_cmd_init(void);

static const struct ctl_table_class tables[DVSREC_N_TABLES] = {
    [DVSREC_TABLE_SWITCH].row_ids = {{&dvsrec_switch_col_name, NULL, NULL}},
    [DVSREC_TABLE_PORTGROUP].row_ids
        = {{&dvsrec_portgroup_col_name, NULL, NULL}},
    [DVSREC_TABLE_PORT].row_ids = {{&dvsrec_port_col_name, NULL, NULL}},
    [DVSREC_TABLE_HOST].row_ids = {{&dvsrec_host_col_name, NULL, NULL}},
    [DVSREC_TABLE_LAG].row_ids = {{&dvsrec_lag_col_name, NULL, NULL}},
    [DVSREC_TABLE_MIRROR_SESSION].row_ids
        = {{&dvsrec_mirror_session_col_name, NULL, NULL}},
    [DVSREC_TABLE_SNAPSHOT].row_ids
        = {{&dvsrec_snapshot_col_name, NULL, NULL}},
    [DVSREC_TABLE_MAC_POOL].row_ids
        = {{&dvsrec_mac_pool_col_name, NULL, NULL}},
};

int
main(int argc, char *argv[])
{
    struct ctl_command *commands;
    struct shash local_options;
    unsigned int seqno, cond_seqno;
    size_t n_commands;

    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    dvs_ctl_cmd_init();

    char *args = process_escape_args(argv);
    shash_init(&local_options);
    parse_options(argc, argv, &local_options);
    char *error = ctl_parse_commands(argc - optind, argv + optind,
                                     &local_options, &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    VLOG(ctl_might_write_to_db(commands, n_commands) ? VLL_INFO : VLL_DBG,
         "Called as %s", args);

    if (!timeout) {
        const char *env = getenv("OVS_CTL_TIMEOUT");
        if (env && *env) {
            str_to_uint(env, 10, &timeout);
        }
    }
    if (timeout) {
        deadline = time_msec() + timeout * 1000LL;
    }
    ctl_timeout_setup(timeout);

    /* dvs-ctl replicates only what its commands read: each asks for it in
     * its prerequisites (see dvs-ctl-replica.c). */
    the_idl = ovsdb_idl_create(db, &dvsrec_idl_class, false, false);
    run_prerequisites(commands, n_commands, the_idl);

    /* 'seqno' and 'cond_seqno' are the database and replication condition
     * sequence numbers for which we last tried to execute our transaction.
     * A transaction that fails does so because the database changed, or
     * because a command asked for more rows (dvs-ctl-replica.c), so retrying
     * before the next change is pointless.  (The condition sequence number
     * counts only once the replica has the database's contents: before,
     * the commands would run on an empty one.) */
    seqno = ovsdb_idl_get_seqno(the_idl);
    cond_seqno = ovsdb_idl_get_condition_seqno(the_idl);
    for (;;) {
        ovsdb_idl_run(the_idl);
        if (!ovsdb_idl_is_alive(the_idl)) {
            int retval = ovsdb_idl_get_last_error(the_idl);
            ctl_fatal("%s: database connection failed (%s)",
                      db, ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(the_idl)
            || (ovsdb_idl_has_ever_connected(the_idl)
                && cond_seqno != ovsdb_idl_get_condition_seqno(the_idl))) {
            seqno = ovsdb_idl_get_seqno(the_idl);
            cond_seqno = ovsdb_idl_get_condition_seqno(the_idl);
            if (do_dvs_ctl(args, commands, n_commands, the_idl)) {
                free(args);
                exit(EXIT_SUCCESS);
            }
        }

        if (seqno == ovsdb_idl_get_seqno(the_idl)
            && cond_seqno == ovsdb_idl_get_condition_seqno(the_idl)) {
            ovsdb_idl_wait(the_idl);
            poll_block();
        }
    }
}

/* The default database: $DVS_DB, else the socket in the OVS run
 * directory where dvs-sandbox and the packaged service put it. */
static char *
default_db(void)
{
    const char *env = getenv("DVS_DB");
    return (env && *env
            ? xstrdup(env)
            : xasprintf("unix:%s/dvsnb.sock", ovs_rundir()));
}

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_NO_SYSLOG,
        OPT_DRY_RUN,
        OPT_WAIT,
        OPT_LOCAL,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option global_long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"no-syslog", no_argument, NULL, OPT_NO_SYSLOG},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        TABLE_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const int n_global_long_options = ARRAY_SIZE(global_long_options) - 1;
    struct option *options;
    size_t allocated_options;
    size_t n_options;
    char *tmp, *short_options;

    tmp = ovs_cmdl_long_options_to_short_options(global_long_options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    /* getopt_long() parses the global options and, after them, the options
     * of individual commands (e.g. --may-exist), which db-ctl-base
     * collects. */
    options = xmemdup(global_long_options, sizeof global_long_options);
    allocated_options = ARRAY_SIZE(global_long_options);
    n_options = n_global_long_options;
    ctl_add_cmd_options(&options, &n_options, &allocated_options, OPT_LOCAL);

    /* A sentinel tells whether --format (or --bare) chose a format. */
    table_style.format = FORMAT_UNSET;
    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_ONELINE:
            oneline = true;
            break;

        case OPT_NO_SYSLOG:
            vlog_set_levels(&this_module, VLF_SYSLOG, VLL_WARN);
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_WAIT:
            if (!strcmp(optarg, "none")) {
                wait_for_hv = false;
            } else if (!strcmp(optarg, "hv")) {
                wait_for_hv = true;
            } else {
                ctl_fatal("--wait: \"%s\" is not valid (accepted: none or hv)",
                          optarg);
            }
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (ovs-dvs) %s\n", program_name, DVS_VERSION);
            printf("Open vSwitch library %s\n", VERSION);
            printf("DB Schema %s\n", dvsrec_get_db_version());
            exit(EXIT_SUCCESS);

        case 't':
            if (!str_to_uint(optarg, 10, &timeout) || !timeout) {
                ctl_fatal("--timeout: \"%s\" is not valid (accepted: a "
                          "positive number of seconds)", optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)
        STREAM_SSL_OPTION_HANDLERS

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    format_given = table_style.format != FORMAT_UNSET;
    if (!format_given) {
        table_style.format = TF_LIST;
    }
    if (!db) {
        db = default_db();
    }

    for (size_t i = n_global_long_options; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);
}

static void
print_keys(enum dvs_level level, const struct ovsdb_idl_table_class *table)
{
    const struct dvs_key *keys;
    size_t n;

    keys = dvs_key_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct dvs_key *key = &keys[i];
        if (key->levels & level) {
            char *accepted = dvs_key_accepted(key,
                                              dvs_key_column(key, table));
            printf("  %-32s %s\n", key->name, accepted);
            free(accepted);
        }
    }
}

static void
usage(void)
{
    printf("\
%s: distributed switch configuration utility\n\
usage: %s [OPTIONS] COMMAND [ARG...]\n\
\n\
General commands:\n\
  init                        create the database's global row\n\
  show [SWITCH]               print an overview of the configuration\n\
  sync                        with --wait=hv, wait until every host is\n\
                              up to date with everything so far\n\
\n\
Switch commands:\n\
  dvs-add SWITCH [KEY=VALUE]...   create SWITCH\n\
  dvs-del SWITCH              delete SWITCH (--force: with its portgroups)\n\
  dvs-list                    list switches\n\
  dvs-set SWITCH KEY=VALUE... change settings of SWITCH\n\
  dvs-get SWITCH [KEY]        print settings of SWITCH\n\
\n\
Portgroup commands:\n\
  pg-add SWITCH PG [KEY=VALUE]... create portgroup PG in SWITCH\n\
  pg-del PG                   delete PG and its ports (--force: even with\n\
                              bound ports)\n\
  pg-list [SWITCH]            list portgroups\n\
  pg-set PG KEY=VALUE...      change settings of PG\n\
  pg-get PG [KEY]             print effective settings of PG\n\
\n\
Host member commands:\n\
  host-add SWITCH HOST [vtep-ip=IP] [pnics=NIC[,NIC]...]\n\
                              make HOST a member of SWITCH\n\
  host-del SWITCH HOST        remove HOST from SWITCH\n\
  host-list [SWITCH]          list host members\n\
  host-set SWITCH HOST KEY=VALUE...  change vtep-ip or pnics\n\
\n\
Private VLAN map commands:\n\
  pvlan-add SWITCH PRIMARY    add private VLAN PRIMARY (promiscuous)\n\
  pvlan-add SWITCH PRIMARY SECONDARY isolated|community\n\
                              add a secondary VLAN to private VLAN PRIMARY\n\
  pvlan-del SWITCH VLAN       delete VLAN from the map (secondaries first)\n\
  pvlan-list [SWITCH]         list the private VLAN map\n\
\n\
LAG (LACP) commands:\n\
  lag-add SWITCH LAG [KEY=VALUE]...  add a LAG (mode, timeout, hash,\n\
                              uplinks, fallback)\n\
  lag-del SWITCH LAG          delete LAG\n\
  lag-set SWITCH LAG KEY=VALUE...  change settings of LAG\n\
  lag-list [SWITCH]           list LAGs\n\
\n\
Traffic rule commands (OWNER: a switch, portgroup or port; --switch,\n\
--portgroup or --port say which):\n\
  rule-add OWNER SEQ allow|drop|tag [KEY=VALUE]...  add a filtering or\n\
                              marking rule (direction=, description=, cos=,\n\
                              dscp=, src-mac=, dst-mac=, ether-type=, vlan=,\n\
                              src-ip=, dst-ip=, ip-protocol=, src-port=,\n\
                              dst-port=, tcp-flags=)\n\
  rule-del OWNER SEQ          delete a rule\n\
  rule-list [OWNER]           list rules\n\
\n\
Port commands:\n\
  port-add PG [PORT] [KEY=VALUE]...  create a port in PG\n\
  port-del PORT               delete PORT (--force: even when bound)\n\
  port-list [PG]              list ports\n\
  port-set PORT KEY=VALUE...  change settings of PORT\n\
  port-show PORT              print PORT with its effective policy\n\
\n\
LLDP and network health check commands:\n\
  lldp-neighbors [HOST]       list the LLDP neighbours the hosts see\n\
  health-check-show [SWITCH] [HOST]  print the health check results\n\
  health-check-set SWITCH [vlan-mtu=BOOL] [teaming=BOOL] [interval=SECS]\n\
                              enable or disable the checks, set the interval\n\
\n\
Port mirroring commands:\n\
  mirror-add SWITCH NAME [KEY=VALUE]...  create mirroring session NAME\n\
                              (type=, src-rx=, src-tx=, dest-port=, ...)\n\
  mirror-set [SWITCH] NAME KEY=VALUE...  change a mirroring session\n\
  mirror-del [SWITCH] NAME    delete a mirroring session\n\
  mirror-list [SWITCH]        list mirroring sessions\n\
  mirror-show [SWITCH] NAME   print a session, its status and counters\n\
\n\
Snapshot and rollback commands:\n\
  snapshot-create NAME [SWITCH]  save SWITCH (default: every switch)\n\
  snapshot-list [SWITCH]      list snapshots and checkpoints\n\
  snapshot-show NAME          print a snapshot as JSON\n\
  snapshot-delete NAME        delete a snapshot\n\
  snapshot-export NAME FILE   write a snapshot to FILE (\"-\": stdout)\n\
  snapshot-import FILE [SWITCH]  create the switches of FILE (options\n\
                              --original-identity, --apply-to=SWITCH,\n\
                              --name=NEW-NAME)\n\
  rollback SWITCH|PG          return to the last checkpoint (ports\n\
                              stay; --force: delete a newer portgroup\n\
                              that has ports)\n\
  rollback [SWITCH|PG] --to=SNAPSHOT  return to a snapshot\n\
\n\
  --config-version=N (dvs-set, pg-set, port-set, rollback, snapshot-import\n\
  --apply-to) refuses the command unless the object is at version N.\n\
\n\
%s\
\n\
Options:\n\
  --db=DATABASE               connect to DATABASE\n\
                              (default: $DVS_DB, else %s)\n\
  --wait=none|hv              with hv, wait until every member host has\n\
                              applied the change (default: none)\n\
  -t, --timeout=SECS          give up after SECS seconds\n\
  --dry-run                   do not commit changes to the database\n\
  --oneline                   print exactly one line of output per command\n\
  -f, --format=FORMAT         table output format: table, list, csv, json\n",
           program_name, program_name, ctl_get_db_cmd_usage(),
           default_db());
    printf("\nSwitch keys:\n");
    print_keys(DVS_SWITCH, &dvsrec_table_switch);
    printf("\nPortgroup keys:\n");
    print_keys(DVS_PORTGROUP, &dvsrec_table_portgroup);
    printf("\nPort keys:\n");
    print_keys(DVS_PORT, &dvsrec_table_port);
    printf("\nHost member keys (host-add, host-set):\n"
           "  %-32s %s\n  %-32s %s\n",
           "vtep-ip", "an IPv4 or IPv6 address",
           "pnics", "NIC names separated by commas, mapped in order to "
           "the switch's uplinks");
    vlog_usage();
    printf("\
  --no-syslog             equivalent to --verbose=dvs_ctl:syslog:warn\n");
    stream_usage("database", true, true, false);
    printf("\n\
Other options:\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n");
    exit(EXIT_SUCCESS);
}

static void
dvs_ctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
    }
    ovsdb_idl_destroy(the_idl);
    exit(status);
}

/* Runs the commands' prerequisites, which tell what to replicate: a
 * command of dvs-ctl's own without any reads the whole database; a generic
 * database command reads every row of the tables it asks for. */
static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        bool own = is_own_command(c->syntax);
        void (*prerequisites)(struct ctl_context *) = c->syntax->prerequisites;

        if (own && !prerequisites) {
            prerequisites = dvs_ctl_pre_db;
        } else if (!own && !is_general_command(c->syntax)) {
            dvs_ctl_replica_generic(c);
        }
        if (prerequisites) {
            struct ctl_context ctx;

            ds_init(&c->output);
            c->table = NULL;

            ctl_context_init(&ctx, c, idl, NULL, NULL, NULL);
            prerequisites(&ctx);
            if (ctx.error) {
                ctl_fatal("%s", ctx.error);
            }
            ctl_context_done(&ctx, c);

            ovs_assert(!c->output.string);
            ovs_assert(!c->table);
        }
    }
    dvs_ctl_replica_done(idl);
}

static bool
is_sync_command(const struct ctl_command *c)
{
    return !strcmp(c->syntax->name, "sync");
}

/* The commands of dvs-ctl itself, besides the general ones and the
 * generic database commands. */
static const struct ctl_command_syntax *const own_commands[] = {
    dvs_ctl_switch_commands, dvs_ctl_portgroup_commands,
    dvs_ctl_pvlan_commands, dvs_ctl_lag_commands, dvs_ctl_show_commands,
    dvs_ctl_snapshot_commands, dvs_ctl_lldp_commands, dvs_ctl_rule_commands,
    dvs_ctl_mirror_commands,
};

static bool
is_own_command(const struct ctl_command_syntax *syntax)
{
    for (size_t i = 0; i < ARRAY_SIZE(own_commands); i++) {
        for (const struct ctl_command_syntax *p = own_commands[i]; p->name;
             p++) {
            if (p == syntax) {
                return true;
            }
        }
    }
    return false;
}

static void
print_command_output(struct ctl_command *c)
{
    struct ds *ds = &c->output;

    if (c->table) {
        struct table_style style = table_style;
        if (!format_given && is_own_command(c->syntax)) {
            style.format = TF_TABLE;
        }
        table_print(c->table, &style);
    } else if (oneline) {
        ds_chomp(ds, '\n');
        for (size_t j = 0; j < ds->length; j++) {
            int ch = ds->string[j];
            if (ch == '\n') {
                fputs("\\n", stdout);
            } else if (ch == '\\') {
                fputs("\\\\", stdout);
            } else {
                putchar(ch);
            }
        }
        putchar('\n');
    } else {
        fputs(ds_cstr(ds), stdout);
    }
}

/* Waits until dvs-controller reports, through DVS_Global's hv_cfg, that
 * every member host has applied configuration generation 'next_cfg'. */
static void
wait_for_hosts(struct ovsdb_idl *idl, int64_t next_cfg)
{
    /* The change is committed: from here on, running out of time is an
     * answer the user needs in words, not a SIGALRM. */
    time_alarm(UINT_MAX);
    for (;;) {
        const struct dvsrec_dvs_global *g;

        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            ctl_fatal("%s: database connection lost while waiting for hosts",
                      db);
        }
        g = dvsrec_dvs_global_first(idl);
        if (g && g->hv_cfg >= next_cfg) {
            return;
        }
        if (time_msec() >= deadline) {
            ctl_fatal("--wait=hv: timed out after %u s: the change is "
                      "committed (generation %"PRId64") but the hosts have "
                      "applied only generation %"PRId64" (is dvs-controller "
                      "running?)", timeout, next_cfg, g ? g->hv_cfg : 0);
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

static bool
do_dvs_ctl(const char *args, struct ctl_command *commands, size_t n_commands,
           struct ovsdb_idl *idl)
{
    const struct dvsrec_dvs_global *global;
    enum ovsdb_idl_txn_status status;
    struct ovsdb_symbol_table *symtab;
    struct ctl_context ctx;
    struct ctl_command *c;
    struct shash_node *node;
    int64_t next_cfg = 0;
    bool force_wait = false;
    char *error = NULL;

    ovs_assert(!the_idl_txn);
    struct ovsdb_idl_txn *txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }
    ovsdb_idl_txn_add_comment(txn, "dvs-ctl: %s", args);

    /* The global row is created by the first command that writes; commands
     * that only read write nothing. */
    for (c = commands; c < &commands[n_commands]; c++) {
        force_wait |= is_sync_command(c);
    }
    bool writes = (ctl_might_write_to_db(commands, n_commands)
                   || (wait_for_hv && force_wait));
    global = dvsrec_dvs_global_first(idl);
    if (!global && writes) {
        global = dvsrec_dvs_global_insert(txn);
    }
    if (wait_for_hv && writes) {
        /* The controller compares each host's applied generation with
         * nb_cfg; bumping it in the same transaction as the change ties the
         * two together.  Commands that only read change nothing, so there
         * is nothing to bump or wait for: writing the timestamp would make
         * a change of its own. */
        ovsdb_idl_txn_increment(txn, &global->header_,
                                &dvsrec_dvs_global_col_nb_cfg, force_wait);
        dvsrec_dvs_global_set_nb_cfg_timestamp(global, time_wall_msec());
    }

    symtab = ovsdb_symbol_table_create();
    dvs_ctl_clear_warnings();
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }
    for (c = commands; c < &commands[n_commands]; c++) {
        ctl_context_init(&ctx, c, idl, txn, symtab, NULL);
        ctx.last_command = c == &commands[n_commands - 1];
        if (c->syntax->run) {
            (c->syntax->run)(&ctx);
        }
        if (ctx.error) {
            error = xstrdup(ctx.error);
            ctl_context_done(&ctx, c);
            goto out_error;
        }
        ctl_context_done_command(&ctx, c);

        if (ctx.try_again) {
            ctl_context_done(&ctx, NULL);
            goto try_again;
        }
        ctl_context_done(&ctx, NULL);
    }

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            error = xasprintf("row id \"%s\" is referenced but never created "
                              "(e.g. with \"-- --id=%s create ...\")",
                              node->name, node->name);
            goto out_error;
        }
        if (!symbol->strong_ref) {
            VLOG_WARN("row id \"%s\" was created but no strong reference to "
                      "it was inserted, so it will not actually appear in "
                      "the database", node->name);
        }
    }

    status = ovsdb_idl_txn_commit_block(txn);
    if (wait_for_hv && status == TXN_SUCCESS) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (c = commands; c < &commands[n_commands]; c++) {
            if (c->syntax->postprocess) {
                ctl_context_init(&ctx, c, idl, txn, symtab, NULL);
                (c->syntax->postprocess)(&ctx);
                if (ctx.error) {
                    error = xstrdup(ctx.error);
                    ctl_context_done(&ctx, c);
                    goto out_error;
                }
                ctl_context_done(&ctx, c);
            }
        }
    }

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        /* Should not happen--we never call ovsdb_idl_txn_abort(). */
        error = xstrdup("transaction aborted");
        goto out_error;

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        error = xasprintf("transaction error: %s",
                          ovsdb_idl_txn_get_error(txn));
        goto out_error;

    case TXN_NOT_LOCKED:
        /* Should not happen--we never call ovsdb_idl_set_lock(). */
        error = xstrdup("database not locked");
        goto out_error;

    default:
        OVS_NOT_REACHED();
    }

    ovsdb_symbol_table_destroy(symtab);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;

    dvs_ctl_print_warnings();
    for (c = commands; c < &commands[n_commands]; c++) {
        print_command_output(c);
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        shash_destroy_free_data(&c->options);
    }
    free(commands);

    /* A dry run commits nothing, so there is no generation to wait for. */
    if (wait_for_hv && status != TXN_UNCHANGED && !dry_run) {
        fflush(stdout);
        wait_for_hosts(idl, next_cfg);
    }

    /* The replica is not destroyed: the process exits, and freeing
     * thousands of rows one by one would only delay it. */
    return true;

try_again:
    /* Our transaction needs to be rerun, or a prerequisite was not met.
     * Free resources and return so that the caller can try again. */
    ovsdb_idl_txn_abort(txn);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;

    ovsdb_symbol_table_destroy(symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        c->table = NULL;
    }
    return false;

out_error:
    /* Nothing was written: the transaction is aborted as a whole. */
    ovsdb_idl_txn_abort(txn);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;
    ovsdb_symbol_table_destroy(symtab);
    ctl_fatal("%s", error);
}

/* "init": the global row is created by any transaction that lacks it. */
static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
}

/* "sync": does nothing by itself; with --wait=hv it forces a generation
 * bump and waits for every host to reach it. */
static void
cmd_sync(struct ctl_context *ctx OVS_UNUSED)
{
}

static const struct ctl_command_syntax general_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"sync", 0, 0, "", NULL, cmd_sync, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* "init" and "sync" read only DVS_Global, which is always replicated. */
static bool
is_general_command(const struct ctl_command_syntax *syntax)
{
    for (const struct ctl_command_syntax *p = general_commands; p->name;
         p++) {
        if (p == syntax) {
            return true;
        }
    }
    return false;
}

static void
dvs_ctl_cmd_init(void)
{
    ctl_init(&dvsrec_idl_class, dvsrec_table_classes, tables, NULL,
             dvs_ctl_exit);
    ctl_register_commands(general_commands);
    for (size_t i = 0; i < ARRAY_SIZE(own_commands); i++) {
        ctl_register_commands(own_commands[i]);
    }
}
