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
#include "controller/translate-ipfix.h"
#include "controller/translate-lldp.h"
#include "controller/translate-mirror.h"
#include "controller/translate-teaming.h"
#include "controller/translate-traffic.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "bitmap.h"
#include "hash.h"
#include "hmapx.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-learn.h"
#include "lib/dvs-multimap.h"
#include "lib/dvs-parse.h"
#include "lib/dvs-sort.h"
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
 *   - A blocked port (effective 'blocked') forwards nothing: it is in no
 *     segment and no flood list, as if it were not bound, and its host
 *     drops what it sends (any VLAN tag: a trunk port's too).
 *
 *   - A trunk port is in the segment of every VLAN of its ranges (VLAN 0:
 *     its untagged frames), except the secondary VLANs of the private VLAN
 *     map, which only pvlan ports join; a PVLAN primary VLAN in its ranges
 *     makes it a promiscuous port of that private VLAN.
 *
 *   - A private VLAN is one segment, its primary VLAN; every port in it
 *     has a class, the secondary VLAN its frames carry on the physical
 *     network (the primary for promiscuous ports and for ports with
 *     vlan=PRIMARY), which reg7 carries through the pipeline.  Outputs to
 *     VM ports are filtered by the source's class when the flows are made
 *     (put_vm_output()).  Map entries that break the rules of the map (a
 *     primary that is not promiscuous, a promiscuous secondary, a
 *     secondary without its primary) are left out (error on the switch);
 *     a port whose pvlan is not in the map, or whose vlan is a secondary
 *     VLAN, gets no flows (error on the port).
 *
 *   - Port policies hold for every segment of a port: a trunk port's
 *     policy flows match its in_port whatever the VLAN, it learns in each
 *     VLAN separately, and its learned MACs, promiscuous copies and flood
 *     copies are tagged (put_vm_output()).  In a private VLAN, a learned
 *     MAC is reached only from the classes that reach its port, and a
 *     promiscuous-mode port gets copies only of the frames its class may
 *     receive.
 *
 *   - A switch whose MTU leaves less than VXLAN's 50 bytes of overhead
 *     above a 1500-byte VM MTU, and that has VXLAN-backed portgroups, gets
 *     a warning in its error column (and the controller's log); its flows
 *     are made all the same.
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
    KNOWN_MAC_TABLE = 10,       /* The ports' and the controller's MACs. */
    LEARNED_TABLE = DVS_LEARN_TABLE,  /* What this host's ports learned. */
    LEARNED_OUTPUT_TABLE = 12,  /* Delivery to the port that learned. */
    FLOOD_TABLE = 20,
};

/* Priorities in the known-MAC table: promiscuous copies first, then the
 * ports' MACs and the other hosts' learned MACs (100), the MACs that this
 * host's ports learned as the controller knows them (90).  In a private
 * VLAN, the drop for the source classes that may not reach a MAC is 10
 * below.  What this host learned itself is looked up after all of them,
 * in the learned-MAC table. */
enum {
    PROMISCUOUS_PRIORITY = 200,
    KNOWN_PRIORITY = 100,
    LEARNED_KNOWN_PRIORITY = 90,
    LEARNED_PRIORITY = 50,
};

/* A blocked port's frames are dropped before anything else. */
#define BLOCKED_PRIORITY 1000

/* Values of reg4: where a packet entered. */
enum { FROM_VM = 0, FROM_UPLINK = 1, FROM_TUNNEL = 2 };

/* VXLAN over IPv4 adds 50 bytes to a VM's frame on the underlay, whose MTU
 * is the switch's: below this, a VM with the usual 1500-byte MTU cannot
 * send full-size frames over VXLAN. */
#define VXLAN_OVERHEAD 50
#define VM_MTU 1500

enum pvlan_type {
    PVLAN_PROMISCUOUS,
    PVLAN_ISOLATED,
    PVLAN_COMMUNITY,
};

/* Bindings. */

void
dvs_bindings_init(struct dvs_bindings *bindings)
{
    hmap_init(&bindings->map);
    shash_init(&bindings->by_host);
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

        dvs_multimap_clear(&bindings->by_host);
        shash_destroy(&bindings->by_host);

        dvs_multimap_clear(&bindings->learned);
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
    } else {
        dvs_multimap_remove(&bindings->by_host, b->host, port);
    }
    dvs_multimap_add(&bindings->by_host, host, port);
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
        dvs_multimap_remove(&bindings->by_host, b->host, port);
        hmap_remove(&bindings->map, &b->node);
        dvs_binding_destroy(b);
    }
}

/* Returns the names of the ports bound on 'host', or NULL if there are
 * none. */
const struct sset *
dvs_bindings_host_ports(const struct dvs_bindings *bindings,
                        const char *host)
{
    return shash_find_data(&bindings->by_host, host);
}

/* Records that 'port' has learned 'entry' (see lib/dvs-learn.h).  Returns
 * true if it is new. */
bool
dvs_bindings_learn(struct dvs_bindings *bindings, const char *port,
                   const char *entry)
{
    return dvs_multimap_add(&bindings->learned, port, entry);
}

