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

/* Unit tests for lib/dvs-wire.c: framing, incremental decoding and
 * validation of the controller <-> agent envelopes. */

#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-wire.h"
#include "openvswitch/util.h"
#include "random.h"
#include "util.h"

#include "tests/test-dvs.h"

/* Envelopes of every kind, with their fields filled in. */

struct sample {
    Dvs__Envelope env;
    union {
        Dvs__Hello hello;
        Dvs__HelloReply hello_reply;
        Dvs__StateUpdate state;
        Dvs__Ack ack;
        Dvs__Bindings bindings;
        Dvs__Status status;
        Dvs__Statistics statistics;
        Dvs__Heartbeat heartbeat;
        Dvs__Error error;
        Dvs__LearnedMacs learned_macs;
        Dvs__MirrorStatistics mirror_statistics;
    };
};

static char *capabilities[] = { "bundles", "meters" };
static Dvs__MirrorCounters mirror_counters = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__mirror_counters__descriptor),
    .bridge = "dvs1", .name = "span1",
    .has_tx_packets = true, .tx_packets = 12,
    .has_tx_bytes = true, .tx_bytes = 3400,
};
static Dvs__MirrorCounters *mirror_counters_list[] = { &mirror_counters };
static char *pnics[] = { "eth1", "eth2" };

static Dvs__Uplink uplink1 = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__uplink__descriptor),
    .name = "uplink1", .pnic = "eth1",
};
static Dvs__Uplink *uplinks[] = { &uplink1 };
static Dvs__Bridge bridge = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__bridge__descriptor),
    .name = "dvs1", .n_uplinks = 1, .uplinks = uplinks,
    .bond_mode = "active-backup", .has_mtu = true, .mtu = 1500,
    .has_vxlan = true, .vxlan = true, .vtep_ip = "192.0.2.1",
    .has_datapath_id = true, .datapath_id = 0xd5,
};
static Dvs__Bridge *bridges[] = { &bridge };
static Dvs__Flow flow1 = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__flow__descriptor),
    .table = 10, .priority = 100, .match = "reg6=1,dl_dst=00:11:22:33:44:55",
    .actions = "output:${port:p1}",
};
static Dvs__Flow flow2 = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__flow__descriptor),
    .table = 0, .priority = 0, .match = "", .actions = "drop",
};
static Dvs__Flow *flows[] = { &flow1, &flow2 };
static Dvs__FlowGroup group = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__flow_group__descriptor),
    .key = "dvs1/port/p1/local", .bridge = "dvs1",
    .n_flows = 2, .flows = flows,
};
static Dvs__FlowGroup *groups[] = { &group };
static char *deleted_bridges[] = { "old" };
static char *deleted_groups[] = { "dvs1/port/p0/local" };
static Dvs__Binding binding = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__binding__descriptor),
    .port = "p1", .bridge = "dvs1", .interface = "vm1-eth0",
    .has_ofport = true, .ofport = 3, .mac = "00:11:22:33:44:55",
    .has_up = true, .up = true, .has_deleted = true, .deleted = false,
};
static Dvs__Binding *bindings[] = { &binding };
static Dvs__PortStatistics port_stats = {
    .base = PROTOBUF_C_MESSAGE_INIT(&dvs__port_statistics__descriptor),
    .port = "p1",
    .has_rx_packets = true, .rx_packets = 1,
    .has_rx_bytes = true, .rx_bytes = 2,
    .has_tx_packets = true, .tx_packets = 3,
    .has_tx_bytes = true, .tx_bytes = 4,
    .has_rx_dropped = true, .rx_dropped = 5,
    .has_tx_dropped = true, .tx_dropped = 6,
};
static Dvs__PortStatistics *port_stats_list[] = { &port_stats };

