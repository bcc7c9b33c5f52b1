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

/* dvs-bench-control: the control-plane scale benchmark.
 *
 *   dvs-bench-control populate --db=DB [TOPOLOGY]
 *       loads the topology into the database (switch sw0 must exist).
 *
 *   dvs-bench-control run --db=DB --controller=tcp:IP:PORT
 *                     --controller-pid=PID [TOPOLOGY] [--samples=N]
 *                     [--baseline=FILE] [--timeout=SECS]
 *       connects one simulated host per Host of the topology to a running
 *       dvs-controller and measures: time until every host holds every flow
 *       group its ports need; one port added (row inserted, then bound by a
 *       host) until every host of its portgroup has its flows; one policy
 *       change (a portgroup's VLAN or VNI) until every host of the
 *       portgroup has the new segment; dvs-ctl's port-add, pg-set and
 *       show alone at this scale, each until the command returns; the
 *       controller's peak RSS and CPU time; bytes sent to hosts.  Prints a
 *       table (beside the figures of a baseline run when given one) and a
 *       last line "BENCH-CONTROL JSON".
 *
 * TOPOLOGY: --hosts=N --ports=N --portgroups=N [--vxlan]
 * (see tests/perf/bench-topology.h).  utilities/dvs-bench runs it all. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "bitmap.h"
#include "command-line.h"
#include "fatal-signal.h"
#include "lib/dvs-mailbox.h"
#include "lib/dvs-parse.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "process.h"
#include "tests/perf/bench-db.h"
#include "tests/perf/bench-simhosts.h"
#include "tests/perf/bench-topology.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dvs_bench_control);

struct options {
    const char *command;
    const char *db;
    const char *controller;
    int controller_pid;
    struct bench_topology topo;
    unsigned int samples;
    const char *baseline;
    unsigned int timeout;       /* Seconds to wait for convergence. */
};

/* Messages between the driver (the OVS thread) and the simulated hosts
 * (the libuv thread). */
enum {
    /* To the simulated hosts. */
    MSG_START,                  /* Connect every host. */
    MSG_WATCH,                  /* struct watch_request. */
    MSG_BIND,                   /* struct bind_request. */
    MSG_STATS,                  /* Reply with MSG_STATS_REPLY. */

    /* To the driver. */
    MSG_CONVERGED,              /* uint64_t: ns after MSG_START. */
    MSG_WATCH_ARMED,
    MSG_WATCH_DONE,             /* uint64_t: uv_hrtime() of the last host. */
    MSG_STATS_REPLY,            /* struct host_stats. */
};

struct watch_request {
    enum simhosts_watch_kind kind;
    unsigned int index;
    unsigned int *hosts;
    size_t n_hosts;
};

struct bind_request {
    unsigned int host;
    unsigned int port;
};

struct host_stats {
    uint64_t bytes;
    uint64_t updates;
    uint64_t closed;            /* Connections the controller closed. */
};

struct uv_side {
    uv_loop_t loop;
    struct dvs_mailbox *mb;
    struct simhosts *hosts;
};

static uint64_t *
new_u64(uint64_t value)
{
    uint64_t *p = xmalloc(sizeof *p);
    *p = value;
    return p;
}

static void
hosts_converged(uint64_t elapsed_ns, void *uv_)
{
    struct uv_side *uv = uv_;
    dvs_mailbox_send_to_ovs(uv->mb, MSG_CONVERGED, new_u64(elapsed_ns),
                            sizeof(uint64_t), free);
}

static void
hosts_watch_done(uint64_t when_ns, void *uv_)
{
    struct uv_side *uv = uv_;
    dvs_mailbox_send_to_ovs(uv->mb, MSG_WATCH_DONE, new_u64(when_ns),
                            sizeof(uint64_t), free);
}

static const struct simhosts_callbacks hosts_callbacks = {
    .converged = hosts_converged,
    .watch_done = hosts_watch_done,
};

