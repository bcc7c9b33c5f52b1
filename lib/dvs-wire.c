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
#include "lib/dvs-wire.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-parse.h"
#include "unicode.h"
#include "openvswitch/util.h"
#include "util.h"

/* A decoder keeps a body buffer up to this size for the next frame; a larger
 * one is freed once its frame is complete, so that one big state update does
 * not pin its memory for the life of the connection. */
#define KEEP_BUFFER 65536

/* Smallest body buffer allocated. */
#define MIN_BUFFER 4096

static void
put_be32(uint8_t *p, uint32_t x)
{
    p[0] = x >> 24;
    p[1] = x >> 16;
    p[2] = x >> 8;
    p[3] = x;
}

static uint32_t
get_be32(const uint8_t *p)
{
    return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
           | ((uint32_t) p[2] << 8) | p[3];
}

/* Encodes 'env' into a frame: the 4-byte length prefix and the packed
 * envelope.  On success stores a malloc()'d frame in '*framep' and its size
 * (prefix included) in '*sizep' and returns NULL.  Fails, storing NULL and 0,
 * if 'env' has no body, misses a required field, or packs to more than
 * 'max_frame' bytes (0 means DVS_WIRE_DEFAULT_MAX_FRAME): the peer would
 * refuse such a frame, so it is better not sent. */
char *
dvs_wire_encode(const Dvs__Envelope *env, size_t max_frame,
                uint8_t **framep, size_t *sizep)
{
    *framep = NULL;
    *sizep = 0;

    if (!max_frame) {
        max_frame = DVS_WIRE_DEFAULT_MAX_FRAME;
    }
    if (env->body_case == DVS__ENVELOPE__BODY__NOT_SET) {
        return xstrdup("cannot encode an envelope without a body");
    }
    if (!protobuf_c_message_check(&env->base)) {
        return xasprintf("cannot encode %s envelope: a required field is "
                         "missing", dvs_wire_body_name(env->body_case));
    }

    size_t len = dvs__envelope__get_packed_size(env);
    if (len > max_frame || len > UINT32_MAX) {
        return xasprintf("%s envelope of %"PRIuSIZE" bytes exceeds the "
                         "maximum frame size of %"PRIuSIZE" bytes",
                         dvs_wire_body_name(env->body_case), len, max_frame);
    }

    uint8_t *frame = xmalloc(DVS_WIRE_HEADER_SIZE + len);
    put_be32(frame, len);
    size_t packed = dvs__envelope__pack(env, frame + DVS_WIRE_HEADER_SIZE);
    ovs_assert(packed == len);

    *framep = frame;
    *sizep = DVS_WIRE_HEADER_SIZE + len;
    return NULL;
}

/* Initializes 'd' to decode frames of at most 'max_frame' bytes (excluding
 * the length prefix); 0 means DVS_WIRE_DEFAULT_MAX_FRAME. */
void
dvs_wire_decoder_init(struct dvs_wire_decoder *d, size_t max_frame)
{
    memset(d, 0, sizeof *d);
    d->max_frame = MIN(max_frame ? max_frame : DVS_WIRE_DEFAULT_MAX_FRAME,
                       UINT32_MAX);
}

void
dvs_wire_decoder_destroy(struct dvs_wire_decoder *d)
{
    if (d) {
        free(d->body);
        d->body = NULL;
        d->body_allocated = 0;
    }
}

/* Number of bytes received that do not yet form a complete frame. */
size_t
dvs_wire_decoder_pending(const struct dvs_wire_decoder *d)
{
    return d->header_len + d->body_received;
}

/* Makes room for 'needed' bytes of body, growing geometrically so that a
 * frame received in many small pieces costs few copies, but never beyond
 * the announced length. */
static void
decoder_reserve(struct dvs_wire_decoder *d, size_t needed)
{
    if (needed > d->body_allocated) {
        size_t size = MAX(needed, MAX(MIN_BUFFER, 2 * d->body_allocated));
        size = MIN(size, d->body_len);
        d->body = xrealloc(d->body, size);
        d->body_allocated = size;
    }
}

/* Forgets the frame just completed. */
static void
decoder_next_frame(struct dvs_wire_decoder *d)
{
    d->header_len = 0;
    d->body_len = 0;
    d->body_received = 0;
    if (d->body_allocated > KEEP_BUFFER) {
        free(d->body);
        d->body = NULL;
        d->body_allocated = 0;
    }
}

static char *
decoder_fail(struct dvs_wire_decoder *d, char *error)
{
    d->failed = true;
    return error;
}