static Dvs__LearnedMac learned_mac = {
    PROTOBUF_C_MESSAGE_INIT(&dvs__learned_mac__descriptor),
    .port = "nh", .mac = "02:00:00:00:00:a1",
    .has_segment = true, .segment = 4103,
};
static Dvs__LearnedMac forgotten_mac = {
    PROTOBUF_C_MESSAGE_INIT(&dvs__learned_mac__descriptor),
    .port = "nh", .mac = "02:00:00:00:00:a2",
};
static Dvs__LearnedMac *learned_list[] = { &learned_mac };
static Dvs__LearnedMac *forgotten_list[] = { &forgotten_mac };
static char *controller_capabilities[] = { "learned-macs" };

#define N_BODIES 11

/* Fills 's' with an envelope of the i'th kind (0 to N_BODIES - 1). */
static void
sample_init(struct sample *s, int i)
{
    dvs__envelope__init(&s->env);
    switch (i) {
    case 0:
        dvs__hello__init(&s->hello);
        s->hello.protocol_version = DVS_PROTOCOL_VERSION;
        s->hello.host = "host-1.example";
        s->hello.agent_version = "0.1.0";
        s->hello.n_capabilities = ARRAY_SIZE(capabilities);
        s->hello.capabilities = capabilities;
        s->hello.n_pnics = ARRAY_SIZE(pnics);
        s->hello.pnics = pnics;
        s->hello.has_applied_generation = true;
        s->hello.applied_generation = 42;
        s->hello.applied_epoch = "epoch-1";
        s->env.body_case = DVS__ENVELOPE__BODY_HELLO;
        s->env.hello = &s->hello;
        break;
    case 1:
        dvs__hello_reply__init(&s->hello_reply);
        s->hello_reply.protocol_version = DVS_PROTOCOL_VERSION;
        s->hello_reply.controller_version = "0.1.0";
        s->hello_reply.epoch = "epoch-1";
        s->hello_reply.has_heartbeat_interval_ms = true;
        s->hello_reply.heartbeat_interval_ms = 5000;
        s->hello_reply.n_capabilities = ARRAY_SIZE(controller_capabilities);
        s->hello_reply.capabilities = controller_capabilities;
        s->env.body_case = DVS__ENVELOPE__BODY_HELLO_REPLY;
        s->env.hello_reply = &s->hello_reply;
        break;
    case 2:
        dvs__state_update__init(&s->state);
        s->state.generation = 43;
        s->state.epoch = "epoch-1";
        s->state.has_full = true;
        s->state.full = true;
        s->state.n_bridges = ARRAY_SIZE(bridges);
        s->state.bridges = bridges;
        s->state.n_deleted_bridges = ARRAY_SIZE(deleted_bridges);
        s->state.deleted_bridges = deleted_bridges;
        s->state.n_flow_groups = ARRAY_SIZE(groups);
        s->state.flow_groups = groups;
        s->state.n_deleted_flow_groups = ARRAY_SIZE(deleted_groups);
        s->state.deleted_flow_groups = deleted_groups;
        s->env.body_case = DVS__ENVELOPE__BODY_STATE;
        s->env.state = &s->state;
        break;
    case 3:
        dvs__ack__init(&s->ack);
        s->ack.generation = 43;
        s->ack.epoch = "epoch-1";
        s->ack.error = "bridge dvs1: no such NIC eth9";
        s->env.body_case = DVS__ENVELOPE__BODY_ACK;
        s->env.ack = &s->ack;
        break;
    case 4:
        dvs__bindings__init(&s->bindings);
        s->bindings.has_full = true;
        s->bindings.full = true;
        s->bindings.n_bindings = ARRAY_SIZE(bindings);
        s->bindings.bindings = bindings;
        s->env.body_case = DVS__ENVELOPE__BODY_BINDINGS;
        s->env.bindings = &s->bindings;
        break;
    case 5:
        dvs__status__init(&s->status);
        s->status.state = "up";
        s->status.detail = "all applied";
        s->env.body_case = DVS__ENVELOPE__BODY_STATUS;
        s->env.status = &s->status;
        break;
    case 6:
        dvs__statistics__init(&s->statistics);
        s->statistics.n_ports = ARRAY_SIZE(port_stats_list);
        s->statistics.ports = port_stats_list;
        s->env.body_case = DVS__ENVELOPE__BODY_STATISTICS;
        s->env.statistics = &s->statistics;
        break;
    case 7:
        dvs__heartbeat__init(&s->heartbeat);
        s->heartbeat.has_sent_msec = true;
        s->heartbeat.sent_msec = 1700000000000ULL;
        s->env.body_case = DVS__ENVELOPE__BODY_HEARTBEAT;
        s->env.heartbeat = &s->heartbeat;
        break;
    case 8:
        dvs_wire_error_init(&s->env, &s->error,
                            DVS__ERROR__CODE__UNKNOWN_HOST,
                            "host \"x\" is not a member of any switch");
        break;
    case 9:
        dvs__learned_macs__init(&s->learned_macs);
        s->learned_macs.n_learned = ARRAY_SIZE(learned_list);
        s->learned_macs.learned = learned_list;
        s->learned_macs.n_forgotten = ARRAY_SIZE(forgotten_list);
        s->learned_macs.forgotten = forgotten_list;
        s->env.body_case = DVS__ENVELOPE__BODY_LEARNED_MACS;
        s->env.learned_macs = &s->learned_macs;
        break;
    case 10:
        dvs__mirror_statistics__init(&s->mirror_statistics);
        s->mirror_statistics.n_mirrors = ARRAY_SIZE(mirror_counters_list);
        s->mirror_statistics.mirrors = mirror_counters_list;
        s->env.body_case = DVS__ENVELOPE__BODY_MIRROR_STATISTICS;
        s->env.mirror_statistics = &s->mirror_statistics;
        break;
    default:
        OVS_NOT_REACHED();
    }
}

