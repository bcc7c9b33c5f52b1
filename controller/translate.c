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
#include "controller/translate.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-learn.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"

/* Where Documentation/pipeline.md is silent, the translation decides:
 *
 *   - Only a port's binding (reported by its host's agent) places it; the
 *     link state does not matter, so that a flapping link costs no flow
 *     changes.  A port bound on a host that is not a member of its switch
 *     gets no flows (error on the port).
 *
 *   - A blocked port (effective 'blocked') forwards nothing: it gets no
 *     flows and is in no flood list, as if it were not bound.
 *
 *   - Trunk and private VLAN backing are not implemented yet: such a port
 *     gets no flows (error on the port).
 *
 *   - A port's MAC is Port.mac, else the binding's attached-mac.  An
 *     invalid Port.mac disqualifies the port (it is configuration); an
 *     invalid attached-mac only withholds the known-MAC flows.  Two ports
 *     of one segment with one MAC: the second in name order gets no
 *     known-MAC flows, so that no two flows share a match.
 *
 *   - A VXLAN port bound on a member without a valid vtep_ip gets no flows
 *     (error on the member and the port); the other hosts then do not see
 *     that host in the segment.
 *
 *   - Flood lists name the other hosts' VTEPs in host name order, then the
 *     static remote VTEPs in text order, each address once and never this
 *     host's own; without any, the flood flow has no set_field:N->tun_id.
 *     Both reg4=1 and reg4=2 flood flows are made for every segment, as the
 *     page lists them.
 *
 *   - IPv6 VTEPs use tun_ipv6_src/tun_ipv6_dst, and the base group lets
 *     the uplink deliver "ipv6,ipv6_dst=VTEP" and neighbour solicitations
 *     for the VTEP ("icmp6,icmp_type=135,nd_target=VTEP") to LOCAL.
 *
 *   - The bridge's MTU is the switch's effective mtu (1500 by default);
 *     bond_mode stays unset, since ${uplink} is the first uplink alone.
 *     Uplinks are the switch's uplink_names in order, then LAG ports
 *     ("lag-1"...) in name order; entries naming no uplink of the switch,
 *     or reusing a pNIC, are left out (error on the member).
 *
 *   - Invalid remote_vteps entries are left out (error on the portgroup);
 *     a portgroup with both vni and VLAN backing is left out whole. */

/* Segments (Documentation/pipeline.md): a VLAN-backed portgroup with VLAN V
 * is segment V, a VXLAN-backed one with VNI N is segment 4096 + N. */
#define VXLAN_SEGMENT_BASE 4096

/* Tables (Documentation/pipeline.md). */
enum {
    PORT_POLICY_TABLE = 5,      /* What a VM port may send; learning. */
    LEARN_RESULT_TABLE = 6,     /* mac-limit-policy=drop. */
    KNOWN_MAC_TABLE = DVS_LEARN_TABLE,
};

/* Priorities in the known-MAC table: promiscuous copies first, then the
 * ports' MACs (100), the MACs that the ports learned (as the controller
 * knows them, then as the host itself learned them). */
enum {
    PROMISCUOUS_PRIORITY = 200,
    LEARNED_KNOWN_PRIORITY = 90,
    LEARNED_PRIORITY = 50,
};

/* A blocked port's frames are dropped before anything else. */
#define BLOCKED_PRIORITY 1000

/* Values of reg4: where a packet entered. */
enum { FROM_VM = 0, FROM_UPLINK = 1, FROM_TUNNEL = 2 };

/* Bindings. */

void
dvs_bindings_init(struct dvs_bindings *bindings)
{
    hmap_init(&bindings->map);
    shash_init(&bindings->learned);
}

static void
dvs_binding_destroy(struct dvs_binding *b)
{
    free(b->port);
    free(b->host);
    free(b->mac);
    free(b);
}

void
dvs_bindings_destroy(struct dvs_bindings *bindings)
{
    if (bindings) {
        struct dvs_binding *b;

        HMAP_FOR_EACH_POP (b, node, &bindings->map) {
            dvs_binding_destroy(b);
        }
        hmap_destroy(&bindings->map);

        struct shash_node *node, *next;
        SHASH_FOR_EACH_SAFE (node, next, &bindings->learned) {
            sset_destroy(node->data);
            free(node->data);
            shash_delete(&bindings->learned, node);
        }
        shash_destroy(&bindings->learned);
    }
}

/* Records that 'port' is bound on 'host' with attached MAC 'mac' (may be
 * NULL) and link state 'up', replacing any earlier binding of 'port'. */
struct dvs_binding *
dvs_bindings_set(struct dvs_bindings *bindings, const char *port,
                 const char *host, const char *mac, bool up)
{
    struct dvs_binding *b = dvs_bindings_find(bindings, port);

    if (!b) {
        b = xzalloc(sizeof *b);
        b->port = xstrdup(port);
        hmap_insert(&bindings->map, &b->node, hash_string(port, 0));
    }
    free(b->host);
    b->host = xstrdup(host);
    free(b->mac);
    b->mac = nullable_xstrdup(mac);
    b->up = up;
    return b;
}

struct dvs_binding *
dvs_bindings_find(const struct dvs_bindings *bindings, const char *port)
{
    struct dvs_binding *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(port, 0), &bindings->map) {
        if (!strcmp(b->port, port)) {
            return b;
        }
    }
    return NULL;
}

void
dvs_bindings_remove(struct dvs_bindings *bindings, const char *port)
{
    struct dvs_binding *b = dvs_bindings_find(bindings, port);

    if (b) {
        hmap_remove(&bindings->map, &b->node);
        dvs_binding_destroy(b);
    }
}

/* Records that 'port' has learned 'entry' (see lib/dvs-learn.h).  Returns
 * true if it is new. */
bool
dvs_bindings_learn(struct dvs_bindings *bindings, const char *port,
                   const char *entry)
{
    struct sset *macs = shash_find_data(&bindings->learned, port);

    if (!macs) {
        macs = xmalloc(sizeof *macs);
        sset_init(macs);
        shash_add(&bindings->learned, port, macs);
    }
    return sset_add(macs, entry) != NULL;
}

/* Forgets learned MAC 'entry' of 'port'.  Returns true if it had it. */
bool
dvs_bindings_forget(struct dvs_bindings *bindings, const char *port,
                    const char *entry)
{
    struct shash_node *node = shash_find(&bindings->learned, port);
    struct sset *macs = node ? node->data : NULL;
    bool found = macs && sset_find_and_delete(macs, entry);

    if (macs && sset_is_empty(macs)) {
        sset_destroy(macs);
        free(macs);
        shash_delete(&bindings->learned, node);
    }
    return found;
}

/* Forgets learned MAC 'entry' of every port but 'except_port': a MAC that
 * one port has learned has left the others.  Returns true if one had it. */
bool
dvs_bindings_forget_mac(struct dvs_bindings *bindings,
                        const char *except_port, const char *entry)
{
    struct svec ports = SVEC_EMPTY_INITIALIZER;
    struct shash_node *node;
    const char *port;
    bool found = false;
    size_t i;

    SHASH_FOR_EACH (node, &bindings->learned) {
        if (strcmp(node->name, except_port)
            && sset_contains(node->data, entry)) {
            svec_add(&ports, node->name);
        }
    }
    SVEC_FOR_EACH (i, port, &ports) {
        found |= dvs_bindings_forget(bindings, port, entry);
    }
    svec_destroy(&ports);
    return found;
}

/* Returns the learned MACs of 'port', or NULL if it has none. */
const struct sset *
dvs_bindings_get_learned(const struct dvs_bindings *bindings,
                         const char *port)
{
    return shash_find_data(&bindings->learned, port);
}

/* The index. */

struct tr_uplink {
    const char *name;           /* Owned by the IDL row. */
    const char *pnic;           /* Owned by the IDL row. */
};