/* Forgets learned MAC 'entry' of 'port'.  Returns true if it had it. */
bool
dvs_bindings_forget(struct dvs_bindings *bindings, const char *port,
                    const char *entry)
{
    return dvs_multimap_remove(&bindings->learned, port, entry);
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

/* Copies: the IDL parses a member's row again (freeing its 'uplinks' map)
 * when any of its columns changes, its status too, while the translation
 * is kept. */
struct tr_uplink {
    char *name;
    char *pnic;
};

/* A host's membership in a switch. */
struct tr_member {
    const struct dvsrec_host_member *row;
    const char *host;           /* Owned by the IDL row. */
    struct tr_uplink *uplinks;  /* Valid ones, in the switch's order. */
    size_t n_uplinks;
    struct svec uplink_names;   /* Their names, in the same order. */
    const struct dvsrec_lag **lags;  /* The switch's LAGs, by name. */
    size_t n_lags;
    char *vtep;                 /* Normalized VTEP address, or NULL. */
    bool vtep_ipv6;
    bool vxlan;                 /* Has ports in a VXLAN segment. */
    size_t n_vxlan_hosts;       /* Its entries in VXLAN segments' 'hosts':
                                 * 'vxlan' is whether there are any. */
};

/* The ports of one host in one segment. */
struct tr_seg_host {
    struct tr_member *member;
    struct tr_port **ports;     /* In name order. */
    size_t n_ports, allocated_ports;
};

/* An entry of a switch's private VLAN map. */
struct tr_pvlan {
    uint32_t primary;
    uint32_t secondary;
    enum pvlan_type type;
};

struct tr_segment {
    struct hmap_node node;      /* In tr_switch's 'segments'. */
    struct tr_switch *sw;
    uint32_t id;                /* reg6. */
    bool vxlan;
    uint32_t tag;               /* The VLAN ID or the VNI. */
    const struct tr_pvlan **classes;  /* A PVLAN primary VLAN: the map's
                                       * entries of its private VLAN, by
                                       * secondary VLAN.  Else NULL. */
    size_t n_classes;
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
    struct tr_pvlan *pvlans;    /* Valid map entries, by secondary VLAN. */
    size_t n_pvlans;
    const struct tr_mirrors *mirrors;  /* The translation's. */
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

/* A port that is bound to a host.  'n_segs' is 0 if it gets no flows
 * (invalid, blocked, or bound on a host that cannot carry it). */
struct tr_port {
    struct hmap_node row_node;  /* In dvs_translate's 'ports_by_row'. */
    const struct dvsrec_port *row;
    struct uuid uuid;           /* Of 'row', which may be deleted since. */
    const char *name;           /* The key in dvs_translate's 'ports': the
                                 * row's name may change. */
    struct tr_portgroup *pg;    /* Its switch is pg->sw (or NULL). */
    char *host;
    struct tr_segment **segs;   /* Its segments (several for a trunk). */
    size_t n_segs, allocated_segs;
    bool trunk;                 /* Its frames carry their VLAN's tag. */
    uint32_t pvlan;             /* Its secondary VLAN (pvlan=), or 0. */
    struct tr_member *member;   /* With 'segs', or of a blocked port. */
    char *mac;                  /* Effective MAC, normalized, or NULL. */
    char *claimed_mac;          /* 'mac' before another port of a segment
                                 * with the same MAC withdraws it. */
    struct tr_policy policy;
    bool inbound_dropped;       /* Its MAC changed, against mac-changes. */
    struct svec *learned;       /* For each of 'segs', the MACs learned in
                                 * it that it gets known-MAC flows for,
                                 * normalized. */
    const struct tr_uplink_choice *uplink;  /* Teaming, of its values. */
    struct tr_traffic *traffic; /* Filtering, guards and shaping. */
    struct tr_port_values *own_values;  /* Without a cache, its values. */

    /* dvs_translate_update(). */
    bool member_error;          /* It put an error on its member. */
    bool removed;               /* Being taken out. */
    bool fresh;                 /* Added again by this update. */
};

/* Teaming: how a port's frames pick their uplink. */
struct tr_uplink_choice {
    char *action;               /* The action that picks the uplink of its
                                 * frames... */
    struct svec order;          /* ...among these, in order... */
    bool hashed;                /* ...or by a hash over its uplinks. */
};

/* What a port's rows (its own, its portgroup's and its switch's) make of
 * it, whatever its binding: the effective values that the translation
 * reads for every bound port.  A dvs_translate_cache keeps them from one
 * translation to the next, until the caller says that a row changed. */
struct tr_port_values {
    struct hmap_node node;      /* In dvs_translate_cache's 'ports'. */
    struct hmap_node pg_node;   /* In dvs_translate_cache's 'by_portgroup'. */
    struct uuid port;           /* The rows they were read from. */
    struct uuid portgroup;
    struct uuid sw;
    bool blocked;
    bool mac_changes;
    char *vlan, *trunk, *pvlan; /* Effective, "" if unset. */
    struct tr_policy policy;
    struct tr_traffic *traffic;
    struct svec traffic_errors; /* To record on the port. */
    char *teaming;              /* Teaming keys, effective. */
    char *active_uplinks, *standby_uplinks;
    bool notify_switches;

    /* What the binding's attached MAC makes of them (port_macs()). */
    bool macs_computed;
    char *bound_mac;            /* The attached MAC they are for. */
    bool mac_valid;             /* False if Port.mac is invalid. */
    char *mac;                  /* Effective MAC, normalized, or NULL. */
    bool inbound_dropped;       /* Its MAC changed, against mac-changes. */
    char *mac_error;            /* Errors to record on the port. */
    char *mac_change_error;

    /* The uplink choice, for the effective MAC and the member's uplinks
     * it was computed with (port_uplink_choice()). */
    bool choice_computed;
    char *choice_mac;
    struct svec choice_uplinks;
    struct tr_uplink_choice choice;
};

struct dvs_translate_cache {
    struct hmap ports;          /* Contains "struct tr_port_values"s. */
    struct hmap by_portgroup;   /* The same, by portgroup UUID. */
};

struct tr_portgroup {
    const struct dvsrec_portgroup *row;
    struct tr_switch *sw;
    bool valid;
    struct tr_port **ports;     /* Its bound ports. */
    size_t n_ports, allocated_ports;

    /* What the switch-wide index (VNIs, validity, errors) took from the
     * row: a change of the row that leaves these as they are changes
     * only its ports (see dvs_translate_update()). */
    const struct dvsrec_switch *switch_row;
    int64_t vni;                /* -1 if VLAN-backed. */
    bool vlan_group;            /* vlan, trunks or pvlan set. */
    struct svec remote_vteps;   /* As in the row. */
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
    struct hmap ports_by_row;   /* Contains "struct tr_port"s by UUID. */
    struct hmap errors;         /* Contains "struct tr_error"s. */
    const struct dvs_bindings *bindings;
    struct tr_mirrors *mirrors; /* Port mirroring sessions. */
    struct dvs_translate_cache *cache;  /* Or NULL. */
    struct remote_memo *remote_memo;    /* See add_remote_port_flows(). */
};

/* The flows that a port's remote group gets for one of its segments are the
 * same on every other host of the segment: they are made for the first
 * host that needs them and shared by the others, until the run ends
 * (dvs_translate_end_run()) or the translation changes
 * (dvs_translate_update()). */
struct remote_memo {
    struct hmap flows;          /* Contains "struct remote_flows". */
    struct dvs_host_state state;    /* Holds their groups. */
};

struct remote_flows {
    struct hmap_node node;      /* In 'flows', by 'seg' and 'p'. */
    const struct tr_segment *seg;
    const struct tr_port *p;
    const struct dvs_flow_group *group;     /* In the memo's 'state'. */
};

static void remote_memo_clear(struct remote_memo *);

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
#define SWITCH_ERROR(TR, SW, ...) \
    add_error(TR, &(SW)->row->header_, "Switch", (SW)->name, __VA_ARGS__)

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
    return dvs_key_effective_string(key_name, sw, pg, port);
}

static bool
effective_bool(const char *key_name, const struct dvsrec_switch *sw,
               const struct dvsrec_portgroup *pg,
               const struct dvsrec_port *port)
{
    return dvs_key_effective_bool(key_name, sw, pg, port);
}

static uint32_t
effective_uint(const char *key_name, const struct dvsrec_switch *sw,
               const struct dvsrec_portgroup *pg,
               const struct dvsrec_port *port)
{
    return dvs_key_effective_uint(key_name, sw, pg, port);
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
        sw->mirrors = tr->mirrors;
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
            .name = xstrdup(node->key), .pnic = xstrdup(node->value),
        };
        svec_add(&m->uplink_names, node->key);
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
        svec_init(&m->uplink_names);
        m->row = row;
        m->host = row->host->name;
        shash_add(&sw->members, m->host, m);
        member_uplinks(tr, idl, sw, m);
        teaming_switch_lags(idl, sw->row, &m->lags, &m->n_lags);

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

/* The private VLAN map. */

static const char *
pvlan_type_name(enum pvlan_type type)
{
    return (type == PVLAN_PROMISCUOUS ? "promiscuous"
            : type == PVLAN_ISOLATED ? "isolated" : "community");
}

static enum pvlan_type
pvlan_type_from_string(const char *s)
{
    return (!strcmp(s, "promiscuous") ? PVLAN_PROMISCUOUS
            : !strcmp(s, "isolated") ? PVLAN_ISOLATED : PVLAN_COMMUNITY);
}

/* Returns the valid map entry of 'sw' for secondary VLAN 'vlan', or NULL. */
static const struct tr_pvlan *
find_pvlan(const struct tr_switch *sw, uint32_t vlan)
{
    for (size_t i = 0; i < sw->n_pvlans; i++) {
        if (sw->pvlans[i].secondary == vlan) {
            return &sw->pvlans[i];
        }
    }
    return NULL;
}

static bool
is_pvlan_secondary(const struct tr_switch *sw, uint32_t vlan)
{
    const struct tr_pvlan *e = find_pvlan(sw, vlan);
    return e && e->primary != vlan;
}

static int
compare_pvlans(const void *a_, const void *b_)
{
    const struct tr_pvlan *a = a_;
    const struct tr_pvlan *b = b_;
    return (a->secondary > b->secondary) - (a->secondary < b->secondary);
}

/* Reads each switch's private VLAN map, leaving out (with an error on the
 * switch) the entries that break its rules. */
static void
add_pvlans(struct dvs_translate *tr, struct ovsdb_idl *idl)
{
    const struct dvsrec_pvlan_entry *row;
    struct shash_node *node;

    DVSREC_PVLAN_ENTRY_FOR_EACH (row, idl) {
        struct tr_switch *sw = find_switch(tr, row->switch_);

        if (sw) {
            sw->pvlans = xrealloc(sw->pvlans,
                                  (sw->n_pvlans + 1) * sizeof *sw->pvlans);
            sw->pvlans[sw->n_pvlans++] = (struct tr_pvlan) {
                .primary = row->primary_vlan,
                .secondary = row->secondary_vlan,
                .type = pvlan_type_from_string(row->type),
            };
        }
    }

    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        size_t n = 0;

        if (sw->n_pvlans) {     /* Not qsort(NULL, 0, ...). */
            qsort(sw->pvlans, sw->n_pvlans, sizeof *sw->pvlans,
                  compare_pvlans);
        }
        for (size_t i = 0; i < sw->n_pvlans; i++) {
            const struct tr_pvlan *e = &sw->pvlans[i];
            bool primary = e->primary == e->secondary;
            const char *problem = NULL;

            if (primary && e->type != PVLAN_PROMISCUOUS) {
                problem = "a primary VLAN's entry must be promiscuous";
            } else if (!primary && e->type == PVLAN_PROMISCUOUS) {
                problem = "only the primary VLAN's entry is promiscuous";
            } else if (!primary) {
                const struct tr_pvlan *p = NULL;
                for (size_t j = 0; j < sw->n_pvlans; j++) {
                    if (sw->pvlans[j].secondary == e->primary) {
                        p = &sw->pvlans[j];
                    }
                }
                if (!p || p->primary != p->secondary
                    || p->type != PVLAN_PROMISCUOUS) {
                    problem = "its primary VLAN has no promiscuous entry";
                }
            }
            if (problem) {
                SWITCH_ERROR(tr, sw, "private VLAN map: entry %"PRIu32"/%"
                             PRIu32" (%s) left out: %s", e->primary,
                             e->secondary, pvlan_type_name(e->type),
                             problem);
            } else {
                sw->pvlans[n++] = *e;
            }
        }
        sw->n_pvlans = n;
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

/* Records in 'pg' what the switch-wide index takes from 'row'. */
static void
portgroup_set_shape(struct tr_portgroup *pg,
                    const struct dvsrec_portgroup *row)
{
    pg->switch_row = row->switch_;
    pg->vni = row->n_vni ? *row->vni : -1;
    pg->vlan_group = row->n_vlan || row->n_trunks || row->n_pvlan;
    svec_init(&pg->remote_vteps);
    for (size_t i = 0; i < row->n_remote_vteps; i++) {
        svec_add(&pg->remote_vteps, row->remote_vteps[i]);
    }
}

/* Whether 'row' still has what the switch-wide index took from it. */
static bool
portgroup_shape_is_same(const struct tr_portgroup *pg,
                        const struct dvsrec_portgroup *row)
{
    if (pg->switch_row != row->switch_
        || pg->vni != (row->n_vni ? *row->vni : -1)
        || pg->vlan_group != (row->n_vlan || row->n_trunks || row->n_pvlan)
        || pg->remote_vteps.n != row->n_remote_vteps) {
        return false;
    }
    for (size_t i = 0; i < row->n_remote_vteps; i++) {
        if (strcmp(pg->remote_vteps.names[i], row->remote_vteps[i])) {
            return false;
        }
    }
    return true;
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
        portgroup_set_shape(pg, row);
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

/* Warns about switches whose MTU leaves no room for VXLAN's overhead above
 * the usual VM MTU while they have VXLAN-backed portgroups. */
static void
check_vxlan_mtu(struct dvs_translate *tr)
{
    struct shash_node *node;
    struct svec names = SVEC_EMPTY_INITIALIZER;

    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        const struct shash_node **pgs;

        if (sw->mtu >= VM_MTU + VXLAN_OVERHEAD) {
            continue;
        }
        pgs = shash_sort(&tr->portgroups);
        for (size_t i = 0; i < shash_count(&tr->portgroups); i++) {
            const struct tr_portgroup *pg = pgs[i]->data;
            if (pg->sw == sw && pg->valid && pg->row->n_vni) {
                svec_add(&names, pg->row->name);
            }
        }
        free(pgs);
        if (names.n) {
            char *list = svec_join(&names, ", ", "");
            SWITCH_ERROR(tr, sw, "warning: mtu %"PRIu32" leaves no room for "
                         "the %d bytes of VXLAN overhead: VMs of "
                         "VXLAN-backed portgroup%s %s must use an MTU of at "
                         "most %"PRIu32" (or set the switch's mtu to %d or "
                         "more)", sw->mtu, VXLAN_OVERHEAD,
                         names.n > 1 ? "s" : "", list,
                         sw->mtu - VXLAN_OVERHEAD, VM_MTU + VXLAN_OVERHEAD);
            free(list);
        }
        svec_clear(&names);
    }
    svec_destroy(&names);
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
        seg->sw = sw;
        shash_init(&seg->hosts);
        if (vxlan) {
            struct tr_vni *v = find_vni(sw, tag);
            seg->remote_vteps = v ? &v->vteps : NULL;
        } else if (find_pvlan(sw, tag)) {
            /* Only a primary VLAN can be a segment (see port_segments()):
             * its classes are the entries of its private VLAN. */
            for (size_t i = 0; i < sw->n_pvlans; i++) {
                if (sw->pvlans[i].primary == tag) {
                    seg->classes = xrealloc(seg->classes,
                                            (seg->n_classes + 1)
                                            * sizeof *seg->classes);
                    seg->classes[seg->n_classes++] = &sw->pvlans[i];
                }
            }
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

/* Reads the values of 'v' from the rows of port 'port' of portgroup 'pg'
 * of switch 'sw'. */
static void
port_values_read(struct tr_port_values *v, const struct dvsrec_switch *sw,
                 const struct dvsrec_portgroup *pg,
                 const struct dvsrec_port *port)
{
    char *blocked = effective("blocked", sw, pg, port);

    v->port = port->header_.uuid;
    v->portgroup = pg->header_.uuid;
    v->sw = sw->header_.uuid;
    v->blocked = !strcmp(blocked, "true");
    free(blocked);
    v->mac_changes = effective_bool("mac-changes", sw, pg, port);
    v->vlan = effective("vlan", sw, pg, port);
    v->trunk = effective("trunk", sw, pg, port);
    v->pvlan = effective("pvlan", sw, pg, port);
    port_policy(sw, pg, port, &v->policy);
    svec_init(&v->traffic_errors);
    v->traffic = tr_traffic_create(sw, pg, port, &v->traffic_errors);
    v->teaming = effective("teaming", sw, pg, port);
    v->active_uplinks = effective("active-uplinks", sw, pg, port);
    v->standby_uplinks = effective("standby-uplinks", sw, pg, port);
    v->notify_switches = effective_bool("notify-switches", sw, pg, port);
}

static void
port_values_destroy(struct tr_port_values *v)
{
    if (v) {
        free(v->vlan);
        free(v->trunk);
        free(v->pvlan);
        tr_traffic_destroy(v->traffic);
        svec_destroy(&v->traffic_errors);
        free(v->teaming);
        free(v->active_uplinks);
        free(v->standby_uplinks);
        free(v->bound_mac);
        free(v->mac);
        free(v->mac_error);
        free(v->mac_change_error);
        free(v->choice_mac);
        svec_destroy(&v->choice_uplinks);
        free(v->choice.action);
        svec_destroy(&v->choice.order);
        free(v);
    }
}

static struct tr_port_values *
cache_find(const struct dvs_translate_cache *cache, const struct uuid *port)
{
    struct tr_port_values *v;

    HMAP_FOR_EACH_WITH_HASH (v, node, uuid_hash(port), &cache->ports) {
        if (uuid_equals(&v->port, port)) {
            return v;
        }
    }
    return NULL;
}

static void
cache_remove(struct dvs_translate_cache *cache, struct tr_port_values *v)
{
    hmap_remove(&cache->ports, &v->node);
    hmap_remove(&cache->by_portgroup, &v->pg_node);
    port_values_destroy(v);
}

/* Returns the values of port 'p' of 'pg': the cache's if it has them for
 * the same rows, else read now (and kept in the cache, if any, or by 'p'
 * otherwise). */
static struct tr_port_values *
port_values(struct dvs_translate *tr, const struct tr_portgroup *pg,
            struct tr_port *p)
{
    const struct uuid *uuid = &p->row->header_.uuid;
    struct dvs_translate_cache *cache = tr->cache;
    struct tr_port_values *v;

    if (!cache) {
        p->own_values = xzalloc(sizeof *p->own_values);
        port_values_read(p->own_values, pg->sw->row, pg->row, p->row);
        return p->own_values;
    }

    v = cache_find(cache, uuid);
    if (v) {
        if (uuid_equals(&v->portgroup, &pg->row->header_.uuid)
            && uuid_equals(&v->sw, &pg->sw->row->header_.uuid)) {
            return v;
        }
        /* The port moved to another portgroup. */
        cache_remove(cache, v);
    }
    v = xzalloc(sizeof *v);
    port_values_read(v, pg->sw->row, pg->row, p->row);
    hmap_insert(&cache->ports, &v->node, uuid_hash(uuid));
    hmap_insert(&cache->by_portgroup, &v->pg_node,
                uuid_hash(&v->portgroup));
    return v;
}

struct dvs_translate_cache *
dvs_translate_cache_create(void)
{
    struct dvs_translate_cache *cache = xzalloc(sizeof *cache);

    hmap_init(&cache->ports);
    hmap_init(&cache->by_portgroup);
    return cache;
}

void
dvs_translate_cache_clear(struct dvs_translate_cache *cache)
{
    struct tr_port_values *v;

    HMAP_FOR_EACH_POP (v, node, &cache->ports) {
        port_values_destroy(v);
    }
    hmap_clear(&cache->by_portgroup);
}

void
dvs_translate_cache_destroy(struct dvs_translate_cache *cache)
{
    if (cache) {
        dvs_translate_cache_clear(cache);
        hmap_destroy(&cache->ports);
        hmap_destroy(&cache->by_portgroup);
        free(cache);
    }
}

void
dvs_translate_cache_forget_port(struct dvs_translate_cache *cache,
                                const struct uuid *port)
{
    struct tr_port_values *v = cache_find(cache, port);

    if (v) {
        cache_remove(cache, v);
    }
}

void
dvs_translate_cache_forget_portgroup(struct dvs_translate_cache *cache,
                                     const struct uuid *pg)
{
    struct tr_port_values *v;

    struct tr_port_values **found = NULL;
    size_t n = 0, allocated = 0;

    HMAP_FOR_EACH_WITH_HASH (v, pg_node, uuid_hash(pg),
                             &cache->by_portgroup) {
        if (uuid_equals(&v->portgroup, pg)) {
            APPEND(found, n, allocated, v);
        }
    }
    for (size_t i = 0; i < n; i++) {
        cache_remove(cache, found[i]);
    }
    free(found);
}

/* Returns how the frames of 'port', bound on member 'm' with effective
 * MAC 'mac' (or NULL), pick their uplink, as its effective teaming keys
 * ('v') say: computed again only if 'mac' or the member's uplinks are not
 * those of the last time. */
static const struct tr_uplink_choice *
port_uplink_choice(struct tr_port_values *v, const struct dvsrec_port *port,
                   const char *mac, const struct tr_member *m)
{
    struct tr_uplink_choice *c = &v->choice;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (v->choice_computed && nullable_string_is_equal(v->choice_mac, mac)
        && svec_equal(&v->choice_uplinks, &m->uplink_names)) {
        return c;
    }
    if (v->choice_computed) {
        free(v->choice_mac);
        svec_destroy(&v->choice_uplinks);
        free(c->action);
        svec_destroy(&c->order);
    }
    v->choice_computed = true;
    v->choice_mac = nullable_xstrdup(mac);
    svec_clone(&v->choice_uplinks, &m->uplink_names);
    svec_init(&c->order);
    c->hashed = teaming_put_port_choice(
        v->teaming, v->active_uplinks, v->standby_uplinks, port->name, mac,
        v->notify_switches, &m->uplink_names, m->lags, m->n_lags, &c->order,
        &s);
    c->action = ds_steal_cstr(&s);
    return c;
}

/* Records the errors of the traffic control settings of port 'p'
 * (controller/translate-traffic.c). */
static void
port_traffic(struct dvs_translate *tr, struct tr_port_values *v,
             struct tr_port *p)
{
    const char *error;
    size_t i;

    p->traffic = v->traffic;
    SVEC_FOR_EACH (i, error, &v->traffic_errors) {
        PORT_ERROR(tr, p->row, "%s", error);
    }
}

/* Computes the MACs of port 'row' bound with attached MAC 'bound_mac' (may
 * be NULL) into 'v', unless they are there already for that MAC.
 *
 * The port's MAC is Port.mac, else the attached MAC.  An invalid Port.mac
 * disqualifies the port ('mac_valid' false): it is configuration.  An
 * invalid attached MAC is what the hypervisor reported: the port still
 * forwards, only without known-MAC flows.
 *
 * Then the port's mac-changes policy, when the guest's MAC (the attached
 * MAC) is not Port.mac: accepted, the guest's MAC becomes the port's
 * effective MAC; rejected, the port keeps Port.mac and receives nothing
 * (VDS-MODEL section 3) until the guest goes back to it. */
static void
port_macs(struct tr_port_values *v, const struct dvsrec_port *row,
          const char *bound_mac)
{
    struct eth_addr ea, guest;
    char *error;

    if (v->macs_computed && nullable_string_is_equal(v->bound_mac,
                                                     bound_mac)) {
        return;
    }
    free(v->bound_mac);
    free(v->mac);
    free(v->mac_error);
    free(v->mac_change_error);
    v->macs_computed = true;
    v->bound_mac = nullable_xstrdup(bound_mac);
    v->mac = v->mac_error = v->mac_change_error = NULL;
    v->mac_valid = true;
    v->inbound_dropped = false;

    if (row->mac) {
        error = dvs_parse_unicast_mac(row->mac, &ea);
        if (error) {
            v->mac_error = xasprintf("mac: %s", error);
            v->mac_valid = false;
            free(error);
            return;
        }
    } else if (bound_mac && bound_mac[0]) {
        error = dvs_parse_unicast_mac(bound_mac, &ea);
        if (error) {
            v->mac_error = xasprintf("attached-mac: %s", error);
            free(error);
            return;
        }
    } else {
        return;
    }
    v->mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));

    if (!row->mac || !bound_mac || !bound_mac[0]
        || !eth_addr_from_string(bound_mac, &guest)
        || eth_addr_is_multicast(guest) || eth_addr_is_zero(guest)
        || eth_addr_equals(guest, ea)) {
        return;
    }
    if (v->mac_changes) {
        free(v->mac);
        v->mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(guest));
        return;
    }
    v->mac_change_error = xasprintf(
        "the guest's MAC "ETH_ADDR_FMT" is not the port's MAC %s and "
        "mac-changes is false: the port receives no frames",
        ETH_ADDR_ARGS(guest), v->mac);
    v->inbound_dropped = true;
}

static void
add_port_segment(struct tr_port *p, struct tr_segment *seg)
{
    APPEND(p->segs, p->n_segs, p->allocated_segs, seg);
    APPEND(seg->ports, seg->n_ports, seg->allocated_ports, p);
}

/* Puts port 'p' of 'pg', bound on member 'm', in its segments: one for an
 * access port, VXLAN or private VLAN port, one per VLAN for a trunk port.
 * Records why if it can have none. */
static void
port_segments(struct dvs_translate *tr, struct tr_portgroup *pg,
              const struct tr_port_values *values, struct tr_port *p,
              struct tr_member *m)
{
    const struct dvsrec_portgroup *pgr = pg->row;
    const struct dvsrec_port *row = p->row;
    struct tr_switch *sw = pg->sw;
    const char *vlan = values->vlan;
    const char *trunk = values->trunk;
    const char *pvlan = values->pvlan;

    if (pgr->n_vni) {
        if (!m->vtep) {
            p->member_error = true;
            member_error(tr, sw, m, "vtep_ip is %s, but VXLAN-backed "
                         "portgroup \"%s\" has ports bound on this host",
                         m->row->vtep_ip ? "invalid" : "not set",
                         pgr->name);
            PORT_ERROR(tr, row, "host \"%s\" has no valid vtep_ip on "
                       "switch \"%s\", which VXLAN-backed portgroups need",
                       m->host, sw->name);
            return;
        }
        add_port_segment(p, get_segment(sw, true, *pgr->vni));
        return;
    }

    /* Exactly one of the VLAN group is set at the nearest level. */
    if (vlan[0]) {
        uint32_t v = strtoul(vlan, NULL, 10);

        if (is_pvlan_secondary(sw, v)) {
            PORT_ERROR(tr, row, "vlan %"PRIu32" is a secondary VLAN of the "
                       "private VLAN map of switch \"%s\" (use pvlan=%"
                       PRIu32"): the port forwards nothing", v, sw->name, v);
        } else {
            add_port_segment(p, get_segment(sw, false, v));
        }
    } else if (trunk[0]) {
        int64_t *vlans;
        size_t n;
        char *error = dvs_parse_vlan_ranges(trunk, &vlans, &n);

        if (error) {
            /* The database's own type forbids it. */
            PORT_ERROR(tr, row, "trunk: %s", error);
            free(error);
        } else {
            p->trunk = true;
            for (size_t i = 0; i < n; i++) {
                if (!is_pvlan_secondary(sw, vlans[i])) {
                    add_port_segment(p, get_segment(sw, false, vlans[i]));
                }
            }
            free(vlans);
        }
    } else if (pvlan[0]) {
        uint32_t v = strtoul(pvlan, NULL, 10);
        const struct tr_pvlan *e = find_pvlan(sw, v);

        if (!e) {
            PORT_ERROR(tr, row, "pvlan %"PRIu32" is not a valid secondary "
                       "VLAN of the private VLAN map of switch \"%s\": the "
                       "port forwards nothing", v, sw->name);
        } else {
            p->pvlan = v;
            add_port_segment(p, get_segment(sw, false, e->primary));
        }
    }
}

/* Adds port 'row' to the index if it is bound ('bindings'), and puts it
 * in its segments (which finish_segment() completes).  Returns the new
 * port, or NULL if it is not bound or not of a known portgroup. */
static struct tr_port *
add_port(struct dvs_translate *tr, const struct dvsrec_port *row,
         const struct dvs_bindings *bindings)
{
    const struct dvs_binding *b = dvs_bindings_find(bindings, row->name);
    struct tr_portgroup *pg;
    struct tr_member *m;
    struct tr_port_values *v;
    struct tr_port *p;

    if (!b || !row->portgroup || shash_find(&tr->ports, row->name)) {
        return NULL;
    }
    pg = shash_find_data(&tr->portgroups, row->portgroup->name);
    if (!pg || pg->row != row->portgroup) {
        return NULL;
    }

    p = xzalloc(sizeof *p);
    p->row = row;
    p->uuid = row->header_.uuid;
    p->name = shash_add(&tr->ports, row->name, p)->name;
    hmap_insert(&tr->ports_by_row, &p->row_node, uuid_hash(&p->uuid));
    p->host = xstrdup(b->host);
    p->pg = pg;
    APPEND(pg->ports, pg->n_ports, pg->allocated_ports, p);

    if (!pg->valid) {
        return p;
    }
    m = shash_find_data(&pg->sw->members, b->host);
    if (!m) {
        PORT_ERROR(tr, row, "bound on host \"%s\", which is not a "
                   "member of switch \"%s\"", b->host, pg->sw->name);
        return p;
    }
    v = port_values(tr, pg, p);
    if (v->blocked || tr_mirrors_is_exclusive_dest(tr->mirrors, row->name)) {
        /* A blocked port forwards nothing and is in no flood list, as if
         * it were not bound; its host drops what it sends. */
        p->member = m;
        APPEND(pg->sw->blocked, pg->sw->n_blocked, pg->sw->allocated_blocked,
               p);
        return p;
    }
    port_macs(v, row, b->mac);
    if (v->mac_error) {
        PORT_ERROR(tr, row, "%s", v->mac_error);
    }
    if (!v->mac_valid) {
        return p;
    }
    p->policy = v->policy;
    port_traffic(tr, v, p);
    if (v->mac_change_error) {
        PORT_ERROR(tr, row, "%s", v->mac_change_error);
    }
    p->mac = nullable_xstrdup(v->mac);
    p->inbound_dropped = v->inbound_dropped;
    p->claimed_mac = nullable_xstrdup(p->mac);

    p->member = m;
    p->uplink = port_uplink_choice(v, row, p->mac, m);
    port_segments(tr, pg, v, p, m);
    p->learned = xcalloc(p->n_segs, sizeof *p->learned);
    for (size_t i = 0; i < p->n_segs; i++) {
        svec_init(&p->learned[i]);
    }
    return p;
}

static void
add_ports(struct dvs_translate *tr, struct ovsdb_idl *idl,
          const struct dvs_bindings *bindings)
{
    const struct dvsrec_port *row;

    DVSREC_PORT_FOR_EACH (row, idl) {
        add_port(tr, row, bindings);
    }
}

static void
port_destroy(struct tr_port *p)
{
    free(p->host);
    free(p->mac);
    free(p->claimed_mac);
    for (size_t i = 0; p->learned && i < p->n_segs; i++) {
        svec_destroy(&p->learned[i]);
    }
    free(p->learned);
    free(p->segs);
    port_values_destroy(p->own_values);
    free(p);
}

/* Whether port 'p' learns MACs.  A port that receives nothing (its guest's
 * MAC change was rejected) does not: what it would learn would reach it. */
static bool
port_learns(const struct tr_port *p)
{
    return p->policy.mac_learning && !p->inbound_dropped;
}

/* Returns the index of 'seg' in the segments of 'p'. */
static size_t
port_seg_index(const struct tr_port *p, const struct tr_segment *seg)
{
    for (size_t i = 0; i < p->n_segs; i++) {
        if (p->segs[i] == seg) {
            return i;
        }
    }
    OVS_NOT_REACHED();
}

/* The MACs that port 'p' learned in its segment 'seg'. */
static const struct svec *
port_learned(const struct tr_port *p, const struct tr_segment *seg)
{
    return &p->learned[port_seg_index(p, seg)];
}

/* Gives port 'p' of 'seg' known-MAC flows for the MACs it has learned in
 * 'seg', if it learns: those that no port of the segment has as its own
 * MAC ('macs', where they are added) and no earlier port has learned too.
 * An entry without a segment is of the port's own segment (that of an
 * access or VXLAN port); those of a trunk port name the segment of each
 * of its VLANs, and those of a segment the port is no longer in are left
 * out.  Invalid entries are left out (reported once). */
static void
add_learned_macs(struct dvs_translate *tr,
                 const struct dvs_bindings *bindings,
                 const struct tr_segment *seg, struct tr_port *p,
                 struct shash *macs)
{
    const struct sset *learned = dvs_bindings_get_learned(bindings,
                                                          p->name);
    size_t idx = port_seg_index(p, seg);
    uint32_t own;
    bool has_own = dvs_port_own_segment(p->row, &own);
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
            if (!idx) {
                PORT_ERROR(tr, p->row, "learned_macs: %s", error);
            }
            free(error);
            continue;
        }
        if (has_segment ? segment != seg->id : !has_own || own != seg->id) {
            continue;
        }
        char *mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
        if (!shash_find(macs, mac)) {
            shash_add(macs, mac, p);
            svec_add(&p->learned[idx], mac);
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

static int
compare_segments(const void *a_, const void *b_)
{
    const struct tr_segment *const *a = a_;
    const struct tr_segment *const *b = b_;
    return ((*a)->id > (*b)->id) - ((*a)->id < (*b)->id);
}

/* Returns the segments of 'sw' in an array sorted by ID, to free, and their
 * number in '*n'. */
static struct tr_segment **
sorted_segments(const struct tr_switch *sw, size_t *n)
{
    *n = hmap_count(&sw->segments);
    return DVS_HMAP_SORT(&sw->segments, struct tr_segment, node,
                         compare_segments);
}

/* Forgets which hosts segment 'seg' has ports on. */
static void
segment_clear_hosts(struct tr_segment *seg)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &seg->hosts) {
        struct tr_seg_host *h = node->data;

        if (seg->vxlan && !--h->member->n_vxlan_hosts) {
            h->member->vxlan = false;
        }
        free(h->ports);
        free(h);
    }
    shash_clear(&seg->hosts);
}