static void
uv_mail(struct dvs_mailbox *mb, struct dvs_mailbox_msg *msg, void *uv_)
{
    struct uv_side *uv = uv_;

    switch (msg->type) {
    case MSG_START:
        simhosts_start(uv->hosts);
        break;

    case MSG_WATCH: {
        struct watch_request *w = msg->data;
        simhosts_watch(uv->hosts, w->kind, w->index, w->hosts, w->n_hosts);
        dvs_mailbox_send_to_ovs(mb, MSG_WATCH_ARMED, NULL, 0, NULL);
        break;
    }

    case MSG_BIND: {
        struct bind_request *b = msg->data;
        simhosts_bind(uv->hosts, b->host, b->port);
        break;
    }

    case MSG_STATS: {
        struct host_stats *st = xmalloc(sizeof *st);
        st->bytes = simhosts_bytes_received(uv->hosts);
        st->updates = simhosts_updates_received(uv->hosts);
        st->closed = simhosts_closed_connections(uv->hosts);
        dvs_mailbox_send_to_ovs(mb, MSG_STATS_REPLY, st, sizeof *st, free);
        break;
    }

    default:
        OVS_NOT_REACHED();
    }
    dvs_mailbox_msg_destroy(msg);
}

static void
uv_stopped(struct dvs_mailbox *mb, void *uv_)
{
    struct uv_side *uv = uv_;

    simhosts_destroy(uv->hosts);
    uv->hosts = NULL;
    dvs_mailbox_close(mb);
}

/* The driver. */

struct controller_usage {
    double cpu_seconds;         /* User + system. */
    double peak_rss_mib;
};

static struct controller_usage
read_controller_usage(int pid)
{
    struct controller_usage u = { 0, 0 };
    char path[64];
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    f = fopen(path, "r");
    if (f) {
        /* Fields 14 and 15, after the command name in parentheses. */
        char buf[1024];
        if (fgets(buf, sizeof buf, f)) {
            const char *p = strrchr(buf, ')');
            unsigned long utime, stime;
            if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
                            "%*u %*u %lu %lu", &utime, &stime) == 2) {
                u.cpu_seconds = (double) (utime + stime)
                                / sysconf(_SC_CLK_TCK);
            }
        }
        fclose(f);
    }

    snprintf(path, sizeof path, "/proc/%d/status", pid);
    f = fopen(path, "r");
    if (f) {
        char line[256];
        while (fgets(line, sizeof line, f)) {
            unsigned long kib;
            if (sscanf(line, "VmHWM: %lu kB", &kib) == 1) {
                u.peak_rss_mib = kib / 1024.0;
            }
        }
        fclose(f);
    }
    return u;
}

/* Waits for a message of 'type' from the simulated hosts, for at most
 * 'timeout_ms' (0: forever), and returns it, or NULL on timeout. */
static struct dvs_mailbox_msg *
wait_for(struct dvs_mailbox *mb, int type, long long int timeout_ms)
{
    long long int deadline = timeout_ms ? time_msec() + timeout_ms : 0;

    for (;;) {
        struct dvs_mailbox_msg *msg = dvs_mailbox_recv(mb);
        if (msg) {
            if (msg->type == type) {
                return msg;
            }
            dvs_mailbox_msg_destroy(msg);
            continue;
        }
        if (dvs_mailbox_should_exit(mb)) {
            ovs_fatal(0, "stopped while waiting");
        }
        if (deadline && time_msec() >= deadline) {
            return NULL;
        }
        dvs_mailbox_wait(mb);
        if (deadline) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
    }
}

static uint64_t
wait_for_u64(struct dvs_mailbox *mb, int type)
{
    struct dvs_mailbox_msg *msg = wait_for(mb, type, 0);
    uint64_t value = *(uint64_t *) msg->data;
    dvs_mailbox_msg_destroy(msg);
    return value;
}

static struct host_stats
read_host_stats(struct dvs_mailbox *mb)
{
    dvs_mailbox_send_to_uv(mb, MSG_STATS, NULL, 0, NULL);
    struct dvs_mailbox_msg *msg = wait_for(mb, MSG_STATS_REPLY, 0);
    struct host_stats st = *(struct host_stats *) msg->data;
    dvs_mailbox_msg_destroy(msg);
    return st;
}

