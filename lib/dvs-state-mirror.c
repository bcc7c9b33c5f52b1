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

/* The monitoring side of a bridge in the desired host state: its port
 * mirroring sessions and its IPFIX exporter, and their wire form
 * (proto/dvs.proto's MirrorSpec and IpfixSpec).  The functions named
 * dvs_bridge_mirrors_*() handle both. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-state.h"
#include "lib/dvs-mirror.h"
#include "openvswitch/dynamic-string.h"
#include "proto/dvs.pb-c.h"
#include "util.h"

static bool
nullable_equal(const char *a, const char *b)
{
    return a ? b && !strcmp(a, b) : !b;
}

static void
mirror_destroy(struct dvs_mirror *m)
{
    free(m->name);
    svec_destroy(&m->select_src);
    svec_destroy(&m->select_dst);
    free(m->tunnel);
}

struct dvs_mirror *
dvs_bridge_add_mirror(struct dvs_bridge *br, const char *name)
{
    size_t i = 0;

    while (i < br->n_mirrors && strcmp(br->mirrors[i].name, name) < 0) {
        i++;
    }
    br->mirrors = xrealloc(br->mirrors,
                           (br->n_mirrors + 1) * sizeof *br->mirrors);
    memmove(&br->mirrors[i + 1], &br->mirrors[i],
            (br->n_mirrors - i) * sizeof *br->mirrors);
    br->n_mirrors++;

    struct dvs_mirror *m = &br->mirrors[i];
    memset(m, 0, sizeof *m);
    m->name = xstrdup(name);
    svec_init(&m->select_src);
    svec_init(&m->select_dst);
    return m;
}

const struct dvs_mirror *
dvs_bridge_find_mirror(const struct dvs_bridge *br, const char *name)
{
    for (size_t i = 0; i < br->n_mirrors; i++) {
        if (!strcmp(br->mirrors[i].name, name)) {
            return &br->mirrors[i];
        }
    }
    return NULL;
}

/* Sets the IPFIX export of 'br' to a copy of 'ipfix', or to none. */
void
dvs_bridge_set_ipfix(struct dvs_bridge *br, const struct dvs_ipfix *ipfix)
{
    if (br->ipfix) {
        free(br->ipfix->target);
        free(br->ipfix);
        br->ipfix = NULL;
    }
    if (ipfix) {
        br->ipfix = xmemdup(ipfix, sizeof *ipfix);
        br->ipfix->target = xstrdup(ipfix->target);
    }
}

static bool
ipfix_equal(const struct dvs_ipfix *a, const struct dvs_ipfix *b)
{
    return (a && b
            ? (!strcmp(a->target, b->target)
               && a->collector_set_id == b->collector_set_id
               && a->obs_domain_id == b->obs_domain_id
               && a->active_timeout == b->active_timeout
               && a->cache_max_flows == b->cache_max_flows)
            : !a && !b);
}

void
dvs_bridge_clear_mirrors(struct dvs_bridge *br)
{
    dvs_bridge_set_ipfix(br, NULL);
    for (size_t i = 0; i < br->n_mirrors; i++) {
        mirror_destroy(&br->mirrors[i]);
    }
    free(br->mirrors);
    br->mirrors = NULL;
    br->n_mirrors = 0;
}

bool
dvs_bridge_mirrors_equal(const struct dvs_bridge *a,
                         const struct dvs_bridge *b)
{
    if (a->n_mirrors != b->n_mirrors || !ipfix_equal(a->ipfix, b->ipfix)) {
        return false;
    }
    for (size_t i = 0; i < a->n_mirrors; i++) {
        const struct dvs_mirror *x = &a->mirrors[i], *y = &b->mirrors[i];

        if (strcmp(x->name, y->name)
            || !svec_equal(&x->select_src, &y->select_src)
            || !svec_equal(&x->select_dst, &y->select_dst)
            || !nullable_equal(x->tunnel, y->tunnel)) {
            return false;
        }
    }
    return true;
}

void
dvs_bridge_clone_mirrors(struct dvs_bridge *dst, const struct dvs_bridge *src)
{
    dvs_bridge_clear_mirrors(dst);
    dvs_bridge_set_ipfix(dst, src->ipfix);
    for (size_t i = 0; i < src->n_mirrors; i++) {
        const struct dvs_mirror *s = &src->mirrors[i];
        struct dvs_mirror *m = dvs_bridge_add_mirror(dst, s->name);

        svec_append(&m->select_src, &s->select_src);
        svec_append(&m->select_dst, &s->select_dst);
        m->tunnel = nullable_xstrdup(s->tunnel);
    }
}

static char **
svec_to_array(const struct svec *v)
{
    char **a = xmalloc((v->n ? v->n : 1) * sizeof *a);

    for (size_t i = 0; i < v->n; i++) {
        a[i] = xstrdup(v->names[i]);
    }
    return a;
}