static void
segment_destroy(struct tr_segment *seg)
{
    segment_clear_hosts(seg);
    shash_destroy(&seg->hosts);
    free(seg->ports);
    free(seg->classes);
    free(seg);
}

/* Sorts the ports of 'seg', groups them by host, and withdraws the
 * known-MAC flows of a port whose MAC an earlier port (in name order) of
 * the segment already has.
 *
 * A trunk port's MAC that one segment withdraws is withdrawn in its next
 * ones too: the segments of a switch must be finished in ID order. */
static void
finish_segment(struct dvs_translate *tr, const struct dvs_bindings *bindings,
               struct tr_segment *seg)
{
    struct shash macs = SHASH_INITIALIZER(&macs);

    if (seg->n_ports) {
        qsort(seg->ports, seg->n_ports, sizeof *seg->ports, compare_ports);
    }
    for (size_t i = 0; i < seg->n_ports; i++) {
        struct tr_port *p = seg->ports[i];
        struct tr_seg_host *h = shash_find_data(&seg->hosts, p->host);
        if (!h) {
            h = xzalloc(sizeof *h);
            h->member = p->member;
            if (seg->vxlan) {
                h->member->n_vxlan_hosts++;
                h->member->vxlan = true;
            }
            shash_add(&seg->hosts, p->host, h);
        }
        APPEND(h->ports, h->n_ports, h->allocated_ports, p);

        if (p->mac) {
            const struct tr_port *other = shash_find_data(&macs, p->mac);
            if (other) {
                PORT_ERROR(tr, p->row, "MAC %s is also the MAC of port "
                           "\"%s\" in the same segment: no known-MAC flows "
                           "for this port", p->mac, other->name);
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

static void
finish_segments(struct dvs_translate *tr, const struct dvs_bindings *bindings)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        size_t n_segs;
        struct tr_segment **segs = sorted_segments(sw, &n_segs);

        for (size_t s = 0; s < n_segs; s++) {
            finish_segment(tr, bindings, segs[s]);
        }
        free(segs);
    }
}

struct dvs_translate *
dvs_translate_create(struct ovsdb_idl *idl,
                     const struct dvs_bindings *bindings)
{
    return dvs_translate_create_cached(idl, bindings, NULL);
}

struct dvs_translate *
dvs_translate_create_cached(struct ovsdb_idl *idl,
                            const struct dvs_bindings *bindings,
                            struct dvs_translate_cache *cache)
{
    struct dvs_translate *tr = xzalloc(sizeof *tr);

    shash_init(&tr->switches);
    shash_init(&tr->portgroups);
    shash_init(&tr->ports);
    hmap_init(&tr->ports_by_row);
    hmap_init(&tr->errors);
    tr->bindings = bindings;
    tr->cache = cache;
    tr->mirrors = tr_mirrors_create(idl, bindings);
    tr->remote_memo = xmalloc(sizeof *tr->remote_memo);
    hmap_init(&tr->remote_memo->flows);
    dvs_host_state_init(&tr->remote_memo->state);

    add_switches(tr, idl);
    add_members(tr, idl);
    add_pvlans(tr, idl);
    add_portgroups(tr, idl);
    check_vxlan_mtu(tr);
    add_ports(tr, idl, bindings);
    finish_segments(tr, bindings);
    return tr;
}

void
dvs_translate_end_run(struct dvs_translate *tr)
{
    if (tr) {
        remote_memo_clear(tr->remote_memo);
    }
}

void
dvs_translate_destroy(struct dvs_translate *tr)
{
    struct shash_node *node;
    struct tr_error *e;

    if (!tr) {
        return;
    }
    remote_memo_clear(tr->remote_memo);
    hmap_destroy(&tr->remote_memo->flows);
    dvs_host_state_destroy(&tr->remote_memo->state);
    free(tr->remote_memo);
    tr_mirrors_destroy(tr->mirrors);
    SHASH_FOR_EACH (node, &tr->switches) {
        struct tr_switch *sw = node->data;
        struct shash_node *mnode;
        struct tr_segment *seg;
        struct tr_vni *v;

        /* The segments first: they refer to the members. */
        HMAP_FOR_EACH_POP (seg, node, &sw->segments) {
            segment_destroy(seg);
        }
        hmap_destroy(&sw->segments);
        SHASH_FOR_EACH (mnode, &sw->members) {
            struct tr_member *m = mnode->data;
            for (size_t i = 0; i < m->n_uplinks; i++) {
                free(m->uplinks[i].name);
                free(m->uplinks[i].pnic);
            }
            free(m->uplinks);
            svec_destroy(&m->uplink_names);
            free(m->lags);
            free(m->vtep);
            free(m);
        }
        shash_destroy(&sw->members);
        HMAP_FOR_EACH_POP (v, node, &sw->vnis) {
            svec_destroy(&v->vteps);
            free(v);
        }
        hmap_destroy(&sw->vnis);
        free(sw->blocked);
        free(sw->pvlans);
        free(sw);
    }
    shash_destroy(&tr->switches);

    SHASH_FOR_EACH (node, &tr->portgroups) {
        struct tr_portgroup *pg = node->data;
        free(pg->ports);
        svec_destroy(&pg->remote_vteps);
        free(pg);
    }
    shash_destroy(&tr->portgroups);

    SHASH_FOR_EACH (node, &tr->ports) {
        port_destroy(node->data);
    }
    shash_destroy(&tr->ports);
    hmap_destroy(&tr->ports_by_row);

    HMAP_FOR_EACH_POP (e, node, &tr->errors) {
        free(e->what);
        ds_destroy(&e->message);
        free(e);
    }
    hmap_destroy(&tr->errors);
    free(tr);
}

/* Updates in place. */

static struct tr_port *
find_port_by_row(const struct dvs_translate *tr, const struct uuid *uuid)
{
    struct tr_port *p;

    HMAP_FOR_EACH_WITH_HASH (p, row_node, uuid_hash(uuid),
                             &tr->ports_by_row) {
        if (uuid_equals(&p->uuid, uuid)) {
            return p;
        }
    }
    return NULL;
}

/* Adds to 'ports' every port of the segments of the ports of 'ports', and
 * to 'segs' those segments, and so on until every segment of a port of
 * 'ports' is in 'segs' (the ports of 'ports' that are 'fresh' are not
 * followed: their segments are in 'segs' already). */
static void
close_over_segments(struct hmapx *ports, struct hmapx *segs)
{
    struct tr_port **queue = xmalloc(hmapx_count(ports) * sizeof *queue);
    size_t n = 0, allocated = hmapx_count(ports);
    struct hmapx_node *node;

    HMAPX_FOR_EACH (node, ports) {
        queue[n++] = node->data;
    }
    while (n) {
        struct tr_port *p = queue[--n];

        for (size_t i = 0; !p->fresh && i < p->n_segs; i++) {
            struct tr_segment *seg = p->segs[i];

            if (!hmapx_add(segs, seg)) {
                continue;
            }
            for (size_t j = 0; j < seg->n_ports; j++) {
                struct tr_port *q = seg->ports[j];
                if (!q->fresh && hmapx_add(ports, q)) {
                    APPEND(queue, n, allocated, q);
                }
            }
        }
    }
    free(queue);
}

static void
remove_error(struct dvs_translate *tr, const struct uuid *uuid)
{
    struct tr_error *e = find_error(tr, uuid);

    if (e) {
        hmap_remove(&tr->errors, &e->node);
        free(e->what);
        ds_destroy(&e->message);
        free(e);
    }
}

/* Drops from 'array' (of '*n' ports) those being taken out. */
static void
compact_ports(struct tr_port **array, size_t *n)
{
    size_t k = 0;

    for (size_t i = 0; i < *n; i++) {
        if (!array[i]->removed) {
            array[k++] = array[i];
        }
    }
    *n = k;
}

/* Takes port 'p' out of the index of 'tr' (its name goes with its key)
 * and marks it 'removed', for compact_ports() to drop it from the arrays
 * that hold it. */
static void
unindex_port(struct dvs_translate *tr, struct tr_port *p)
{
    p->removed = true;
    shash_find_and_delete(&tr->ports, p->name);
    hmap_remove(&tr->ports_by_row, &p->row_node);
    remove_error(tr, &p->uuid);
}

/* Takes the ports of 'ports' out of 'tr' and frees them; adds the rows of
 * those that still exist to 'rows' and their segments to 'segs'. */
static void
take_out_ports(struct dvs_translate *tr, const struct hmapx *ports,
               struct hmapx *rows, struct hmapx *segs)
{
    struct hmapx pgs = HMAPX_INITIALIZER(&pgs);
    struct hmapx switches = HMAPX_INITIALIZER(&switches);
    struct hmapx_node *node;

    HMAPX_FOR_EACH (node, ports) {
        struct tr_port *p = node->data;

        unindex_port(tr, p);
        if (!dvsrec_port_is_deleted(p->row)) {
            hmapx_add(rows, CONST_CAST(struct dvsrec_port *, p->row));
        }
        hmapx_add(&pgs, p->pg);
        if (p->member && !p->n_segs) {
            hmapx_add(&switches, p->pg->sw);
        }
        for (size_t i = 0; i < p->n_segs; i++) {
            hmapx_add(segs, p->segs[i]);
        }
    }
    HMAPX_FOR_EACH (node, &pgs) {
        struct tr_portgroup *pg = node->data;
        compact_ports(pg->ports, &pg->n_ports);
    }
    HMAPX_FOR_EACH (node, &switches) {
        struct tr_switch *sw = node->data;
        compact_ports(sw->blocked, &sw->n_blocked);
    }
    HMAPX_FOR_EACH (node, segs) {
        struct tr_segment *seg = node->data;
        compact_ports(seg->ports, &seg->n_ports);
    }
    HMAPX_FOR_EACH (node, ports) {
        port_destroy(node->data);
    }
    hmapx_destroy(&pgs);
    hmapx_destroy(&switches);
}

/* Adds the ports of 'rows' to 'tr', as 'fresh' ports added to 'added' and
 * 'all_added'.  Returns false if one puts an error on its member. */
static bool
add_ports_again(struct dvs_translate *tr, const struct hmapx *rows,
                struct hmapx *added, struct hmapx *all_added)
{
    struct hmapx_node *node;
    bool ok = true;

    HMAPX_FOR_EACH (node, rows) {
        struct tr_port *p = add_port(tr, node->data, tr->bindings);
        if (p) {
            p->fresh = true;
            hmapx_add(added, p);
            hmapx_add(all_added, p);
            ok &= !p->member_error;
        }
    }
    return ok;
}

/* Takes 'ports' and every port of their segments out of 'tr', adding the
 * segments to 'segs', and adds them back, with the ports of 'rows', as
 * fresh ports: those of this call in 'added' (emptied first), all in
 * 'all_added'.  Returns false if one puts an error on its member. */
static bool
refresh_ports(struct dvs_translate *tr, struct hmapx *ports,
              struct hmapx *rows, struct hmapx *segs, struct hmapx *added,
              struct hmapx *all_added)
{
    close_over_segments(ports, segs);
    take_out_ports(tr, ports, rows, segs);
    hmapx_clear(added);
    return add_ports_again(tr, rows, added, all_added);
}

/* Whether port 'q', just added for the row of port 'p' (of the same name),
 * can take 'p''s place in its segments as they are: what finish_segment()
 * made of them depends on a port's name, host, segments, MAC and learned
 * MACs alone ('p' has none, and kept its MAC, see replace_ports()). */
static bool
port_keeps_place(const struct tr_port *p, const struct tr_port *q)
{
    if (strcmp(p->host, q->host)
        || p->member != q->member || p->n_segs != q->n_segs
        || !nullable_string_is_equal(p->mac, q->mac)
        || !nullable_string_is_equal(p->claimed_mac, q->claimed_mac)) {
        return false;
    }
    for (size_t i = 0; i < p->n_segs; i++) {
        if (p->segs[i] != q->segs[i]) {
            return false;
        }
    }
    return true;
}

static void
replace_in_array(struct tr_port **array, size_t n, const struct tr_port *old,
                 struct tr_port *new)
{
    for (size_t i = 0; i < n; i++) {
        if (array[i] == old) {
            array[i] = new;
        }
    }
}

/* Whether the changed port 'p' may be replaced alone: it kept its name, it
 * is in segments, its MAC was not withdrawn for another port's, and it has
 * no learned MACs (whose flows depend on the other ports' MACs and learned
 * MACs). */
static bool
port_may_be_replaced(const struct dvs_translate *tr, const struct tr_port *p)
{
    const struct sset *learned = dvs_bindings_get_learned(tr->bindings,
                                                          p->name);

    if (strcmp(p->row->name, p->name) || !p->n_segs || p->member_error
        || (learned && !sset_is_empty(learned))
        || !nullable_string_is_equal(p->mac, p->claimed_mac)) {
        return false;
    }
    for (size_t i = 0; i < p->n_segs; i++) {
        if (p->learned[i].n) {
            return false;
        }
    }
    return true;
}

/* Whether port 'p' is in one of the segments of 'segs'. */
static bool
port_in_any(const struct tr_port *p, const struct hmapx *segs)
{
    for (size_t i = 0; i < p->n_segs; i++) {
        if (hmapx_contains(segs, p->segs[i])) {
            return true;
        }
    }
    return false;
}

/* A change of a port's policy (its traffic rules, say) leaves the port
 * where it was in its segments, and the other ports of the segments as
 * they were: taking every port of the segments out and in again, as
 * refresh_ports() does, would cost as much as the segments are large.
 * Replaces each port of 'stale' that may be (port_may_be_replaced()) by a
 * port added anew from its row in 'rows', in place in its segments, if the
 * new one keeps its place.  Those replaced leave 'stale' and 'rows'.  A
 * new port that does not keep its place stays in 'stale', for
 * refresh_ports(), with every port of the segments of the one it replaces,
 * and those segments go to 'segs', to be finished again: no port of them
 * is replaced alone after that (refresh_ports() takes it out, and frees
 * it). */
static void
replace_ports(struct dvs_translate *tr, struct hmapx *stale,
              struct hmapx *rows, struct hmapx *segs)
{
    struct hmapx more = HMAPX_INITIALIZER(&more);
    struct hmapx gone = HMAPX_INITIALIZER(&gone);
    struct hmapx pgs = HMAPX_INITIALIZER(&pgs);
    struct hmapx_node *node;

    HMAPX_FOR_EACH_SAFE (node, stale) {
        struct tr_port *p = node->data;
        struct dvsrec_port *row = CONST_CAST(struct dvsrec_port *, p->row);

        if (!hmapx_contains(rows, row) || !port_may_be_replaced(tr, p)
            || port_in_any(p, segs)) {
            continue;
        }
        hmapx_delete(stale, node);
        hmapx_find_and_delete(rows, row);

        /* Out of the index, but not yet out of its portgroup's ports
         * (compacted once for all, below) or of its segments. */
        unindex_port(tr, p);
        hmapx_add(&pgs, p->pg);
        hmapx_add(&gone, p);

        struct tr_port *q = add_port(tr, row, tr->bindings);
        if (q && port_keeps_place(p, q)) {
            for (size_t i = 0; i < q->n_segs; i++) {
                struct tr_segment *seg = q->segs[i];
                struct tr_seg_host *h = shash_find_data(&seg->hosts,
                                                        q->host);

                /* add_port() appended 'q' to the segment's ports. */
                seg->n_ports--;
                replace_in_array(seg->ports, seg->n_ports, p, q);
                replace_in_array(h->ports, h->n_ports, p, q);
            }
        } else {
            for (size_t i = 0; i < p->n_segs; i++) {
                struct tr_segment *seg = p->segs[i];

                compact_ports(seg->ports, &seg->n_ports);
                hmapx_add(segs, seg);
                for (size_t j = 0; j < seg->n_ports; j++) {
                    hmapx_add(&more, seg->ports[j]);
                }
            }
            if (q) {
                hmapx_add(&more, q);
            }
        }
    }
    HMAPX_FOR_EACH (node, &pgs) {
        struct tr_portgroup *pg = node->data;
        compact_ports(pg->ports, &pg->n_ports);
    }
    HMAPX_FOR_EACH (node, &gone) {
        port_destroy(node->data);
    }
    HMAPX_FOR_EACH (node, &more) {
        hmapx_add(stale, node->data);
    }
    hmapx_destroy(&more);
    hmapx_destroy(&gone);
    hmapx_destroy(&pgs);
}

static int
compare_segments_by_switch(const void *a_, const void *b_)
{
    const struct tr_segment *const *a = a_;
    const struct tr_segment *const *b = b_;
    int cmp = strcmp((*a)->sw->name, (*b)->sw->name);
    return cmp ? cmp : compare_segments(a, b);
}

bool
dvs_translate_update(struct dvs_translate *tr, const struct hmapx *ports,
                     const struct hmapx *portgroups)
{
    struct hmapx stale = HMAPX_INITIALIZER(&stale);
    struct hmapx rows = HMAPX_INITIALIZER(&rows);
    struct hmapx segs = HMAPX_INITIALIZER(&segs);
    struct hmapx added = HMAPX_INITIALIZER(&added);
    struct hmapx all_added = HMAPX_INITIALIZER(&all_added);
    struct hmapx_node *node;
    bool ok = false;

    /* The shared remote flows may be of ports that change. */
    if (!hmapx_is_empty(ports) || !hmapx_is_empty(portgroups)) {
        remote_memo_clear(tr->remote_memo);
    }

    /* What changed, before anything is changed. */
    HMAPX_FOR_EACH (node, portgroups) {
        const struct dvsrec_portgroup *row = node->data;
        struct tr_portgroup *pg;

        if (dvsrec_portgroup_is_new(row) || dvsrec_portgroup_is_deleted(row)
            || !(pg = shash_find_data(&tr->portgroups, row->name))
            || pg->row != row || !portgroup_shape_is_same(pg, row)) {
            goto exit;
        }
        for (size_t i = 0; i < pg->n_ports; i++) {
            hmapx_add(&stale, pg->ports[i]);
        }
    }
    HMAPX_FOR_EACH (node, ports) {
        const struct dvsrec_port *row = node->data;
        struct tr_port *p = find_port_by_row(tr, &row->header_.uuid);

        if (p) {
            hmapx_add(&stale, p);
        }
        if (!dvsrec_port_is_deleted(row)) {
            const struct tr_portgroup *pg = (
                row->portgroup
                ? shash_find_data(&tr->portgroups, row->portgroup->name)
                : NULL);
            if (row->portgroup && (!pg || pg->row != row->portgroup)) {
                goto exit;
            }
            hmapx_add(&rows, CONST_CAST(struct dvsrec_port *, row));
        }
    }
    HMAPX_FOR_EACH (node, &stale) {
        const struct tr_port *p = node->data;
        if (p->member_error) {
            goto exit;
        }
    }

    if (hmapx_is_empty(portgroups)) {
        replace_ports(tr, &stale, &rows, &segs);
    }

    /* The changed ports leave their segments, and so do the other ports of
     * those segments: what finish_segment() makes of a port depends on
     * every port of its segments.  The ports added may be in segments that
     * were not taken apart: their ports go out and in again too, until
     * every port of the segments is fresh. */
    bool added_ok = refresh_ports(tr, &stale, &rows, &segs, &added,
                                  &all_added);
    while (added_ok) {
        struct hmapx more = HMAPX_INITIALIZER(&more);
        struct hmapx more_rows = HMAPX_INITIALIZER(&more_rows);

        HMAPX_FOR_EACH (node, &added) {
            const struct tr_port *p = node->data;

            for (size_t i = 0; i < p->n_segs; i++) {
                struct tr_segment *seg = p->segs[i];

                if (!hmapx_add(&segs, seg)) {
                    continue;
                }
                for (size_t j = 0; j < seg->n_ports; j++) {
                    if (!seg->ports[j]->fresh) {
                        hmapx_add(&more, seg->ports[j]);
                    }
                }
            }
        }
        bool done = hmapx_is_empty(&more);
        if (!done) {
            added_ok = refresh_ports(tr, &more, &more_rows, &segs, &added,
                                     &all_added);
        }
        hmapx_destroy(&more);
        hmapx_destroy(&more_rows);
        if (done) {
            break;
        }
    }
    if (!added_ok) {
        goto exit;
    }

    /* Every port of 'segs' is fresh: finish them, in order. */
    size_t n = 0;
    struct tr_segment **sorted = xmalloc(hmapx_count(&segs) * sizeof *sorted
                                         + 1);
    HMAPX_FOR_EACH (node, &segs) {
        sorted[n++] = node->data;
    }
    qsort(sorted, n, sizeof *sorted, compare_segments_by_switch);
    for (size_t i = 0; i < n; i++) {
        struct tr_segment *seg = sorted[i];

        segment_clear_hosts(seg);
        if (seg->n_ports) {
            finish_segment(tr, tr->bindings, seg);
        } else {
            hmap_remove(&seg->sw->segments, &seg->node);
            segment_destroy(seg);
        }
    }
    free(sorted);
    ok = true;

exit:
    HMAPX_FOR_EACH (node, &all_added) {
        struct tr_port *p = node->data;
        p->fresh = false;
    }
    hmapx_destroy(&all_added);
    hmapx_destroy(&stale);
    hmapx_destroy(&rows);
    hmapx_destroy(&segs);
    hmapx_destroy(&added);
    return ok;
}

/* Flows. */

/* The class of port 'p' in segment 'seg': in a private VLAN, the secondary
 * VLAN of its frames (the primary for a promiscuous port), else 0. */
static uint32_t
port_class(const struct tr_port *p, const struct tr_segment *seg)
{
    return !seg->classes ? 0 : p->pvlan ? p->pvlan : seg->tag;
}

static enum pvlan_type
class_type(const struct tr_segment *seg, uint32_t class)
{
    for (size_t i = 0; i < seg->n_classes; i++) {
        if (seg->classes[i]->secondary == class) {
            return seg->classes[i]->type;
        }
    }
    return PVLAN_PROMISCUOUS;
}

/* Whether a frame of class 'src' may reach a port of class 'dst' in 'seg':
 * promiscuous ports talk with every port of their private VLAN, community
 * ports also with their own community, isolated ports with nothing else. */
static bool
class_reaches(const struct tr_segment *seg, uint32_t src, uint32_t dst)
{
    enum pvlan_type src_type, dst_type;

    if (!seg->classes) {
        return true;
    }
    src_type = class_type(seg, src);
    dst_type = class_type(seg, dst);
    return (src_type == PVLAN_PROMISCUOUS || dst_type == PVLAN_PROMISCUOUS
            || (src == dst && src_type == PVLAN_COMMUNITY));
}

/* The number of source classes of 'seg' that flows must tell apart: those
 * of a private VLAN, or one (class 0) for any other segment. */
static size_t
n_classes(const struct tr_segment *seg)
{
    return seg->classes ? seg->n_classes : 1;
}

static uint32_t
nth_class(const struct tr_segment *seg, size_t i)
{
    return seg->classes ? seg->classes[i]->secondary : 0;
}

/* Appends to 'match' the match on the source class 'class' of a frame of
 * 'seg' (nothing outside private VLANs). */
static void
put_class_match(const struct tr_segment *seg, uint32_t class,
                struct ds *match)
{
    if (seg->classes) {
        ds_put_format(match, ",reg7=%"PRIu32, class);
    }
}

static void
put_separator(struct ds *s)
{
    if (s->length) {
        ds_put_char(s, ',');
    }
}

/* Appends to 's' the actions that send a frame of 'seg', of source class
 * 'src_class', to VM port 'p': none if the private VLAN forbids it, else a
 * copy of the frame through the outgoing traffic control tables, for a
 * trunk port tagged with the segment's VLAN first (the pipeline carries
 * frames untagged).  Every output to a VM port is made here.  Returns true
 * if it appended an output. */
static bool
put_vm_output(const struct tr_segment *seg, uint32_t src_class,
              const struct tr_port *p, struct ds *s)
{
    if (!class_reaches(seg, src_class, port_class(p, seg))) {
        return false;
    }
    put_separator(s);
    tr_traffic_put_output(p->name, p->trunk ? seg->tag : 0, s);
    return true;
}

/* Appends to 's' the actions that send a frame of 'seg', of source class
 * 'class', out of the uplink with its VLAN tag: the segment's, or in a
 * private VLAN the source's secondary VLAN, as physical PVLAN trunks carry
 * it. */
static void
put_uplink_output(const struct tr_segment *seg, uint32_t class,
                  struct ds *s)
{
    uint32_t vlan = class ? class : seg->tag;

    if (vlan) {
        /* OFPVID_PRESENT | VID. */
        ds_put_format(s, "push_vlan:0x8100,set_field:%"PRIu32"->vlan_vid,",
                      0x1000 | vlan);
    }
    teaming_put_uplink_output(s);
}

/* Appends to 's' the actions that put a frame that entered from 'from' in
 * segment 'seg' with source class 'class' and go on: a VM's frame to the
 * traffic control tables, then the port policies, others to the known
 * MACs.  Every frame that table 0 accepts goes on from here. */
static void
put_classify(const struct tr_segment *seg, uint32_t class, int from,
             struct ds *s)
{
    put_separator(s);
    ds_put_format(s, "load:%"PRIu32"->NXM_NX_REG6[],load:%d->"
                  "NXM_NX_REG4[],", seg->id, from);
    if (seg->classes) {
        ds_put_format(s, "load:%"PRIu32"->NXM_NX_REG7[],", class);
    }
    ds_put_format(s, "resubmit(,%d)",
                  from == FROM_VM ? TRAFFIC_FILTER_TABLE : KNOWN_MAC_TABLE);
}

static void
put_tun_dst(const char *ip, struct ds *s)
{
    ds_put_format(s, "set_field:%s->%s,output:${vxlan}", ip,
                  strchr(ip, ':') ? "tun_ipv6_dst" : "tun_dst");
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

/* Appends to 's' the outputs to the ports of 'h' that a flooded frame of
 * 'seg' of source class 'class' may reach: broadcast or multicast
 * ('unicast' false) or unknown unicast ('unicast' true). */
static void
put_local_outputs(const struct tr_segment *seg, uint32_t class,
                  const struct tr_seg_host *h, bool unicast, struct ds *s)
{
    for (size_t i = 0; i < h->n_ports; i++) {
        if (port_gets_flood(h->ports[i], unicast)) {
            put_vm_output(seg, class, h->ports[i], s);
        }
    }
}

/* Returns flow group 'key' of 'state', adding it if it is not there. */
static struct dvs_flow_group *
find_or_add_group(struct dvs_host_state *state, const char *key,
                  const char *bridge)
{
    struct dvs_flow_group *g = dvs_host_state_find_group(state, key);
    return g ? g : dvs_host_state_add_group(state, key, bridge);
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
    /* A MAC that the controller does not know may be one that a port of
     * this host learned: its learned flow loads the port into reg5, and
     * the learned-output table sends the frame there, or floods it if
     * reg5 names no port (still 0: not learned). */
    dvs_flow_group_add_flow(g, 10, 0, "", "resubmit(,11),resubmit(,12)");
    dvs_flow_group_add_flow(g, 11, 0, "", "drop");
    dvs_flow_group_add_flow(g, 12, 0, "", "resubmit(,20)");
    dvs_flow_group_add_flow(g, 20, 0, "", "drop");
    tr_traffic_add_defaults(g, PORT_POLICY_TABLE);
    if (vxlan) {
        struct ds match = DS_EMPTY_INITIALIZER;

        /* The VTEP address on LOCAL reaches the physical network through
         * the uplink. */
        struct ds actions = DS_EMPTY_INITIALIZER;
        const char *u;
        size_t i;

        teaming_put_host_output(&m->uplink_names, &actions);
        dvs_flow_group_add_flow(g, 0, 1000, "in_port=${local}",
                                ds_cstr(&actions));
        ds_destroy(&actions);
        SVEC_FOR_EACH (i, u, &m->uplink_names) {
            if (!m->vtep_ipv6) {
                ds_clear(&match);
                ds_put_format(&match, "in_port=${uplink:%s},arp,arp_tpa=%s",
                              u, m->vtep);
                dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                        "output:${local}");
                ds_clear(&match);
                ds_put_format(&match, "in_port=${uplink:%s},ip,nw_dst=%s",
                              u, m->vtep);
                dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                        "output:${local}");
            } else {
                /* IPv6: neighbour solicitations go to a multicast address,
                 * so they are matched by their target. */
                ds_clear(&match);
                ds_put_format(&match, "in_port=${uplink:%s},icmp6,"
                              "icmp_type=135,nd_target=%s", u, m->vtep);
                dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                        "output:${local}");
                ds_clear(&match);
                ds_put_format(&match, "in_port=${uplink:%s},ipv6,"
                              "ipv6_dst=%s", u, m->vtep);
                dvs_flow_group_add_flow(g, 0, 1000, ds_cstr(&match),
                                        "output:${local}");
            }
        }
        ds_destroy(&match);
    }
}