/* Returns the frame of sample 'i', malloc()'d, and its size in '*sizep'. */
static uint8_t *
sample_frame(int i, size_t *sizep)
{
    struct sample s;
    uint8_t *frame;

    sample_init(&s, i);
    ASSERT_OK(dvs_wire_encode(&s.env, 0, &frame, sizep));
    return frame;
}

/* Packs 'env' without a frame, for comparisons. */
static uint8_t *
pack(const Dvs__Envelope *env, size_t *sizep)
{
    *sizep = dvs__envelope__get_packed_size(env);
    uint8_t *buf = xmalloc(*sizep + 1);
    dvs__envelope__pack(env, buf);
    return buf;
}

/* Checks that 'decoded' is the same message as sample 'i'. */
static void
assert_sample(const Dvs__Envelope *decoded, int i)
{
    struct sample s;
    size_t a_size, b_size;

    sample_init(&s, i);
    assert_int_equal(decoded->body_case, s.env.body_case);

    uint8_t *a = pack(&s.env, &a_size);
    uint8_t *b = pack(decoded, &b_size);
    assert_int_equal(a_size, b_size);
    assert_memory_equal(a, b, a_size);
    free(a);
    free(b);
}

/* Concatenates the frames of all samples; stores the size in '*sizep'. */
static uint8_t *
all_frames(size_t *sizep)
{
    uint8_t *stream = NULL;
    size_t size = 0;

    for (int i = 0; i < N_BODIES; i++) {
        size_t frame_size;
        uint8_t *frame = sample_frame(i, &frame_size);

        stream = xrealloc(stream, size + frame_size);
        memcpy(stream + size, frame, frame_size);
        size += frame_size;
        free(frame);
    }
    *sizep = size;
    return stream;
}

/* Feeds 'size' bytes at 'data' to 'd' in one call sequence and checks that
 * what comes out are samples 'next', 'next + 1', ...  Returns the next
 * sample number expected. */
static int
feed(struct dvs_wire_decoder *d, const uint8_t *data, size_t size, int next)
{
    while (size) {
        Dvs__Envelope *env;

        ASSERT_OK(dvs_wire_decode(d, &data, &size, &env));
        if (env) {
            assert_true(next < N_BODIES);
            assert_sample(env, next++);
            ASSERT_OK(dvs_wire_validate(env));
            dvs__envelope__free_unpacked(env, NULL);
        }
    }
    return next;
}

/* Framing. */

