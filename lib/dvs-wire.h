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

#ifndef DVS_WIRE_H
#define DVS_WIRE_H 1

/* The controller <-> agent wire format (proto/dvs.proto).
 *
 * A connection carries a sequence of frames.  Each frame is one
 * Dvs__Envelope packed by protobuf-c, preceded by its length as a 4-byte
 * big-endian integer:
 *
 *     +--------+--------+--------+--------+-------------------------+
 *     |   length (bytes of the envelope)  |  envelope (protobuf)    |
 *     +--------+--------+--------+--------+-------------------------+
 *
 * A length of zero is never valid (an envelope always carries a body, so it
 * packs to at least two bytes), and a length above the receiver's maximum
 * frame size is refused before anything is allocated for it.
 *
 * Everything here is plain computation with no global state: it may be used
 * from any thread, in particular from the libuv thread of the daemons.
 *
 * Functions that can fail return NULL on success and, on failure, a
 * malloc()'d message that says what was wrong; the caller logs it, frees
 * it, and (for a decoder error) drops the peer. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "proto/dvs.pb-c.h"

/* Version of the protocol that this build speaks.  Bumped on incompatible
 * changes only; peers that differ refuse each other with an Error of code
 * VERSION_MISMATCH whose text comes from dvs_wire_check_version(). */
#define DVS_PROTOCOL_VERSION 1

/* Bytes of the length prefix. */
#define DVS_WIRE_HEADER_SIZE 4

/* Default maximum size of an envelope (excluding the length prefix). */
#define DVS_WIRE_DEFAULT_MAX_FRAME (64u * 1024 * 1024)

/* Longest host name that a Hello may carry. */
#define DVS_WIRE_HOST_NAME_MAX 64

/* Encoding. */
char *dvs_wire_encode(const Dvs__Envelope *, size_t max_frame,
                      uint8_t **framep, size_t *sizep)
    OVS_WARN_UNUSED_RESULT;

/* Incremental decoding.
 *
 * A decoder is fed the bytes of one connection in whatever pieces read()
 * returns them and yields complete envelopes.  Its memory is bounded by the
 * maximum frame size, and it grows with the bytes actually received, not
 * with the length a peer announces. */
struct dvs_wire_decoder {
    size_t max_frame;           /* Largest envelope accepted, in bytes. */

    /* Length prefix of the frame being received. */
    uint8_t header[DVS_WIRE_HEADER_SIZE];
    size_t header_len;          /* Bytes of 'header' received so far. */

    /* Body of the frame being received, once the prefix is complete. */
    size_t body_len;            /* Length announced by the prefix. */
    size_t body_received;       /* Bytes of the body received so far. */
    size_t body_allocated;      /* Bytes allocated in 'body'. */
    uint8_t *body;

    bool failed;                /* An error was reported. */
};

void dvs_wire_decoder_init(struct dvs_wire_decoder *, size_t max_frame);
void dvs_wire_decoder_destroy(struct dvs_wire_decoder *);
char *dvs_wire_decode(struct dvs_wire_decoder *,
                      const uint8_t **datap, size_t *sizep,
                      Dvs__Envelope **envp)
    OVS_WARN_UNUSED_RESULT;
size_t dvs_wire_decoder_pending(const struct dvs_wire_decoder *);

/* Validation of a decoded envelope. */
char *dvs_wire_validate(const Dvs__Envelope *) OVS_WARN_UNUSED_RESULT;
char *dvs_wire_check_version(uint32_t peer_version) OVS_WARN_UNUSED_RESULT;

/* Helpers. */
void dvs_wire_error_init(Dvs__Envelope *, Dvs__Error *,
                         Dvs__Error__Code, const char *message);
const char *dvs_wire_body_name(Dvs__Envelope__BodyCase);
const char *dvs_wire_error_code_name(Dvs__Error__Code);
void dvs_wire_envelope_free(void *envelope);

#endif /* dvs-wire.h */
