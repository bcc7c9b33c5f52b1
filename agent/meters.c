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
#include "agent/meters.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "openflow/openflow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/shash.h"
#include "openvswitch/util.h"
#include "util.h"

/* Meter IDs are 1 to MAX_METER_ID: a hash of PORT:DIR, so that a restarted
 * dvs-agent finds its meters under the same IDs, probing on. */
#define MAX_METER_ID 65535

struct meter_config {
    uint64_t rate;              /* kbit/s. */
    uint64_t burst;             /* kbit. */
    uint64_t peak;              /* kbit/s, 0 for none. */
    uint64_t peak_burst;        /* kbit. */
};

struct meter {
    struct hmap_node id_node;   /* In struct meters's 'by_id'. */
    char *key;                  /* "PORT:DIR", owned by 'by_key'. */
    uint32_t id;
    struct meter_config want;   /* As the flows name it. */
    struct meter_config sent;   /* As last sent to the switch. */
    bool sent_valid;            /* The switch has it, as 'sent'. */
    bool in_use;                /* Named by a desired flow. */

    /* Last statistics read. */
    bool have_stats;
    uint64_t packets, bytes, dropped;
};

struct meters {
    struct shash by_key;        /* "PORT:DIR" -> struct meter. */
    struct hmap by_id;          /* Contains "struct meter"s. */

    /* The meters the switch had when the connection was made, until the
     * first bundle is done: those that no desired flow uses are then left
     * over from before (a port removed while dvs-agent was down). */
    uint32_t *found;
    size_t n_found, allocated_found;
};

struct meters *
meters_create(void)
{
    struct meters *m = xzalloc(sizeof *m);

    shash_init(&m->by_key);
    hmap_init(&m->by_id);
    return m;
}

static void
meter_destroy(struct meters *m, struct meter *meter)
{
    hmap_remove(&m->by_id, &meter->id_node);
    shash_find_and_delete(&m->by_key, meter->key);
    free(meter);
}

void
meters_destroy(struct meters *m)
{
    if (m) {
        struct shash_node *node, *next;

        SHASH_FOR_EACH_SAFE (node, next, &m->by_key) {
            meter_destroy(m, node->data);
        }
        shash_destroy(&m->by_key);
        hmap_destroy(&m->by_id);
        free(m->found);
        free(m);
    }
}

bool
meters_is_symbol(const char *name)
{
    return !strncmp(name, "meter:", 6);
}

bool
meters_is_empty(const struct meters *m)
{
    return shash_is_empty(&m->by_key);
}

/* Parses meter symbol 'name' into its key ("PORT:DIR", to free) and its
 * configuration.  The port name may hold colons: the fields are taken from
 * the right. */
static char *
parse_symbol(const char *name, char **key, struct meter_config *cfg)
{
    uint64_t values[4];

    *key = NULL;
    const char *end = name + strlen(name);

    if (!meters_is_symbol(name)) {
        return xasprintf("\"%s\" is not a meter", name);
    }
    for (int i = 3; i >= 0; i--) {
        const char *colon = end - 1;
        char *tail;

        while (colon > name + 6 && *colon != ':') {
            colon--;
        }
        if (colon <= name + 6) {
            return xasprintf("meter \"${%s}\" lacks fields (use ${meter:PORT:"
                             "DIR:RATE:BURST:PEAK:PEAK_BURST})", name);
        }
        errno = 0;
        values[i] = strtoull(colon + 1, &tail, 10);
        if (tail != end || colon + 1 == end || errno
            || values[i] > UINT32_MAX) {
            return xasprintf("meter \"${%s}\": \"%.*s\" is not a number",
                             name, (int) (end - colon - 1), colon + 1);
        }
        end = colon;
    }
    cfg->rate = values[0];
    cfg->burst = values[1];
    cfg->peak = values[2];
    cfg->peak_burst = values[3];
    if (!cfg->rate || !cfg->burst || (cfg->peak && !cfg->peak_burst)) {
        return xasprintf("meter \"${%s}\": rates and bursts must not be 0",
                         name);
    }

    size_t len = end - (name + 6);
    if (!((len > 3 && !memcmp(end - 3, ":in", 3))
          || (len > 4 && !memcmp(end - 4, ":out", 4)))) {
        return xasprintf("meter \"${%s}\": the direction must be \"in\" or "
                         "\"out\"", name);
    }
    *key = xmemdup0(name + 6, len);
    return NULL;
}