/* A host's membership in a switch. */
struct tr_member {
    const struct dvsrec_host_member *row;
    const char *host;           /* Owned by the IDL row. */
    struct tr_uplink *uplinks;  /* Valid ones, in the switch's order. */
    size_t n_uplinks;
    char *vtep;                 /* Normalized VTEP address, or NULL. */
    bool vtep_ipv6;
};

/* The ports of one host in one segment. */
struct tr_seg_host {
    struct tr_member *member;
    struct tr_port **ports;     /* In name order. */
    size_t n_ports, allocated_ports;
};

struct tr_segment {
    struct hmap_node node;      /* In tr_switch's 'segments'. */
    uint32_t id;                /* reg6. */
    bool vxlan;
    uint32_t tag;               /* The VLAN ID or the VNI. */
    struct tr_port **ports;     /* All its bound ports, in name order. */
    size_t n_ports, allocated_ports;
    struct shash hosts;         /* Host name -> struct tr_seg_host. */
    const struct svec *remote_vteps;  /* Static remote VTEPs, or NULL. */
};

/* Static remote VTEPs of the VXLAN-backed portgroups with one VNI. */
struct tr_vni {
    struct hmap_node node;      /* In tr_switch's 'vnis'. */
    uint32_t vni;
    struct svec vteps;          /* Normalized, sorted, unique. */
};

struct tr_switch {
    const struct dvsrec_switch *row;
    const char *name;           /* Owned by the IDL row. */
    uint32_t mtu;
    struct tr_port **blocked;   /* Its blocked ports bound on members. */
    size_t n_blocked, allocated_blocked;
    struct shash members;       /* Host name -> struct tr_member. */
    struct hmap segments;       /* Contains "struct tr_segment"s. */
    struct hmap vnis;           /* Contains "struct tr_vni"s. */
};

/* The per-port policies of VDS-MODEL sections 3 and 12 that the data path
 * enforces (effective values). */
struct tr_policy {
    bool promiscuous;           /* Gets a copy of the segment's unicast. */
    bool forged_transmits;      /* May send from other source MACs. */
    bool mac_learning;          /* Learns the source MACs it sends from. */
    bool unicast_flooding;      /* With learning: gets unknown unicast. */
    bool limit_drop;            /* mac-limit-policy=drop. */
    uint32_t mac_limit;
    uint32_t mac_aging;         /* Seconds. */
};

/* A port that is bound to a host.  'seg' is NULL if it gets no flows
 * (invalid, blocked, or bound on a host that cannot carry it). */
struct tr_port {
    const struct dvsrec_port *row;
    const char *name;           /* Owned by the IDL row. */
    char *host;
    struct tr_segment *seg;
    struct tr_member *member;   /* With 'seg', or of a blocked port. */
    char *mac;                  /* Effective MAC, normalized, or NULL. */
    struct tr_policy policy;
    bool inbound_dropped;       /* Its MAC changed, against mac-changes. */
    struct svec learned;        /* Learned MACs of its segment that it gets
                                 * known-MAC flows for, normalized. */
};

struct tr_portgroup {
    const struct dvsrec_portgroup *row;
    struct tr_switch *sw;
    bool valid;
    struct tr_port **ports;     /* Its bound ports. */
    size_t n_ports, allocated_ports;
};

struct tr_error {
    struct hmap_node node;      /* In dvs_translate's 'errors'. */
    struct uuid uuid;
    char *what;                 /* "Port p1", for formatting. */
    struct ds message;
};

struct dvs_translate {
    struct shash switches;      /* Name -> struct tr_switch. */
    struct shash portgroups;    /* Name -> struct tr_portgroup. */
    struct shash ports;         /* Name -> struct tr_port, bound ports. */
    struct hmap errors;         /* Contains "struct tr_error"s. */
};

/* Errors. */

static struct tr_error *
find_error(const struct dvs_translate *tr, const struct uuid *uuid)
{
    struct tr_error *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, uuid_hash(uuid), &tr->errors) {
        if (uuid_equals(&e->uuid, uuid)) {
            return e;
        }
    }
    return NULL;
}

/* Records an error for 'row', of table 'table' and named 'name'.  Identical
 * messages for one row are recorded once. */
static void OVS_PRINTF_FORMAT(5, 6)
add_error(struct dvs_translate *tr, const struct ovsdb_idl_row *row,
          const char *table, const char *name, const char *format, ...)
{
    struct tr_error *e = find_error(tr, &row->uuid);
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);

    if (!e) {
        e = xzalloc(sizeof *e);
        e->uuid = row->uuid;
        e->what = xasprintf("%s %s", table, name);
        ds_init(&e->message);
        hmap_insert(&tr->errors, &e->node, uuid_hash(&row->uuid));
    } else {
        /* Skip a message that is already there. */
        const char *s = ds_cstr(&e->message);
        size_t len = strlen(msg);

        for (const char *p = s; (p = strstr(p, msg)) != NULL; p++) {
            if ((p == s || (p - s >= 2 && !strncmp(p - 2, "; ", 2)))
                && (p[len] == '\0' || !strncmp(p + len, "; ", 2))) {
                free(msg);
                return;
            }
        }
        ds_put_cstr(&e->message, "; ");
    }
    ds_put_cstr(&e->message, msg);
    free(msg);
}

static void
member_error_name(const struct tr_switch *sw, const struct tr_member *m,
                  struct ds *s)
{
    ds_put_format(s, "%s/%s", sw->name, m->host);
}

#define PORT_ERROR(TR, PORT, ...) \
    add_error(TR, &(PORT)->header_, "Port", (PORT)->name, __VA_ARGS__)
#define PORTGROUP_ERROR(TR, PG, ...) \
    add_error(TR, &(PG)->header_, "Portgroup", (PG)->name, __VA_ARGS__)

static void OVS_PRINTF_FORMAT(4, 5)
member_error(struct dvs_translate *tr, const struct tr_switch *sw,
             const struct tr_member *m, const char *format, ...)
{
    struct ds name = DS_EMPTY_INITIALIZER;
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);
    member_error_name(sw, m, &name);
    add_error(tr, &m->row->header_, "Host_Member", ds_cstr(&name), "%s",
              msg);
    ds_destroy(&name);
    free(msg);
}

const char *
dvs_translate_get_error(const struct dvs_translate *tr,
                        const struct uuid *row)
{
    const struct tr_error *e = find_error(tr, row);
    return e ? ds_cstr_ro(&e->message) : NULL;
}

size_t
dvs_translate_n_errors(const struct dvs_translate *tr)
{
    return hmap_count(&tr->errors);
}

static int
compare_errors(const void *a_, const void *b_)
{
    const struct tr_error *const *a = a_;
    const struct tr_error *const *b = b_;
    return strcmp((*a)->what, (*b)->what);
}

void
dvs_translate_format_errors(const struct dvs_translate *tr, struct ds *s)
{
    size_t n = hmap_count(&tr->errors);
    const struct tr_error **errors = xmalloc((n + 1) * sizeof *errors);
    const struct tr_error *e;
    size_t i = 0;

    HMAP_FOR_EACH (e, node, &tr->errors) {
        errors[i++] = e;
    }
    qsort(errors, n, sizeof *errors, compare_errors);
    for (i = 0; i < n; i++) {
        ds_put_format(s, "%s: %s\n", errors[i]->what,
                      ds_cstr_ro(&errors[i]->message));
    }
    free(errors);
}

/* Effective values. */

/* Returns the effective value of policy or setting 'key_name' for the most
 * specific of 'sw', 'pg' and 'port', in a string to free. */