/* Hosts of each portgroup, as the driver's changes add ports. */
struct pg_hosts {
    unsigned long **map;        /* Bitmap of hosts, per portgroup. */
    unsigned int n_hosts;
};

static void
pg_hosts_init(struct pg_hosts *ph, const struct bench_topology *t)
{
    ph->n_hosts = t->n_hosts;
    ph->map = xcalloc(t->n_portgroups, sizeof *ph->map);
    for (unsigned int pg = 0; pg < t->n_portgroups; pg++) {
        ph->map[pg] = bitmap_allocate(t->n_hosts);
    }
    for (unsigned int port = 0; port < t->n_ports; port++) {
        bitmap_set1(ph->map[bench_port_pg(t, port)],
                    bench_port_host(t, port));
    }
}

static struct watch_request *
watch_request_create(const struct pg_hosts *ph, unsigned int pg,
                     enum simhosts_watch_kind kind, unsigned int index)
{
    struct watch_request *w = xzalloc(sizeof *w);
    size_t host;

    w->kind = kind;
    w->index = index;
    w->hosts = xmalloc(ph->n_hosts * sizeof *w->hosts);
    BITMAP_FOR_EACH_1 (host, ph->n_hosts, ph->map[pg]) {
        w->hosts[w->n_hosts++] = host;
    }
    return w;
}

static void
watch_request_destroy(void *w_)
{
    struct watch_request *w = w_;
    free(w->hosts);
    free(w);
}

/* Arms a watch of the simulated hosts, then runs 'change' and returns the
 * nanoseconds from just before it until the last watched host has what it
 * waited for. */
static uint64_t
timed_change(struct dvs_mailbox *mb, struct watch_request *w,
             void (*change)(void *aux), void *aux)
{
    dvs_mailbox_send_to_uv(mb, MSG_WATCH, w, sizeof *w,
                           watch_request_destroy);
    dvs_mailbox_msg_destroy(wait_for(mb, MSG_WATCH_ARMED, 0));

    uint64_t start = uv_hrtime();
    change(aux);
    uint64_t end = wait_for_u64(mb, MSG_WATCH_DONE);
    return end - start;
}

struct port_add {
    struct bench_db *db;
    struct dvs_mailbox *mb;
    unsigned int port, pg, host;
};

static void
do_port_add(void *pa_)
{
    struct port_add *pa = pa_;
    struct bind_request *b = xmalloc(sizeof *b);

    /* The port is created, then the VM's interface appears on its host. */
    bench_db_add_port(pa->db, pa->port, pa->pg);
    b->host = pa->host;
    b->port = pa->port;
    dvs_mailbox_send_to_uv(pa->mb, MSG_BIND, b, sizeof *b, free);
}

struct backing_change {
    struct bench_db *db;
    unsigned int pg;
    bool vxlan;
    unsigned int id;
};

static void
do_backing_change(void *bc_)
{
    struct backing_change *bc = bc_;
    bench_db_set_backing(bc->db, bc->pg, bc->vxlan, bc->id);
}

static int
compare_u64(const void *a_, const void *b_)
{
    uint64_t a = *(const uint64_t *) a_, b = *(const uint64_t *) b_;
    return a < b ? -1 : a > b;
}

/* Percentile 'pct' of the 'n' sorted values, in milliseconds. */
static double
percentile_ms(const uint64_t *sorted, size_t n, unsigned int pct)
{
    if (!n) {
        return 0;
    }
    size_t rank = (n * pct + 99) / 100;
    return sorted[rank ? rank - 1 : 0] / 1e6;
}

struct result {
    const char *name;           /* JSON member. */
    const char *label;
    double value;
};

static double
baseline_value(const struct json *baseline, const char *name, bool *found)
{
    const struct json *v = (baseline && baseline->type == JSON_OBJECT
                            ? shash_find_data(json_object(baseline), name)
                            : NULL);
    *found = v && (v->type == JSON_REAL || v->type == JSON_INTEGER);
    return !*found ? 0 : v->type == JSON_REAL ? json_real(v)
                                              : json_integer(v);
}

