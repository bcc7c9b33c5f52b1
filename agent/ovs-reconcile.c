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
#include "agent/ovs-reconcile.h"
#include "agent/ipfix.h"
#include "agent/mirrors.h"

#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "lib/dvs-lag.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(ovs_reconcile);

COVERAGE_DEFINE(reconcile_pass);
COVERAGE_DEFINE(reconcile_txn);

/* After a transaction fails (other than because the database changed under
 * it), wait this long before trying again, unless something changes. */
#define RETRY_MSEC 5000

/* Longest name of a bridge or NIC: a Linux interface name (IFNAMSIZ - 1). */
#define MAX_NAME_LEN 15

/* The OpenFlow versions an agent bridge accepts.  The agent speaks
 * OpenFlow 1.5 on the bridge's management socket; the others are for
 * people with ovs-ofctl. */
static const char *bridge_protocols[] = {
    "OpenFlow10", "OpenFlow11", "OpenFlow12",
    "OpenFlow13", "OpenFlow14", "OpenFlow15",
};

struct ovs_reconcile {
    struct ovsdb_idl *idl;
    char *remote;
    char *datapath_type;

    struct ovsdb_idl_txn *txn;  /* Transaction in flight, or NULL. */

    /* When the last pass ran, to skip passes when nothing changed. */
    unsigned int pass_idl_seqno;
    uint64_t pass_desired_seqno;
    bool pass_done;

    uint64_t applied_seqno;     /* Last desired state found in place. */
    long long int retry_at;     /* LLONG_MAX: no retry pending. */
    char *txn_error;            /* Why the last transaction failed. */
    struct ds problems;         /* What the last pass could not do. */
};

/* Kinds of ports the agent makes. */
enum port_kind {
    PORT_LOCAL,                 /* The bridge's internal port. */
    PORT_UPLINK,                /* A NIC. */
    PORT_VXLAN,                 /* The VXLAN tunnel port. */
    PORT_ERSPAN,                /* Flow-based tunnel ports for mirrors. */
    PORT_GRE,
    PORT_PATCH,                 /* A mirror's patch port. */
    PORT_BOND,                  /* A LAG: a bond of NICs with LACP. */
};

struct desired_port {
    const char *bridge;
    enum port_kind kind;
    uint32_t mtu;               /* mtu_request of its interface, or 0. */
    char *peer;                 /* PORT_PATCH: its peer. */
    const struct dvs_bridge *br;    /* PORT_BOND: its bridge... */
    const struct dvs_lag *lag;      /* ...and LAG. */
};

bool
ovs_reconcile_bridge_is_owned(const struct ovsrec_bridge *br)
{
    const char *owner = smap_get(&br->external_ids, DVS_OWNER_KEY);
    return owner && !strcmp(owner, DVS_OWNER_VALUE);
}

static bool
port_is_owned(const struct ovsrec_port *port)
{
    const char *owner = smap_get(&port->external_ids, DVS_OWNER_KEY);
    return owner && !strcmp(owner, DVS_OWNER_VALUE);
}

/* Returns the name of the VXLAN port of 'bridge', to free. */
char *
ovs_reconcile_vxlan_port_name(const char *bridge)
{
    return xasprintf("%s-vxlan", bridge);
}

struct ovs_reconcile *
ovs_reconcile_create(const char *remote, const char *datapath_type)
{
    struct ovs_reconcile *rec = xzalloc(sizeof *rec);

    rec->idl = ovsdb_idl_create(remote, &ovsrec_idl_class, false, true);
    ovsdb_idl_add_column(rec->idl, &ovsrec_open_vswitch_col_bridges);

    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_ports);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_fail_mode);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_other_config);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_protocols);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_external_ids);
    ovsdb_idl_add_column(rec->idl, &ovsrec_bridge_col_datapath_type);

    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_interfaces);
    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_external_ids);
    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_lacp);
    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_bond_mode);
    ovsdb_idl_add_column(rec->idl, &ovsrec_port_col_other_config);

    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_options);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_external_ids);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_mac_in_use);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_link_state);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_mtu_request);
    ovsdb_idl_add_column(rec->idl, &ovsrec_interface_col_lacp_current);
    mirrors_register_columns(rec->idl);
    ipfix_register_columns(rec->idl);

    rec->remote = xstrdup(remote);
    rec->datapath_type = xstrdup(datapath_type ? datapath_type : "");
    rec->retry_at = LLONG_MAX;
    ds_init(&rec->problems);
    return rec;
}

void
ovs_reconcile_destroy(struct ovs_reconcile *rec)
{
    if (rec) {
        if (rec->txn) {
            ovsdb_idl_txn_destroy(rec->txn);
        }
        ovsdb_idl_destroy(rec->idl);
        free(rec->remote);
        free(rec->datapath_type);
        free(rec->txn_error);
        ds_destroy(&rec->problems);
        free(rec);
    }
}

