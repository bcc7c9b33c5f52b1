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

#ifndef DVS_CTL_H
#define DVS_CTL_H 1

/* Shared by the files that implement dvs-ctl's commands. */

#include <stdbool.h>
#include <stdint.h>
#include "db-ctl-base.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"

struct ds;

/* Maximum lengths of names, from the schema's string constraints. */
#define DVS_SWITCH_NAME_MAX 15   /* Becomes an OVS bridge name. */
#define DVS_PORTGROUP_NAME_MAX 80
#define DVS_PORT_NAME_MAX 80
#define DVS_HOST_NAME_MAX 64
#define DVS_PNIC_NAME_MAX 15     /* Linux IFNAMSIZ - 1. */

/* Lookups.  With 'must_exist', a missing object is an error (reported with
 * ctl_error()); otherwise they just return NULL. */
const struct dvsrec_switch *dvs_ctl_find_switch(struct ctl_context *,
                                                const char *name,
                                                bool must_exist);
const struct dvsrec_portgroup *dvs_ctl_find_portgroup(struct ctl_context *,
                                                      const char *name,
                                                      bool must_exist);
const struct dvsrec_port *dvs_ctl_find_port(struct ctl_context *,
                                            const char *name,
                                            bool must_exist);
const struct dvsrec_pvlan_entry *dvs_ctl_find_pvlan_entry(
    struct ctl_context *, const struct dvsrec_switch *, int64_t vlan);
const struct dvsrec_host_member *dvs_ctl_find_member(
    struct ctl_context *, const struct dvsrec_switch *, const char *host,
    bool must_exist);

/* Port rows by name, MAC and portgroup (dvs-ctl-index.c).  Each index
 * costs its share of a call that reads many ports: a command asks only for
 * those it looks rows up in. */
enum dvs_ctl_port_index {
    DVS_CTL_BY_NAME = 1 << 0,
    DVS_CTL_BY_MAC = 1 << 1,
    DVS_CTL_BY_PORTGROUP = 1 << 2,
    DVS_CTL_BY_ALL = DVS_CTL_BY_NAME | DVS_CTL_BY_MAC | DVS_CTL_BY_PORTGROUP,
};
void dvs_ctl_index_create(struct ovsdb_idl *, unsigned int indexes);
const struct dvsrec_port *dvs_ctl_index_port(const char *name);
const struct dvsrec_port *dvs_ctl_index_same_mac(
    const struct dvsrec_port *, const struct dvsrec_switch *);
const struct dvsrec_port **dvs_ctl_index_ports_of(
    const struct dvsrec_portgroup *, size_t *n);
size_t dvs_ctl_index_count_ports(const struct dvsrec_portgroup *);

/* Deletes a portgroup and its ports (dvs-ctl-portgroup.c). */
void dvs_ctl_delete_portgroup(const struct dvsrec_portgroup *);

bool dvs_ctl_check_name(struct ctl_context *, const char *what,
                        const char *name, size_t max_len);

/* Settings. */
bool dvs_ctl_apply_settings(struct ctl_context *, enum dvs_level,
                            const struct ovsdb_idl_row *,
                            const struct dvsrec_switch *,
                            const struct dvsrec_portgroup *,
                            char *settings[], int n_settings);
bool dvs_ctl_check_config_version(struct ctl_context *, const char *what,
                                  const char *name, int64_t current);
void dvs_ctl_bump_version(const struct ovsdb_idl_row *,
                          const struct ovsdb_idl_column *version_column,
                          int64_t current);
void dvs_ctl_get_settings(struct ctl_context *, enum dvs_level,
                          const struct dvsrec_switch *,
                          const struct dvsrec_portgroup *,
                          const struct dvsrec_port *, const char *key);

void dvs_ctl_format_source(enum dvs_source, const struct dvsrec_switch *,
                           const struct dvsrec_portgroup *,
                           const struct dvsrec_port *, struct ds *);
void dvs_ctl_format_backing(const struct dvsrec_switch *,
                            const struct dvsrec_portgroup *,
                            const struct dvsrec_port *, struct ds *);

/* LLDP neighbours and health check results of a member, sorted by uplink
 * (arrays to free). */
struct dvsrec_lldp_neighbor **dvs_ctl_sorted_lldp_neighbors(
    const struct dvsrec_host_member *);
struct dvsrec_health_check_result **dvs_ctl_sorted_health_check_results(
    const struct dvsrec_host_member *);

/* What a call replicates of the database (dvs-ctl-replica.c).  A command
 * of dvs-ctl's own without prerequisites reads the whole database. */
void dvs_ctl_pre_db(struct ctl_context *);
void dvs_ctl_pre_port(struct ctl_context *);
void dvs_ctl_pre_owner(struct ctl_context *);
void dvs_ctl_pre_port_add(struct ctl_context *);
void dvs_ctl_pre_portgroup(struct ctl_context *);
void dvs_ctl_pre_port_summary(struct ctl_context *);
void dvs_ctl_pre_port_list(struct ctl_context *);
void dvs_ctl_replica_generic(const struct ctl_command *);
void dvs_ctl_replica_done(struct ovsdb_idl *);
bool dvs_ctl_replica_has_ports(struct ctl_context *,
                               const struct dvsrec_portgroup *);

/* Command tables. */
/* Warnings about a committed change that is allowed but probably not what
 * the user wants: collected while the commands run, printed to stderr once
 * the transaction commits. */
void dvs_ctl_warn(const char *format, ...) OVS_PRINTF_FORMAT(1, 2);
void dvs_ctl_clear_warnings(void);
void dvs_ctl_print_warnings(void);

extern const struct ctl_command_syntax dvs_ctl_switch_commands[];
extern const struct ctl_command_syntax dvs_ctl_pvlan_commands[];
extern const struct ctl_command_syntax dvs_ctl_lag_commands[];

/* LAGs (dvs-ctl-lag.c). */
bool dvs_ctl_is_lag_port(struct ctl_context *, const struct dvsrec_switch *,
                         const char *name);
void dvs_ctl_show_lags(struct ctl_context *, const struct dvsrec_switch *,
                       struct ds *);
void dvs_ctl_show_member_lags(struct ctl_context *,
                              const struct dvsrec_host_member *,
                              struct ds *);
int dvs_ctl_set_member_lag(struct ctl_context *,
                           const struct dvsrec_host_member *,
                           const char *key, const char *value);
extern const struct ctl_command_syntax dvs_ctl_portgroup_commands[];
extern const struct ctl_command_syntax dvs_ctl_show_commands[];
extern const struct ctl_command_syntax dvs_ctl_snapshot_commands[];
extern const struct ctl_command_syntax dvs_ctl_lldp_commands[];
extern const struct ctl_command_syntax dvs_ctl_rule_commands[];
extern const struct ctl_command_syntax dvs_ctl_mirror_commands[];

#endif /* dvs-ctl.h */