/* The JSON of the line "BENCH-CONTROL JSON" in 'file_name'. */
static struct json *
read_baseline(const char *file_name)
{
    FILE *f = fopen(file_name, "r");
    if (!f) {
        ovs_fatal(errno, "%s: cannot open baseline", file_name);
    }

    struct json *json = NULL;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "BENCH-CONTROL ", 14)) {
            json_destroy(json);
            json = json_from_string(line + 14);
        }
    }
    fclose(f);
    if (!json || json->type != JSON_OBJECT) {
        ovs_fatal(0, "%s: no BENCH-CONTROL line", file_name);
    }
    return json;
}

static void
report(const struct options *o, const struct result *results, size_t n)
{
    const struct bench_topology *t = &o->topo;
    struct json *baseline = o->baseline ? read_baseline(o->baseline) : NULL;

    printf("Control-plane scale: %u hosts, %u ports, %u %s portgroups, "
           "%u samples\n", t->n_hosts, t->n_ports, t->n_portgroups,
           t->vxlan ? "VXLAN" : "VLAN", o->samples);
    printf("%-44s %12s", "", "this run");
    if (baseline) {
        printf(" %12s %8s", "baseline", "ratio");
    }
    putchar('\n');
    for (size_t i = 0; i < n; i++) {
        printf("%-44s %12.2f", results[i].label, results[i].value);
        bool found;
        double b = baseline_value(baseline, results[i].name, &found);
        if (baseline) {
            if (found) {
                printf(" %12.2f", b);
                if (results[i].value > 0) {
                    printf(" %7.2fx", b / results[i].value);
                }
            } else {
                printf(" %12s", "-");
            }
        }
        putchar('\n');
    }
    if (baseline) {
        printf("(ratio: baseline / this run; above 1 means this run is "
               "faster or smaller)\n");
    }

    struct ds line = DS_EMPTY_INITIALIZER;
    ds_put_format(&line, "{\"hosts\":%u,\"ports\":%u,\"portgroups\":%u,"
                  "\"vxlan\":%s,\"samples\":%u", t->n_hosts, t->n_ports,
                  t->n_portgroups, t->vxlan ? "true" : "false", o->samples);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&line, ",\"%s\":%.3f", results[i].name,
                      results[i].value);
    }
    ds_put_char(&line, '}');
    printf("BENCH-CONTROL %s\n", ds_cstr(&line));
    fflush(stdout);
    ds_destroy(&line);
    json_destroy(baseline);
}

/* Waits until the controller has used no CPU for a while: whatever it
 * had to do (write back status, process its own writes' echo) is done. */
static void
wait_for_quiet(int pid)
{
    const struct timespec interval = { 0, 50 * 1000 * 1000 };

    for (int i = 0; i < 2400; i++) {
        double before = read_controller_usage(pid).cpu_seconds;
        nanosleep(&interval, NULL);
        if (read_controller_usage(pid).cpu_seconds == before) {
            return;
        }
    }
}

/* Runs 'argv' (a program found on $PATH) to its end, its output thrown
 * away, and returns the nanoseconds it took.  Exits if it fails.  (OVS's
 * process_start() wants a single-threaded caller.) */
static uint64_t
timed_command(char *const argv[])
{
    extern char **environ;
    posix_spawn_file_actions_t actions;
    int status;
    pid_t pid;

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    uint64_t start = uv_hrtime();
    int error = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error) {
        ovs_fatal(error, "%s: could not run it", argv[0]);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            ovs_fatal(errno, "%s: waitpid failed", argv[0]);
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        ovs_fatal(0, "%s %s failed (%s)", argv[0], argv[2],
                  process_status_msg(status));
    }
    return uv_hrtime() - start;
}

/* dvs-ctl at this scale, as an administrator types it: a port added to a
 * static portgroup (with its MAC), then a portgroup's setting changed,
 * 'n' of each, each timed until the command returns (the database has the
 * change); "show" of the whole switch, 'n_show' times.  What dvs-ctl
 * fetches grows with what its command reads. */