struct ovsdb_idl *
ovs_reconcile_get_idl(const struct ovs_reconcile *rec)
{
    return rec->idl;
}

/* Returns true once the agent has a copy of the database's contents (it
 * keeps it when the connection drops). */
bool
ovs_reconcile_has_data(const struct ovs_reconcile *rec)
{
    return ovsdb_idl_has_ever_connected(rec->idl);
}

/* Returns the seqno of the last desired state that the database was found
 * to match (0 if none). */
uint64_t
ovs_reconcile_applied_seqno(const struct ovs_reconcile *rec)
{
    return rec->applied_seqno;
}

/* Adds to 'names' the name of every bridge that dvs-agent owns. */
void
ovs_reconcile_get_owned_bridges(const struct ovs_reconcile *rec,
                                struct sset *names)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, rec->idl) {
        if (ovs_reconcile_bridge_is_owned(br)) {
            sset_add(names, br->name);
        }
    }
}

/* Returns the OpenFlow port number of interface 'iface' on the owned bridge
 * 'bridge', or 0 if there is no such interface or it has no port number
 * yet. */
/* The interface 'iface' of owned bridge 'bridge', or NULL. */
static const struct ovsrec_interface *
find_owned_iface(const struct ovs_reconcile *rec, const char *bridge,
                 const char *iface)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, rec->idl) {
        if (strcmp(br->name, bridge) || !ovs_reconcile_bridge_is_owned(br)) {
            continue;
        }
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];

            for (size_t j = 0; j < port->n_interfaces; j++) {
                const struct ovsrec_interface *ifc = port->interfaces[j];

                if (!strcmp(ifc->name, iface)) {
                    return ifc;
                }
            }
        }
    }
    return NULL;
}

/* Returns interface 'iface' of owned bridge 'bridge', or NULL. */
const struct ovsrec_interface *
ovs_reconcile_find_iface(const struct ovs_reconcile *rec, const char *bridge,
                         const char *iface)
{
    return find_owned_iface(rec, bridge, iface);
}

int64_t
ovs_reconcile_get_ofport(const struct ovs_reconcile *rec, const char *bridge,
                         const char *iface)
{
    const struct ovsrec_interface *ifc = find_owned_iface(rec, bridge, iface);

    return ifc && ifc->n_ofport && ifc->ofport[0] > 0 ? ifc->ofport[0] : 0;
}

/* Stores in '*mac' the Ethernet address of interface 'iface' of owned bridge
 * 'bridge' (Interface.mac_in_use) and returns true, or returns false if it
 * is not known. */
bool
ovs_reconcile_get_mac(const struct ovs_reconcile *rec, const char *bridge,
                      const char *iface, struct eth_addr *mac)
{
    const struct ovsrec_interface *ifc = find_owned_iface(rec, bridge, iface);

    return (ifc && ifc->mac_in_use && eth_addr_from_string(ifc->mac_in_use,
                                                           mac));
}

static bool
valid_name(const char *name)
{
    size_t len = strlen(name);

    return (len > 0 && len <= MAX_NAME_LEN
            && strcspn(name, "/ \t\n") == len
            && strcmp(name, ".") && strcmp(name, ".."));
}

/* Checks what in 'state' the database side cannot do: names that cannot be
 * interface names and NICs claimed twice.  Returns NULL or a malloc()'d
 * message. */
char *
ovs_reconcile_check_state(const struct dvs_host_state *state)
{
    const struct dvs_bridge *br;
    struct shash ports = SHASH_INITIALIZER(&ports);
    char *error = NULL;

    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        if (!valid_name(br->name)) {
            error = xasprintf("bridge \"%s\": not a valid bridge name (1 to "
                              "%d characters, no '/' or spaces)",
                              br->name, MAX_NAME_LEN);
            goto out;
        }
        if (!shash_add_once(&ports, br->name, br->name)) {
            error = xasprintf("bridge \"%s\": its name is also a NIC of "
                              "bridge \"%s\"", br->name,
                              (char *) shash_find_data(&ports, br->name));
            goto out;
        }
    }
    DVS_HOST_STATE_FOR_EACH_BRIDGE (br, state) {
        char *vxlan = ovs_reconcile_vxlan_port_name(br->name);
        if (!shash_add_once(&ports, vxlan, br->name)) {
            error = xasprintf("bridge \"%s\": port name %s is taken",
                              br->name, vxlan);
            free(vxlan);
            goto out;
        }
        free(vxlan);
        for (size_t i = 0; i < br->n_lags; i++) {
            char *bond = dvs_lag_port_name(br->name, br->lags[i].name);
            if (!shash_add_once(&ports, bond, br->name)) {
                error = xasprintf("bridge \"%s\": port name %s is taken",
                                  br->name, bond);
                free(bond);
                goto out;
            }
            free(bond);
        }
        for (size_t i = 0; i < br->n_uplinks; i++) {
            const char *pnic = br->uplinks[i].pnic;
            const char *other;

            if (!valid_name(pnic)) {
                error = xasprintf("bridge \"%s\": uplink %s: \"%s\" is not "
                                  "a valid NIC name", br->name,
                                  br->uplinks[i].name, pnic);
                goto out;
            }
            other = shash_find_data(&ports, pnic);
            if (other) {
                error = xasprintf("bridge \"%s\": NIC %s is used twice "
                                  "(also by bridge \"%s\")", br->name, pnic,
                                  other);
                goto out;
            }
            shash_add(&ports, pnic, br->name);
        }
    }