/* Adds to 'g' the known-MAC flows, at 'priority', of MAC 'mac' of port 'p'
 * (its own or one it learned) in segment 'seg': delivery to it if it is
 * bound on this host ('local'), else (from VM ports only) the way to its
 * host.  In a private VLAN, one flow per source class that may reach it,
 * and a drop for the others just below, so that a forbidden unicast is
 * not flooded either. */
static void
add_known_mac_flows(struct dvs_flow_group *g, const struct tr_segment *seg,
                    const struct tr_port *p, const char *mac, bool local,
                    int priority)
{
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    bool forbidden = false;

    for (size_t i = 0; i < n_classes(seg); i++) {
        uint32_t class = nth_class(seg, i);

        ds_clear(&match);
        ds_clear(&actions);
        ds_put_format(&match, "reg6=%"PRIu32, seg->id);
        if (!local) {
            ds_put_format(&match, ",reg4=%d", FROM_VM);
        }
        put_class_match(seg, class, &match);
        ds_put_format(&match, ",dl_dst=%s", mac);
        if (!class_reaches(seg, class, port_class(p, seg))) {
            forbidden = true;
            continue;
        }
        if (local) {
            put_vm_output(seg, class, p, &actions);
        } else if (seg->vxlan) {
            ds_put_format(&actions, "set_field:%"PRIu32"->tun_id,",
                          seg->tag);
            put_tun_dst(p->member->vtep, &actions);
        } else {
            put_uplink_output(seg, class, &actions);
        }
        dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE, priority,
                                ds_cstr(&match), ds_cstr(&actions));
    }
    if (forbidden) {
        ds_clear(&match);
        ds_put_format(&match, "reg6=%"PRIu32"%s,dl_dst=%s", seg->id,
                      local ? "" : ",reg4=0", mac);
        dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE, priority - 10,
                                ds_cstr(&match), "drop");
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* <sw>/port/<P>/local: how the frames of P enter its segments (untagged,
 * or for a trunk port tagged with each VLAN of its ranges), and its known
 * MACs. */