static void
time_dvs_ctl(const struct options *o, unsigned int n, uint64_t *port_add,
             uint64_t *pg_set, unsigned int n_show, uint64_t *show)
{
    const struct bench_topology *t = &o->topo;
    char *db = xasprintf("--db=%s", o->db);

    for (unsigned int k = 0; k < n; k++) {
        char *pg = xasprintf("pg%u", (k * 7907u + 3) % t->n_portgroups);
        char *name = xasprintf("cli%u", k);
        char *mac = xasprintf("mac=02:cc:00:00:%02x:%02x", k / 256, k % 256);
        char *description = xasprintf("description=cli%u", k);

        wait_for_quiet(o->controller_pid);
        char *add[] = { "dvs-ctl", db, "port-add", pg, name, mac, NULL };
        port_add[k] = timed_command(add);
        wait_for_quiet(o->controller_pid);
        char *set[] = { "dvs-ctl", db, "pg-set", pg, description, NULL };
        pg_set[k] = timed_command(set);

        free(pg);
        free(name);
        free(mac);
        free(description);
    }

    char *show_cmd[] = { "dvs-ctl", db, "show", NULL };
    for (unsigned int k = 0; k < n_show; k++) {
        wait_for_quiet(o->controller_pid);
        show[k] = timed_command(show_cmd);
    }
    free(db);
}