out:
    shash_destroy(&ports);
    return error;
}

static struct ovsdb_idl_txn *
get_txn(struct ovs_reconcile *rec)
{
    if (!rec->txn) {
        rec->txn = ovsdb_idl_txn_create(rec->idl);
        ovsdb_idl_txn_add_comment(rec->txn,
                                  "dvs-agent: reconciling proxy switches");
    }
    return rec->txn;
}

static struct ovsdb_idl_txn *
get_txn_aux(void *rec)
{
    return get_txn(rec);
}

static void OVS_PRINTF_FORMAT(2, 3)
add_problem(struct ovs_reconcile *rec, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    ds_put_format_valist(&rec->problems, format, args);
    va_end(args);
    ds_put_char(&rec->problems, '\n');
}

static const struct ovsrec_interface *
find_port_iface(const struct ovsrec_port *port, const char *name)
{
    for (size_t i = 0; i < port->n_interfaces; i++) {
        if (!strcmp(port->interfaces[i]->name, name)) {
            return port->interfaces[i];
        }
    }
    return NULL;
}

/* Sets in 'options' the interface options that a port 'dp' needs. */
static void
set_port_options(const struct desired_port *dp, struct smap *options)
{
    if (dp->kind == PORT_VXLAN || dp->kind == PORT_ERSPAN
        || dp->kind == PORT_GRE) {
        smap_replace(options, "remote_ip", "flow");
        smap_replace(options, "key", "flow");
    }
    if (dp->kind == PORT_ERSPAN) {
        smap_replace(options, "erspan_ver", "flow");
    }
    if (dp->kind == PORT_PATCH) {
        smap_replace(options, "peer", dp->peer);
    }
}

static const char *
port_type(enum port_kind kind)
{
    return (kind == PORT_LOCAL ? "internal"
            : kind == PORT_VXLAN ? "vxlan"
            : kind == PORT_ERSPAN ? "erspan"
            : kind == PORT_GRE ? "gre"
            : kind == PORT_PATCH ? "patch"
            : "");
}

static const char *
port_kind_name(enum port_kind kind)
{
    return (kind == PORT_LOCAL ? "internal"
            : kind == PORT_UPLINK ? "uplink"
            : port_type(kind));
}

/* Sets the mtu_request of 'iface' to 'mtu', unless 'mtu' is 0 (the state
 * leaves it to the administrator) or it already is. */
static void
fix_mtu(struct ovs_reconcile *rec, const struct ovsrec_interface *iface,
        uint32_t mtu)
{
    int64_t request = mtu;

    if (mtu && (!iface->n_mtu_request || *iface->mtu_request != request)) {
        get_txn(rec);
        ovsrec_interface_set_mtu_request(iface, &request, 1);
    }
}

/* Makes an existing port 'port' what a port of 'kind' must be, touching
 * only the columns the agent is responsible for. */
static void
fix_port(struct ovs_reconcile *rec, const struct ovsrec_port *port,
         const struct desired_port *dp)
{
    enum port_kind kind = dp->kind;
    const struct ovsrec_interface *iface;

    if (!port_is_owned(port)) {
        ovsrec_port_update_external_ids_setkey(port, DVS_OWNER_KEY,
                                               DVS_OWNER_VALUE);
        get_txn(rec);
    }

    iface = find_port_iface(port, port->name);
    if (!iface) {
        add_problem(rec, "port %s has no interface %s", port->name,
                    port->name);
        return;
    }
    /* An uplink keeps whatever type its administrator gave it (a DPDK NIC
     * is "dpdk", for instance); the agent only creates it as a system
     * interface. */
    if (kind != PORT_UPLINK && strcmp(iface->type, port_type(kind))) {
        get_txn(rec);
        ovsrec_interface_set_type(iface, port_type(kind));
    }
    if (kind != PORT_LOCAL && kind != PORT_UPLINK) {
        struct smap options = SMAP_INITIALIZER(&options);
        struct smap_node *node;

        set_port_options(dp, &options);
        SMAP_FOR_EACH (node, &options) {
            const char *value = smap_get(&iface->options, node->key);

            if (!value || strcmp(value, node->value)) {
                get_txn(rec);
                ovsrec_interface_update_options_setkey(iface, node->key,
                                                       node->value);
            }
        }
        smap_destroy(&options);
    } else {
        /* The switch's MTU is the uplinks' and the bridge's. */
        fix_mtu(rec, iface, dp->mtu);
    }
}

