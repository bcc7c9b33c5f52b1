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
#include "agent/mirrors.h"

#include <stdlib.h>
#include <string.h>
#include "agent/ovs-reconcile.h"
#include "lib/dvs-state.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "proto/dvs.pb-c.h"
#include "simap.h"
#include "smap.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(mirrors);

char *
mirrors_out_port_name(const char *bridge, const char *mirror)
{
    return xasprintf("%s-mo-%s", bridge, mirror);
}

char *
mirrors_in_port_name(const char *bridge, const char *mirror)
{
    return xasprintf("%s-mi-%s", bridge, mirror);
}

char *
mirrors_tunnel_port_name(const char *bridge, const char *type)
{
    return xasprintf("%s-%s", bridge, type);
}

void
mirrors_register_columns(struct ovsdb_idl *idl)
{
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_mirrors);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_external_ids);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_select_src_port);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_select_dst_port);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_output_port);
    ovsdb_idl_add_column(idl, &ovsrec_mirror_col_statistics);
}

static bool
mirror_is_owned(const struct ovsrec_mirror *m)
{
    const char *owner = smap_get(&m->external_ids, DVS_OWNER_KEY);
    return owner && !strcmp(owner, DVS_OWNER_VALUE);
}

/* Fills 'ports' with the ports of 'br' whose VM interface is bound to a
 * port of the switch (external_ids:iface-id), by that port's name. */
static void
bound_ports(const struct ovsrec_bridge *br, struct shash *ports)
{
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];

        for (size_t j = 0; j < port->n_interfaces; j++) {
            const char *id = smap_get(&port->interfaces[j]->external_ids,
                                      "iface-id");
            if (id) {
                shash_add_once(ports, id, port);
            }
        }
    }
}

/* Returns the rows of the ports named by 'names' that 'bound' has, in a
 * new array, and their number in '*n'. */
static struct ovsrec_port **
select_ports(const struct svec *names, const struct shash *bound, size_t *n)
{
    struct ovsrec_port **ports = xmalloc((names->n + 1) * sizeof *ports);

    *n = 0;
    for (size_t i = 0; i < names->n; i++) {
        struct ovsrec_port *port = shash_find_data(bound, names->names[i]);
        if (port) {
            ports[(*n)++] = port;
        }
    }
    return ports;
}