static void
test_round_trip_every_type(void **state OVS_UNUSED)
{
    for (int i = 0; i < N_BODIES; i++) {
        struct dvs_wire_decoder d;
        size_t size, packed_size;
        uint8_t *frame = sample_frame(i, &size);
        struct sample s;

        /* The prefix is the big-endian length of the packed envelope. */
        sample_init(&s, i);
        packed_size = dvs__envelope__get_packed_size(&s.env);
        assert_int_equal(size, DVS_WIRE_HEADER_SIZE + packed_size);
        assert_int_equal(frame[0], (packed_size >> 24) & 0xff);
        assert_int_equal(frame[1], (packed_size >> 16) & 0xff);
        assert_int_equal(frame[2], (packed_size >> 8) & 0xff);
        assert_int_equal(frame[3], packed_size & 0xff);
        ASSERT_OK(dvs_wire_validate(&s.env));

        dvs_wire_decoder_init(&d, 0);
        assert_int_equal(feed(&d, frame, size, i), i + 1);
        assert_int_equal(dvs_wire_decoder_pending(&d), 0);
        dvs_wire_decoder_destroy(&d);
        free(frame);
    }
}

/* Field by field, for one message of each direction. */
static void
test_round_trip_fields(void **state OVS_UNUSED)
{
    struct dvs_wire_decoder d;
    const uint8_t *p;
    Dvs__Envelope *env;
    size_t size, n;
    uint8_t *frame;

    dvs_wire_decoder_init(&d, 0);

    frame = sample_frame(0, &size);
    p = frame;
    n = size;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_non_null(env);
    assert_int_equal(n, 0);
    assert_int_equal(env->hello->protocol_version, 1);
    assert_string_equal(env->hello->host, "host-1.example");
    assert_int_equal(env->hello->n_pnics, 2);
    assert_string_equal(env->hello->pnics[1], "eth2");
    assert_true(env->hello->has_applied_generation);
    assert_int_equal(env->hello->applied_generation, 42);
    dvs_wire_envelope_free(env);
    free(frame);

    frame = sample_frame(2, &size);
    p = frame;
    n = size;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_non_null(env);
    assert_int_equal(env->state->generation, 43);
    assert_true(env->state->full);
    assert_string_equal(env->state->bridges[0]->uplinks[0]->pnic, "eth1");
    assert_string_equal(env->state->flow_groups[0]->flows[0]->actions,
                        "output:${port:p1}");
    assert_int_equal(env->state->flow_groups[0]->flows[0]->priority, 100);
    dvs_wire_envelope_free(env);
    free(frame);

    dvs_wire_decoder_destroy(&d);
}

static void
test_decode_one_byte_at_a_time(void **state OVS_UNUSED)
{
    struct dvs_wire_decoder d;
    size_t size;
    uint8_t *stream = all_frames(&size);
    int next = 0;

    dvs_wire_decoder_init(&d, 0);
    for (size_t i = 0; i < size; i++) {
        next = feed(&d, &stream[i], 1, next);
    }
    assert_int_equal(next, N_BODIES);
    assert_int_equal(dvs_wire_decoder_pending(&d), 0);
    dvs_wire_decoder_destroy(&d);
    free(stream);
}

static void
test_decode_random_chunks(void **state OVS_UNUSED)
{
    size_t size;
    uint8_t *stream = all_frames(&size);

    random_set_seed(0x5eed);
    for (int round = 0; round < 200; round++) {
        struct dvs_wire_decoder d;
        int next = 0;

        dvs_wire_decoder_init(&d, 0);
        size_t ofs = 0;
        while (ofs < size) {
            /* Mostly small pieces, sometimes large ones. */
            size_t chunk = (random_range(4)
                            ? 1 + random_range(16)
                            : 1 + random_range(size));
            chunk = MIN(chunk, size - ofs);
            next = feed(&d, stream + ofs, chunk, next);
            ofs += chunk;
        }
        assert_int_equal(next, N_BODIES);
        assert_int_equal(dvs_wire_decoder_pending(&d), 0);
        dvs_wire_decoder_destroy(&d);
    }
    free(stream);
}