static const struct ovsrec_port *
create_port(struct ovs_reconcile *rec, const char *name,
            const struct desired_port *dp)
{
    enum port_kind kind = dp->kind;
    uint32_t mtu = dp->mtu;
    struct ovsdb_idl_txn *txn = get_txn(rec);
    struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
    const struct ovsrec_port *port = ovsrec_port_insert(txn);
    struct smap ids = SMAP_INITIALIZER(&ids);

    ovsrec_interface_set_name(iface, name);
    ovsrec_interface_set_type(iface, port_type(kind));
    if (kind != PORT_LOCAL && kind != PORT_UPLINK) {
        struct smap options = SMAP_INITIALIZER(&options);
        set_port_options(dp, &options);
        ovsrec_interface_set_options(iface, &options);
        smap_destroy(&options);
    } else if (mtu) {
        int64_t request = mtu;
        ovsrec_interface_set_mtu_request(iface, &request, 1);
    }

    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, &iface, 1);
    smap_add(&ids, DVS_OWNER_KEY, DVS_OWNER_VALUE);
    ovsrec_port_set_external_ids(port, &ids);
    smap_destroy(&ids);

    VLOG_INFO("%s: adding port (%s)", name, port_kind_name(kind));
    return port;
}

/* LAGs: bond ports.  OVS negotiates LACP on them (Port lacp, other_config
 * lacp-time); with fallback=active-backup, lacp-fallback-ab keeps the
 * members usable when the partner does not speak LACP.  bond_mode matters
 * only to the NORMAL action, which the pipeline does not use; it is
 * active-backup, the mode the fallback falls back to. */


static void
bond_other_config(const struct dvs_lag *lag, struct smap *oc)
{
    smap_replace(oc, "lacp-time",
                 lag->timeout && !strcmp(lag->timeout, "fast")
                 ? "fast" : "slow");
    smap_replace(oc, "lacp-fallback-ab",
                 lag->fallback && !strcmp(lag->fallback, "none")
                 ? "false" : "true");
}

static const char *
bond_lacp(const struct dvs_lag *lag)
{
    return lag->mode && !strcmp(lag->mode, "active") ? "active" : "passive";
}

static struct ovsrec_interface *
create_bond_iface(struct ovs_reconcile *rec, const char *name, uint32_t mtu)
{
    struct ovsrec_interface *iface = ovsrec_interface_insert(get_txn(rec));

    ovsrec_interface_set_name(iface, name);
    if (mtu) {
        int64_t request = mtu;
        ovsrec_interface_set_mtu_request(iface, &request, 1);
    }
    return iface;
}

static const struct ovsrec_port *
create_bond_port(struct ovs_reconcile *rec, const char *name,
                 const struct desired_port *dp)
{
    struct ovsdb_idl_txn *txn = get_txn(rec);
    const struct ovsrec_port *port = ovsrec_port_insert(txn);
    struct ovsrec_interface **ifaces;
    struct smap ids = SMAP_INITIALIZER(&ids);
    struct smap oc = SMAP_INITIALIZER(&oc);
    size_t n = 0;

    ifaces = xmalloc((dp->lag->n_uplinks + 1) * sizeof *ifaces);
    for (size_t i = 0; i < dp->lag->n_uplinks; i++) {
        const char *pnic = dvs_bridge_uplink_pnic(dp->br,
                                                  dp->lag->uplinks[i]);
        if (pnic) {
            ifaces[n++] = create_bond_iface(rec, pnic, dp->mtu);
        }
    }
    ovsrec_port_set_name(port, name);
    ovsrec_port_set_interfaces(port, ifaces, n);
    ovsrec_port_set_lacp(port, bond_lacp(dp->lag));
    ovsrec_port_set_bond_mode(port, "active-backup");
    bond_other_config(dp->lag, &oc);
    ovsrec_port_set_other_config(port, &oc);
    smap_add(&ids, DVS_OWNER_KEY, DVS_OWNER_VALUE);
    ovsrec_port_set_external_ids(port, &ids);
    smap_destroy(&ids);
    smap_destroy(&oc);
    free(ifaces);

    VLOG_INFO("%s: adding port %s (LAG %s, LACP %s)", dp->bridge, name,
              dp->lag->name, bond_lacp(dp->lag));
    return port;
}

/* Makes existing bond port 'port' what LAG 'dp' says: its NICs, LACP mode
 * and timers; an administrator's other settings stay. */