static void
driver(struct dvs_mailbox *mb, void *o_)
{
    const struct options *o = o_;
    const struct bench_topology *t = &o->topo;
    struct bench_db *db = bench_db_open(o->db);

    bench_db_load_portgroups(db, t);

    /* Convergence. */
    dvs_mailbox_send_to_uv(mb, MSG_START, NULL, 0, NULL);
    struct dvs_mailbox_msg *msg = wait_for(mb, MSG_CONVERGED,
                                           o->timeout * 1000LL);
    if (!msg) {
        ovs_fatal(0, "hosts did not converge within %u s", o->timeout);
    }
    uint64_t converge_ns = *(uint64_t *) msg->data;
    dvs_mailbox_msg_destroy(msg);
    struct controller_usage at_converge
        = read_controller_usage(o->controller_pid);
    struct host_stats converge_stats = read_host_stats(mb);

    /* The flows are everywhere; the controller still writes back what
     * the hosts reported (2 status writes per port).  Single changes are
     * timed from a settled system, each after the previous one's
     * write-back, as an administrator's changes come. */
    uint64_t settle_start = uv_hrtime();
    bench_db_sync(db);
    wait_for_quiet(o->controller_pid);
    uint64_t settle_ns = uv_hrtime() - settle_start;

    /* One port at a time. */
    struct pg_hosts ph;
    pg_hosts_init(&ph, t);
    uint64_t *port_add = xcalloc(o->samples, sizeof *port_add);
    unsigned int ppg = bench_ports_per_pg(t);
    for (unsigned int k = 0; k < o->samples; k++) {
        struct port_add pa = {
            .db = db,
            .mb = mb,
            .port = t->n_ports + k,
            .pg = (k * 7919u) % t->n_portgroups,
        };
        pa.host = (pa.pg * ppg + ppg + k) % t->n_hosts;
        bitmap_set1(ph.map[pa.pg], pa.host);
        wait_for_quiet(o->controller_pid);
        struct watch_request *w = watch_request_create(
            &ph, pa.pg, SIMHOSTS_WATCH_PORT, pa.port);
        port_add[k] = timed_change(mb, w, do_port_add, &pa);
    }

    /* One policy change at a time: a portgroup moves to a VLAN (or VNI)
     * no other portgroup uses. */
    uint64_t *policy = xcalloc(o->samples, sizeof *policy);
    for (unsigned int k = 0; k < o->samples; k++) {
        struct backing_change bc = {
            .db = db,
            .pg = (k * 104729u + 17) % t->n_portgroups,
            .vxlan = t->vxlan,
            .id = t->vxlan ? 20000 + k : 2001 + k,
        };
        unsigned int segment = t->vxlan ? 4096 + bc.id : bc.id;
        wait_for_quiet(o->controller_pid);
        struct watch_request *w = watch_request_create(
            &ph, bc.pg, SIMHOSTS_WATCH_SEGMENT, segment);
        policy[k] = timed_change(mb, w, do_backing_change, &bc);
    }

    unsigned int n_cli = MIN(o->samples, 10);
    uint64_t *cli_port_add = xcalloc(n_cli, sizeof *cli_port_add);
    uint64_t *cli_pg_set = xcalloc(n_cli, sizeof *cli_pg_set);
    unsigned int n_show = MIN(o->samples, 3);
    uint64_t *cli_show = xcalloc(n_show, sizeof *cli_show);
    time_dvs_ctl(o, n_cli, cli_port_add, cli_pg_set, n_show, cli_show);

    struct controller_usage at_end = read_controller_usage(o->controller_pid);
    struct host_stats end_stats = read_host_stats(mb);
    qsort(port_add, o->samples, sizeof *port_add, compare_u64);
    qsort(policy, o->samples, sizeof *policy, compare_u64);
    qsort(cli_port_add, n_cli, sizeof *cli_port_add, compare_u64);
    qsort(cli_pg_set, n_cli, sizeof *cli_pg_set, compare_u64);
    qsort(cli_show, n_show, sizeof *cli_show, compare_u64);

    const struct result results[] = {
        { "converge_s", "convergence, all hosts (s)", converge_ns / 1e9 },
        { "settle_s", "then status written back (s)", settle_ns / 1e9 },
        { "port_add_p50_ms", "one port added, all hosts have it p50 (ms)",
          percentile_ms(port_add, o->samples, 50) },
        { "port_add_p99_ms", "one port added, p99 (ms)",
          percentile_ms(port_add, o->samples, 99) },
        { "policy_p50_ms", "one portgroup VLAN/VNI change p50 (ms)",
          percentile_ms(policy, o->samples, 50) },
        { "policy_p99_ms", "one portgroup VLAN/VNI change p99 (ms)",
          percentile_ms(policy, o->samples, 99) },
        { "ctl_port_add_p50_ms", "dvs-ctl port-add, the command p50 (ms)",
          percentile_ms(cli_port_add, n_cli, 50) },
        { "ctl_pg_set_p50_ms", "dvs-ctl pg-set, the command p50 (ms)",
          percentile_ms(cli_pg_set, n_cli, 50) },
        { "ctl_show_p50_ms", "dvs-ctl show, the command p50 (ms)",
          percentile_ms(cli_show, n_show, 50) },
        { "controller_rss_mib", "controller peak RSS (MiB)",
          at_end.peak_rss_mib },
        { "controller_cpu_converge_s", "controller CPU to convergence (s)",
          at_converge.cpu_seconds },
        { "controller_cpu_s", "controller CPU, whole run (s)",
          at_end.cpu_seconds },
        { "converge_mib", "sent to hosts until convergence (MiB)",
          converge_stats.bytes / 1048576.0 },
        { "updates", "state updates sent to hosts", end_stats.updates },
        { "closed", "connections closed by the controller, retried",
          end_stats.closed },
    };
    report(o, results, ARRAY_SIZE(results));

    free(port_add);
    free(policy);
    free(cli_port_add);
    free(cli_pg_set);
    free(cli_show);
    bench_db_close(db);
    dvs_mailbox_stop(mb);
}

static void usage(void) OVS_NO_RETURN;

static void
usage(void)
{
    printf("%s: the control-plane scale benchmark\n"
           "usage: %s populate|run [OPTIONS]\n"
           "  --db=DB                 configuration database (required)\n"
           "  --controller=tcp:IP:PORT  dvs-controller (run)\n"
           "  --controller-pid=PID    its process, for CPU and memory (run)\n"
           "  --hosts=N --ports=N --portgroups=N [--vxlan]  topology\n"
           "  --samples=N             single changes timed (default 50)\n"
           "  --baseline=FILE         output of an earlier run to compare\n"
           "  --timeout=SECS          wait for convergence (default 600)\n",
           program_name, program_name);
    exit(EXIT_SUCCESS);
}

static unsigned int
parse_count(const char *name, const char *arg, unsigned int min,
            unsigned int max)
{
    int64_t value;
    char *error = dvs_parse_integer(arg, min, max, &value);
    if (error) {
        ovs_fatal(0, "--%s: %s", name, error);
    }
    return value;
}