void
dvs_bridge_mirrors_to_msg(const struct dvs_bridge *br, Dvs__Bridge *msg)
{
    if (br->ipfix) {
        const struct dvs_ipfix *ipfix = br->ipfix;

        msg->ipfix = xmalloc(sizeof *msg->ipfix);
        dvs__ipfix_spec__init(msg->ipfix);
        msg->ipfix->target = xstrdup(ipfix->target);
        msg->ipfix->has_collector_set_id = true;
        msg->ipfix->collector_set_id = ipfix->collector_set_id;
        msg->ipfix->has_obs_domain_id = true;
        msg->ipfix->obs_domain_id = ipfix->obs_domain_id;
        msg->ipfix->has_active_timeout = true;
        msg->ipfix->active_timeout = ipfix->active_timeout;
        msg->ipfix->has_cache_max_flows = true;
        msg->ipfix->cache_max_flows = ipfix->cache_max_flows;
    }
    if (!br->n_mirrors) {
        return;
    }
    msg->n_mirrors = br->n_mirrors;
    msg->mirrors = xmalloc(br->n_mirrors * sizeof *msg->mirrors);
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct dvs_mirror *m = &br->mirrors[i];
        Dvs__MirrorSpec *spec = xmalloc(sizeof *spec);

        dvs__mirror_spec__init(spec);
        spec->name = xstrdup(m->name);
        spec->n_select_src = m->select_src.n;
        spec->select_src = svec_to_array(&m->select_src);
        spec->n_select_dst = m->select_dst.n;
        spec->select_dst = svec_to_array(&m->select_dst);
        spec->tunnel = nullable_xstrdup(m->tunnel);
        msg->mirrors[i] = spec;
    }
}

static bool
names_ok(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !names[i][0]) {
            return false;
        }
    }
    return true;
}

/* Checks the mirrors of bridge message 'msg': names nonempty and unique,
 * port names nonempty, a known tunnel type.  Returns NULL or a malloc()'d
 * error. */
char *
dvs_bridge_mirrors_check_msg(const Dvs__Bridge *msg)
{
    if (msg->ipfix && (!msg->ipfix->target || !msg->ipfix->target[0])) {
        return xasprintf("bridge \"%s\": IPFIX without a target",
                         msg->name);
    }
    for (size_t i = 0; i < msg->n_mirrors; i++) {
        const Dvs__MirrorSpec *m = msg->mirrors[i];

        if (!m->name || !dvs_mirror_name_is_valid(m->name)) {
            return xasprintf("bridge \"%s\": mirror %"PRIuSIZE" has an "
                             "invalid name (1 to 32 letters, digits, '-', "
                             "'_' or '.')", msg->name, i + 1);
        }
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(msg->mirrors[j]->name, m->name)) {
                return xasprintf("bridge \"%s\": mirror \"%s\" appears "
                                 "twice", msg->name, m->name);
            }
        }
        if (!names_ok(m->select_src, m->n_select_src)
            || !names_ok(m->select_dst, m->n_select_dst)) {
            return xasprintf("bridge \"%s\": mirror \"%s\" selects a port "
                             "with an empty name", msg->name, m->name);
        }
        if (m->tunnel && strcmp(m->tunnel, "erspan")
            && strcmp(m->tunnel, "gre")) {
            return xasprintf("bridge \"%s\": mirror \"%s\": unknown tunnel "
                             "type \"%s\" (erspan or gre)", msg->name,
                             m->name, m->tunnel);
        }
    }
    return NULL;
}

void
dvs_bridge_mirrors_from_msg(struct dvs_bridge *br, const Dvs__Bridge *msg)
{
    dvs_bridge_clear_mirrors(br);
    if (msg->ipfix) {
        const Dvs__IpfixSpec *m = msg->ipfix;
        struct dvs_ipfix ipfix = {
            .target = m->target,
            .collector_set_id = m->collector_set_id,
            .obs_domain_id = m->obs_domain_id,
            .active_timeout = m->active_timeout,
            .cache_max_flows = m->cache_max_flows,
        };
        dvs_bridge_set_ipfix(br, &ipfix);
    }
    for (size_t i = 0; i < msg->n_mirrors; i++) {
        const Dvs__MirrorSpec *spec = msg->mirrors[i];
        struct dvs_mirror *m = dvs_bridge_add_mirror(br, spec->name);

        for (size_t j = 0; j < spec->n_select_src; j++) {
            svec_add(&m->select_src, spec->select_src[j]);
        }
        for (size_t j = 0; j < spec->n_select_dst; j++) {
            svec_add(&m->select_dst, spec->select_dst[j]);
        }
        m->tunnel = nullable_xstrdup(spec->tunnel);
    }
}

static void
format_names(const char *what, const struct svec *v, struct ds *s)
{
    if (v->n) {
        ds_put_format(s, " %s=", what);
        for (size_t i = 0; i < v->n; i++) {
            ds_put_format(s, "%s%s", i ? "," : "", v->names[i]);
        }
    }
}

/* Appends one line per mirror of 'br' to 's', indented by two spaces. */
void
dvs_bridge_mirrors_format(const struct dvs_bridge *br, struct ds *s)
{
    if (br->ipfix) {
        const struct dvs_ipfix *ipfix = br->ipfix;
        ds_put_format(s, "  ipfix: target=%s collector_set_id=%"PRIu32
                      " obs_domain_id=%"PRIu32" active_timeout=%"PRIu32
                      " cache_max_flows=%"PRIu32"\n", ipfix->target,
                      ipfix->collector_set_id, ipfix->obs_domain_id,
                      ipfix->active_timeout, ipfix->cache_max_flows);
    }
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct dvs_mirror *m = &br->mirrors[i];

        ds_put_format(s, "  mirror %s:", m->name);
        format_names("select_src", &m->select_src, s);
        format_names("select_dst", &m->select_dst, s);
        if (m->tunnel) {
            ds_put_format(s, " tunnel=%s", m->tunnel);
        }
        ds_put_char(s, '\n');
    }
}