static void
test_two_frames_in_one_chunk(void **state OVS_UNUSED)
{
    struct dvs_wire_decoder d;
    size_t size0, size1;
    uint8_t *f0 = sample_frame(1, &size0);
    uint8_t *f1 = sample_frame(7, &size1);
    uint8_t *both = xmalloc(size0 + size1);
    const uint8_t *p = both;
    size_t n = size0 + size1;
    Dvs__Envelope *env;

    memcpy(both, f0, size0);
    memcpy(both + size0, f1, size1);
    dvs_wire_decoder_init(&d, 0);

    /* The first call stops at the end of the first frame. */
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_non_null(env);
    assert_sample(env, 1);
    dvs__envelope__free_unpacked(env, NULL);
    assert_int_equal(n, size1);
    assert_ptr_equal(p, both + size0);

    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_non_null(env);
    assert_sample(env, 7);
    dvs__envelope__free_unpacked(env, NULL);
    assert_int_equal(n, 0);

    dvs_wire_decoder_destroy(&d);
    free(both);
    free(f0);
    free(f1);
}

/* A frame missing its end stays pending, without output or error, and
 * completes when the rest comes. */
static void
test_truncated_frame(void **state OVS_UNUSED)
{
    struct dvs_wire_decoder d;
    size_t size;
    uint8_t *frame = sample_frame(2, &size);
    const uint8_t *p;
    Dvs__Envelope *env;
    size_t n;

    /* Only part of the length prefix. */
    dvs_wire_decoder_init(&d, 0);
    p = frame;
    n = 2;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_null(env);
    assert_int_equal(n, 0);
    assert_int_equal(dvs_wire_decoder_pending(&d), 2);

    /* All but the last byte. */
    p = frame + 2;
    n = size - 3;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_null(env);
    assert_int_equal(n, 0);
    assert_int_equal(dvs_wire_decoder_pending(&d), size - 1);

    /* Nothing more: still nothing. */
    n = 0;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_null(env);

    /* The last byte completes it. */
    p = frame + size - 1;
    n = 1;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_non_null(env);
    assert_sample(env, 2);
    dvs__envelope__free_unpacked(env, NULL);
    assert_int_equal(dvs_wire_decoder_pending(&d), 0);

    dvs_wire_decoder_destroy(&d);
    free(frame);
}

static void
test_oversized_length(void **state OVS_UNUSED)
{
    static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xff, 1, 2, 3 };
    static const uint8_t just_over[] = { 0x00, 0x00, 0x04, 0x01 };
    struct dvs_wire_decoder d;
    Dvs__Envelope *env;
    const uint8_t *p;
    size_t n;

    /* The default maximum, 64 MiB. */
    dvs_wire_decoder_init(&d, 0);
    p = huge;
    n = sizeof huge;
    ASSERT_ERROR(dvs_wire_decode(&d, &p, &n, &env),
                 "frame length 4294967295 exceeds the maximum frame size "
                 "of 67108864 bytes");
    assert_null(env);
    assert_int_equal(d.body_allocated, 0);
    assert_null(d.body);

    /* Once broken, it stays broken. */
    p = huge;
    n = sizeof huge;
    ASSERT_ERROR(dvs_wire_decode(&d, &p, &n, &env),
                 "the stream was already found invalid");
    dvs_wire_decoder_destroy(&d);

    /* A maximum of 1024 bytes; 1025 announced. */
    dvs_wire_decoder_init(&d, 1024);
    p = just_over;
    n = sizeof just_over;
    ASSERT_ERROR(dvs_wire_decode(&d, &p, &n, &env),
                 "frame length 1025 exceeds the maximum frame size of 1024 "
                 "bytes");
    assert_null(d.body);
    dvs_wire_decoder_destroy(&d);
}

