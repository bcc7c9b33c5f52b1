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

/* test-state-file: writes and reads dvs-agent state files (full
 * StateUpdate messages), so that tests can feed the agent a desired state
 * without a controller.
 *
 *   test-state-file write FILE < DESCRIPTION
 *   test-state-file dump FILE
 *
 * A description is text, one item per line ('#' starts a comment):
 *
 *   generation N
 *   epoch STRING
 *   bridge NAME [uplink=UPLINK:NIC]... [vxlan] [vtep=IP] [mtu=N]
 *               [bond=MODE]
 *   group KEY BRIDGE
 *   table=T,priority=P[,MATCH] actions=ACTIONS      (a flow of the group
 *                                                   above, ovs-ofctl syntax)
 */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agent/state-file.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

static void
trim(char *s)
{
    size_t len = strlen(s);

    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'
                   || s[len - 1] == '\n' || s[len - 1] == ',')) {
        s[--len] = '\0';
    }
}

static void
parse_bridge(struct dvs_host_state *state, char *args, int line)
{
    char *save_ptr = NULL;
    char *name = strtok_r(args, " \t", &save_ptr);
    struct dvs_bridge *br;
    char *word;

    if (!name) {
        ovs_fatal(0, "line %d: bridge needs a name", line);
    }
    br = dvs_host_state_add_bridge(state, name);
    while ((word = strtok_r(NULL, " \t", &save_ptr))) {
        if (!strncmp(word, "uplink=", 7)) {
            char *colon = strchr(word + 7, ':');
            if (!colon) {
                ovs_fatal(0, "line %d: uplink=UPLINK:NIC expected", line);
            }
            *colon = '\0';
            dvs_bridge_add_uplink(br, word + 7, colon + 1);
        } else if (!strcmp(word, "vxlan")) {
            br->vxlan = true;
        } else if (!strncmp(word, "vtep=", 5)) {
            dvs_bridge_set_vtep_ip(br, word + 5);
        } else if (!strncmp(word, "mtu=", 4)) {
            br->mtu = atoi(word + 4);
        } else if (!strncmp(word, "bond=", 5)) {
            dvs_bridge_set_bond_mode(br, word + 5);
        } else {
            ovs_fatal(0, "line %d: unknown bridge setting \"%s\"", line,
                      word);
        }
    }
}

/* Parses "table=T,priority=P[,MATCH] actions=ACTIONS" into 'group'. */
static void
parse_flow(struct dvs_flow_group *group, char *s, int line)
{
    char *actions = strstr(s, "actions=");
    struct ds match = DS_EMPTY_INITIALIZER;
    int table = -1, priority = -1;
    char *save_ptr = NULL;
    char *field;

    if (!group) {
        ovs_fatal(0, "line %d: a flow outside a group", line);
    }
    if (!actions) {
        ovs_fatal(0, "line %d: a flow needs actions=", line);
    }
    *(actions - 1) = '\0';
    actions += strlen("actions=");
    trim(s);
    trim(actions);

    for (field = strtok_r(s, ",", &save_ptr); field;
         field = strtok_r(NULL, ",", &save_ptr)) {
        field += strspn(field, " \t");
        if (!strncmp(field, "table=", 6)) {
            table = atoi(field + 6);
        } else if (!strncmp(field, "priority=", 9)) {
            priority = atoi(field + 9);
        } else if (*field) {
            if (match.length) {
                ds_put_char(&match, ',');
            }
            ds_put_cstr(&match, field);
        }
    }
    if (table < 0 || priority < 0) {
        ovs_fatal(0, "line %d: a flow needs table= and priority=", line);
    }
    dvs_flow_group_add_flow(group, table, priority, ds_cstr(&match),
                            actions);
    ds_destroy(&match);
}

static void
do_write(const char *file_name)
{
    struct dvs_host_state state;
    struct dvs_flow_group *group = NULL;
    uint64_t generation = 1;
    char *epoch = xstrdup("test");
    char buf[65536];
    int line = 0;
    char *error;

    dvs_host_state_init(&state);
    while (fgets(buf, sizeof buf, stdin)) {
        char *s = buf + strspn(buf, " \t");

        line++;
        trim(s);
        if (!*s || *s == '#') {
            continue;
        } else if (!strncmp(s, "generation ", 11)) {
            generation = strtoull(s + 11, NULL, 10);
        } else if (!strncmp(s, "epoch ", 6)) {
            free(epoch);
            epoch = xstrdup(s + 6);
        } else if (!strncmp(s, "bridge ", 7)) {
            parse_bridge(&state, s + 7, line);
        } else if (!strncmp(s, "group ", 6)) {
            char *save_ptr = NULL;
            char *key = strtok_r(s + 6, " \t", &save_ptr);
            char *bridge = strtok_r(NULL, " \t", &save_ptr);

            if (!key || !bridge) {
                ovs_fatal(0, "line %d: group KEY BRIDGE expected", line);
            }
            group = dvs_host_state_add_group(&state, key, bridge);
        } else if (!strncmp(s, "table=", 6)) {
            parse_flow(group, s, line);
        } else {
            ovs_fatal(0, "line %d: cannot parse \"%s\"", line, s);
        }
    }

    error = state_file_write(file_name, &state, generation, epoch);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    free(epoch);
    dvs_host_state_destroy(&state);
}

static void
do_dump(const char *file_name)
{
    struct dvs_host_state state;
    struct ds s = DS_EMPTY_INITIALIZER;
    uint64_t generation;
    char *epoch;
    char *error;

    dvs_host_state_init(&state);
    error = state_file_read(file_name, &state, &generation, &epoch);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    ds_put_format(&s, "generation %"PRIu64" epoch \"%s\"\n", generation,
                  epoch);
    dvs_host_state_format(&state, &s);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(epoch);
    dvs_host_state_destroy(&state);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc == 3 && !strcmp(argv[1], "write")) {
        do_write(argv[2]);
    } else if (argc == 3 && !strcmp(argv[1], "dump")) {
        do_dump(argv[2]);
    } else {
        ovs_fatal(0, "usage: %s write FILE < DESCRIPTION | dump FILE",
                  program_name);
    }
    return 0;
}