static char *
effective(const char *key_name, const struct dvsrec_switch *sw,
          const struct dvsrec_portgroup *pg, const struct dvsrec_port *port)
{
    const struct dvs_key *key = dvs_key_find(key_name);
    struct ds value = DS_EMPTY_INITIALIZER;

    ovs_assert(key);
    dvs_key_effective(key, sw, pg, port, &value);
    return ds_steal_cstr(&value);
}

static bool
effective_bool(const char *key_name, const struct dvsrec_switch *sw,
               const struct dvsrec_portgroup *pg,
               const struct dvsrec_port *port)
{
    char *value = effective(key_name, sw, pg, port);
    bool b = !strcmp(value, "true");

    free(value);
    return b;
}

static uint32_t
effective_uint(const char *key_name, const struct dvsrec_switch *sw,
               const struct dvsrec_portgroup *pg,
               const struct dvsrec_port *port)
{
    char *value = effective(key_name, sw, pg, port);
    uint32_t n = strtoul(value, NULL, 10);

    free(value);
    return n;
}

/* Switches and members. */

static struct tr_switch *
find_switch(const struct dvs_translate *tr, const struct dvsrec_switch *row)
{
    struct tr_switch *sw = row ? shash_find_data(&tr->switches, row->name)
                               : NULL;
    return sw && sw->row == row ? sw : NULL;
}

static void
add_switches(struct dvs_translate *tr, struct ovsdb_idl *idl)
{
    const struct dvsrec_switch *row;

    DVSREC_SWITCH_FOR_EACH (row, idl) {
        struct tr_switch *sw = xzalloc(sizeof *sw);

        sw->row = row;
        sw->name = row->name;
        sw->mtu = effective_uint("mtu", row, NULL, NULL);
        shash_init(&sw->members);
        hmap_init(&sw->segments);
        hmap_init(&sw->vnis);
        if (!shash_add_once(&tr->switches, row->name, sw)) {
            /* The schema's index forbids it; keep the first. */
            shash_destroy(&sw->members);
            hmap_destroy(&sw->segments);
            hmap_destroy(&sw->vnis);
            free(sw);
        }
    }
}

static int
compare_int64(const void *a_, const void *b_)
{
    const int64_t *a = a_;
    const int64_t *b = b_;
    return *a < *b ? -1 : *a > *b;
}

/* Returns the switch's uplink names in order: Switch.uplink_names by
 * position, then the ports of its LAGs ("lag-1"...) in name order. */
static void
switch_uplink_names(struct ovsdb_idl *idl, const struct dvsrec_switch *sw,
                    struct svec *names)
{
    struct svec lag_ports = SVEC_EMPTY_INITIALIZER;
    const struct dvsrec_lag *lag;
    int64_t *keys = xmemdup(sw->key_uplink_names,
                            sw->n_uplink_names * sizeof *keys);

    qsort(keys, sw->n_uplink_names, sizeof *keys, compare_int64);
    for (size_t i = 0; i < sw->n_uplink_names; i++) {
        for (size_t j = 0; j < sw->n_uplink_names; j++) {
            if (sw->key_uplink_names[j] == keys[i]) {
                svec_add(names, sw->value_uplink_names[j]);
                break;
            }
        }
    }
    free(keys);

    DVSREC_LAG_FOR_EACH (lag, idl) {
        if (lag->switch_ == sw) {
            int64_t n = lag->n_uplink_num ? *lag->uplink_num : 2;
            for (int64_t i = 1; i <= n; i++) {
                svec_add_nocopy(&lag_ports,
                                xasprintf("%s-%"PRId64, lag->name, i));
            }
        }
    }
    svec_sort(&lag_ports);
    svec_append(names, &lag_ports);
    svec_destroy(&lag_ports);
}

/* Fills in the uplinks of 'm' from its row, in the switch's order, and
 * reports the entries that name no uplink of the switch or reuse a pNIC. */
static void
member_uplinks(struct dvs_translate *tr, struct ovsdb_idl *idl,
               struct tr_switch *sw, struct tr_member *m)
{
    const struct smap *map = &m->row->uplinks;
    struct svec names = SVEC_EMPTY_INITIALIZER;
    struct shash pnics = SHASH_INITIALIZER(&pnics);
    const struct smap_node **sorted;
    const char *name;
    size_t i;

    switch_uplink_names(idl, sw->row, &names);

    sorted = smap_sort(map);
    for (i = 0; i < smap_count(map); i++) {
        if (!svec_contains_unsorted(&names, sorted[i]->key)) {
            member_error(tr, sw, m, "uplinks: \"%s\" is not an uplink of "
                         "switch \"%s\"", sorted[i]->key, sw->name);
        }
    }
    free(sorted);

    m->uplinks = xmalloc((smap_count(map) + 1) * sizeof *m->uplinks);
    SVEC_FOR_EACH (i, name, &names) {
        const struct smap_node *node = smap_get_node(map, name);
        const char *other;

        if (!node) {
            continue;
        }
        other = shash_find_data(&pnics, node->value);
        if (other) {
            member_error(tr, sw, m, "uplinks: pNIC \"%s\" backs both \"%s\" "
                         "and \"%s\"", node->value, other, node->key);
            continue;
        }
        shash_add(&pnics, node->value, node->key);
        m->uplinks[m->n_uplinks++] = (struct tr_uplink) {
            .name = node->key, .pnic = node->value,
        };
    }
    shash_destroy(&pnics);
    svec_destroy(&names);
}

static void
add_members(struct dvs_translate *tr, struct ovsdb_idl *idl)
{
    const struct dvsrec_host_member *row;

    DVSREC_HOST_MEMBER_FOR_EACH (row, idl) {
        struct tr_switch *sw = find_switch(tr, row->switch_);
        struct tr_member *m;

        if (!sw || !row->host || shash_find(&sw->members, row->host->name)) {
            continue;
        }
        m = xzalloc(sizeof *m);
        m->row = row;
        m->host = row->host->name;
        shash_add(&sw->members, m->host, m);
        member_uplinks(tr, idl, sw, m);

        if (row->vtep_ip) {
            char *error = dvs_parse_ip(row->vtep_ip, &m->vtep);
            if (error) {
                member_error(tr, sw, m, "vtep_ip: %s", error);
                free(error);
            } else {
                m->vtep_ipv6 = strchr(m->vtep, ':') != NULL;
            }
        }
    }
}

/* Portgroups. */

static struct tr_vni *
find_vni(const struct tr_switch *sw, uint32_t vni)
{
    struct tr_vni *v;

    HMAP_FOR_EACH_WITH_HASH (v, node, hash_int(vni, 0), &sw->vnis) {
        if (v->vni == vni) {
            return v;
        }
    }
    return NULL;
}

static void
add_portgroups(struct dvs_translate *tr, struct ovsdb_idl *idl)
{
    const struct dvsrec_portgroup *row;

    DVSREC_PORTGROUP_FOR_EACH (row, idl) {
        struct tr_portgroup *pg;
        struct tr_vni *v;
        uint32_t vni;

        if (shash_find(&tr->portgroups, row->name)) {
            continue;
        }
        pg = xzalloc(sizeof *pg);
        pg->row = row;
        pg->sw = find_switch(tr, row->switch_);
        pg->valid = pg->sw != NULL;
        shash_add(&tr->portgroups, row->name, pg);
        if (!pg->valid || !row->n_vni) {
            continue;
        }

        if (row->n_vlan || row->n_trunks || row->n_pvlan) {
            PORTGROUP_ERROR(tr, row, "vni is set together with %s: a "
                            "portgroup is VXLAN-backed or VLAN-backed, not "
                            "both", (row->n_vlan ? "vlan"
                                     : row->n_trunks ? "trunks" : "pvlan"));
            pg->valid = false;
            continue;
        }

        vni = *row->vni;
        v = find_vni(pg->sw, vni);
        if (!v) {
            v = xzalloc(sizeof *v);
            v->vni = vni;
            svec_init(&v->vteps);
            hmap_insert(&pg->sw->vnis, &v->node, hash_int(vni, 0));
        }
        for (size_t i = 0; i < row->n_remote_vteps; i++) {
            char *ip, *error = dvs_parse_ip(row->remote_vteps[i], &ip);

            if (error) {
                PORTGROUP_ERROR(tr, row, "remote_vteps: %s", error);
                free(error);
            } else {
                svec_add_nocopy(&v->vteps, ip);
            }
        }
        svec_sort_unique(&v->vteps);
    }
}