/* Feeds the decoder the '*sizep' bytes at '*datap'.  Consumes bytes up to
 * the end of the first frame that completes, or all of them if none does,
 * and advances '*datap' and '*sizep' past what it consumed.  When a frame
 * completed, stores its envelope in '*envp' (the caller frees it with
 * dvs__envelope__free_unpacked(env, NULL)), otherwise NULL.  Call it again
 * while '*sizep' is nonzero: one chunk may hold several frames.
 *
 * Returns an error when the peer's stream is not valid: a zero length, a
 * length above the maximum frame size, or a frame that protobuf-c cannot
 * unpack as an Envelope.  The stream cannot be resynchronized after that:
 * the caller drops the peer, and may only destroy the decoder. */
char *
dvs_wire_decode(struct dvs_wire_decoder *d,
                const uint8_t **datap, size_t *sizep, Dvs__Envelope **envp)
{
    const uint8_t *data = *datap;
    size_t n = *sizep;
    Dvs__Envelope *env = NULL;
    char *error = NULL;

    *envp = NULL;
    if (d->failed) {
        return xstrdup("the stream was already found invalid");
    }

    /* The length prefix. */
    if (d->header_len < DVS_WIRE_HEADER_SIZE) {
        size_t chunk = MIN(n, DVS_WIRE_HEADER_SIZE - d->header_len);

        memcpy(d->header + d->header_len, data, chunk);
        d->header_len += chunk;
        data += chunk;
        n -= chunk;
        if (d->header_len < DVS_WIRE_HEADER_SIZE) {
            goto out;
        }

        d->body_len = get_be32(d->header);
        if (!d->body_len) {
            error = decoder_fail(d, xstrdup("zero-length frame"));
            goto out;
        } else if (d->body_len > d->max_frame) {
            error = decoder_fail(d, xasprintf(
                                     "frame length %"PRIuSIZE" exceeds the "
                                     "maximum frame size of %"PRIuSIZE
                                     " bytes", d->body_len, d->max_frame));
            goto out;
        }
    }

    /* The body.  A frame that arrived whole is unpacked where it lies. */
    if (!d->body_received && n >= d->body_len) {
        env = dvs__envelope__unpack(NULL, d->body_len, data);
        data += d->body_len;
        n -= d->body_len;
    } else {
        size_t chunk = MIN(n, d->body_len - d->body_received);

        if (chunk) {
            decoder_reserve(d, d->body_received + chunk);
            memcpy(d->body + d->body_received, data, chunk);
            d->body_received += chunk;
            data += chunk;
            n -= chunk;
        }
        if (d->body_received < d->body_len) {
            goto out;
        }
        env = dvs__envelope__unpack(NULL, d->body_len, d->body);
    }

    if (!env) {
        error = decoder_fail(d, xasprintf("frame of %"PRIuSIZE" bytes is not "
                                          "a valid Envelope", d->body_len));
        goto out;
    }
    decoder_next_frame(d);
    *envp = env;

out:
    *datap = data;
    *sizep = n;
    return error;
}

/* Validation. */

static char *
check_nonempty(const char *what, const char *s)
{
    return s && s[0] ? NULL : xasprintf("%s is empty", what);
}

static char *
check_strings(const char *what, char **strings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strings[i] || !strings[i][0]) {
            return xasprintf("%s has an empty element", what);
        }
    }
    return NULL;
}

static char *
check_version(const char *what, uint32_t version)
{
    return version ? NULL : xasprintf("%s: protocol version is 0", what);
}

static char *
validate_hello(const Dvs__Hello *h)
{
    char *error = check_version("Hello", h->protocol_version);
    if (!error) {
        char *name_error = dvs_parse_name(h->host ? h->host : "",
                                          DVS_WIRE_HOST_NAME_MAX);
        if (name_error) {
            error = xasprintf("Hello: host: %s", name_error);
            free(name_error);
        }
    }
    if (!error) {
        error = check_strings("Hello: capabilities", h->capabilities,
                              h->n_capabilities);
    }
    if (!error) {
        error = check_strings("Hello: pnics", h->pnics, h->n_pnics);
    }
    return error;
}

static char *
validate_hello_reply(const Dvs__HelloReply *r)
{
    char *error = check_version("HelloReply", r->protocol_version);
    return error ? error : check_nonempty("HelloReply: epoch", r->epoch);
}

