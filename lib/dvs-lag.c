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
#include "lib/dvs-lag.h"

#include <string.h>
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "proto/dvs.pb-c.h"
#include "util.h"

static bool
nullable_streq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Appends to 'br' a LAG named 'name' with no ports and returns it. */
struct dvs_lag *
dvs_bridge_add_lag(struct dvs_bridge *br, const char *name, const char *mode,
                   const char *timeout, const char *fallback)
{
    struct dvs_lag *lag;

    br->lags = xrealloc(br->lags, (br->n_lags + 1) * sizeof *br->lags);
    lag = &br->lags[br->n_lags++];
    *lag = (struct dvs_lag) {
        .name = xstrdup(name),
        .mode = nullable_xstrdup(mode),
        .timeout = nullable_xstrdup(timeout),
        .fallback = nullable_xstrdup(fallback),
    };
    return lag;
}

void
dvs_lag_add_uplink(struct dvs_lag *lag, const char *uplink)
{
    lag->uplinks = xrealloc(lag->uplinks,
                            (lag->n_uplinks + 1) * sizeof *lag->uplinks);
    lag->uplinks[lag->n_uplinks++] = xstrdup(uplink);
}

void
dvs_bridge_destroy_lags(struct dvs_bridge *br)
{
    for (size_t i = 0; i < br->n_lags; i++) {
        struct dvs_lag *lag = &br->lags[i];

        free(lag->name);
        free(lag->mode);
        free(lag->timeout);
        free(lag->fallback);
        for (size_t j = 0; j < lag->n_uplinks; j++) {
            free(lag->uplinks[j]);
        }
        free(lag->uplinks);
    }
    free(br->lags);
    br->lags = NULL;
    br->n_lags = 0;
}

bool
dvs_bridge_lags_equal(const struct dvs_bridge *a, const struct dvs_bridge *b)
{
    if (a->n_lags != b->n_lags) {
        return false;
    }
    for (size_t i = 0; i < a->n_lags; i++) {
        const struct dvs_lag *x = &a->lags[i], *y = &b->lags[i];

        if (strcmp(x->name, y->name) || !nullable_streq(x->mode, y->mode)
            || !nullable_streq(x->timeout, y->timeout)
            || !nullable_streq(x->fallback, y->fallback)
            || x->n_uplinks != y->n_uplinks) {
            return false;
        }
        for (size_t j = 0; j < x->n_uplinks; j++) {
            if (strcmp(x->uplinks[j], y->uplinks[j])) {
                return false;
            }
        }
    }
    return true;
}

void
dvs_bridge_clone_lags(struct dvs_bridge *dst, const struct dvs_bridge *src)
{
    for (size_t i = 0; i < src->n_lags; i++) {
        const struct dvs_lag *s = &src->lags[i];
        struct dvs_lag *d = dvs_bridge_add_lag(dst, s->name, s->mode,
                                               s->timeout, s->fallback);

        for (size_t j = 0; j < s->n_uplinks; j++) {
            dvs_lag_add_uplink(d, s->uplinks[j]);
        }
    }
}

void
dvs_bridge_lags_to_msg(const struct dvs_bridge *br, Dvs__Bridge *msg)
{
    msg->n_lags = br->n_lags;
    msg->lags = br->n_lags ? xmalloc(br->n_lags * sizeof *msg->lags) : NULL;
    for (size_t i = 0; i < br->n_lags; i++) {
        const struct dvs_lag *lag = &br->lags[i];
        Dvs__TeamingLag *m = xmalloc(sizeof *m);

        dvs__teaming_lag__init(m);
        m->name = xstrdup(lag->name);
        m->mode = nullable_xstrdup(lag->mode);
        m->timeout = nullable_xstrdup(lag->timeout);
        m->fallback = nullable_xstrdup(lag->fallback);
        m->n_uplinks = lag->n_uplinks;
        m->uplinks = (lag->n_uplinks
                      ? xmalloc(lag->n_uplinks * sizeof *m->uplinks) : NULL);
        for (size_t j = 0; j < lag->n_uplinks; j++) {
            m->uplinks[j] = xstrdup(lag->uplinks[j]);
        }
        msg->lags[i] = m;
    }
}