/* Ports. */

static struct tr_segment *
find_segment(const struct tr_switch *sw, uint32_t id)
{
    struct tr_segment *seg;

    HMAP_FOR_EACH_WITH_HASH (seg, node, hash_int(id, 0), &sw->segments) {
        if (seg->id == id) {
            return seg;
        }
    }
    return NULL;
}

static struct tr_segment *
get_segment(struct tr_switch *sw, bool vxlan, uint32_t tag)
{
    uint32_t id = vxlan ? VXLAN_SEGMENT_BASE + tag : tag;
    struct tr_segment *seg = find_segment(sw, id);

    if (!seg) {
        seg = xzalloc(sizeof *seg);
        seg->id = id;
        seg->vxlan = vxlan;
        seg->tag = tag;
        shash_init(&seg->hosts);
        if (vxlan) {
            struct tr_vni *v = find_vni(sw, tag);
            seg->remote_vteps = v ? &v->vteps : NULL;
        }
        hmap_insert(&sw->segments, &seg->node, hash_int(id, 0));
    }
    return seg;
}

#define APPEND(ARRAY, N, ALLOCATED, ELEM)                               \
    do {                                                                \
        if ((N) >= (ALLOCATED)) {                                       \
            (ARRAY) = x2nrealloc(ARRAY, &(ALLOCATED), sizeof *(ARRAY)); \
        }                                                               \
        (ARRAY)[(N)++] = (ELEM);                                        \
    } while (0)

/* Returns the normalized MAC of port 'row' bound as 'b' in '*mac' (NULL if
 * it has none).  Returns false if the port's own MAC is invalid, which
 * disqualifies the port. */
static bool
port_mac(struct dvs_translate *tr, const struct dvsrec_port *row,
         const struct dvs_binding *b, char **mac)
{
    struct eth_addr ea;
    char *error;

    *mac = NULL;
    if (row->mac) {
        error = dvs_parse_unicast_mac(row->mac, &ea);
        if (error) {
            PORT_ERROR(tr, row, "mac: %s", error);
            free(error);
            return false;
        }
    } else if (b->mac && b->mac[0]) {
        error = dvs_parse_unicast_mac(b->mac, &ea);
        if (error) {
            /* What the hypervisor reported: the port still forwards, only
             * without known-MAC flows. */
            PORT_ERROR(tr, row, "attached-mac: %s", error);
            free(error);
            return true;
        }
    } else {
        return true;
    }
    *mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
    return true;
}

/* Reads the effective security and MAC learning policies of 'port'. */
static void
port_policy(const struct dvsrec_switch *sw, const struct dvsrec_portgroup *pg,
            const struct dvsrec_port *port, struct tr_policy *policy)
{
    char *limit_policy = effective("mac-limit-policy", sw, pg, port);

    policy->promiscuous = effective_bool("promiscuous", sw, pg, port);
    policy->forged_transmits = effective_bool("forged-transmits", sw, pg,
                                              port);
    policy->mac_learning = effective_bool("mac-learning", sw, pg, port);
    policy->unicast_flooding = effective_bool("unicast-flooding", sw, pg,
                                              port);
    policy->limit_drop = !strcmp(limit_policy, "drop");
    policy->mac_limit = effective_uint("mac-limit", sw, pg, port);
    policy->mac_aging = effective_uint("mac-aging", sw, pg, port);
    free(limit_policy);
}

/* Applies the port's mac-changes policy when the guest's MAC (the binding's
 * attached-mac) is not Port.mac: accepted, the guest's MAC becomes the
 * port's effective MAC; rejected, the port keeps Port.mac and receives
 * nothing (VDS-MODEL section 3) until the guest goes back to it. */
static void
port_mac_changes(struct dvs_translate *tr, const struct dvsrec_switch *sw,
                 const struct dvsrec_portgroup *pg,
                 const struct dvsrec_port *row, const struct dvs_binding *b,
                 struct tr_port *p)
{
    struct eth_addr guest;
    char *guest_s;

    if (!row->mac || !p->mac || !b->mac || !b->mac[0]
        || !eth_addr_from_string(b->mac, &guest)
        || eth_addr_is_multicast(guest) || eth_addr_is_zero(guest)) {
        return;
    }
    guest_s = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(guest));
    if (strcmp(guest_s, p->mac)) {
        if (effective_bool("mac-changes", sw, pg, row)) {
            free(p->mac);
            p->mac = guest_s;
            return;
        }
        PORT_ERROR(tr, row, "the guest's MAC %s is not the port's MAC %s "
                   "and mac-changes is false: the port receives no frames",
                   guest_s, p->mac);
        p->inbound_dropped = true;
    }
    free(guest_s);
}

/* Returns the segment of port 'row' of 'pg', bound on member 'm', or NULL
 * if it cannot have one (and then records why). */
static struct tr_segment *
port_segment(struct dvs_translate *tr, struct tr_portgroup *pg,
             const struct dvsrec_port *row, struct tr_member *m)
{
    const struct dvsrec_portgroup *pgr = pg->row;
    struct tr_switch *sw = pg->sw;
    struct tr_segment *seg = NULL;
    char *vlan;

    if (pgr->n_vni) {
        if (!m->vtep) {
            member_error(tr, sw, m, "vtep_ip is %s, but VXLAN-backed "
                         "portgroup \"%s\" has ports bound on this host",
                         m->row->vtep_ip ? "invalid" : "not set",
                         pgr->name);
            PORT_ERROR(tr, row, "host \"%s\" has no valid vtep_ip on "
                       "switch \"%s\", which VXLAN-backed portgroups need",
                       m->host, sw->name);
            return NULL;
        }
        return get_segment(sw, true, *pgr->vni);
    }

    vlan = effective("vlan", sw->row, pgr, row);
    if (vlan[0]) {
        seg = get_segment(sw, false, strtoul(vlan, NULL, 10));
    } else {
        /* The nearest level that sets the VLAN backing sets trunks or
         * pvlan instead. */
        char *trunk = effective("trunk", sw->row, pgr, row);
        PORT_ERROR(tr, row, "%s backing is not supported yet: the port "
                   "forwards nothing", trunk[0] ? "trunk" : "pvlan");
        free(trunk);
    }
    free(vlan);
    return seg;
}