static void
add_local_port_group(struct dvs_host_state *state, const struct tr_switch *sw,
                     const struct tr_port *p)
{
    char *key = xasprintf("%s/port/%s/local", sw->name, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;

    free(key);
    if (p->mac) {
        teaming_add_reverse_filter(g, &p->member->uplink_names, p->mac);
    }
    for (size_t i = 0; i < p->n_segs; i++) {
        const struct tr_segment *seg = p->segs[i];

        ds_clear(&match);
        ds_clear(&actions);
        if (p->trunk && seg->tag) {
            ds_put_format(&match, "in_port=${port:%s},dl_vlan=%"PRIu32,
                          p->name, seg->tag);
            ds_put_cstr(&actions, "pop_vlan");
        } else {
            ds_put_format(&match, "in_port=${port:%s},"
                          "vlan_tci=0x0000/0x1000", p->name);
        }
        put_separator(&actions);
        ds_put_cstr(&actions, p->uplink->action);
        put_classify(seg, port_class(p, seg), FROM_VM, &actions);
        dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match),
                                ds_cstr(&actions));
        if (p->mac && !p->inbound_dropped) {
            add_known_mac_flows(g, seg, p, p->mac, true, KNOWN_PRIORITY);
        }
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* Forgets the remote flows made so far. */
static void
remote_memo_clear(struct remote_memo *memo)
{
    struct remote_flows *rf;

    HMAP_FOR_EACH_POP (rf, node, &memo->flows) {
        free(rf);
    }
    dvs_host_state_clear(&memo->state);
}

/* Returns the flows of port 'p' of switch 'sw' in segment 'seg' on the hosts
 * other than its own, made once. */
static const struct dvs_flow_group *
remote_memo_get(struct remote_memo *memo, const struct tr_switch *sw,
                const struct tr_segment *seg, const struct tr_port *p)
{
    uint32_t hash = hash_pointer(seg, hash_pointer(p, 0));
    struct remote_flows *rf;

    HMAP_FOR_EACH_WITH_HASH (rf, node, hash, &memo->flows) {
        if (rf->seg == seg && rf->p == p) {
            return rf->group;
        }
    }

    char *key = xasprintf("%"PRIu32"/%s", seg->id, p->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(&memo->state, key,
                                                        sw->name);
    free(key);
    if (p->mac) {
        add_known_mac_flows(g, seg, p, p->mac, false, KNOWN_PRIORITY);
    }
    for (size_t i = 0; i < port_learned(p, seg)->n; i++) {
        add_known_mac_flows(g, seg, p, port_learned(p, seg)->names[i],
                            false, KNOWN_PRIORITY);
    }

    rf = xmalloc(sizeof *rf);
    rf->seg = seg;
    rf->p = p;
    rf->group = g;
    hmap_insert(&memo->flows, &rf->node, hash);
    return g;
}

/* <sw>/port/<P>/remote, for a port with a MAC bound on another host: the
 * flows of segment 'seg', one of those it shares with this host. */
static void
add_remote_port_flows(struct dvs_host_state *state,
                      const struct tr_switch *sw,
                      const struct tr_segment *seg, const struct tr_port *p,
                      struct remote_memo *memo)
{
    char *key = xasprintf("%s/port/%s/remote", sw->name, p->name);
    struct dvs_flow_group *g = find_or_add_group(state, key, sw->name);

    free(key);
    dvs_flow_group_append(g, remote_memo_get(memo, sw, seg, p));
}

/* <sw>/seg/<S>/ingress. */
static void
add_ingress_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_member *m, const struct tr_segment *seg)
{
    char *key = xasprintf("%s/seg/%"PRIu32"/ingress", sw->name, seg->id);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        sw->name);
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;

    free(key);
    if (!seg->vxlan) {
        /* Each VLAN of the segment: its own, or those of its private
         * VLAN, each giving the frame its source class. */
        for (size_t i = 0; i < n_classes(seg); i++) {
            uint32_t class = nth_class(seg, i);
            uint32_t vlan = class ? class : seg->tag;
            const char *u;
            size_t j;

            ds_clear(&actions);
            if (vlan) {
                ds_put_cstr(&actions, "pop_vlan");
            }
            put_classify(seg, class, FROM_UPLINK, &actions);
            /* Frames are accepted from every uplink of the host. */
            SVEC_FOR_EACH (j, u, &m->uplink_names) {
                ds_clear(&match);
                if (vlan) {
                    ds_put_format(&match, "in_port=${uplink:%s},dl_vlan=%"
                                  PRIu32, u, vlan);
                } else {
                    ds_put_format(&match, "in_port=${uplink:%s},"
                                  "vlan_tci=0x0000/0x1000", u);
                }
                dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match),
                                        ds_cstr(&actions));
            }
        }
    } else {
        const char *ip;
        size_t i;

        /* From the hosts of the switch... */
        ds_put_format(&match, "in_port=${vxlan},tun_id=%"PRIu32, seg->tag);
        put_classify(seg, 0, FROM_TUNNEL, &actions);
        dvs_flow_group_add_flow(g, 0, 100, ds_cstr(&match),
                                ds_cstr(&actions));

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
}