static void
fix_bond_port(struct ovs_reconcile *rec, const struct ovsrec_port *port,
              const struct desired_port *dp)
{
    struct ovsrec_interface **ifaces;
    struct smap oc;
    size_t n = 0;
    bool same;

    if (!port_is_owned(port)) {
        get_txn(rec);
        ovsrec_port_update_external_ids_setkey(port, DVS_OWNER_KEY,
                                               DVS_OWNER_VALUE);
    }
    ifaces = xmalloc((dp->lag->n_uplinks + 1) * sizeof *ifaces);
    for (size_t i = 0; i < dp->lag->n_uplinks; i++) {
        const char *pnic = dvs_bridge_uplink_pnic(dp->br,
                                                  dp->lag->uplinks[i]);
        const struct ovsrec_interface *iface;

        if (!pnic) {
            continue;
        }
        iface = find_port_iface(port, pnic);
        if (iface) {
            fix_mtu(rec, iface, dp->mtu);
        }
        ifaces[n++] = (iface ? CONST_CAST(struct ovsrec_interface *, iface)
                       : create_bond_iface(rec, pnic, dp->mtu));
    }
    same = n == port->n_interfaces;
    for (size_t i = 0; same && i < n; i++) {
        same = find_port_iface(port, ifaces[i]->name) == ifaces[i];
    }
    if (!same) {
        get_txn(rec);
        ovsrec_port_set_interfaces(port, ifaces, n);
    }
    free(ifaces);

    if (!port->lacp || strcmp(port->lacp, bond_lacp(dp->lag))) {
        get_txn(rec);
        ovsrec_port_set_lacp(port, bond_lacp(dp->lag));
    }
    if (!port->bond_mode) {
        get_txn(rec);
        ovsrec_port_set_bond_mode(port, "active-backup");
    }
    smap_clone(&oc, &port->other_config);
    bond_other_config(dp->lag, &oc);
    if (!smap_equal(&oc, &port->other_config)) {
        get_txn(rec);
        ovsrec_port_set_other_config(port, &oc);
    }
    smap_destroy(&oc);
}

static bool
protocols_match(const struct ovsrec_bridge *br)
{
    struct sset have = SSET_INITIALIZER(&have);
    bool match;

    sset_add_array(&have, br->protocols, br->n_protocols);
    match = sset_count(&have) == ARRAY_SIZE(bridge_protocols);
    for (size_t i = 0; match && i < ARRAY_SIZE(bridge_protocols); i++) {
        match = sset_contains(&have, bridge_protocols[i]);
    }
    sset_destroy(&have);
    return match;
}

/* Makes the columns of owned bridge 'br' that the agent is responsible for
 * what they must be. */
static void
fix_bridge(struct ovs_reconcile *rec, const struct ovsrec_bridge *br)
{
    const char *in_band = smap_get(&br->other_config, "disable-in-band");
    const char *dp_type = br->datapath_type ? br->datapath_type : "";

    if (!br->fail_mode || strcmp(br->fail_mode, "secure")) {
        get_txn(rec);
        ovsrec_bridge_set_fail_mode(br, "secure");
    }
    if (!in_band || strcmp(in_band, "true")) {
        get_txn(rec);
        ovsrec_bridge_update_other_config_setkey(br, "disable-in-band",
                                                 "true");
    }
    if (!protocols_match(br)) {
        get_txn(rec);
        ovsrec_bridge_set_protocols(br, bridge_protocols,
                                    ARRAY_SIZE(bridge_protocols));
    }
    if (strcmp(dp_type, rec->datapath_type)) {
        get_txn(rec);
        ovsrec_bridge_set_datapath_type(br, rec->datapath_type);
    }
}

static const struct ovsrec_bridge *
create_bridge(struct ovs_reconcile *rec,
              const struct ovsrec_open_vswitch *ovs, const char *name)
{
    const struct ovsrec_bridge *br = ovsrec_bridge_insert(get_txn(rec));
    struct smap other_config = SMAP_INITIALIZER(&other_config);
    struct smap ids = SMAP_INITIALIZER(&ids);

    ovsrec_bridge_set_name(br, name);
    ovsrec_bridge_set_fail_mode(br, "secure");
    smap_add(&other_config, "disable-in-band", "true");
    ovsrec_bridge_set_other_config(br, &other_config);
    ovsrec_bridge_set_protocols(br, bridge_protocols,
                                ARRAY_SIZE(bridge_protocols));
    ovsrec_bridge_set_datapath_type(br, rec->datapath_type);
    smap_add(&ids, DVS_OWNER_KEY, DVS_OWNER_VALUE);
    ovsrec_bridge_set_external_ids(br, &ids);
    ovsrec_open_vswitch_update_bridges_addvalue(ovs, br);
    smap_destroy(&other_config);
    smap_destroy(&ids);

    VLOG_INFO("%s: adding bridge", name);
    return br;
}