void
dvs_bridge_lags_from_msg(struct dvs_bridge *br, const Dvs__Bridge *msg)
{
    for (size_t i = 0; i < msg->n_lags; i++) {
        const Dvs__TeamingLag *m = msg->lags[i];
        struct dvs_lag *lag = dvs_bridge_add_lag(br, m->name, m->mode,
                                                 m->timeout, m->fallback);

        for (size_t j = 0; j < m->n_uplinks; j++) {
            dvs_lag_add_uplink(lag, m->uplinks[j]);
        }
    }
}

static bool
one_of(const char *s, const char *a, const char *b)
{
    return !s || !strcmp(s, a) || !strcmp(s, b);
}

/* Checks the LAGs of bridge message 'msg': names, values, and that each
 * port is one of the bridge's uplinks, in one LAG only.  Returns NULL or a
 * malloc()'d error. */
char *
dvs_bridge_lags_check_msg(const Dvs__Bridge *msg)
{
    for (size_t i = 0; i < msg->n_lags; i++) {
        const Dvs__TeamingLag *m = msg->lags[i];

        if (!m->name || !m->name[0] || strchr(m->name, '/')) {
            return xasprintf("bridge \"%s\": LAG %"PRIuSIZE" has no valid "
                             "name", msg->name, i + 1);
        }
        if (!one_of(m->mode, "active", "passive")
            || !one_of(m->timeout, "fast", "slow")
            || !one_of(m->fallback, "active-backup", "none")) {
            return xasprintf("bridge \"%s\": LAG %s: bad mode, timeout or "
                             "fallback", msg->name, m->name);
        }
        for (size_t j = 0; j < m->n_uplinks; j++) {
            bool found = false;

            for (size_t k = 0; k < msg->n_uplinks; k++) {
                found |= !strcmp(msg->uplinks[k]->name, m->uplinks[j]);
            }
            if (!found) {
                return xasprintf("bridge \"%s\": LAG %s: port \"%s\" is not "
                                 "an uplink of the bridge", msg->name,
                                 m->name, m->uplinks[j]);
            }
            for (size_t k = 0; k < i; k++) {
                for (size_t l = 0; l < msg->lags[k]->n_uplinks; l++) {
                    if (!strcmp(msg->lags[k]->uplinks[l], m->uplinks[j])) {
                        return xasprintf("bridge \"%s\": uplink \"%s\" is in "
                                         "two LAGs", msg->name,
                                         m->uplinks[j]);
                    }
                }
            }
        }
    }
    return NULL;
}

/* Appends " lag=NAME(mode,timeout,fallback):PORT+PORT..." for each LAG. */
void
dvs_bridge_lags_format(const struct dvs_bridge *br, struct ds *s)
{
    for (size_t i = 0; i < br->n_lags; i++) {
        const struct dvs_lag *lag = &br->lags[i];

        ds_put_format(s, " lag=%s(%s,%s,%s):", lag->name,
                      lag->mode ? lag->mode : "passive",
                      lag->timeout ? lag->timeout : "slow",
                      lag->fallback ? lag->fallback : "active-backup");
        for (size_t j = 0; j < lag->n_uplinks; j++) {
            ds_put_format(s, "%s%s", j ? "+" : "", lag->uplinks[j]);
        }
    }
}

/* Returns the pNIC of uplink 'name' of 'br', or NULL. */
const char *
dvs_bridge_uplink_pnic(const struct dvs_bridge *br, const char *name)
{
    for (size_t i = 0; i < br->n_uplinks; i++) {
        if (!strcmp(br->uplinks[i].name, name)) {
            return br->uplinks[i].pnic;
        }
    }
    return NULL;
}

/* Returns the LAG of 'br' that uplink 'uplink' is a port of, or NULL. */
const struct dvs_lag *
dvs_bridge_find_lag_of_uplink(const struct dvs_bridge *br, const char *uplink)
{
    for (size_t i = 0; i < br->n_lags; i++) {
        for (size_t j = 0; j < br->lags[i].n_uplinks; j++) {
            if (!strcmp(br->lags[i].uplinks[j], uplink)) {
                return &br->lags[i];
            }
        }
    }
    return NULL;
}

/* Returns the name of the OVS bond port of LAG 'lag' on bridge 'bridge',
 * to free: "BRIDGE-LAG", unique on the host. */
char *
dvs_lag_port_name(const char *bridge, const char *lag)
{
    return xasprintf("%s-%s", bridge, lag);
}
