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

/* Port rows by name, MAC and portgroup.
 *
 * One dvs-ctl call may add thousands of ports ("port-add" once per port):
 * each checks that its name is free, that its MAC is unique in its switch
 * and that its portgroup has room.  Scanning the Port table for each would
 * make the call quadratic in the number of ports.  The IDL's indexes hold
 * the rows of the call's own transaction too, so that a port added by an
 * earlier command of the call is seen by the next ones. */

#include <config.h>

#include "lib/dvs-idl.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "utilities/dvs-ctl.h"

static struct ovsdb_idl_index *by_name;
static struct ovsdb_idl_index *by_mac;
static struct ovsdb_idl_index *by_portgroup;

/* Creates the 'indexes' (DVS_CTL_BY_*), once the Port table's name, mac
 * and portgroup columns are replicated (dvs_ctl_replica_done()). */
void
dvs_ctl_index_create(struct ovsdb_idl *idl, unsigned int indexes)
{
    if (indexes & DVS_CTL_BY_NAME) {
        by_name = ovsdb_idl_index_create1(idl, &dvsrec_port_col_name);
    }
    if (indexes & DVS_CTL_BY_MAC) {
        by_mac = ovsdb_idl_index_create1(idl, &dvsrec_port_col_mac);
    }
    if (indexes & DVS_CTL_BY_PORTGROUP) {
        by_portgroup = ovsdb_idl_index_create1(idl,
                                               &dvsrec_port_col_portgroup);
    }
}

const struct dvsrec_port *
dvs_ctl_index_port(const char *name)
{
    ovs_assert(by_name);

    struct dvsrec_port *key = dvsrec_port_index_init_row(by_name);
    dvsrec_port_index_set_name(key, name);
    const struct dvsrec_port *port = dvsrec_port_index_find(by_name, key);
    dvsrec_port_index_destroy_row(key);
    return port;
}

/* Returns a port other than 'port' whose MAC is 'port''s, in switch 'sw',
 * or NULL. */
const struct dvsrec_port *
dvs_ctl_index_same_mac(const struct dvsrec_port *port,
                       const struct dvsrec_switch *sw)
{
    const struct dvsrec_port *other, *found = NULL;

    ovs_assert(by_mac);

    struct dvsrec_port *key = dvsrec_port_index_init_row(by_mac);
    dvsrec_port_index_set_mac(key, port->mac);
    DVSREC_PORT_FOR_EACH_EQUAL (other, key, by_mac) {
        if (other != port && other->portgroup
            && other->portgroup->switch_ == sw) {
            found = other;
            break;
        }
    }
    dvsrec_port_index_destroy_row(key);
    return found;
}

/* Returns the ports of 'pg' in a new array of '*n' elements, which the
 * caller frees. */
const struct dvsrec_port **
dvs_ctl_index_ports_of(const struct dvsrec_portgroup *pg, size_t *n)
{
    const struct dvsrec_port **ports = NULL;
    const struct dvsrec_port *port;
    size_t allocated = 0;

    ovs_assert(by_portgroup);

    *n = 0;
    struct dvsrec_port *key = dvsrec_port_index_init_row(by_portgroup);
    dvsrec_port_index_set_portgroup(key, pg);
    DVSREC_PORT_FOR_EACH_EQUAL (port, key, by_portgroup) {
        if (port->portgroup == pg) {
            if (*n >= allocated) {
                ports = x2nrealloc(ports, &allocated, sizeof *ports);
            }
            ports[(*n)++] = port;
        }
    }
    dvsrec_port_index_destroy_row(key);
    return ports;
}

size_t
dvs_ctl_index_count_ports(const struct dvsrec_portgroup *pg)
{
    size_t n;

    free(dvs_ctl_index_ports_of(pg, &n));
    return n;
}