static int
compare_bridge_names(const void *a_, const void *b_)
{
    const struct dvs_bridge *const *a = a_;
    const struct dvs_bridge *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static void
add_port(struct shash *ports, char *name, const struct desired_port *dp_)
{
    struct desired_port *dp = xmemdup(dp_, sizeof *dp);

    if (!shash_add_once(ports, name, dp)) {
        free(dp->peer);
        free(dp);
    }
    free(name);
}

/* Adds to 'ports' the patch port pair of each mirror of 'br', and the
 * tunnel ports that they use. */
static void
add_mirror_ports(struct shash *ports, const struct dvs_bridge *br)
{
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct dvs_mirror *m = &br->mirrors[i];
        char *out = mirrors_out_port_name(br->name, m->name);
        char *in = mirrors_in_port_name(br->name, m->name);

        add_port(ports, xstrdup(out), &(struct desired_port) {
                     br->name, PORT_PATCH, 0, xstrdup(in) });
        add_port(ports, in, &(struct desired_port) {
                     br->name, PORT_PATCH, 0, out });
        if (m->tunnel) {
            bool erspan = !strcmp(m->tunnel, "erspan");
            add_port(ports, mirrors_tunnel_port_name(br->name, m->tunnel),
                     &(struct desired_port) {
                         br->name, erspan ? PORT_ERSPAN : PORT_GRE, 0, NULL });
        }
    }
}

/* Adds to 'ports' (name -> struct desired_port) the ports that bridge 'br'
 * must have. */
static void
add_desired_ports(struct shash *ports, const struct dvs_bridge *br)
{
    struct desired_port *dp;

    dp = xmalloc(sizeof *dp);
    *dp = (struct desired_port) { br->name, PORT_LOCAL, br->mtu };
    if (!shash_add_once(ports, br->name, dp)) {
        free(dp);
    }
    for (size_t i = 0; i < br->n_uplinks; i++) {
        if (dvs_bridge_find_lag_of_uplink(br, br->uplinks[i].name)) {
            continue;           /* In its LAG's bond port. */
        }
        dp = xmalloc(sizeof *dp);
        *dp = (struct desired_port) { br->name, PORT_UPLINK, br->mtu };
        if (!shash_add_once(ports, br->uplinks[i].pnic, dp)) {
            free(dp);
        }
    }
    for (size_t i = 0; i < br->n_lags; i++) {
        char *name = dvs_lag_port_name(br->name, br->lags[i].name);

        dp = xmalloc(sizeof *dp);
        *dp = (struct desired_port) {
            .bridge = br->name, .kind = PORT_BOND, .mtu = br->mtu,
            .br = br, .lag = &br->lags[i],
        };
        if (!shash_add_once(ports, name, dp)) {
            free(dp);
        }
        free(name);
    }
    if (br->vxlan) {
        char *name = ovs_reconcile_vxlan_port_name(br->name);

        dp = xmalloc(sizeof *dp);
        *dp = (struct desired_port) { br->name, PORT_VXLAN, 0 };
        if (!shash_add_once(ports, name, dp)) {
            free(dp);
        }
        free(name);
    }
    add_mirror_ports(ports, br);
}

/* Compares the database with 'desired' and, where they differ, changes the
 * database in one transaction (rec->txn, left NULL if nothing differs). */