static void
parse_options(int argc, char *argv[], struct options *o)
{
    enum {
        OPT_DB = UCHAR_MAX + 1, OPT_CONTROLLER, OPT_CONTROLLER_PID,
        OPT_HOSTS, OPT_PORTS, OPT_PORTGROUPS, OPT_VXLAN, OPT_SAMPLES,
        OPT_BASELINE, OPT_TIMEOUT,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"controller", required_argument, NULL, OPT_CONTROLLER},
        {"controller-pid", required_argument, NULL, OPT_CONTROLLER_PID},
        {"hosts", required_argument, NULL, OPT_HOSTS},
        {"ports", required_argument, NULL, OPT_PORTS},
        {"portgroups", required_argument, NULL, OPT_PORTGROUPS},
        {"vxlan", no_argument, NULL, OPT_VXLAN},
        {"samples", required_argument, NULL, OPT_SAMPLES},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };

    *o = (struct options) {
        .topo = { .n_hosts = 2000, .n_ports = 60000,
                  .n_portgroups = 1000 },
        .samples = 50,
        .timeout = 600,
    };
    for (;;) {
        int c = getopt_long(argc, argv, "h", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_DB: o->db = optarg; break;
        case OPT_CONTROLLER: o->controller = optarg; break;
        case OPT_CONTROLLER_PID:
            o->controller_pid = parse_count("controller-pid", optarg, 1,
                                            INT_MAX);
            break;
        case OPT_HOSTS:
            o->topo.n_hosts = parse_count("hosts", optarg, 1, 1000000);
            break;
        case OPT_PORTS:
            o->topo.n_ports = parse_count("ports", optarg, 1, 10000000);
            break;
        case OPT_PORTGROUPS:
            /* VLANs 1..2000 are the portgroups', 2001.. the changes'. */
            o->topo.n_portgroups = parse_count("portgroups", optarg, 1,
                                               2000);
            break;
        case OPT_VXLAN: o->topo.vxlan = true; break;
        case OPT_SAMPLES:
            o->samples = parse_count("samples", optarg, 1, 2000);
            break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_TIMEOUT:
            o->timeout = parse_count("timeout", optarg, 1, 86400);
            break;
        case 'h': usage();
        case '?': exit(EXIT_FAILURE);
        default: OVS_NOT_REACHED();
        }
    }
    if (optind + 1 != argc) {
        ovs_fatal(0, "one command expected: populate or run "
                  "(use --help for help)");
    }
    o->command = argv[optind];
    if (!o->db) {
        ovs_fatal(0, "--db is required");
    }
}

int
main(int argc, char *argv[])
{
    struct options o;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    /* Connection attempts that the controller refuses while 2,000 hosts
     * connect at once are retried and counted ("closed" in the results),
     * not worth a line each. */
    vlog_set_levels(vlog_module_from_name("dvs_conn"), VLF_CONSOLE,
                    VLL_ERR);
    parse_options(argc, argv, &o);

    if (!strcmp(o.command, "populate")) {
        struct bench_db *db = bench_db_open(o.db);
        bench_db_populate(db, &o.topo);
        bench_db_close(db);
        return 0;
    } else if (strcmp(o.command, "run")) {
        ovs_fatal(0, "unknown command %s (populate or run)", o.command);
    }
    if (!o.controller || !o.controller_pid) {
        ovs_fatal(0, "run needs --controller and --controller-pid");
    }

    fatal_ignore_sigpipe();
    fatal_signal_init();

    static const struct dvs_mailbox_callbacks mailbox_callbacks = {
        .received = uv_mail,
        .stopped = uv_stopped,
    };
    struct uv_side uv;
    uv_loop_init(&uv.loop);
    uv.mb = dvs_mailbox_create(&uv.loop, &mailbox_callbacks, &uv, 0);
    uv.hosts = simhosts_create(&uv.loop, &o.topo, o.controller, o.samples,
                               &hosts_callbacks, &uv);
    dvs_mailbox_start(uv.mb, "bench_driver", driver, &o);
    uv_run(&uv.loop, UV_RUN_DEFAULT);
    uv_loop_close(&uv.loop);
    return 0;
}