static void
add_ports(struct dvs_translate *tr, struct ovsdb_idl *idl,
          const struct dvs_bindings *bindings)
{
    const struct dvsrec_port *row;

    DVSREC_PORT_FOR_EACH (row, idl) {
        const struct dvs_binding *b = dvs_bindings_find(bindings, row->name);
        struct tr_portgroup *pg;
        struct tr_member *m;
        struct tr_port *p;
        char *blocked;

        if (!b || !row->portgroup || shash_find(&tr->ports, row->name)) {
            continue;
        }
        pg = shash_find_data(&tr->portgroups, row->portgroup->name);
        if (!pg || pg->row != row->portgroup) {
            continue;
        }

        p = xzalloc(sizeof *p);
        p->row = row;
        p->name = row->name;
        svec_init(&p->learned);
        p->host = xstrdup(b->host);
        shash_add(&tr->ports, row->name, p);
        APPEND(pg->ports, pg->n_ports, pg->allocated_ports, p);

        if (!pg->valid) {
            continue;
        }
        m = shash_find_data(&pg->sw->members, b->host);
        if (!m) {
            PORT_ERROR(tr, row, "bound on host \"%s\", which is not a "
                       "member of switch \"%s\"", b->host, pg->sw->name);
            continue;
        }
        blocked = effective("blocked", pg->sw->row, pg->row, row);
        if (!strcmp(blocked, "true")) {
            /* A blocked port forwards nothing and is in no flood list, as
             * if it were not bound; its host drops what it sends. */
            free(blocked);
            p->member = m;
            APPEND(pg->sw->blocked, pg->sw->n_blocked,
                   pg->sw->allocated_blocked, p);
            continue;
        }
        free(blocked);
        if (!port_mac(tr, row, b, &p->mac)) {
            continue;
        }
        port_policy(pg->sw->row, pg->row, row, &p->policy);
        port_mac_changes(tr, pg->sw->row, pg->row, row, b, p);

        p->seg = port_segment(tr, pg, row, m);
        if (p->seg) {
            p->member = m;
            APPEND(p->seg->ports, p->seg->n_ports, p->seg->allocated_ports,
                   p);
        }
    }
}

/* Whether port 'p' learns MACs.  A port that receives nothing (its guest's
 * MAC change was rejected) does not: what it would learn would reach it. */
static bool
port_learns(const struct tr_port *p)
{
    return p->policy.mac_learning && !p->inbound_dropped;
}

/* Gives port 'p' of 'seg' known-MAC flows for the MACs it has learned in
 * its segment, if it learns: those that no port of the segment has as its
 * own MAC ('macs', where they are added) and no earlier port has learned
 * too.  Invalid entries are left out. */
static void
add_learned_macs(struct dvs_translate *tr,
                 const struct dvs_bindings *bindings,
                 const struct tr_segment *seg, struct tr_port *p,
                 struct shash *macs)
{
    const struct sset *learned = dvs_bindings_get_learned(bindings,
                                                          p->name);
    const char *entry;

    if (!learned || !port_learns(p)) {
        return;
    }
    SSET_FOR_EACH (entry, learned) {
        struct eth_addr ea;
        bool has_segment;
        uint32_t segment;
        char *error = dvs_learned_parse(entry, &ea, &has_segment, &segment);

        if (error) {
            PORT_ERROR(tr, p->row, "learned_macs: %s", error);
            free(error);
            continue;
        }
        if (has_segment && segment != seg->id) {
            continue;
        }
        char *mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
        if (!shash_find(macs, mac)) {
            shash_add(macs, mac, p);
            svec_add(&p->learned, mac);
        }
        free(mac);
    }
}

/* Sets '*segment' to the segment of 'port' if it is an access port of a
 * VLAN or a VXLAN-backed port and returns true, otherwise returns false. */
bool
dvs_port_own_segment(const struct dvsrec_port *port, uint32_t *segment)
{
    const struct dvsrec_portgroup *pg = port->portgroup;
    char *vlan;
    bool ok;

    if (!pg || !pg->switch_) {
        return false;
    }
    if (pg->n_vni) {
        *segment = VXLAN_SEGMENT_BASE + *pg->vni;
        return true;
    }
    vlan = effective("vlan", pg->switch_, pg, port);
    ok = vlan[0] != '\0';
    if (ok) {
        *segment = strtoul(vlan, NULL, 10);
    }
    free(vlan);
    return ok;
}

static int
compare_ports(const void *a_, const void *b_)
{
    const struct tr_port *const *a = a_;
    const struct tr_port *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Sorts the ports of each segment, groups them by host, and withdraws the
 * known-MAC flows of a port whose MAC an earlier port (in name order) of
 * the segment already has. */
static void
finish_segments(struct dvs_translate *tr, const struct dvs_bindings *bindings)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        struct tr_segment *seg;

        HMAP_FOR_EACH (seg, node, &sw->segments) {
            struct shash macs = SHASH_INITIALIZER(&macs);

            qsort(seg->ports, seg->n_ports, sizeof *seg->ports,
                  compare_ports);
            for (size_t i = 0; i < seg->n_ports; i++) {
                struct tr_port *p = seg->ports[i];
                struct tr_seg_host *h = shash_find_data(&seg->hosts,
                                                        p->host);
                if (!h) {
                    h = xzalloc(sizeof *h);
                    h->member = p->member;
                    shash_add(&seg->hosts, p->host, h);
                }
                APPEND(h->ports, h->n_ports, h->allocated_ports, p);

                if (p->mac) {
                    const struct tr_port *other = shash_find_data(&macs,
                                                                  p->mac);
                    if (other) {
                        PORT_ERROR(tr, p->row, "MAC %s is also the MAC of "
                                   "port \"%s\" in the same segment: no "
                                   "known-MAC flows for this port", p->mac,
                                   other->name);
                        free(p->mac);
                        p->mac = NULL;
                    } else {
                        shash_add(&macs, p->mac, p);
                    }
                }
            }
            for (size_t i = 0; i < seg->n_ports; i++) {
                add_learned_macs(tr, bindings, seg, seg->ports[i], &macs);
            }
            shash_destroy(&macs);
        }
    }
}

struct dvs_translate *
dvs_translate_create(struct ovsdb_idl *idl,
                     const struct dvs_bindings *bindings)
{
    struct dvs_translate *tr = xzalloc(sizeof *tr);

    shash_init(&tr->switches);
    shash_init(&tr->portgroups);
    shash_init(&tr->ports);
    hmap_init(&tr->errors);

    add_switches(tr, idl);
    add_members(tr, idl);
    add_portgroups(tr, idl);
    add_ports(tr, idl, bindings);
    finish_segments(tr, bindings);
    return tr;
}

void
dvs_translate_destroy(struct dvs_translate *tr)
{
    struct shash_node *node;
    struct tr_error *e;

    if (!tr) {
        return;
    }
    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        struct shash_node *mnode;
        struct tr_segment *seg;
        struct tr_vni *v;

        SHASH_FOR_EACH (mnode, &sw->members) {
            struct tr_member *m = mnode->data;
            free(m->uplinks);
            free(m->vtep);
            free(m);
        }
        shash_destroy(&sw->members);
        HMAP_FOR_EACH_POP (seg, node, &sw->segments) {
            struct shash_node *hnode;

            SHASH_FOR_EACH (hnode, &seg->hosts) {
                struct tr_seg_host *h = hnode->data;
                free(h->ports);
                free(h);
            }
            shash_destroy(&seg->hosts);
            free(seg->ports);
            free(seg);
        }
        hmap_destroy(&sw->segments);
        HMAP_FOR_EACH_POP (v, node, &sw->vnis) {
            svec_destroy(&v->vteps);
            free(v);
        }
        hmap_destroy(&sw->vnis);
        free(sw->blocked);
        free(sw);
    }
    shash_destroy(&tr->switches);

    SHASH_FOR_EACH (node, &tr->portgroups) {
        struct tr_portgroup *pg = node->data;
        free(pg->ports);
        free(pg);
    }
    shash_destroy(&tr->portgroups);

    SHASH_FOR_EACH (node, &tr->ports) {
        struct tr_port *p = node->data;
        free(p->host);
        free(p->mac);
        svec_destroy(&p->learned);
        free(p);
    }
    shash_destroy(&tr->ports);

    HMAP_FOR_EACH_POP (e, node, &tr->errors) {
        free(e->what);
        ds_destroy(&e->message);
        free(e);
    }
    hmap_destroy(&tr->errors);
    free(tr);
}

/* Flows. */

/* Appends to 's' the actions that send a frame of 'seg' out of the uplink
 * with the segment's VLAN tag. */
static void
put_uplink_output(const struct tr_segment *seg, struct ds *s)
{
    if (seg->tag) {
        /* OFPVID_PRESENT | VID. */
        ds_put_format(s, "push_vlan:0x8100,set_field:%"PRIu32"->vlan_vid,",
                      0x1000 | seg->tag);
    }
    ds_put_cstr(s, "output:${uplink}");
}