static char *
validate_state(const Dvs__StateUpdate *s)
{
    char *error = check_nonempty("StateUpdate: epoch", s->epoch);

    for (size_t i = 0; !error && i < s->n_bridges; i++) {
        const Dvs__Bridge *br = s->bridges[i];

        error = check_nonempty("StateUpdate: bridge name", br->name);
        for (size_t j = 0; !error && j < br->n_uplinks; j++) {
            error = check_nonempty("StateUpdate: uplink name",
                                   br->uplinks[j]->name);
            if (!error) {
                error = check_nonempty("StateUpdate: uplink pnic",
                                       br->uplinks[j]->pnic);
            }
        }
    }
    if (!error) {
        error = check_strings("StateUpdate: deleted_bridges",
                              s->deleted_bridges, s->n_deleted_bridges);
    }
    for (size_t i = 0; !error && i < s->n_flow_groups; i++) {
        const Dvs__FlowGroup *fg = s->flow_groups[i];

        error = check_nonempty("StateUpdate: flow group key", fg->key);
        if (!error) {
            error = check_nonempty("StateUpdate: flow group bridge",
                                   fg->bridge);
        }
        for (size_t j = 0; !error && j < fg->n_flows; j++) {
            const Dvs__Flow *f = fg->flows[j];

            if (f->table > 254) {
                error = xasprintf("StateUpdate: flow group %s: table %"PRIu32
                                  " is out of range (0 to 254)",
                                  fg->key, f->table);
            } else if (f->priority > UINT16_MAX) {
                error = xasprintf("StateUpdate: flow group %s: priority "
                                  "%"PRIu32" is out of range (0 to 65535)",
                                  fg->key, f->priority);
            } else {
                error = check_nonempty("StateUpdate: flow actions",
                                       f->actions);
            }
        }
    }
    if (!error) {
        error = check_strings("StateUpdate: deleted_flow_groups",
                              s->deleted_flow_groups,
                              s->n_deleted_flow_groups);
    }
    return error;
}

