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

#include <config.h>
#include "agent/lacp.h"

#include <string.h>
#include "agent/ovs-reconcile.h"
#include "lib/dvs-lag.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "proto/dvs.pb-c.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

static bool
iface_link_up(const struct ovsrec_interface *iface)
{
    return iface && iface->link_state && !strcmp(iface->link_state, "up");
}

static bool
iface_lacp_current(const struct ovsrec_interface *iface)
{
    return iface && iface->n_lacp_current && iface->lacp_current[0];
}

/* Reads the state of LAG 'lag' of bridge 'br'. */
void
lacp_lag_status(const struct ovs_reconcile *rec, const struct dvs_bridge *br,
                const struct dvs_lag *lag, struct lacp_lag_status *status)
{
    const char *first_up = NULL;
    bool current = false;

    for (size_t i = 0; i < lag->n_uplinks; i++) {
        const char *pnic = dvs_bridge_uplink_pnic(br, lag->uplinks[i]);
        const struct ovsrec_interface *iface
            = pnic ? ovs_reconcile_find_iface(rec, br->name, pnic) : NULL;

        if (iface_link_up(iface)) {
            if (!first_up) {
                first_up = pnic;
            }
            current |= iface_lacp_current(iface);
        }
    }
    status->active_pnic = NULL;
    if (current) {
        status->state = LACP_NEGOTIATED;
    } else if (!first_up) {
        status->state = LACP_DOWN;
    } else if (lag->fallback && !strcmp(lag->fallback, "none")) {
        status->state = LACP_NOT_NEGOTIATED;
    } else {
        status->state = LACP_FALLBACK;
        status->active_pnic = first_up;
    }
}

/* Whether the data path may use uplink 'uplink' of 'br': any uplink that
 * is not in a LAG (OVS itself skips one without carrier), and the members
 * of a LAG but while it falls back to active-backup, when only the member
 * in use may send and receive (as a switch without LACP expects). */
bool
lacp_uplink_usable(const struct ovs_reconcile *rec,
                   const struct dvs_bridge *br, const char *uplink)
{
    const struct dvs_lag *lag = dvs_bridge_find_lag_of_uplink(br, uplink);
    struct lacp_lag_status status;

    if (!lag) {
        return true;
    }
    lacp_lag_status(rec, br, lag, &status);
    return (status.state != LACP_FALLBACK
            || !strcmp(status.active_pnic,
                       dvs_bridge_uplink_pnic(br, uplink)));
}

static const char *
lag_state_text(const struct lacp_lag_status *status)
{
    switch (status->state) {
    case LACP_NEGOTIATED:
        return "negotiated";
    case LACP_FALLBACK:
        return "not negotiated, fallback to active-backup";
    case LACP_NOT_NEGOTIATED:
        return "not negotiated: carries no traffic (fallback=none)";
    case LACP_DOWN:
    default:
        return "down: no member link is up";
    }
}

static void
format_members(const struct ovs_reconcile *rec, const struct dvs_bridge *br,
               const struct dvs_lag *lag, const struct lacp_lag_status *st,
               struct ds *s)
{
    for (size_t i = 0; i < lag->n_uplinks; i++) {
        const char *pnic = dvs_bridge_uplink_pnic(br, lag->uplinks[i]);
        const struct ovsrec_interface *iface
            = pnic ? ovs_reconcile_find_iface(rec, br->name, pnic) : NULL;

        ds_put_format(s, "%s%s=%s:%s", i ? ", " : "", lag->uplinks[i],
                      pnic ? pnic : "?",
                      !iface ? "absent"
                      : !iface_link_up(iface) ? "link down"
                      : iface_lacp_current(iface) ? "current"
                      : st->active_pnic && !strcmp(st->active_pnic, pnic)
                      ? "active (fallback)" : "not negotiated");
    }
}

/* Appends to 's' a description of the LAGs of 'br', a line each. */
void
lacp_format_bridge(const struct ovs_reconcile *rec,
                   const struct dvs_bridge *br, struct ds *s)
{
    for (size_t i = 0; i < br->n_lags; i++) {
        const struct dvs_lag *lag = &br->lags[i];
        struct lacp_lag_status st;
        char *port = dvs_lag_port_name(br->name, lag->name);

        lacp_lag_status(rec, br, lag, &st);
        ds_put_format(s, "%s: LAG %s (port %s, lacp=%s, lacp-time=%s): %s\n",
                      br->name, lag->name, port,
                      lag->mode ? lag->mode : "passive",
                      lag->timeout ? lag->timeout : "slow",
                      lag_state_text(&st));
        ds_put_cstr(s, "  members: ");
        format_members(rec, br, lag, &st, s);
        ds_put_char(s, '\n');
        free(port);
    }
}

/* Returns the LACP report of every LAG of 'state' (to free with
 * lacp_report_free()), and a canonical text of it in 'summary', to tell
 * whether it changed. */
struct Dvs__TeamingLacpReport *
lacp_report_create(const struct ovs_reconcile *rec,
                   const struct dvs_host_state *state, struct ds *summary)
{
    Dvs__TeamingLacpReport *report = xmalloc(sizeof *report);
    const struct dvs_bridge *br;
    size_t n = 0;

    dvs__teaming_lacp_report__init(report);
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        n += br->n_lags;
    }
    report->lags = n ? xmalloc(n * sizeof *report->lags) : NULL;
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        for (size_t i = 0; i < br->n_lags; i++) {
            const struct dvs_lag *lag = &br->lags[i];
            Dvs__TeamingLacpLag *m = xmalloc(sizeof *m);
            struct lacp_lag_status st;
            struct ds s = DS_EMPTY_INITIALIZER;

            lacp_lag_status(rec, br, lag, &st);
            ds_put_format(&s, "%s; ", lag_state_text(&st));
            format_members(rec, br, lag, &st, &s);
            dvs__teaming_lacp_lag__init(m);
            m->switch_name = xstrdup(br->name);
            m->lag = xstrdup(lag->name);
            m->status = ds_steal_cstr(&s);
            m->has_carries_traffic = true;
            m->carries_traffic = (st.state == LACP_NEGOTIATED
                                  || st.state == LACP_FALLBACK);
            ds_put_format(summary, "%s %s %s\n", m->switch_name, m->lag,
                          m->status);
            report->lags[report->n_lags++] = m;
        }
    }
    return report;
}

void
lacp_report_free(struct Dvs__TeamingLacpReport *report)
{
    if (report) {
        for (size_t i = 0; i < report->n_lags; i++) {
            free(report->lags[i]->switch_name);
            free(report->lags[i]->lag);
            free(report->lags[i]->status);
            free(report->lags[i]);
        }
        free(report->lags);
        free(report);
    }
}