static void
put_tun_dst(const char *ip, struct ds *s)
{
    ds_put_format(s, "set_field:%s->%s,output:${vxlan}", ip,
                  strchr(ip, ':') ? "tun_ipv6_dst" : "tun_dst");
}

static void
add_base_group(struct dvs_host_state *state, const struct tr_switch *sw,
               const struct tr_member *m, bool vxlan)
{
    char *key = xasprintf("%s/base", sw->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    free(key);

    dvs_flow_group_add_flow(g, 0, 0, "", "drop");
    dvs_flow_group_add_flow(g, 5, 0, "", "drop");
    /* A learn() that mac-limit refused leaves reg0[0] clear. */
    dvs_flow_group_add_flow(g, 6, 100, "reg0=0x1/0x1", "resubmit(,10)");
    dvs_flow_group_add_flow(g, 6, 0, "", "drop");
    dvs_flow_group_add_flow(g, 10, 0, "", "resubmit(,20)");
    dvs_flow_group_add_flow(g, 20, 0, "", "drop");
    if (vxlan) {
        struct ds match = DS_EMPTY_INITIALIZER;

        /* The VTEP address on LOCAL reaches the physical network through
         * the uplink. */
        dvs_flow_group_add_flow(g, 0, 1000, "in_port=${local}",
                                "output:${uplink}");
        if (!m->vtep_ipv6) {
            ds_put_format(&match, "in_port=${uplink},arp,arp_tpa=%s",
                          m->vtep);
            dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                    "output:${local}");
            ds_clear(&match);
            ds_put_format(&match, "in_port=${uplink},ip,nw_dst=%s", m->vtep);
            dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                    "output:${local}");
        } else {
            /* IPv6: neighbour solicitations go to a multicast address, so
             * they are matched by their target. */
            ds_put_format(&match, "in_port=${uplink},icmp6,icmp_type=135,"
                          "nd_target=%s", m->vtep);
            dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                    "output:${local}");
            ds_clear(&match);
            ds_put_format(&match, "in_port=${uplink},ipv6,ipv6_dst=%s",
                          m->vtep);
            dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                    "output:${local}");
        }
        ds_destroy(&match);
    }
}

/* <sw>/port/<P>/local. */
static void
add_local_port_group(struct dvs_host_state *state, const struct tr_switch *sw,
                     const struct tr_segment *seg, const struct tr_port *p)
{
    char *key = xasprintf("%s/port/%s/local", sw->name, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;

    free(key);
    ds_put_format(&match, "in_port=${port:%s},vlan_tci=0x0000/0x1000",
                  p->name);
    ds_put_format(&actions, "load:%"PRIu32"->NXM_NX_REG6[],load:%d->"
                  "NXM_NX_REG4[],resubmit(,%d)", seg->id, FROM_VM,
                  PORT_POLICY_TABLE);
    dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match), ds_cstr(&actions));

    if (p->mac && !p->inbound_dropped) {
        ds_clear(&match);
        ds_clear(&actions);
        ds_put_format(&match, "reg6=%"PRIu32",dl_dst=%s", seg->id, p->mac);
        ds_put_format(&actions, "output:${port:%s}", p->name);
        dvs_flow_group_add_flow(g, 10, 100, ds_cstr(&match),
                                ds_cstr(&actions));
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* <sw>/port/<P>/remote, for a port with a MAC bound on another host. */
static void
add_remote_port_group(struct dvs_host_state *state,
                      const struct tr_switch *sw,
                      const struct tr_segment *seg, const struct tr_port *p)
{
    char *key = xasprintf("%s/port/%s/remote", sw->name, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;

    free(key);
    if (seg->vxlan) {
        ds_put_format(&actions, "set_field:%"PRIu32"->tun_id,", seg->tag);
        put_tun_dst(p->member->vtep, &actions);
    } else {
        put_uplink_output(seg, &actions);
    }
    for (size_t i = 0; i <= p->learned.n; i++) {
        const char *mac = i ? p->learned.names[i - 1] : p->mac;

        if (mac) {
            ds_clear(&match);
            ds_put_format(&match, "reg6=%"PRIu32",reg4=%d,dl_dst=%s",
                          seg->id, FROM_VM, mac);
            dvs_flow_group_add_flow(g, 10, 100, ds_cstr(&match),
                                    ds_cstr(&actions));
        }
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* <sw>/seg/<S>/ingress. */
static void
add_ingress_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_segment *seg)
{
    char *key = xasprintf("%s/seg/%"PRIu32"/ingress", sw->name, seg->id);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct ds set_regs = DS_EMPTY_INITIALIZER;

    free(key);
    ds_put_format(&set_regs, "load:%"PRIu32"->NXM_NX_REG6[],load:%d->"
                  "NXM_NX_REG4[],resubmit(,10)", seg->id,
                  seg->vxlan ? FROM_TUNNEL : FROM_UPLINK);

    if (!seg->vxlan) {
        if (seg->tag) {
            ds_put_format(&match, "in_port=${uplink},dl_vlan=%"PRIu32,
                          seg->tag);
            ds_put_cstr(&actions, "pop_vlan,");
        } else {
            ds_put_cstr(&match, "in_port=${uplink},vlan_tci=0x0000/0x1000");
        }
        ds_put_cstr(&actions, ds_cstr(&set_regs));
        dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match),
                                ds_cstr(&actions));
    } else {
        const char *ip;
        size_t i;

        /* From the hosts of the switch... */
        ds_put_format(&match, "in_port=${vxlan},tun_id=%"PRIu32, seg->tag);
        dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match),
                                ds_cstr(&set_regs));

        /* ...and from each static remote VTEP, whose MACs are learned. */
        SVEC_FOR_EACH (i, ip, seg->remote_vteps) {
            bool ipv6 = strchr(ip, ':') != NULL;

            ds_clear(&match);
            ds_clear(&actions);
            ds_put_format(&match, "in_port=${vxlan},tun_id=%"PRIu32",%s=%s",
                          seg->tag, ipv6 ? "tun_ipv6_src" : "tun_src", ip);
            /* The registers are loaded before learn(), which copies the
             * segment from reg6 into the learned flow's match. */
            ds_put_format(&actions,
                          "load:%"PRIu32"->NXM_NX_REG6[],"
                          "load:%d->NXM_NX_REG4[],"
                          "learn(table=10,priority=50,idle_timeout=300,"
                          "NXM_NX_REG6[],"
                          "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                          "load:NXM_NX_TUN_IPV%d_SRC[]->"
                          "NXM_NX_TUN_IPV%d_DST[],"
                          "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],"
                          "output:NXM_OF_IN_PORT[]),resubmit(,10)",
                          seg->id, FROM_TUNNEL, ipv6 ? 6 : 4, ipv6 ? 6 : 4);
            dvs_flow_group_add_flow(g, 0, 110, ds_cstr(&match),
                                    ds_cstr(&actions));
        }
    }
    ds_destroy(&match);
    ds_destroy(&actions);
    ds_destroy(&set_regs);
}

/* Whether local port 'p' gets flooded frames: broadcast and multicast
 * ('unicast' false) or unknown unicast ('unicast' true).  A port that
 * rejected its guest's MAC change gets none; a promiscuous port has its
 * copy of every unicast frame already; a learning port gets unknown
 * unicast only with unicast-flooding. */
static bool
port_gets_flood(const struct tr_port *p, bool unicast)
{
    if (p->inbound_dropped) {
        return false;
    }
    if (unicast) {
        return (!p->policy.promiscuous
                && (!p->policy.mac_learning || p->policy.unicast_flooding));
    }
    return true;
}