/* Memory follows the bytes received, not the length announced. */
static void
test_announced_length_not_allocated(void **state OVS_UNUSED)
{
    static const uint8_t header[] = { 0x03, 0x00, 0x00, 0x00 }; /* 48 MiB */
    uint8_t body[100];
    struct dvs_wire_decoder d;
    Dvs__Envelope *env;
    const uint8_t *p;
    size_t n;

    memset(body, 0x08, sizeof body);
    dvs_wire_decoder_init(&d, 0);
    p = header;
    n = sizeof header;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_null(d.body);

    p = body;
    n = sizeof body;
    ASSERT_OK(dvs_wire_decode(&d, &p, &n, &env));
    assert_null(env);
    assert_true(d.body_allocated <= 4096);
    assert_int_equal(dvs_wire_decoder_pending(&d), 4 + sizeof body);
    dvs_wire_decoder_destroy(&d);
}

static void
test_zero_length(void **state OVS_UNUSED)
{
    static const uint8_t zero[] = { 0, 0, 0, 0, 0, 0, 0, 5 };
    struct dvs_wire_decoder d;
    Dvs__Envelope *env;
    const uint8_t *p = zero;
    size_t n = sizeof zero;

    dvs_wire_decoder_init(&d, 0);
    ASSERT_ERROR(dvs_wire_decode(&d, &p, &n, &env), "zero-length frame");
    assert_null(env);
    dvs_wire_decoder_destroy(&d);
}

static void
test_garbled_protobuf(void **state OVS_UNUSED)
{
    /* Field 15 with wire type 7, which does not exist. */
    static const uint8_t garbage[] = { 0, 0, 0, 5, 0x7f, 0xff, 0xff, 0xff,
                                       0xff };
    /* Hello (field 1) holding only protocol_version = 1: its required host
     * is missing, so protobuf-c refuses it. */
    static const uint8_t no_host[] = { 0, 0, 0, 4, 0x0a, 0x02, 0x08, 0x01 };
    /* A length-delimited field longer than the frame. */
    static const uint8_t overrun[] = { 0, 0, 0, 3, 0x0a, 0x40, 0x08 };
    static const struct {
        const uint8_t *data;
        size_t size;
        const char *error;
    } cases[] = {
        { garbage, sizeof garbage,
          "frame of 5 bytes is not a valid Envelope" },
        { no_host, sizeof no_host,
          "frame of 4 bytes is not a valid Envelope" },
        { overrun, sizeof overrun,
          "frame of 3 bytes is not a valid Envelope" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct dvs_wire_decoder d;
        Dvs__Envelope *env;

        /* Whole, and byte by byte: the same error. */
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            const uint8_t *p = cases[i].data;
            size_t left = cases[i].size;
            char *error = NULL;

            dvs_wire_decoder_init(&d, 0);
            while (left && !error) {
                size_t n = bytewise ? 1 : left;
                const uint8_t *q = p;

                error = dvs_wire_decode(&d, &q, &n, &env);
                assert_null(env);
                left -= q - p;
                p = q;
            }
            ASSERT_ERROR(error, cases[i].error);
            dvs_wire_decoder_destroy(&d);
        }
    }
}

static void
test_encode_errors(void **state OVS_UNUSED)
{
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    Dvs__Hello hello = DVS__HELLO__INIT;
    uint8_t *frame;
    size_t size;

    ASSERT_ERROR(dvs_wire_encode(&env, 0, &frame, &size),
                 "cannot encode an envelope without a body");
    assert_null(frame);
    assert_int_equal(size, 0);

    /* 'host' is required. */
    hello.protocol_version = 1;
    env.body_case = DVS__ENVELOPE__BODY_HELLO;
    env.hello = &hello;
    ASSERT_ERROR(dvs_wire_encode(&env, 0, &frame, &size),
                 "cannot encode Hello envelope: a required field is "
                 "missing");

    /* Larger than the peer would accept. */
    hello.host = "h1";
    ASSERT_ERROR(dvs_wire_encode(&env, 4, &frame, &size),
                 "Hello envelope of 8 bytes exceeds the maximum frame size "
                 "of 4 bytes");
    ASSERT_OK(dvs_wire_encode(&env, 8, &frame, &size));
    assert_int_equal(size, 12);
    free(frame);
}

/* Validation. */