/* Whether the rows 'a' and 'b' are the same set. */
static bool
same_ports(struct ovsrec_port **a, size_t n_a, struct ovsrec_port **b,
           size_t n_b)
{
    if (n_a != n_b) {
        return false;
    }
    for (size_t i = 0; i < n_a; i++) {
        bool found = false;
        for (size_t j = 0; !found && j < n_b; j++) {
            found = a[i] == b[j];
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

void
mirrors_reconcile(const struct ovsrec_bridge *br,
                  const struct dvs_bridge *dbr,
                  const struct shash *port_rows,
                  struct ovsdb_idl_txn *(*get_txn)(void *aux), void *aux)
{
    struct shash bound = SHASH_INITIALIZER(&bound);
    struct shash existing = SHASH_INITIALIZER(&existing);

    bound_ports(br, &bound);

    /* Owned mirrors that are not wanted go; duplicates too. */
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct ovsrec_mirror *m = br->mirrors[i];
        const char *slash = strchr(m->name, '/');

        if (!mirror_is_owned(m)) {
            continue;
        }
        if (!dbr || !slash || !dvs_bridge_find_mirror(dbr, slash + 1)
            || strncmp(m->name, br->name, slash - m->name)
            || !shash_add_once(&existing, slash + 1, m)) {
            VLOG_INFO("%s: deleting mirror %s", br->name, m->name);
            get_txn(aux);
            ovsrec_bridge_update_mirrors_delvalue(br, m);
        }
    }

    for (size_t i = 0; dbr && i < dbr->n_mirrors; i++) {
        const struct dvs_mirror *dm = &dbr->mirrors[i];
        const struct ovsrec_mirror *m = shash_find_data(&existing, dm->name);
        char *out_name = mirrors_out_port_name(br->name, dm->name);
        const struct ovsrec_port *out = shash_find_data(port_rows, out_name);
        struct ovsrec_port **src, **dst;
        size_t n_src, n_dst;

        free(out_name);
        if (!out) {
            /* Made in this pass: the Mirror follows in the next. */
            continue;
        }
        src = select_ports(&dm->select_src, &bound, &n_src);
        dst = select_ports(&dm->select_dst, &bound, &n_dst);
        if (!m) {
            struct smap ids = SMAP_INITIALIZER(&ids);
            char *name = xasprintf("%s/%s", br->name, dm->name);
            struct ovsrec_mirror *row = ovsrec_mirror_insert(get_txn(aux));

            ovsrec_mirror_set_name(row, name);
            smap_add(&ids, DVS_OWNER_KEY, DVS_OWNER_VALUE);
            ovsrec_mirror_set_external_ids(row, &ids);
            smap_destroy(&ids);
            ovsrec_bridge_update_mirrors_addvalue(br, row);
            VLOG_INFO("%s: adding mirror %s", br->name, name);
            free(name);
            m = row;
        }
        if (!same_ports(src, n_src, m->select_src_port,
                        m->n_select_src_port)) {
            get_txn(aux);
            ovsrec_mirror_set_select_src_port(m, src, n_src);
        }
        if (!same_ports(dst, n_dst, m->select_dst_port,
                        m->n_select_dst_port)) {
            get_txn(aux);
            ovsrec_mirror_set_select_dst_port(m, dst, n_dst);
        }
        if (m->output_port != out) {
            get_txn(aux);
            ovsrec_mirror_set_output_port(m, out);
        }
        free(src);
        free(dst);
    }
    shash_destroy(&bound);
    shash_destroy(&existing);
}

static void
put_port(const char *symbol, const char *bridge, const char *iface,
         long long int (*ofport_of)(const void *, const char *,
                                    const char *),
         const void *aux, struct simap *ports)
{
    long long int ofport = ofport_of(aux, bridge, iface);

    if (ofport > 0) {
        simap_put(ports, symbol, ofport);
    }
}

void
mirrors_get_ports(const struct dvs_bridge *dbr,
                  long long int (*ofport_of)(const void *, const char *,
                                             const char *),
                  const void *aux, struct simap *ports)
{
    for (size_t i = 0; i < dbr->n_mirrors; i++) {
        const struct dvs_mirror *m = &dbr->mirrors[i];
        char *symbol = xasprintf("mirror:%s", m->name);
        char *iface = mirrors_in_port_name(dbr->name, m->name);

        put_port(symbol, dbr->name, iface, ofport_of, aux, ports);
        free(symbol);
        free(iface);
        if (m->tunnel) {
            iface = mirrors_tunnel_port_name(dbr->name, m->tunnel);
            put_port(m->tunnel, dbr->name, iface, ofport_of, aux, ports);
            free(iface);
        }
    }
}

static uint64_t
get_counter(const struct ovsrec_mirror *m, const char *key)
{
    for (size_t i = 0; i < m->n_statistics; i++) {
        if (!strcmp(m->key_statistics[i], key)) {
            return m->value_statistics[i];
        }
    }
    return 0;
}

bool
mirrors_get_statistics(struct ovsdb_idl *idl, Dvs__MirrorStatistics *msg)
{
    const struct ovsrec_mirror *m;
    size_t n = 0;

    dvs__mirror_statistics__init(msg);
    OVSREC_MIRROR_FOR_EACH (m, idl) {
        n += mirror_is_owned(m) && strchr(m->name, '/');
    }
    if (!n) {
        return false;
    }
    msg->mirrors = xmalloc(n * sizeof *msg->mirrors);
    OVSREC_MIRROR_FOR_EACH (m, idl) {
        const char *slash = strchr(m->name, '/');

        if (mirror_is_owned(m) && slash) {
            Dvs__MirrorCounters *c = xmalloc(sizeof *c);

            dvs__mirror_counters__init(c);
            c->bridge = xmemdup0(m->name, slash - m->name);
            c->name = xstrdup(slash + 1);
            c->has_tx_packets = c->has_tx_bytes = true;
            c->tx_packets = get_counter(m, "tx_packets");
            c->tx_bytes = get_counter(m, "tx_bytes");
            msg->mirrors[msg->n_mirrors++] = c;
        }
    }
    return true;
}

void
mirrors_statistics_free(Dvs__MirrorStatistics *msg)
{
    for (size_t i = 0; i < msg->n_mirrors; i++) {
        free(msg->mirrors[i]->bridge);
        free(msg->mirrors[i]->name);
        free(msg->mirrors[i]);
    }
    free(msg->mirrors);
}