static void
reconcile_pass(struct ovs_reconcile *rec,
               const struct dvs_host_state *desired)
{
    const struct ovsrec_open_vswitch *ovs;
    const struct ovsrec_bridge *br;
    struct shash bridges = SHASH_INITIALIZER(&bridges);
    struct shash port_rows = SHASH_INITIALIZER(&port_rows);
    struct shash port_bridges = SHASH_INITIALIZER(&port_bridges);
    struct shash desired_ports = SHASH_INITIALIZER(&desired_ports);
    const struct dvs_bridge **sorted;
    const struct dvs_bridge *dbr;
    size_t n_sorted = 0;

    ds_clear(&rec->problems);
    ovs = ovsrec_open_vswitch_first(rec->idl);
    if (!ovs) {
        add_problem(rec, "the database has no Open_vSwitch record "
                    "(run \"ovs-vsctl init\")");
        return;
    }

    OVSREC_BRIDGE_FOR_EACH (br, rec->idl) {
        shash_add_once(&bridges, br->name, br);
        for (size_t i = 0; i < br->n_ports; i++) {
            shash_add_once(&port_rows, br->ports[i]->name, br->ports[i]);
            shash_add_once(&port_bridges, br->ports[i]->name, br);
        }
    }

    /* The desired bridges, by name, and the ports they must have.  A bridge
     * with the name of a bridge that is not ours is left alone. */
    sorted = xmalloc((hmap_count(&desired->bridges) + 1) * sizeof *sorted);
    DVS_HOST_STATE_FOR_EACH_BRIDGE (dbr, desired) {
        sorted[n_sorted++] = dbr;
    }
    qsort(sorted, n_sorted, sizeof *sorted, compare_bridge_names);
    for (size_t i = 0; i < n_sorted; i++) {
        br = shash_find_data(&bridges, sorted[i]->name);
        if (br && !ovs_reconcile_bridge_is_owned(br)) {
            add_problem(rec, "bridge %s exists and is not dvs-agent's (no "
                        "external_ids:%s=%s): leaving it alone",
                        br->name, DVS_OWNER_KEY, DVS_OWNER_VALUE);
            continue;
        }
        add_desired_ports(&desired_ports, sorted[i]);
    }

    /* Owned bridges: take away the agent's ports that must go, and the
     * bridges that must go. */
    OVSREC_BRIDGE_FOR_EACH (br, rec->idl) {
        bool wanted = dvs_host_state_find_bridge(desired, br->name) != NULL;
        size_t n_foreign = 0;

        if (!ovs_reconcile_bridge_is_owned(br)) {
            continue;
        }
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            const struct desired_port *dp;

            if (!port_is_owned(port)) {
                n_foreign++;
                continue;
            }
            dp = shash_find_data(&desired_ports, port->name);
            if (dp && !strcmp(dp->bridge, br->name)) {
                continue;
            }
            if (!wanted && !dp && !strcmp(port->name, br->name)) {
                /* The internal port goes with its bridge. */
                continue;
            }
            if (dp) {
                VLOG_INFO("%s: moving port %s to bridge %s", br->name,
                          port->name, dp->bridge);
            } else {
                VLOG_INFO("%s: deleting port %s", br->name, port->name);
            }
            get_txn(rec);
            ovsrec_bridge_update_ports_delvalue(br, port);
        }
        if (wanted) {
            fix_bridge(rec, br);
        } else if (!n_foreign) {
            /* Its collector set refers to it and would keep it alive. */
            ipfix_reconcile(rec->idl, br, NULL, get_txn_aux, rec);
            VLOG_INFO("%s: deleting bridge", br->name);
            get_txn(rec);
            ovsrec_open_vswitch_update_bridges_delvalue(ovs, br);
        } else {
            add_problem(rec, "bridge %s is no longer wanted but keeps %"
                        PRIuSIZE" port(s) that are not dvs-agent's: keeping "
                        "it until they are gone", br->name, n_foreign);
        }
    }

    /* Desired bridges: create them, and their ports. */
    for (size_t i = 0; i < n_sorted; i++) {
        const struct ovsrec_port **new_ports = NULL;
        size_t n_new_ports = 0, allocated = 0;
        struct shash_node *node;
        bool created = false;

        dbr = sorted[i];
        br = shash_find_data(&bridges, dbr->name);
        if (br && !ovs_reconcile_bridge_is_owned(br)) {
            continue;
        }
        if (!br) {
            br = create_bridge(rec, ovs, dbr->name);
            created = true;
        }

        SHASH_FOR_EACH (node, &desired_ports) {
            const struct desired_port *dp = node->data;
            const struct ovsrec_port *port;
            const struct ovsrec_bridge *port_br;

            if (strcmp(dp->bridge, dbr->name)) {
                continue;
            }
            port = shash_find_data(&port_rows, node->name);
            port_br = shash_find_data(&port_bridges, node->name);
            if (port && port_br != br) {
                if (!ovs_reconcile_bridge_is_owned(port_br)) {
                    add_problem(rec, "%s: port %s is on bridge %s, which is "
                                "not dvs-agent's: leaving it there",
                                dbr->name, node->name, port_br->name);
                    continue;
                }
                /* Moving between two of our bridges keeps the rows, and
                 * with them whatever an administrator set on them. */
            } else if (!port) {
                port = (dp->kind == PORT_BOND
                        ? create_bond_port(rec, node->name, dp)
                        : create_port(rec, node->name, dp));
            }
            if (port_br != br) {
                if (created) {
                    if (n_new_ports >= allocated) {
                        new_ports = x2nrealloc(new_ports, &allocated,
                                               sizeof *new_ports);
                    }
                    new_ports[n_new_ports++] = port;
                } else {
                    get_txn(rec);
                    ovsrec_bridge_update_ports_addvalue(br, port);
                }
            }
            if (port_br && dp->kind == PORT_BOND) {
                fix_bond_port(rec, port, dp);
            } else if (port_br) {
                fix_port(rec, port, dp);
            }
        }
        if (!created) {
            mirrors_reconcile(br, dbr, &port_rows, get_txn_aux, rec);
            ipfix_reconcile(rec->idl, br, dbr, get_txn_aux, rec);
        }
        if (created) {
            ovsrec_bridge_set_ports(br, (struct ovsrec_port **) new_ports,
                                    n_new_ports);
        }
        free(new_ports);
    }

    free(sorted);
    shash_destroy(&bridges);
    shash_destroy(&port_rows);
    shash_destroy(&port_bridges);
    struct shash_node *dp_node;
    SHASH_FOR_EACH (dp_node, &desired_ports) {
        free(((struct desired_port *) dp_node->data)->peer);
    }
    shash_destroy_free_data(&desired_ports);
}

