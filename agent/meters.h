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

#ifndef AGENT_METERS_H
#define AGENT_METERS_H 1

/* The OpenFlow meters of one bridge (traffic shaping).
 *
 * dvs-controller names a meter in a flow as a symbol,
 * "${meter:PORT:DIR:RATE:BURST:PEAK:PEAK_BURST}" (kbit/s and kbit, PEAK 0
 * for no peak band), and this module gives each PORT:DIR a meter ID.
 * METER_MOD cannot be bundled: the meters a bundle's flows use are created
 * or changed by messages sent before the bundle, and those no flow uses
 * any more are deleted after it. */

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"

struct ds;
struct ofp_header;
struct ovs_list;
struct shash;
struct meters;

struct meters *meters_create(void);
void meters_destroy(struct meters *);

bool meters_is_symbol(const char *name);
char *meters_check(const char *name) OVS_WARN_UNUSED_RESULT;
char *meters_resolve(struct meters *, const char *name, uint32_t *id)
    OVS_WARN_UNUSED_RESULT;

void meters_install(struct meters *, const struct shash *symbol_groups,
                    int version, struct ovs_list *msgs);
void meters_remove_unused(struct meters *, const struct shash *symbol_groups,
                          int version, struct ovs_list *msgs);
void meters_reset(struct meters *);

struct ofpbuf *meters_config_request(int version);
void meters_handle_config_reply(struct meters *, const struct ofp_header *);
struct ofpbuf *meters_stats_request(struct meters *, int version);
void meters_handle_stats_reply(struct meters *, const struct ofp_header *);
void meters_format(const struct meters *, struct ds *);
bool meters_is_empty(const struct meters *);

#endif /* agent/meters.h */