static char *
validate_bindings(const Dvs__Bindings *b)
{
    for (size_t i = 0; i < b->n_bindings; i++) {
        char *error = check_nonempty("Bindings: port", b->bindings[i]->port);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
validate_learned_list(const char *what, Dvs__LearnedMac **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct eth_addr mac;
        char *port_what = xasprintf("%s: port", what);
        char *error = check_nonempty(port_what, list[i]->port);

        free(port_what);
        if (!error) {
            error = dvs_parse_unicast_mac(list[i]->mac, &mac);
            if (error) {
                char *e = xasprintf("%s: mac: %s", what, error);
                free(error);
                error = e;
            }
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
validate_learned_macs(const Dvs__LearnedMacs *l)
{
    char *error = validate_learned_list("LearnedMacs: learned", l->learned,
                                        l->n_learned);
    return error ? error : validate_learned_list("LearnedMacs: forgotten",
                                                 l->forgotten,
                                                 l->n_forgotten);
}

/* Report text goes into the database: valid UTF-8 of bounded length. */
static char *
check_text(const char *what, const char *s, size_t max)
{
    char *error;

    if (!s) {
        return NULL;
    }
    if (strlen(s) > max) {
        return xasprintf("%s: longer than %"PRIuSIZE" bytes", what, max);
    }
    error = utf8_validate(s, NULL);
    if (error) {
        char *msg = xasprintf("%s: %s", what, error);
        free(error);
        return msg;
    }
    return NULL;
}

/* A switch and uplink name as Host_Member.uplinks holds them. */
static char *
check_switch_uplink(const char *what, const char *sw, const char *uplink)
{
    char *error = check_nonempty(what, sw);

    if (!error) {
        error = check_text(what, sw, 64);
    }
    if (!error) {
        error = check_nonempty(what, uplink);
    }
    return error ? error : check_text(what, uplink, 32);
}

static char *
validate_lldp_neighbors(const Dvs__LldpNeighbors *l)
{
    static const char what[] = "LldpNeighbors: neighbor";

    for (size_t i = 0; i < l->n_neighbors; i++) {
        const Dvs__LldpNeighbor *n = l->neighbors[i];
        const char *texts[] = { n->chassis_id, n->port_id, n->system_name,
                                n->port_description,
                                n->management_address };
        char *error = check_switch_uplink(what, n->switch_, n->uplink);

        for (size_t j = 0; !error && j < ARRAY_SIZE(texts); j++) {
            error = check_text(what, texts[j], 1024);
        }
        if (!error && n->has_ttl && n->ttl > UINT16_MAX) {
            error = xasprintf("%s: ttl %"PRIu32" out of range", what, n->ttl);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
check_vlans(const char *what, const uint32_t *vlans, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (vlans[i] > 4094) {
            return xasprintf("%s: VLAN %"PRIu32" out of range", what,
                             vlans[i]);
        }
    }
    return NULL;
}

static char *
validate_health_check(const Dvs__HealthCheckResults *h)
{
    static const char what[] = "HealthCheckResults: result";
    static const char *statuses[] = { "iphashMatch", "nonIphashMatch",
                                      "iphashMismatch", "nonIphashMismatch" };

    for (size_t i = 0; i < h->n_results; i++) {
        const Dvs__HealthCheckResult *r = h->results[i];
        char *error = check_switch_uplink(what, r->switch_, r->uplink);

        if (!error) {
            error = check_vlans(what, r->trunked_vlans, r->n_trunked_vlans);
        }
        if (!error) {
            error = check_vlans(what, r->untrunked_vlans,
                                r->n_untrunked_vlans);
        }
        if (!error) {
            error = check_vlans(what, r->vlans_mtu_ok, r->n_vlans_mtu_ok);
        }
        if (!error) {
            error = check_vlans(what, r->vlans_mtu_failed,
                                r->n_vlans_mtu_failed);
        }
        if (!error && r->teaming_status) {
            bool known = false;

            for (size_t j = 0; j < ARRAY_SIZE(statuses); j++) {
                known = known || !strcmp(r->teaming_status, statuses[j]);
            }
            if (!known) {
                error = xstrdup("HealthCheckResults: result: unknown "
                                "teaming_status");
            }
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
validate_statistics(const Dvs__Statistics *s)
{
    for (size_t i = 0; i < s->n_ports; i++) {
        char *error = check_nonempty("Statistics: port", s->ports[i]->port);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
validate_mirror_statistics(const Dvs__MirrorStatistics *s)
{
    for (size_t i = 0; i < s->n_mirrors; i++) {
        char *error = check_nonempty("MirrorStatistics: bridge",
                                     s->mirrors[i]->bridge);
        if (!error) {
            error = check_nonempty("MirrorStatistics: name",
                                   s->mirrors[i]->name);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

static char *
validate_error(const Dvs__Error *e)
{
    switch (e->code) {
    case DVS__ERROR__CODE__VERSION_MISMATCH:
    case DVS__ERROR__CODE__UNKNOWN_HOST:
    case DVS__ERROR__CODE__BAD_MESSAGE:
    case DVS__ERROR__CODE__NOT_AUTHORIZED:
    case DVS__ERROR__CODE__OVERLOADED:
        return NULL;
    case _DVS__ERROR__CODE_IS_INT_SIZE:
    default:
        return xasprintf("Error: unknown code %d", (int) e->code);
    }
}

static char *
validate_lacp(const Dvs__TeamingLacpReport *report)
{
    for (size_t i = 0; i < report->n_lags; i++) {
        char *error = check_nonempty("TeamingLacpReport: switch_name",
                                     report->lags[i]->switch_name);
        if (!error) {
            error = check_nonempty("TeamingLacpReport: lag",
                                   report->lags[i]->lag);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Checks what protobuf-c cannot: that 'env' has a body and that the fields
 * the daemons rely on make sense (a host name that is a valid name of at
 * most DVS_WIRE_HOST_NAME_MAX characters, a nonzero protocol version,
 * nonempty epochs and keys, flow tables and priorities in range).
 * protobuf-c's unpack already refused envelopes that miss a required
 * field. */
char *
dvs_wire_validate(const Dvs__Envelope *env)
{
    switch (env->body_case) {
    case DVS__ENVELOPE__BODY_HELLO:
        return validate_hello(env->hello);
    case DVS__ENVELOPE__BODY_HELLO_REPLY:
        return validate_hello_reply(env->hello_reply);
    case DVS__ENVELOPE__BODY_STATE:
        return validate_state(env->state);
    case DVS__ENVELOPE__BODY_ACK:
        return check_nonempty("Ack: epoch", env->ack->epoch);
    case DVS__ENVELOPE__BODY_CONFIRM:
        return check_nonempty("Confirm: epoch", env->confirm->epoch);
    case DVS__ENVELOPE__BODY_BINDINGS:
        return validate_bindings(env->bindings);
    case DVS__ENVELOPE__BODY_STATISTICS:
        return validate_statistics(env->statistics);
    case DVS__ENVELOPE__BODY_LEARNED_MACS:
        return validate_learned_macs(env->learned_macs);
    case DVS__ENVELOPE__BODY_LACP:
        return validate_lacp(env->lacp);
    case DVS__ENVELOPE__BODY_LLDP_NEIGHBORS:
        return validate_lldp_neighbors(env->lldp_neighbors);
    case DVS__ENVELOPE__BODY_HEALTH_CHECK:
        return validate_health_check(env->health_check);
    case DVS__ENVELOPE__BODY_MIRROR_STATISTICS:
        return validate_mirror_statistics(env->mirror_statistics);
    case DVS__ENVELOPE__BODY_STATUS:
    case DVS__ENVELOPE__BODY_HEARTBEAT:
        return NULL;
    case DVS__ENVELOPE__BODY_ERROR:
        return validate_error(env->error);
    case DVS__ENVELOPE__BODY__NOT_SET:
    case _DVS__ENVELOPE__BODY__CASE_IS_INT_SIZE:
    default:
        return xstrdup("envelope has no body");
    }
}

/* Returns NULL if a peer that speaks 'peer_version' can talk to us,
 * otherwise the text of the VERSION_MISMATCH Error to send it, which names
 * both versions. */
char *
dvs_wire_check_version(uint32_t peer_version)
{
    if (peer_version == DVS_PROTOCOL_VERSION) {
        return NULL;
    }
    return xasprintf("protocol version mismatch: this side speaks version %d, "
                     "the peer speaks version %"PRIu32,
                     DVS_PROTOCOL_VERSION, peer_version);
}

/* Helpers. */

/* Makes 'env' an Error envelope whose body is 'error', with 'code' and
 * 'message' (which must outlive 'env'; nothing is copied). */
void
dvs_wire_error_init(Dvs__Envelope *env, Dvs__Error *error,
                    Dvs__Error__Code code, const char *message)
{
    dvs__envelope__init(env);
    dvs__error__init(error);
    error->code = code;
    error->message = CONST_CAST(char *, message);
    env->body_case = DVS__ENVELOPE__BODY_ERROR;
    env->error = error;
}

/* The name of a body, as in proto/dvs.proto, for log messages. */
const char *
dvs_wire_body_name(Dvs__Envelope__BodyCase body)
{
    switch (body) {
    case DVS__ENVELOPE__BODY_HELLO: return "Hello";
    case DVS__ENVELOPE__BODY_HELLO_REPLY: return "HelloReply";
    case DVS__ENVELOPE__BODY_STATE: return "StateUpdate";
    case DVS__ENVELOPE__BODY_ACK: return "Ack";
    case DVS__ENVELOPE__BODY_BINDINGS: return "Bindings";
    case DVS__ENVELOPE__BODY_STATUS: return "Status";
    case DVS__ENVELOPE__BODY_STATISTICS: return "Statistics";
    case DVS__ENVELOPE__BODY_HEARTBEAT: return "Heartbeat";
    case DVS__ENVELOPE__BODY_ERROR: return "Error";
    case DVS__ENVELOPE__BODY_CONFIRM: return "Confirm";
    case DVS__ENVELOPE__BODY_LEARNED_MACS: return "LearnedMacs";
    case DVS__ENVELOPE__BODY_LACP: return "TeamingLacpReport";
    case DVS__ENVELOPE__BODY_LLDP_NEIGHBORS: return "LldpNeighbors";
    case DVS__ENVELOPE__BODY_HEALTH_CHECK: return "HealthCheckResults";
    case DVS__ENVELOPE__BODY_MIRROR_STATISTICS: return "MirrorStatistics";
    case DVS__ENVELOPE__BODY__NOT_SET:
    case _DVS__ENVELOPE__BODY__CASE_IS_INT_SIZE:
    default:
        return "(no body)";
    }
}

const char *
dvs_wire_error_code_name(Dvs__Error__Code code)
{
    switch (code) {
    case DVS__ERROR__CODE__VERSION_MISMATCH: return "VERSION_MISMATCH";
    case DVS__ERROR__CODE__UNKNOWN_HOST: return "UNKNOWN_HOST";
    case DVS__ERROR__CODE__BAD_MESSAGE: return "BAD_MESSAGE";
    case DVS__ERROR__CODE__NOT_AUTHORIZED: return "NOT_AUTHORIZED";
    case DVS__ERROR__CODE__OVERLOADED: return "OVERLOADED";
    case _DVS__ERROR__CODE_IS_INT_SIZE:
    default:
        return "(unknown code)";
    }
}

/* Frees a decoded envelope; usable as a destructor of mailbox messages. */
void
dvs_wire_envelope_free(void *env)
{
    if (env) {
        dvs__envelope__free_unpacked(env, NULL);
    }
}