/* Appends to 'actions' the copies of a frame of VXLAN segment 'seg' for
 * the other hosts of the segment, by host name, then for the static remote
 * VTEPs, each address once. */
static void
put_vxlan_flood(const struct tr_segment *seg, const struct tr_seg_host *h,
                struct ds *actions)
{
    struct sset sent = SSET_INITIALIZER(&sent);
    const struct shash_node **hosts = shash_sort(&seg->hosts);
    struct svec targets = SVEC_EMPTY_INITIALIZER;
    const char *ip;
    size_t i;

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
        put_separator(actions);
        ds_put_format(actions, "set_field:%"PRIu32"->tun_id", seg->tag);
        SVEC_FOR_EACH (i, ip, &targets) {
            ds_put_char(actions, ',');
            put_tun_dst(ip, actions);
        }
    }
    svec_destroy(&targets);
    sset_destroy(&sent);
}

/* Adds to 'g' the flood flows of 'seg' on host 'h' for broadcast and
 * multicast ('unicast' false, at priority 100) or for unknown unicast (at
 * 110, only made where the two differ): in a private VLAN, one flow per
 * source class and origin. */
static void
add_flood_flows(struct dvs_flow_group *g, const struct tr_segment *seg,
                const struct tr_seg_host *h, bool unicast)
{
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct ds local = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < n_classes(seg); i++) {
        uint32_t class = nth_class(seg, i);

        ds_clear(&local);
        put_local_outputs(seg, class, h, unicast, &local);

        /* From a VM: to the other local ports, and to the rest of the
         * segment.  From the uplink or the tunnel: to the local ports only
         * (split horizon). */
        for (int from = FROM_VM; from <= FROM_TUNNEL; from++) {
            ds_clear(&match);
            ds_clear(&actions);
            ds_put_format(&match, "reg6=%"PRIu32",reg4=%d", seg->id, from);
            put_class_match(seg, class, &match);
            if (unicast) {
                ds_put_cstr(&match, ",dl_dst=00:00:00:00:00:00/"
                            "01:00:00:00:00:00");
            }
            ds_put_cstr(&actions, ds_cstr(&local));
            if (from == FROM_VM) {
                if (!seg->vxlan) {
                    put_separator(&actions);
                    put_uplink_output(seg, class, &actions);
                } else {
                    put_vxlan_flood(seg, h, &actions);
                }
            }
            dvs_flow_group_add_flow(g, FLOOD_TABLE, unicast ? 110 : 100,
                                    ds_cstr(&match),
                                    actions.length ? ds_cstr(&actions)
                                                   : "drop");
        }
    }
    ds_destroy(&match);
    ds_destroy(&actions);
    ds_destroy(&local);
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
    if (!seg->vxlan) {
        struct svec used = SVEC_EMPTY_INITIALIZER;
        bool hashed = false;

        for (size_t i = 0; i < h->n_ports; i++) {
            svec_append(&used, &h->ports[i]->uplink->order);
            hashed |= h->ports[i]->uplink->hashed;
        }
        teaming_add_flood_guard(g, seg->id, &h->member->uplink_names, &used,
                                hashed);
        svec_destroy(&used);
    }
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

    /* Every other source MAC is learned as a flow of the learned-MAC
     * table, with the port's cookie, within the port's mac-limit; the
     * learned flow names the port in reg5 for the learned-output table,
     * which makes the output as to any VM port (put_vm_output()).  With
     * mac-limit-policy=drop, table 6 drops a frame whose MAC the limit kept
     * from being learned; with allow, the frame goes on unlearned. */
    ds_put_format(&actions,
                  "learn(table=%d,cookie=%#"PRIx64",priority=%d,"
                  "idle_timeout=%"PRIu32",limit=%"PRIu32",%s"
                  "NXM_NX_REG6[],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                  "load:NXM_OF_IN_PORT[]->NXM_NX_REG5[0..15]),"
                  "resubmit(,%d)",
                  LEARNED_TABLE, dvs_learn_cookie(p->name),
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