static void
test_validate(void **state OVS_UNUSED)
{
    char long_name[DVS_WIRE_HOST_NAME_MAX + 2];
    struct sample s;

    dvs__envelope__init(&s.env);
    ASSERT_ERROR(dvs_wire_validate(&s.env), "envelope has no body");

    sample_init(&s, 0);
    s.hello.protocol_version = 0;
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "Hello: protocol version is 0");

    sample_init(&s, 0);
    s.hello.host = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "Hello: host: \"\" is not a valid name (accepted: 1 to 64 "
                 "characters)");

    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    s.hello.host = long_name;
    char *expected = xasprintf("Hello: host: \"%s\" is not a valid name "
                               "(accepted: 1 to 64 characters)", long_name);
    ASSERT_ERROR(dvs_wire_validate(&s.env), expected);
    free(expected);
    long_name[DVS_WIRE_HOST_NAME_MAX] = '\0';
    ASSERT_OK(dvs_wire_validate(&s.env));

    s.hello.host = "bad host";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "Hello: host: \"bad host\" is not a valid name (accepted: "
                 "letters, digits, '-', '_' and '.', starting with a letter "
                 "or digit)");

    sample_init(&s, 1);
    s.hello_reply.epoch = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env), "HelloReply: epoch is empty");

    sample_init(&s, 2);
    s.state.epoch = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env), "StateUpdate: epoch is empty");

    Dvs__Flow bad_flow = flow1;
    Dvs__Flow *bad_flows[] = { &bad_flow };
    Dvs__FlowGroup bad_group = group;
    Dvs__FlowGroup *bad_groups[] = { &bad_group };
    bad_group.n_flows = 1;
    bad_group.flows = bad_flows;
    bad_flow.table = 255;
    sample_init(&s, 2);
    s.state.flow_groups = bad_groups;
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "StateUpdate: flow group dvs1/port/p1/local: table 255 is "
                 "out of range (0 to 254)");
    bad_flow.table = 0;
    bad_flow.priority = 65536;
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "StateUpdate: flow group dvs1/port/p1/local: priority "
                 "65536 is out of range (0 to 65535)");

    sample_init(&s, 3);
    s.ack.epoch = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env), "Ack: epoch is empty");

    sample_init(&s, 8);
    s.error.code = 77;
    ASSERT_ERROR(dvs_wire_validate(&s.env), "Error: unknown code 77");

    Dvs__LearnedMac bad_mac = learned_mac;
    Dvs__LearnedMac *bad_macs[] = { &bad_mac };
    sample_init(&s, 9);
    s.learned_macs.forgotten = bad_macs;
    bad_mac.port = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "LearnedMacs: forgotten: port is empty");
    sample_init(&s, 9);
    s.learned_macs.learned = bad_macs;
    bad_mac.port = "nh";
    bad_mac.mac = "01:00:5e:00:00:01";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "LearnedMacs: learned: mac: \"01:00:5e:00:00:01\" is not a "
                 "unicast MAC address (accepted: a nonzero address whose "
                 "first octet is even)");

    Dvs__MirrorCounters bad_counters = mirror_counters;
    Dvs__MirrorCounters *bad_list[] = { &bad_counters };
    sample_init(&s, 10);
    s.mirror_statistics.mirrors = bad_list;
    bad_counters.name = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "MirrorStatistics: name is empty");
    bad_counters.bridge = "";
    ASSERT_ERROR(dvs_wire_validate(&s.env),
                 "MirrorStatistics: bridge is empty");
}

/* LLDP neighbours and health check results go into the database: what
 * it would refuse is refused here. */
