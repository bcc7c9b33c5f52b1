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

#ifndef AGENT_LACP_H
#define AGENT_LACP_H 1

/* The LACP state of the host's LAGs, as ovs-vswitchd reports it in the
 * Open vSwitch database (Interface link_state and lacp_current of each
 * member of a LAG's bond port), for the data path (which members to use),
 * dvs-controller (Host_Member.lacp_status) and the administrator
 * (dvs-agent/lacp-show). */

#include <stdbool.h>

struct ds;
struct dvs_bridge;
struct dvs_host_state;
struct dvs_lag;
struct ovs_reconcile;
struct smap;

enum lacp_lag_state {
    LACP_NEGOTIATED,            /* Some member has a current partner. */
    LACP_FALLBACK,              /* Not negotiated: one member, as
                                 * active-backup (fallback=active-backup). */
    LACP_NOT_NEGOTIATED,        /* Not negotiated, fallback=none: the LAG
                                 * carries nothing. */
    LACP_DOWN,                  /* No member has a link. */
};

struct lacp_lag_status {
    enum lacp_lag_state state;
    const char *active_pnic;    /* LACP_FALLBACK: the member in use. */
};

void lacp_lag_status(const struct ovs_reconcile *, const struct dvs_bridge *,
                     const struct dvs_lag *, struct lacp_lag_status *);
bool lacp_uplink_usable(const struct ovs_reconcile *,
                        const struct dvs_bridge *, const char *uplink);
void lacp_format_bridge(const struct ovs_reconcile *,
                        const struct dvs_bridge *, struct ds *);
struct Dvs__TeamingLacpReport;
struct Dvs__TeamingLacpReport *lacp_report_create(
    const struct ovs_reconcile *, const struct dvs_host_state *,
    struct ds *summary);
void lacp_report_free(struct Dvs__TeamingLacpReport *);

#endif /* agent/lacp.h */