/* <sw>/port/<P>/traffic, on the host of port P, if P has traffic control:
 * its filtering and marking rules, guards and shaping. */
static void
add_traffic_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_port *p)
{
    uint32_t *vlans = xcalloc(MAX(p->n_segs, 1), sizeof *vlans);
    size_t n_vlans = 0;
    char *key;

    if (!tr_traffic_has_flows(p->traffic)) {
        free(vlans);
        return;
    }
    /* A trunk port's frames of VLAN V are in segment V. */
    for (size_t i = 0; p->trunk && i < p->n_segs; i++) {
        if (!p->segs[i]->vxlan) {
            vlans[n_vlans++] = p->segs[i]->id;
        }
    }
    key = xasprintf("%s/port/%s/traffic", sw->name, p->name);
    tr_traffic_add_flows(dvs_host_state_add_group(state, key, sw->name),
                         p->name, p->traffic, vlans, n_vlans,
                         PORT_POLICY_TABLE);
    free(key);
    free(vlans);
}

/* <sw>/port/<P>/learned, on the host of port P, if it learns: the MACs
 * that P has learned (as the controller knows them), in each of its
 * segments.  They are there already where P learned them, but not where
 * P moved to, and a learned flow stays only as long as it is used.  Also
 * the learned-output flows of P: where the flows that P's learn() makes
 * send a frame of each of its segments (and source classes). */
static void
add_learned_group(struct dvs_host_state *state, const struct tr_switch *sw,
                  const struct tr_port *p)
{
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct dvs_flow_group *g;
    char *key;

    if (!port_learns(p)) {
        return;
    }
    key = xasprintf("%s/port/%s/learned", sw->name, p->name);
    g = dvs_host_state_add_group(state, key, sw->name);
    free(key);
    for (size_t i = 0; i < p->n_segs; i++) {
        const struct tr_segment *seg = p->segs[i];

        for (size_t j = 0; j < p->learned[i].n; j++) {
            add_known_mac_flows(g, seg, p, p->learned[i].names[j], true,
                                LEARNED_KNOWN_PRIORITY);
        }
        for (size_t j = 0; j < n_classes(seg); j++) {
            uint32_t class = nth_class(seg, j);

            ds_clear(&match);
            ds_clear(&actions);
            ds_put_format(&match, "reg5=${port:%s},reg6=%"PRIu32,
                          p->name, seg->id);
            put_class_match(seg, class, &match);
            put_vm_output(seg, class, p, &actions);
            dvs_flow_group_add_flow(g, LEARNED_OUTPUT_TABLE, 100,
                                    ds_cstr(&match),
                                    actions.length ? ds_cstr(&actions)
                                                   : "drop");
        }
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

static bool
port_gets_copy(const struct tr_port *p)
{
    return p->policy.promiscuous && !p->inbound_dropped;
}

/* Appends to 's' the copies, for the promiscuous ports of 'h' but
 * 'except', of a frame of 'seg' of source class 'class': only those that
 * the frame's class may reach, tagged for trunk ports (put_vm_output()). */
static void
put_promiscuous_outputs(const struct tr_segment *seg, uint32_t class,
                        const struct tr_seg_host *h,
                        const struct tr_port *except, struct ds *s)
{
    for (size_t i = 0; i < h->n_ports; i++) {
        if (h->ports[i] != except && port_gets_copy(h->ports[i])) {
            put_vm_output(seg, class, h->ports[i], s);
        }
    }
}

/* Adds to 'g' the flow that copies a unicast frame of 'seg' of source class
 * 'class' to the promiscuous ports of 'h' but 'except', marks reg0[1] and
 * looks the frame up again, for frames to 'mac' (all unicast if NULL, at
 * PROMISCUOUS_PRIORITY, else 10 above). */
static void
add_promiscuous_flow(struct dvs_flow_group *g, const struct tr_segment *seg,
                     uint32_t class, const struct tr_seg_host *h,
                     const struct tr_port *except, const char *mac)
{
    struct ds actions = DS_EMPTY_INITIALIZER;
    struct ds match = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&actions, "load:1->NXM_NX_REG0[1]");
    put_promiscuous_outputs(seg, class, h, except, &actions);
    ds_put_format(&actions, ",resubmit(,%d)", KNOWN_MAC_TABLE);
    ds_put_format(&match, "reg0=0/0x2,reg6=%"PRIu32, seg->id);
    put_class_match(seg, class, &match);
    ds_put_format(&match, ",dl_dst=%s",
                  mac ? mac : "00:00:00:00:00:00/01:00:00:00:00:00");
    dvs_flow_group_add_flow(g, KNOWN_MAC_TABLE,
                            PROMISCUOUS_PRIORITY + (mac ? 10 : 0),
                            ds_cstr(&match), ds_cstr(&actions));
    ds_destroy(&actions);
    ds_destroy(&match);
}

/* <sw>/seg/<S>/promiscuous, on a host with promiscuous ports in S: they get
 * a copy of every unicast frame of the segment that the host forwards and
 * that they could receive (in a private VLAN, from the source classes that
 * reach them); multicast and broadcast reach them by flooding.  The copy
 * is made on a first pass through the known-MAC table, which marks reg0[1]
 * and looks the frame up again; a frame to a promiscuous port's own MACs
 * does not copy it to that port twice. */
static void
add_promiscuous_group(struct dvs_host_state *state,
                      const struct tr_switch *sw,
                      const struct tr_segment *seg,
                      const struct tr_seg_host *h)
{
    struct dvs_flow_group *g = NULL;

    for (size_t i = 0; i < h->n_ports; i++) {
        const struct tr_port *p = h->ports[i];
        const struct svec *learned = port_learned(p, seg);

        if (!port_gets_copy(p)) {
            continue;
        }
        if (!g) {
            char *key = xasprintf("%s/seg/%"PRIu32"/promiscuous", sw->name,
                                  seg->id);
            g = dvs_host_state_add_group(state, key, sw->name);
            free(key);

            for (size_t c = 0; c < n_classes(seg); c++) {
                add_promiscuous_flow(g, seg, nth_class(seg, c), h, NULL,
                                     NULL);
            }
        }
        for (size_t j = 0; j <= learned->n; j++) {
            const char *mac = j ? learned->names[j - 1] : p->mac;

            for (size_t c = 0; mac && c < n_classes(seg); c++) {
                add_promiscuous_flow(g, seg, nth_class(seg, c), h, p, mac);
            }
        }
    }
}

/* The health check of 'sw' on bridge 'br', for the VLANs in use on the
 * switch: those of its VLAN-backed segments (access and trunk ports' VLANs
 * with ports bound anywhere, private VLANs' primaries) and of its private
 * VLAN map. */
static void
translate_switch_health_check(struct dvs_host_state *state,
                              struct dvs_bridge *br,
                              const struct tr_switch *sw)
{
    const struct tr_segment *seg;
    unsigned long *bitmap = bitmap_allocate(4095);
    uint32_t *vlans;
    size_t n = 0;

    HMAP_FOR_EACH (seg, node, &sw->segments) {
        if (!seg->vxlan && seg->tag < 4095) {
            bitmap_set1(bitmap, seg->tag);
        }
    }
    for (size_t i = 0; i < sw->n_pvlans; i++) {
        bitmap_set1(bitmap, sw->pvlans[i].primary);
        bitmap_set1(bitmap, sw->pvlans[i].secondary);
    }
    vlans = xmalloc(bitmap_count1(bitmap, 4095) * sizeof *vlans + 1);
    for (size_t v = 0; v < 4095; v++) {
        if (bitmap_is_set(bitmap, v)) {
            vlans[n++] = v;
        }
    }
    translate_health_check(state, br, sw->row, vlans, n);
    free(vlans);
    bitmap_free(bitmap);
}

/* ipfix-internal-only: the IPFIX sampling of the ports of 'sw' on member
 * 'm', restricted to frames for the MAC of another port on the host.  It
 * depends on every port of the host, so it goes in the base group, which
 * every partial translation of the host makes again. */
static void
add_ipfix_internal(struct dvs_host_state *state, const struct tr_switch *sw,
                   const struct tr_member *m, const struct dvs_bridge *br)
{
    if (!tr_ipfix_internal_only(sw->row, br)) {
        return;
    }

    char *key = xasprintf("%s/base", sw->name);
    struct dvs_flow_group *g = dvs_host_state_find_group(state, key);
    struct sset pairs = SSET_INITIALIZER(&pairs);
    const struct tr_segment *seg;

    free(key);
    HMAP_FOR_EACH (seg, node, &sw->segments) {
        const struct tr_seg_host *h = shash_find_data(&seg->hosts, m->host);

        for (size_t i = 0; h && i < h->n_ports; i++) {
            if (!tr_ipfix_port_enabled(sw->row, h->ports[i]->row)) {
                continue;
            }
            for (size_t j = 0; j < h->n_ports; j++) {
                const struct tr_port *p = h->ports[i], *q = h->ports[j];
                char *pair = xasprintf("%s %s", p->name, q->mac);

                if (p != q && q->mac && sset_add(&pairs, pair)) {
                    tr_ipfix_add_internal_flow(g, sw->row, br, p->row,
                                               q->mac);
                }
                free(pair);
            }
        }
    }
    sset_destroy(&pairs);
}

/* Adds to 'state' the groups of switch 'sw' on member 'm' that depend on
 * segments 'segs' (sorted by ID), and those of the ports in them and of
 * the blocked ports that 'want' has (all if it is NULL).
 * The bridge and the base group, which depend on the member alone, are
 * always made.
 *
 * The groups of the ports come from the segments: every port of 'want'
 * in a segment of 'segs' must have all its segments in 'segs', so that a
 * group that several segments make (a trunk port's) is complete. */
static void
translate_switch(struct dvs_host_state *state, const struct tr_switch *sw,
                 const struct tr_member *m, struct tr_segment **segs,
                 size_t n_segs, const struct sset *want,
                 struct remote_memo *memo)
{
    struct dvs_bridge *br = dvs_host_state_add_bridge(state, sw->name);
    struct sset local_ports = SSET_INITIALIZER(&local_ports);

    for (size_t i = 0; i < m->n_uplinks; i++) {
        dvs_bridge_add_uplink(br, m->uplinks[i].name, m->uplinks[i].pnic);
    }
    teaming_add_bridge_lags(m->lags, m->n_lags, &m->uplink_names, br);
    br->mtu = sw->mtu;
    dvs_bridge_set_vtep_ip(br, m->vtep);
    br->vxlan = m->vxlan;
    translate_lldp(state, br, sw->row);
    translate_switch_health_check(state, br, sw);
    tr_ipfix_translate_bridge(sw->row, br);

    /* By segment, so that the flows of a group that several segments make
     * (a trunk port's) come in one order. */
    for (size_t s = 0; s < n_segs; s++) {
        const struct tr_segment *seg = segs[s];
        const struct tr_seg_host *h = shash_find_data(&seg->hosts, m->host);

        if (!h) {
            continue;
        }
        for (size_t i = 0; i < h->n_ports; i++) {
            if ((!want || sset_contains(want, h->ports[i]->name))
                && sset_add(&local_ports, h->ports[i]->name)) {
                add_local_port_group(state, sw, h->ports[i]);
                add_port_policy_group(state, sw, h->ports[i]);
                add_learned_group(state, sw, h->ports[i]);
                add_traffic_group(state, sw, h->ports[i]);
                tr_ipfix_add_port(state, sw->row, br, h->ports[i]->row);
            }
        }
        add_promiscuous_group(state, sw, seg, h);
        for (size_t i = 0; i < seg->n_ports; i++) {
            const struct tr_port *p = seg->ports[i];
            if ((p->mac || port_learned(p, seg)->n)
                && strcmp(p->host, m->host)
                && (!want || sset_contains(want, p->name))) {
                add_remote_port_flows(state, sw, seg, p, memo);
            }
        }
        add_ingress_group(state, sw, m, seg);
        add_flood_group(state, sw, seg, h);
    }
    for (size_t i = 0; i < sw->n_blocked; i++) {
        const struct tr_port *p = sw->blocked[i];
        if (!strcmp(p->host, m->host)
            && (!want || sset_contains(want, p->name))) {
            add_blocked_group(state, sw, p);
        }
    }
    struct tr_mirror_host mh = { m->host, &m->uplink_names, m->vtep };
    bool tunnels = tr_mirrors_translate(sw->mirrors, sw->row, &mh, state, br);
    add_base_group(state, sw, m, br->vxlan || tunnels);
    teaming_add_group(state, sw->name, &m->uplink_names);
    add_ipfix_internal(state, sw, m, br);
    sset_destroy(&local_ports);
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
            size_t n_segs;
            struct tr_segment **segs = sorted_segments(sw, &n_segs);

            translate_switch(state, sw, m, segs, n_segs, NULL,
                             tr->remote_memo);
            free(segs);
        }
    }
}

/* Affected hosts and ports. */

static void
add_segment_hosts(const struct tr_segment *seg, struct sset *hosts)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &seg->hosts) {
        sset_add(hosts, node->name);
    }
}