static struct meter *
find_by_id(const struct meters *m, uint32_t id)
{
    struct meter *meter;

    HMAP_FOR_EACH_WITH_HASH (meter, id_node, hash_int(id, 0), &m->by_id) {
        if (meter->id == id) {
            return meter;
        }
    }
    return NULL;
}

static struct meter *
get_meter(struct meters *m, const char *key)
{
    struct meter *meter = shash_find_data(&m->by_key, key);

    if (!meter) {
        uint32_t id = 1 + hash_string(key, 0) % MAX_METER_ID;

        ovs_assert(hmap_count(&m->by_id) < MAX_METER_ID);
        while (find_by_id(m, id)) {
            id = id % MAX_METER_ID + 1;
        }
        meter = xzalloc(sizeof *meter);
        meter->id = id;
        hmap_insert(&m->by_id, &meter->id_node, hash_int(id, 0));
        meter->key = shash_add(&m->by_key, key, meter)->name;
    }
    return meter;
}

/* Checks meter symbol 'name' (without "${}").  Returns NULL or an
 * error. */
char *
meters_check(const char *name)
{
    struct meter_config cfg;
    char *key;
    char *error = parse_symbol(name, &key, &cfg);

    free(key);
    return error;
}

/* Resolves meter symbol 'name' (without "${}") to its meter's ID, making
 * the meter if it is new.  Returns NULL, or an error if 'name' is not a
 * valid meter symbol. */
char *
meters_resolve(struct meters *m, const char *name, uint32_t *id)
{
    struct meter_config cfg;
    char *key;
    char *error = parse_symbol(name, &key, &cfg);

    if (error) {
        return error;
    }
    struct meter *meter = get_meter(m, key);
    meter->want = cfg;
    *id = meter->id;
    free(key);
    return NULL;
}

/* Marks the meters that the symbols of 'symbol_groups' (symbol -> groups
 * of the desired flows that name it) use, with their configuration. */
static void
mark_in_use(struct meters *m, const struct shash *symbol_groups)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &m->by_key) {
        struct meter *meter = node->data;
        meter->in_use = false;
    }
    SHASH_FOR_EACH (node, symbol_groups) {
        struct meter_config cfg;
        char *key;
        char *error;

        if (!meters_is_symbol(node->name)) {
            continue;
        }
        error = parse_symbol(node->name, &key, &cfg);
        if (error) {
            free(error);
            continue;
        }
        struct meter *meter = get_meter(m, key);
        meter->in_use = true;
        meter->want = cfg;
        free(key);
    }
}

static struct ofpbuf *
encode_meter_delete(int version, uint32_t id)
{
    struct ofputil_meter_mod mm = {
        .command = OFPMC13_DELETE,
        .meter = { .meter_id = id },
    };
    return ofputil_encode_meter_mod(version, &mm);
}

static struct ofpbuf *
encode_meter_mod(int version, uint16_t command, const struct meter *meter)
{
    struct ofputil_meter_band bands[2] = {
        { .type = OFPMBT13_DROP, .rate = meter->want.rate,
          .burst_size = meter->want.burst },
        { .type = OFPMBT13_DROP, .rate = meter->want.peak,
          .burst_size = meter->want.peak_burst },
    };
    struct ofputil_meter_mod mm = {
        .command = command,
        .meter = {
            .meter_id = meter->id,
            .flags = OFPMF13_KBPS | OFPMF13_BURST | OFPMF13_STATS,
            .n_bands = command == OFPMC13_DELETE ? 0
                       : meter->want.peak ? 2 : 1,
            .bands = bands,
        },
    };
    return ofputil_encode_meter_mod(version, &mm);
}

static bool
config_equal(const struct meter_config *a, const struct meter_config *b)
{
    return (a->rate == b->rate && a->burst == b->burst && a->peak == b->peak
            && a->peak_burst == b->peak_burst);
}

/* Appends to 'msgs' the METER_MODs that make the switch's meters those
 * that 'symbol_groups' use, as they name them.  A meter that the switch
 * may have already (a restarted dvs-agent's) is added and then modified:
 * the add fails if it exists, and the modification keeps the flows that
 * use it. */
void
meters_install(struct meters *m, const struct shash *symbol_groups,
               int version, struct ovs_list *msgs)
{
    struct shash_node *node;

    mark_in_use(m, symbol_groups);
    SHASH_FOR_EACH (node, &m->by_key) {
        struct meter *meter = node->data;
        struct ofpbuf *msg;

        if (!meter->in_use
            || (meter->sent_valid
                && config_equal(&meter->sent, &meter->want))) {
            continue;
        }
        if (!meter->sent_valid) {
            msg = encode_meter_mod(version, OFPMC13_ADD, meter);
            ovs_list_push_back(msgs, &msg->list_node);
        }
        msg = encode_meter_mod(version, OFPMC13_MODIFY, meter);
        ovs_list_push_back(msgs, &msg->list_node);
        meter->sent = meter->want;
        meter->sent_valid = true;
    }
}

