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
#include "lib/dvs-mirror.h"

#include <string.h>
#include "lib/dvs-idl.h"
#include "openvswitch/dynamic-string.h"
#include "sset.h"
#include "util.h"

bool
dvs_mirror_name_is_valid(const char *name)
{
    size_t len = strlen(name);

    return (len >= 1 && len <= 32
            && strspn(name, "abcdefghijklmnopqrstuvwxyz"
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == len);
}

enum dvs_mirror_type
dvs_mirror_get_type(const struct dvsrec_mirror_session *s)
{
    const char *t = s->session_type;

    return (!t || !strcmp(t, "dvPortMirror") ? DVS_MIRROR_DVPORT
            : !strcmp(t, "mixedDestMirror") ? DVS_MIRROR_MIXED
            : !strcmp(t, "remoteMirrorSource") ? DVS_MIRROR_RSPAN_SOURCE
            : !strcmp(t, "remoteMirrorDest") ? DVS_MIRROR_RSPAN_DEST
            : DVS_MIRROR_ENCAP_SOURCE);
}

bool
dvs_mirror_is_enabled(const struct dvsrec_mirror_session *s)
{
    return !s->n_enabled || s->enabled[0];
}

/* Adds to 'hosts' the hosts where the ports 'ports' are bound. */
static void
get_hosts(struct dvsrec_port **ports, size_t n, dvs_mirror_host_func *host_of,
          void *aux, struct sset *hosts)
{
    for (size_t i = 0; i < n; i++) {
        const char *host = host_of(ports[i], aux);
        if (host) {
            sset_add(hosts, host);
        }
    }
}

/* Appends to 's' "HOST: PORT, PORT" for each host of 'ports'. */
static void
put_ports_by_host(struct dvsrec_port **ports, size_t n,
                  dvs_mirror_host_func *host_of, void *aux, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        const char *host = host_of(ports[i], aux);

        ds_put_format(s, "%s%s on %s", i ? ", " : "", ports[i]->name,
                      host ? host : "no host");
    }
}

char *
dvs_mirror_inactive_reason(const struct dvsrec_mirror_session *s,
                           dvs_mirror_host_func *host_of, void *aux)
{
    struct sset src = SSET_INITIALIZER(&src);
    struct sset dst = SSET_INITIALIZER(&dst);
    enum dvs_mirror_type type = dvs_mirror_get_type(s);
    char *reason = NULL;

    if (!dvs_mirror_is_enabled(s)) {
        return xstrdup("disabled");
    }
    get_hosts(s->source_rx, s->n_source_rx, host_of, aux, &src);
    get_hosts(s->source_tx, s->n_source_tx, host_of, aux, &src);
    get_hosts(s->dest_ports, s->n_dest_ports, host_of, aux, &dst);

    if (type == DVS_MIRROR_RSPAN_DEST) {
        if (sset_is_empty(&dst)) {
            reason = xstrdup("no destination port is bound to a host");
        }
    } else if (sset_is_empty(&src)) {
        reason = xstrdup("no source port is bound to a host");
    } else if (type == DVS_MIRROR_DVPORT
               || (type == DVS_MIRROR_MIXED && !s->n_dest_uplinks)) {
        const char *host;
        bool shared = false;

        SSET_FOR_EACH (host, &src) {
            shared = shared || sset_contains(&dst, host);
        }
        if (!shared) {
            struct ds d = DS_EMPTY_INITIALIZER;

            ds_put_cstr(&d, "source and destination ports are on different "
                        "hosts (");
            put_ports_by_host(s->source_rx, s->n_source_rx, host_of, aux,
                              &d);
            if (s->n_source_rx && s->n_source_tx) {
                ds_put_cstr(&d, ", ");
            }
            put_ports_by_host(s->source_tx, s->n_source_tx, host_of, aux,
                              &d);
            ds_put_cstr(&d, "; destination ");
            put_ports_by_host(s->dest_ports, s->n_dest_ports, host_of, aux,
                              &d);
            ds_put_cstr(&d, "): a port mirroring session between ports "
                        "mirrors only on one host");
            reason = ds_steal_cstr(&d);
        }
    }
    sset_destroy(&src);
    sset_destroy(&dst);
    return reason;
}

void
dvs_mirror_get_exclusive_dests(struct ovsdb_idl *idl, struct sset *names)
{
    const struct dvsrec_mirror_session *s;

    DVSREC_MIRROR_SESSION_FOR_EACH (s, idl) {
        if (dvs_mirror_is_enabled(s)
            && !(s->n_normal_traffic_allowed
                 && s->normal_traffic_allowed[0])) {
            for (size_t i = 0; i < s->n_dest_ports; i++) {
                sset_add(names, s->dest_ports[i]->name);
            }
        }
    }
}