void
dvs_translate_portgroup_ports(const struct dvs_translate *tr,
                              const char *portgroup, struct sset *ports)
{
    const struct tr_portgroup *pg = shash_find_data(&tr->portgroups,
                                                    portgroup);

    for (size_t i = 0; pg && i < pg->n_ports; i++) {
        sset_add(ports, pg->ports[i]->name);
    }
}

/* Partial translation. */

/* The kinds of flow groups, by what they belong to (the keys are
 * "SWITCH/KIND", "SWITCH/port/PORT/KIND" and "SWITCH/seg/ID/KIND").  The
 * switch's own groups are made with its bridge, every time. */
static const char *switch_group_kinds[] = {
    "base", "lldp", "health-check", "teaming",
};
static const char *port_group_kinds[] = {
    "local", "policy", "learned", "remote", "blocked", "traffic", "ipfix",
};
static const char *segment_group_kinds[] = {
    "ingress", "flood", "promiscuous",
};

void
dvs_translate_scope_init(struct dvs_translate_scope *scope)
{
    sset_init(&scope->ports);
    sset_init(&scope->segments);
    shash_init(&scope->keys);
}

void
dvs_translate_scope_destroy(struct dvs_translate_scope *scope)
{
    if (scope) {
        struct shash_node *node;

        sset_destroy(&scope->ports);
        sset_destroy(&scope->segments);
        SHASH_FOR_EACH (node, &scope->keys) {
            svec_destroy(node->data);
            free(node->data);
        }
        shash_destroy(&scope->keys);
    }
}

static char *
segment_name(const struct tr_switch *sw, const struct tr_segment *seg)
{
    return xasprintf("%s/seg/%"PRIu32, sw->name, seg->id);
}

/* Returns the segment named 'name' ("SWITCH/seg/ID") in 'tr', if any, and
 * its switch in '*swp'. */
static struct tr_segment *
find_segment_by_name(const struct dvs_translate *tr, const char *name,
                     const struct tr_switch **swp)
{
    const char *p = NULL;

    for (const char *q = name; (q = strstr(q, "/seg/")) != NULL; q++) {
        p = q;
    }
    if (!p) {
        return NULL;
    }

    char *sw_name = xmemdup0(name, p - name);
    const struct tr_switch *sw = shash_find_data(&tr->switches, sw_name);
    free(sw_name);

    char *end;
    unsigned long id = strtoul(p + strlen("/seg/"), &end, 10);
    if (!sw || *end || id > UINT32_MAX) {
        return NULL;
    }
    *swp = sw;
    return find_segment(sw, id);
}

bool
dvs_translate_host_in_segment(const struct dvs_translate *tr,
                              const char *host, const char *segment,
                              const struct sset *except)
{
    const struct tr_switch *sw;
    const struct tr_segment *seg = find_segment_by_name(tr, segment, &sw);
    const struct tr_seg_host *h = (seg ? shash_find_data(&seg->hosts, host)
                                   : NULL);

    for (size_t i = 0; h && i < h->n_ports; i++) {
        if (!sset_contains(except, h->ports[i]->name)) {
            return true;
        }
    }
    return false;
}

/* Adds the names of the segments of 'p' to 'names'. */
static void
port_segment_names(const struct tr_port *p, struct sset *names)
{
    for (size_t i = 0; i < p->n_segs; i++) {
        char *name = segment_name(p->pg->sw, p->segs[i]);
        sset_add(names, name);
        free(name);
    }
}

void
dvs_translate_port_segments(const struct dvs_translate *tr, const char *port,
                            struct sset *segments)
{
    const struct tr_port *p = shash_find_data(&tr->ports, port);

    if (p) {
        port_segment_names(p, segments);
    }
}

void
dvs_translate_all_ports(const struct dvs_translate *tr, struct sset *ports)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &tr->ports) {
        sset_add(ports, node->name);
    }
}

/* Adds to 'macs' the MACs that port 'p' claims in its segments: its own
 * and those it learned, normalized, whether the other ports of its
 * segments leave them to it or not. */
static void
port_claimed_macs(const struct dvs_translate *tr, const struct tr_port *p,
                  struct sset *macs)
{
    const struct sset *learned = dvs_bindings_get_learned(tr->bindings,
                                                          p->name);
    const char *entry;

    if (p->claimed_mac) {
        sset_add(macs, p->claimed_mac);
    }
    if (learned && port_learns(p)) {
        SSET_FOR_EACH (entry, learned) {
            struct eth_addr ea;
            bool has_segment;
            uint32_t segment;
            char *error = dvs_learned_parse(entry, &ea, &has_segment,
                                            &segment);
            if (!error) {
                char *mac = xasprintf(ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
                sset_add(macs, mac);
                free(mac);
            }
            free(error);
        }
    }
}

static bool
ssets_intersect(const struct sset *a, const struct sset *b)
{
    const char *name;

    if (sset_count(a) > sset_count(b)) {
        const struct sset *tmp = a;
        a = b;
        b = tmp;
    }
    SSET_FOR_EACH (name, a) {
        if (sset_contains(b, name)) {
            return true;
        }
    }
    return false;
}

/* Whether port 'p' claims one of 'macs' (see port_claimed_macs()): most
 * ports learn nothing, and their own MAC answers without a set made for
 * each. */
static bool
port_claims_any(const struct dvs_translate *tr, const struct tr_port *p,
                const struct sset *macs)
{
    const struct sset *learned = dvs_bindings_get_learned(tr->bindings,
                                                          p->name);

    if (p->claimed_mac && sset_contains(macs, p->claimed_mac)) {
        return true;
    }
    if (!learned || sset_is_empty(learned) || !port_learns(p)) {
        return false;
    }

    struct sset claimed = SSET_INITIALIZER(&claimed);
    port_claimed_macs(tr, p, &claimed);
    bool any = ssets_intersect(&claimed, macs);
    sset_destroy(&claimed);
    return any;
}

void
dvs_translate_port_macs(const struct dvs_translate *tr, const char *port,
                        struct sset *macs)
{
    const struct tr_port *p = shash_find_data(&tr->ports, port);

    if (p && p->n_segs) {
        port_claimed_macs(tr, p, macs);
    }
}

/* The flows themselves (shared with the hosts' states, made once per
 * run), so that whatever add_remote_port_flows() comes to depend on is
 * compared. */
void
dvs_translate_port_remote_flows(const struct dvs_translate *tr,
                                const char *port,
                                struct dvs_host_state *flows)
{
    const struct tr_port *p = shash_find_data(&tr->ports, port);

    for (size_t i = 0; p && i < p->n_segs; i++) {
        char *key = segment_name(p->pg->sw, p->segs[i]);
        struct dvs_flow_group *g = dvs_host_state_add_group(
            flows, key, p->pg->sw->name);

        dvs_flow_group_append(g, remote_memo_get(tr->remote_memo,
                                                 p->pg->sw, p->segs[i], p));
        free(key);
    }
}

const char *
dvs_translate_port_host(const struct dvs_translate *tr, const char *port)
{
    const struct tr_port *p = shash_find_data(&tr->ports, port);
    return p ? p->host : NULL;
}

void
dvs_translate_scope_close_macs(const struct dvs_translate *tr,
                               struct dvs_translate_scope *scope,
                               struct sset *macs)
{
    const char *name;
    bool changed;

    SSET_FOR_EACH (name, &scope->ports) {
        dvs_translate_port_segments(tr, name, &scope->segments);
        dvs_translate_port_macs(tr, name, macs);
    }
    do {
        struct svec segments = SVEC_EMPTY_INITIALIZER;
        size_t i;

        changed = false;
        SSET_FOR_EACH (name, &scope->segments) {
            svec_add(&segments, name);
        }
        SVEC_FOR_EACH (i, name, &segments) {
            const struct tr_switch *sw;
            const struct tr_segment *seg = find_segment_by_name(tr, name,
                                                                &sw);

            for (size_t j = 0; seg && j < seg->n_ports; j++) {
                const struct tr_port *p = seg->ports[j];

                if (!sset_contains(&scope->ports, p->name)
                    && port_claims_any(tr, p, macs)) {
                    sset_add(&scope->ports, p->name);
                    port_segment_names(p, &scope->segments);
                    port_claimed_macs(tr, p, macs);
                    changed = true;
                }
            }
        }
        svec_destroy(&segments);
    } while (changed);
}

void
dvs_translate_scope_close(const struct dvs_translate *tr,
                          struct dvs_translate_scope *scope)
{
    struct svec todo = SVEC_EMPTY_INITIALIZER;
    const char *name;

    SSET_FOR_EACH (name, &scope->ports) {
        dvs_translate_port_segments(tr, name, &scope->segments);
    }
    SSET_FOR_EACH (name, &scope->segments) {
        svec_add(&todo, name);
    }
    while (todo.n) {
        const struct tr_switch *sw;
        char *seg_name = todo.names[--todo.n];
        const struct tr_segment *seg = find_segment_by_name(tr, seg_name,
                                                            &sw);

        for (size_t i = 0; seg && i < seg->n_ports; i++) {
            const struct tr_port *p = seg->ports[i];

            if (!sset_add(&scope->ports, p->name)) {
                continue;
            }
            for (size_t j = 0; j < p->n_segs; j++) {
                char *other = segment_name(p->pg->sw, p->segs[j]);

                if (sset_add(&scope->segments, other)) {
                    svec_add_nocopy(&todo, other);
                } else {
                    free(other);
                }
            }
        }
        free(seg_name);
    }
    svec_destroy(&todo);
}

void
dvs_translate_scope_hosts(const struct dvs_translate *tr,
                          const struct dvs_translate_scope *scope,
                          struct sset *hosts)
{
    const char *name;

    SSET_FOR_EACH (name, &scope->segments) {
        const struct tr_switch *sw;
        const struct tr_segment *seg = find_segment_by_name(tr, name, &sw);

        if (seg) {
            add_segment_hosts(seg, hosts);
        }
    }
    SSET_FOR_EACH (name, &scope->ports) {
        const struct tr_port *p = shash_find_data(&tr->ports, name);

        if (p) {
            sset_add(hosts, p->host);
        }
    }
}

void
dvs_translate_host_scope(const struct dvs_translate *tr, const char *host,
                         const struct dvs_translate_scope *scope,
                         struct dvs_host_state *state)
{
    struct shash_node *node;

    dvs_host_state_clear(state);
    SHASH_FOR_EACH (node, &tr->switches) {
        const struct tr_switch *sw = node->data;
        const struct tr_member *m = shash_find_data(&sw->members, host);
        struct tr_segment **segs;
        size_t n_segs = 0;
        const char *name;

        if (!m) {
            continue;
        }
        segs = xmalloc((sset_count(&scope->segments) + 1) * sizeof *segs);
        SSET_FOR_EACH (name, &scope->segments) {
            const struct tr_switch *seg_sw;
            struct tr_segment *seg = find_segment_by_name(tr, name, &seg_sw);

            if (seg && seg_sw == sw && shash_find(&seg->hosts, host)) {
                segs[n_segs++] = seg;
            }
        }
        qsort(segs, n_segs, sizeof *segs, compare_segments);
        translate_switch(state, sw, m, segs, n_segs, &scope->ports,
                         tr->remote_memo);
        free(segs);
    }
}

bool
dvs_translate_scope_covers(const struct dvs_translate_scope *scope,
                           const char *key)
{
    const char *p = strstr(key, "/port/");
    const char *end = strrchr(key, '/');

    if (p && end > p + strlen("/port/")) {
        char *port = xmemdup0(p + strlen("/port/"),
                              end - (p + strlen("/port/")));
        bool covered = sset_contains(&scope->ports, port);
        free(port);
        return covered;
    }
    for (size_t i = 0; i < ARRAY_SIZE(switch_group_kinds); i++) {
        if (!strcmp(end + 1, switch_group_kinds[i])
            && end - key == strcspn(key, "/")) {
            return true;
        }
    }

    char *segment = xmemdup0(key, end - key);
    bool covered = sset_contains(&scope->segments, segment);
    free(segment);
    return covered;
}

const struct svec *
dvs_translate_scope_keys(const struct dvs_translate_scope *scope_,
                         const char *sw)
{
    struct dvs_translate_scope *scope = CONST_CAST(struct dvs_translate_scope *,
                                                   scope_);
    struct svec *keys = shash_find_data(&scope->keys, sw);
    size_t sw_len = strlen(sw);
    const char *name;

    if (keys) {
        return keys;
    }
    keys = xmalloc(sizeof *keys);
    svec_init(keys);
    shash_add(&scope->keys, sw, keys);

    for (size_t i = 0; i < ARRAY_SIZE(switch_group_kinds); i++) {
        svec_add_nocopy(keys, xasprintf("%s/%s", sw, switch_group_kinds[i]));
    }
    SSET_FOR_EACH (name, &scope->ports) {
        for (size_t i = 0; i < ARRAY_SIZE(port_group_kinds); i++) {
            svec_add_nocopy(keys, xasprintf("%s/port/%s/%s", sw, name,
                                            port_group_kinds[i]));
        }
    }
    SSET_FOR_EACH (name, &scope->segments) {
        if (!strncmp(name, sw, sw_len) && !strncmp(name + sw_len, "/seg/", 5)
            && !strchr(name + sw_len + 5, '/')) {
            for (size_t i = 0; i < ARRAY_SIZE(segment_group_kinds); i++) {
                svec_add_nocopy(keys, xasprintf("%s/%s", name,
                                                segment_group_kinds[i]));
            }
        }
    }
    svec_sort_unique(keys);
    return keys;
}