/* Appends to 'msgs' the deletion of the meters that no desired flow uses
 * any more, and forgets them, and of the meters left over on the switch.
 * Call once the flows that used them are gone: deleting a meter deletes
 * the flows that use it. */
void
meters_remove_unused(struct meters *m, const struct shash *symbol_groups,
                     int version, struct ovs_list *msgs)
{
    struct shash_node *node, *next;
    struct ofpbuf *msg;

    mark_in_use(m, symbol_groups);
    SHASH_FOR_EACH_SAFE (node, next, &m->by_key) {
        struct meter *meter = node->data;

        if (!meter->in_use) {
            if (meter->sent_valid) {
                msg = encode_meter_delete(version, meter->id);
                ovs_list_push_back(msgs, &msg->list_node);
            }
            meter_destroy(m, meter);
        }
    }
    for (size_t i = 0; i < m->n_found; i++) {
        if (!find_by_id(m, m->found[i])) {
            msg = encode_meter_delete(version, m->found[i]);
            ovs_list_push_back(msgs, &msg->list_node);
        }
    }
    m->n_found = 0;
}

/* A new connection: the switch may have been restarted. */
void
meters_reset(struct meters *m)
{
    struct shash_node *node;

    m->n_found = 0;
    SHASH_FOR_EACH (node, &m->by_key) {
        struct meter *meter = node->data;
        meter->sent_valid = false;
        meter->have_stats = false;
    }
}

/* The request for the switch's meters, to send on a new connection before
 * anything else: its reply must come before the first bundle is done. */
struct ofpbuf *
meters_config_request(int version)
{
    return ofputil_encode_meter_request(version, OFPUTIL_METER_CONFIG,
                                        OFPM13_ALL);
}

/* Notes the meters of a reply to meters_config_request(). */
void
meters_handle_config_reply(struct meters *m, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_config mc;

        if (ofputil_decode_meter_config(&msg, &mc, &bands)) {
            break;
        }
        if (m->n_found >= m->allocated_found) {
            m->found = x2nrealloc(m->found, &m->allocated_found,
                                  sizeof *m->found);
        }
        m->found[m->n_found++] = mc.meter_id;
    }
    ofpbuf_uninit(&bands);
}

struct ofpbuf *
meters_stats_request(struct meters *m OVS_UNUSED, int version)
{
    return ofputil_encode_meter_request(version, OFPUTIL_METER_STATS,
                                        OFPM13_ALL);
}

void
meters_handle_stats_reply(struct meters *m, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_stats ms;
        struct meter *meter;

        if (ofputil_decode_meter_stats(&msg, &ms, &bands)) {
            break;
        }
        meter = find_by_id(m, ms.meter_id);
        if (meter) {
            meter->have_stats = true;
            meter->packets = ms.packet_in_count;
            meter->bytes = ms.byte_in_count;
            meter->dropped = 0;
            for (size_t i = 0; i < ms.n_bands; i++) {
                meter->dropped += ms.bands[i].packet_count;
            }
        }
    }
    ofpbuf_uninit(&bands);
}

/* Appends to 's' a line per meter: "PORT DIR: meter ID, ...". */
void
meters_format(const struct meters *m, struct ds *s)
{
    const struct shash_node **nodes = shash_sort(&m->by_key);

    for (size_t i = 0; i < shash_count(&m->by_key); i++) {
        const struct meter *meter = nodes[i]->data;
        const char *colon = strrchr(meter->key, ':');

        ds_put_format(s, "  %.*s %s: meter %"PRIu32", %"PRIu64" kbit/s, "
                      "burst %"PRIu64" kbit", (int) (colon - meter->key),
                      meter->key, colon + 1, meter->id, meter->want.rate,
                      meter->want.burst);
        if (meter->want.peak) {
            ds_put_format(s, ", peak %"PRIu64" kbit/s", meter->want.peak);
        }
        if (meter->have_stats) {
            ds_put_format(s, ": %"PRIu64" packets (%"PRIu64" bytes) in, "
                          "%"PRIu64" dropped", meter->packets, meter->bytes,
                          meter->dropped);
        }
        ds_put_char(s, '\n');
    }
    free(nodes);
}