static void
test_validate_reports(void **state OVS_UNUSED)
{
    Dvs__LldpNeighbor n = DVS__LLDP_NEIGHBOR__INIT;
    Dvs__LldpNeighbor *ns[] = { &n };
    Dvs__LldpNeighbors l = DVS__LLDP_NEIGHBORS__INIT;
    Dvs__HealthCheckResult r = DVS__HEALTH_CHECK_RESULT__INIT;
    Dvs__HealthCheckResult *rs[] = { &r };
    Dvs__HealthCheckResults h = DVS__HEALTH_CHECK_RESULTS__INIT;
    Dvs__Envelope env = DVS__ENVELOPE__INIT;
    uint32_t vlans[] = { 10, 4095 };
    char long_uplink[34];

    n.switch_ = "sw0";
    n.uplink = "uplink1";
    n.chassis_id = "02:00:00:00:00:01";
    n.port_id = "Ethernet1/1";
    n.system_name = "tor1";
    l.n_neighbors = 1;
    l.neighbors = ns;
    env.body_case = DVS__ENVELOPE__BODY_LLDP_NEIGHBORS;
    env.lldp_neighbors = &l;
    ASSERT_OK(dvs_wire_validate(&env));
    assert_string_equal(dvs_wire_body_name(env.body_case), "LldpNeighbors");

    n.system_name = "tor\xff";
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "LldpNeighbors: neighbor: invalid UTF-8 sequence 0xff");
    n.system_name = NULL;
    n.uplink = "";
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "LldpNeighbors: neighbor is empty");
    memset(long_uplink, 'u', sizeof long_uplink - 1);
    long_uplink[sizeof long_uplink - 1] = '\0';
    n.uplink = long_uplink;
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "LldpNeighbors: neighbor: longer than 32 bytes");
    n.uplink = "uplink1";
    n.has_ttl = true;
    n.ttl = 70000;
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "LldpNeighbors: neighbor: ttl 70000 out of range");

    r.switch_ = "sw0";
    r.uplink = "uplink1";
    r.n_trunked_vlans = 1;
    r.trunked_vlans = vlans;
    r.teaming_status = "iphashMatch";
    h.n_results = 1;
    h.results = rs;
    env.body_case = DVS__ENVELOPE__BODY_HEALTH_CHECK;
    env.health_check = &h;
    ASSERT_OK(dvs_wire_validate(&env));
    assert_string_equal(dvs_wire_body_name(env.body_case),
                        "HealthCheckResults");
    r.n_trunked_vlans = 2;
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "HealthCheckResults: result: VLAN 4095 out of range");
    r.n_trunked_vlans = 0;
    r.n_vlans_mtu_failed = 2;
    r.vlans_mtu_failed = vlans;
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "HealthCheckResults: result: VLAN 4095 out of range");
    r.n_vlans_mtu_failed = 0;
    r.teaming_status = "great";
    ASSERT_ERROR(dvs_wire_validate(&env),
                 "HealthCheckResults: result: unknown teaming_status");
}

static void
test_check_version(void **state OVS_UNUSED)
{
    ASSERT_OK(dvs_wire_check_version(DVS_PROTOCOL_VERSION));
    ASSERT_ERROR(dvs_wire_check_version(2),
                 "protocol version mismatch: this side speaks version 1, "
                 "the peer speaks version 2");
    ASSERT_ERROR(dvs_wire_check_version(0),
                 "protocol version mismatch: this side speaks version 1, "
                 "the peer speaks version 0");
}

static void
test_names(void **state OVS_UNUSED)
{
    assert_string_equal(dvs_wire_body_name(DVS__ENVELOPE__BODY_STATE),
                        "StateUpdate");
    assert_string_equal(
        dvs_wire_body_name(DVS__ENVELOPE__BODY_MIRROR_STATISTICS),
        "MirrorStatistics");
    assert_string_equal(dvs_wire_body_name(DVS__ENVELOPE__BODY__NOT_SET),
                        "(no body)");
    assert_string_equal(
        dvs_wire_error_code_name(DVS__ERROR__CODE__OVERLOADED),
        "OVERLOADED");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_round_trip_fields),
        cmocka_unit_test(test_decode_one_byte_at_a_time),
        cmocka_unit_test(test_decode_random_chunks),
        cmocka_unit_test(test_two_frames_in_one_chunk),
        cmocka_unit_test(test_truncated_frame),
        cmocka_unit_test(test_oversized_length),
        cmocka_unit_test(test_announced_length_not_allocated),
        cmocka_unit_test(test_zero_length),
        cmocka_unit_test(test_garbled_protobuf),
        cmocka_unit_test(test_validate_reports),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_check_version),
        cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