/* Appends to 's' the actions that send a frame of 'seg' from a VM of host
 * 'h' to the rest of the segment: the uplink, or the other hosts' VTEPs and
 * the static remote VTEPs. */
static void
put_flood_remote(const struct tr_segment *seg, const struct tr_seg_host *h,
                 struct ds *s)
{
    if (!seg->vxlan) {
        put_uplink_output(seg, s);
    } else {
        struct sset sent = SSET_INITIALIZER(&sent);
        const struct shash_node **hosts = shash_sort(&seg->hosts);
        struct svec targets = SVEC_EMPTY_INITIALIZER;
        const char *ip;
        size_t i;

        /* Other hosts of the segment by host name, then the static remote
         * VTEPs, each address once. */
        sset_add(&sent, h->member->vtep);
        for (i = 0; i < shash_count(&seg->hosts); i++) {
            const struct tr_seg_host *other = hosts[i]->data;
            if (sset_add(&sent, other->member->vtep)) {
                svec_add(&targets, other->member->vtep);
            }
        }
        free(hosts);
        SVEC_FOR_EACH (i, ip, seg->remote_vteps) {
            if (sset_add(&sent, ip)) {
                svec_add(&targets, ip);
            }
        }
        if (targets.n) {
            ds_put_format(s, "set_field:%"PRIu32"->tun_id", seg->tag);
            SVEC_FOR_EACH (i, ip, &targets) {
                ds_put_char(s, ',');
                put_tun_dst(ip, s);
            }
        }
        svec_destroy(&targets);
        sset_destroy(&sent);
    }
}

/* Adds to 'g' the flood flows of 'seg' on host 'h' for broadcast and
 * multicast ('unicast' false, at priority 100) or for unknown unicast (at
 * 110, only made where the two differ). */
static void
add_flood_flows(struct dvs_flow_group *g, const struct tr_segment *seg,
                const struct tr_seg_host *h, bool unicast)
{
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct ds local = DS_EMPTY_INITIALIZER;
    struct ds remote = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < h->n_ports; i++) {
        if (port_gets_flood(h->ports[i], unicast)) {
            ds_put_format(&local, "%soutput:${port:%s}",
                          local.length ? "," : "", h->ports[i]->name);
        }
    }
    put_flood_remote(seg, h, &remote);

    /* From a VM: to the other local ports, and to the rest of the
     * segment.  From the uplink or the tunnel: to the local ports only
     * (split horizon). */
    for (int from = FROM_VM; from <= FROM_TUNNEL; from++) {
        ds_clear(&match);
        ds_clear(&actions);
        ds_put_format(&match, "reg6=%"PRIu32",reg4=%d", seg->id, from);
        if (unicast) {
            ds_put_cstr(&match, ",dl_dst=00:00:00:00:00:00/"
                        "01:00:00:00:00:00");
        }
        ds_put_cstr(&actions, ds_cstr(&local));
        if (from == FROM_VM && remote.length) {
            ds_put_format(&actions, "%s%s", actions.length ? "," : "",
                          ds_cstr(&remote));
        }
        dvs_flow_group_add_flow(g, 20, unicast ? 110 : 100, ds_cstr(&match),
                                actions.length ? ds_cstr(&actions) : "drop");
    }
    ds_destroy(&match);
    ds_destroy(&actions);
    ds_destroy(&local);
    ds_destroy(&remote);
}

/* <sw>/seg/<S>/flood, on host 'h'. */
static void
add_flood_group(struct dvs_host_state *state, const struct tr_switch *sw,
                const struct tr_segment *seg, const struct tr_seg_host *h)
{
    char *key = xasprintf("%s/seg/%"PRIu32"/flood", sw->name, seg->id);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    bool differ = false;

    free(key);
    add_flood_flows(g, seg, h, false);
    for (size_t i = 0; i < h->n_ports; i++) {
        differ |= (port_gets_flood(h->ports[i], false)
                   != port_gets_flood(h->ports[i], true));
    }
    if (differ) {
        add_flood_flows(g, seg, h, true);
    }
}

/* Port policies (Documentation/pipeline.md, tables 5 and 6). */

/* <sw>/port/<P>/blocked, on the host where blocked port P is bound. */
static void
add_blocked_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_port *p)
{
    char *key = xasprintf("%s/port/%s/blocked", sw->name, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    char *match = xasprintf("in_port=${port:%s}", p->name);

    dvs_flow_group_add_flow(g, 0, BLOCKED_PRIORITY, match, "drop");
    free(match);
    free(key);
}

/* <sw>/port/<P>/policy: what port P may send (forged transmits, MAC
 * learning and its limit). */
static void
add_port_policy_group(struct dvs_host_state *state,
                      const struct tr_switch *sw, const struct tr_port *p)
{
    const struct tr_policy *pol = &p->policy;
    char *key = xasprintf("%s/port/%s/policy", sw->name, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    char *in_port = xasprintf("in_port=${port:%s}", p->name);

    free(key);
    if (!port_learns(p)) {
        /* Forged transmits: only the effective MAC, if the port has one,
         * unless accepted. */
        ds_put_cstr(&match, in_port);
        if (!pol->forged_transmits && p->mac) {
            ds_put_format(&match, ",dl_src=%s", p->mac);
        }
        ds_put_format(&actions, "resubmit(,%d)", KNOWN_MAC_TABLE);
        dvs_flow_group_add_flow(g, PORT_POLICY_TABLE, 100, ds_cstr(&match),
                                ds_cstr(&actions));
        goto out;
    }

    /* Learning: the port's own MAC is known already and does not count
     * against the limit; a multicast source is never learned. */
    if (p->mac) {
        ds_put_format(&match, "%s,dl_src=%s", in_port, p->mac);
        ds_put_format(&actions, "resubmit(,%d)", KNOWN_MAC_TABLE);
        dvs_flow_group_add_flow(g, PORT_POLICY_TABLE, 110, ds_cstr(&match),
                                ds_cstr(&actions));
        ds_clear(&match);
        ds_clear(&actions);
    }
    ds_put_format(&match, "%s,dl_src=01:00:00:00:00:00/01:00:00:00:00:00",
                  in_port);
    dvs_flow_group_add_flow(g, PORT_POLICY_TABLE, 105, ds_cstr(&match),
                            "drop");

    /* Every other source MAC is learned as a flow of the known-MAC table,
     * with the port's cookie, within the port's mac-limit.  With
     * mac-limit-policy=drop, table 6 drops a frame whose MAC the limit
     * kept from being learned; with allow, the frame goes on unlearned. */
    ds_put_format(&actions,
                  "learn(table=%d,cookie=%#"PRIx64",priority=%d,"
                  "idle_timeout=%"PRIu32",limit=%"PRIu32",%s"
                  "NXM_NX_REG6[],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                  "output:NXM_OF_IN_PORT[]),resubmit(,%d)",
                  DVS_LEARN_TABLE, dvs_learn_cookie(p->name),
                  LEARNED_PRIORITY, pol->mac_aging, pol->mac_limit,
                  pol->limit_drop ? "result_dst=NXM_NX_REG0[0]," : "",
                  pol->limit_drop ? LEARN_RESULT_TABLE : KNOWN_MAC_TABLE);
    dvs_flow_group_add_flow(g, PORT_POLICY_TABLE, 100, in_port,
                            ds_cstr(&actions));

out:
    free(in_port);
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* <sw>/port/<P>/learned: the MACs that port P has learned, on its host.
 * They are there already where P learned them, but not where P moved to,
 * and a learned flow stays only as long as it is used. */
static void
add_learned_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_segment *seg, const struct tr_port *p)
{
    char *key, *actions;
    struct dvs_flow_group *g;

    if (!p->learned.n || p->inbound_dropped) {
        return;
    }
    key = xasprintf("%s/port/%s/learned", sw->name, p->name);
    g = dvs_host_state_add_group(state, key, sw->name);
    actions = xasprintf("output:${port:%s}", p->name);
    for (size_t i = 0; i < p->learned.n; i++) {
        char *match = xasprintf("reg6=%"PRIu32",dl_dst=%s", seg->id,
                                p->learned.names[i]);
        dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE, LEARNED_KNOWN_PRIORITY,
                                match, actions);
        free(match);
    }
    free(actions);
    free(key);
}

