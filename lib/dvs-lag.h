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

#ifndef DVS_LAG_H
#define DVS_LAG_H 1

/* The LACP groups (LAGs) of a bridge in a host's desired state: each is an
 * OVS bond port made of the pNICs of some of the bridge's uplinks (the
 * LAG's ports, "LAG-1", "LAG-2"...), on which OVS negotiates LACP. */

#include <stdbool.h>
#include <stddef.h>

struct ds;
struct dvs_bridge;
struct Dvs__Bridge;

struct dvs_lag {
    char *name;                 /* LAG name, e.g. "lag1". */
    char *mode;                 /* "active" or "passive". */
    char *timeout;              /* "fast" or "slow". */
    char *fallback;             /* "active-backup" or "none". */
    char **uplinks;             /* Names of its ports among the uplinks. */
    size_t n_uplinks;
};

struct dvs_lag *dvs_bridge_add_lag(struct dvs_bridge *, const char *name,
                                   const char *mode, const char *timeout,
                                   const char *fallback);
void dvs_lag_add_uplink(struct dvs_lag *, const char *uplink);
void dvs_bridge_destroy_lags(struct dvs_bridge *);
bool dvs_bridge_lags_equal(const struct dvs_bridge *,
                           const struct dvs_bridge *);
void dvs_bridge_clone_lags(struct dvs_bridge *dst,
                           const struct dvs_bridge *src);
void dvs_bridge_lags_to_msg(const struct dvs_bridge *, struct Dvs__Bridge *);
void dvs_bridge_lags_from_msg(struct dvs_bridge *,
                              const struct Dvs__Bridge *);
char *dvs_bridge_lags_check_msg(const struct Dvs__Bridge *);
void dvs_bridge_lags_format(const struct dvs_bridge *, struct ds *);
const struct dvs_lag *dvs_bridge_find_lag_of_uplink(const struct dvs_bridge *,
                                                    const char *uplink);
const char *dvs_bridge_uplink_pnic(const struct dvs_bridge *,
                                   const char *name);
char *dvs_lag_port_name(const char *bridge, const char *lag);

#endif /* dvs-lag.h */