/* Makes progress on the transaction in flight, if any.  Returns true if
 * one is still in flight. */
static bool
txn_run(struct ovs_reconcile *rec)
{
    enum ovsdb_idl_txn_status status;

    if (!rec->txn) {
        return false;
    }
    status = ovsdb_idl_txn_commit(rec->txn);
    switch (status) {
    case TXN_INCOMPLETE:
        return true;

    case TXN_SUCCESS:
    case TXN_UNCHANGED:
        free(rec->txn_error);
        rec->txn_error = NULL;
        break;

    case TXN_TRY_AGAIN:
        /* The database changed under the transaction: the next pass
         * compares again. */
        break;

    case TXN_UNCOMMITTED:
    case TXN_ABORTED:
    case TXN_NOT_LOCKED:
    case TXN_ERROR:
    default: {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
        const char *error = ovsdb_idl_txn_get_error(rec->txn);

        free(rec->txn_error);
        rec->txn_error = xasprintf("transaction failed: %s (%s)",
                                   ovsdb_idl_txn_status_to_string(status),
                                   error ? error : "no details");
        VLOG_WARN_RL(&rl, "%s", rec->txn_error);
        rec->retry_at = time_msec() + RETRY_MSEC;
        break;
    }
    }
    ovsdb_idl_txn_destroy(rec->txn);
    rec->txn = NULL;
    rec->pass_done = false;     /* Compare again. */
    return false;
}

/* Runs the OVSDB connection and, when the database or the desired state
 * changed ('desired_seqno' says when the latter does), compares them and
 * changes the database to match.  'desired' is NULL while the desired
 * state is unknown: then the agent changes nothing. */
void
ovs_reconcile_run(struct ovs_reconcile *rec,
                  const struct dvs_host_state *desired,
                  uint64_t desired_seqno)
{
    unsigned int idl_seqno;

    ovsdb_idl_run(rec->idl);
    if (txn_run(rec)) {
        return;
    }
    if (!desired || !ovsdb_idl_has_ever_connected(rec->idl)) {
        return;
    }

    idl_seqno = ovsdb_idl_get_seqno(rec->idl);
    if (rec->retry_at != LLONG_MAX) {
        /* A transaction failed: wait before trying the same again.  Other
         * changes to the database (ports coming and going, their status)
         * rarely cure the failure, a new desired state may. */
        if (time_msec() < rec->retry_at
            && rec->pass_desired_seqno == desired_seqno) {
            return;
        }
    } else if (rec->pass_done
               && rec->pass_idl_seqno == idl_seqno
               && rec->pass_desired_seqno == desired_seqno) {
        return;
    }
    rec->retry_at = LLONG_MAX;
    rec->pass_done = true;
    rec->pass_idl_seqno = idl_seqno;
    rec->pass_desired_seqno = desired_seqno;

    COVERAGE_INC(reconcile_pass);
    reconcile_pass(rec, desired);
    if (rec->txn) {
        COVERAGE_INC(reconcile_txn);
        txn_run(rec);
    } else {
        rec->applied_seqno = desired_seqno;
    }
}

void
ovs_reconcile_wait(struct ovs_reconcile *rec)
{
    ovsdb_idl_wait(rec->idl);
    if (rec->txn) {
        ovsdb_idl_txn_wait(rec->txn);
    }
    if (rec->retry_at != LLONG_MAX) {
        poll_timer_wait_until(rec->retry_at);
    }
}

void
ovs_reconcile_format_status(const struct ovs_reconcile *rec, struct ds *s)
{
    ds_put_format(s, "ovs-db: %s (%s)\n", rec->remote,
                  ovsdb_idl_is_connected(rec->idl) ? "connected"
                  : "not connected");
    if (rec->txn) {
        ds_put_cstr(s, "ovs-db transaction: in progress\n");
    }
    if (rec->txn_error) {
        ds_put_format(s, "ovs-db error: %s\n", rec->txn_error);
    }
    if (rec->problems.length) {
        struct ds copy = DS_EMPTY_INITIALIZER;
        const char *line;
        char *save_ptr = NULL;

        ds_put_cstr(&copy, ds_cstr_ro(&rec->problems));
        for (line = strtok_r(ds_cstr(&copy), "\n", &save_ptr); line;
             line = strtok_r(NULL, "\n", &save_ptr)) {
            ds_put_format(s, "ovs-db problem: %s\n", line);
        }
        ds_destroy(&copy);
    }
}