static bool
port_gets_copy(const struct tr_port *p)
{
    return p->policy.promiscuous && !p->inbound_dropped;
}

/* Appends "output:${port:P}," to 's' for each promiscuous port of 'h' but
 * 'except'. */
static void
put_promiscuous_outputs(const struct tr_seg_host *h,
                        const struct tr_port *except, struct ds *s)
{
    for (size_t i = 0; i < h->n_ports; i++) {
        if (h->ports[i] != except && port_gets_copy(h->ports[i])) {
            ds_put_format(s, "output:${port:%s},", h->ports[i]->name);
        }
    }
}

/* <sw>/seg/<S>/promiscuous, on a host with promiscuous ports in S: they get
 * a copy of every unicast frame of the segment that the host forwards
 * (multicast and broadcast reach them by flooding).  The copy is made on
 * a first pass through the known-MAC table, which marks reg0[1] and looks
 * the frame up again; a frame to a promiscuous port's own MACs does not
 * copy it to that port twice. */
static void
add_promiscuous_group(struct dvs_host_state *state,
                      const struct tr_switch *sw,
                      const struct tr_segment *seg,
                      const struct tr_seg_host *h)
{
    struct dvs_flow_group *g = NULL;
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct ds match = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < h->n_ports; i++) {
        const struct tr_port *p = h->ports[i];

        if (!port_gets_copy(p)) {
            continue;
        }
        if (!g) {
            char *key = xasprintf("%s/seg/%"PRIu32"/promiscuous", sw->name,
                                  seg->id);
            g = dvs_host_state_add_group(state, key, sw->name);
            free(key);

            ds_put_cstr(&actions, "load:1->NXM_NX_REG0[1],");
            put_promiscuous_outputs(h, NULL, &actions);
            ds_put_format(&actions, "resubmit(,%d)", KNOWN_MAC_TABLE);
            ds_put_format(&match, "reg0=0/0x2,reg6=%"PRIu32",dl_dst="
                          "00:00:00:00:00:00/01:00:00:00:00:00", seg->id);
            dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE, PROMISCUOUS_PRIORITY,
                                    ds_cstr(&match), ds_cstr(&actions));
        }
        ds_clear(&actions);
        ds_put_cstr(&actions, "load:1->NXM_NX_REG0[1],");
        put_promiscuous_outputs(h, p, &actions);
        ds_put_format(&actions, "resubmit(,%d)", KNOWN_MAC_TABLE);
        for (size_t j = 0; j <= p->learned.n; j++) {
            const char *mac = j ? p->learned.names[j - 1] : p->mac;

            if (mac) {
                ds_clear(&match);
                ds_put_format(&match, "reg0=0/0x2,reg6=%"PRIu32",dl_dst=%s",
                              seg->id, mac);
                dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE,
                                        PROMISCUOUS_PRIORITY + 10,
                                        ds_cstr(&match), ds_cstr(&actions));
            }
        }
    }
    ds_destroy(&actions);
    ds_destroy(&match);
}

static void
translate_switch(struct dvs_host_state *state, const struct tr_switch *sw,
                 const struct tr_member *m)
{
    struct dvs_bridge *br = dvs_host_state_add_bridge(state, sw->name);
    const struct tr_segment *seg;

    for (size_t i = 0; i < m->n_uplinks; i++) {
        dvs_bridge_add_uplink(br, m->uplinks[i].name, m->uplinks[i].pnic);
    }
    br->mtu = sw->mtu;
    dvs_bridge_set_vtep_ip(br, m->vtep);

    HMAP_FOR_EACH (seg, node, &sw->segments) {
        const struct tr_seg_host *h = shash_find_data(&seg->hosts, m->host);

        if (!h) {
            continue;
        }
        br->vxlan |= seg->vxlan;
        for (size_t i = 0; i < h->n_ports; i++) {
            add_local_port_group(state, sw, seg, h->ports[i]);
            add_port_policy_group(state, sw, h->ports[i]);
            add_learned_group(state, sw, seg, h->ports[i]);
        }
        add_promiscuous_group(state, sw, seg, h);
        for (size_t i = 0; i < seg->n_ports; i++) {
            const struct tr_port *p = seg->ports[i];
            if ((p->mac || p->learned.n) && strcmp(p->host, m->host)) {
                add_remote_port_group(state, sw, seg, p);
            }
        }
        add_ingress_group(state, sw, seg);
        add_flood_group(state, sw, seg, h);
    }
    for (size_t i = 0; i < sw->n_blocked; i++) {
        if (!strcmp(sw->blocked[i]->host, m->host)) {
            add_blocked_group(state, sw, sw->blocked[i]);
        }
    }
    add_base_group(state, sw, m, br->vxlan);
}

void
dvs_translate_host(const struct dvs_translate *tr, const char *host,
                   struct dvs_host_state *state)
{
    struct shash_node *node;

    dvs_host_state_clear(state);
    SHASH_FOR_EACH (node, &tr->switches) {
        const struct tr_switch *sw = node->data;
        const struct tr_member *m = shash_find_data(&sw->members, host);

        if (m) {
            translate_switch(state, sw, m);
        }
    }
}

void
dvs_translate_one_host(struct ovsdb_idl *idl,
                       const struct dvs_bindings *bindings, const char *host,
                       struct dvs_host_state *state)
{
    struct dvs_translate *tr = dvs_translate_create(idl, bindings);
    dvs_translate_host(tr, host, state);
    dvs_translate_destroy(tr);
}

/* Affected hosts. */

static void
add_segment_hosts(const struct tr_segment *seg, struct sset *hosts)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &seg->hosts) {
        sset_add(hosts, node->name);
    }
}

static void
add_port_hosts(const struct tr_port *p, struct sset *hosts)
{
    sset_add(hosts, p->host);
    if (p->seg) {
        add_segment_hosts(p->seg, hosts);
    }
}

void
dvs_translate_port_hosts(const struct dvs_translate *tr, const char *port,
                         struct sset *hosts)
{
    const struct tr_port *p = shash_find_data(&tr->ports, port);

    if (p) {
        add_port_hosts(p, hosts);
    }
}

void
dvs_translate_portgroup_hosts(const struct dvs_translate *tr,
                              const char *portgroup, struct sset *hosts)
{
    const struct tr_portgroup *pg = shash_find_data(&tr->portgroups,
                                                    portgroup);

    for (size_t i = 0; pg && i < pg->n_ports; i++) {
        add_port_hosts(pg->ports[i], hosts);
    }
}

void
dvs_translate_member_hosts(const struct dvs_translate *tr, const char *sw_name,
                           const char *host, struct sset *hosts)
{
    const struct tr_switch *sw = shash_find_data(&tr->switches, sw_name);
    const struct tr_segment *seg;

    sset_add(hosts, host);
    if (!sw) {
        return;
    }
    HMAP_FOR_EACH (seg, node, &sw->segments) {
        if (shash_find(&seg->hosts, host)) {
            add_segment_hosts(seg, hosts);
        }
    }
}

void
dvs_translate_switch_hosts(const struct dvs_translate *tr, const char *sw_name,
                           struct sset *hosts)
{
    const struct tr_switch *sw = shash_find_data(&tr->switches, sw_name);
    struct shash_node *node;

    if (sw) {
        SHASH_FOR_EACH (node, &sw->members) {
            sset_add(hosts, node->name);
        }
    }
}
