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

#ifndef DVS_TLS_H
#define DVS_TLS_H 1

/* TLS for controller <-> agent connections ("ssl:" and "pssl:"), with
 * OpenSSL working on memory BIOs over a libuv TCP stream (dvs-conn.h).
 *
 * Both ends present a certificate and verify the peer's against their CA
 * certificate: a peer without a certificate, or with one that the CA did
 * not sign, fails the handshake.  The host a certificate identifies is its
 * subject's common name (CN), without the " id:..." suffix that "ovs-pki
 * req+sign NAME" appends to make it unique: see dvs_tls_host_from_cn().
 *
 * Like dvs-conn, a stream runs on the libuv thread that created it.  A
 * dvs_tls_ctx is read-only once created and may be shared by the streams
 * of one loop. */

#include <stdbool.h>
#include <uv.h>
#include "openvswitch/compiler.h"

struct dvs_stream;
struct dvs_stream_callbacks;
struct dvs_tls_ctx;

/* The files a daemon's --private-key, --certificate and --ca-cert name. */
struct dvs_tls_files {
    const char *private_key;
    const char *certificate;
    const char *ca_cert;
};

bool dvs_tls_files_complete(const struct dvs_tls_files *);
char *dvs_tls_ctx_from_files(const struct dvs_tls_files *, bool server,
                             struct dvs_tls_ctx **)
    OVS_WARN_UNUSED_RESULT;

/* The daemons' TLS options are OVS's (stream-ssl.h: --private-key,
 * --certificate, --ca-cert, --ssl-protocols, --ssl-ciphers): they configure
 * OVS's SSL for "ssl:" database connections, and the files also serve the
 * controller <-> agent connections.  Use with SSL_OPTION_ENUMS and
 * STREAM_SSL_LONG_OPTIONS; 'FILES' is a "struct dvs_tls_files *". */
#define DVS_TLS_OPTION_HANDLERS(FILES)                  \
        case 'p':                                       \
            (FILES)->private_key = optarg;              \
            stream_ssl_set_private_key_file(optarg);    \
            break;                                      \
                                                        \
        case 'c':                                       \
            (FILES)->certificate = optarg;              \
            stream_ssl_set_certificate_file(optarg);    \
            break;                                      \
                                                        \
        case 'C':                                       \
            (FILES)->ca_cert = optarg;                  \
            stream_ssl_set_ca_cert_file(optarg, false); \
            break;                                      \
                                                        \
        case OPT_SSL_PROTOCOLS:                         \
            stream_ssl_set_protocols(optarg);           \
            break;                                      \
                                                        \
        case OPT_SSL_CIPHERS:                           \
            stream_ssl_set_ciphers(optarg);             \
            break;

/* Certificates and keys loaded once, for servers or for clients. */

char *dvs_tls_ctx_create(const struct dvs_tls_files *, bool server,
                         struct dvs_tls_ctx **)
    OVS_WARN_UNUSED_RESULT;
void dvs_tls_ctx_destroy(struct dvs_tls_ctx *);

/* Wraps 'inner', a connected plain stream, into a TLS stream that takes
 * ownership of it.  'name' names the peer in log messages. */
struct dvs_stream *dvs_stream_tls_create(struct dvs_tls_ctx *,
                                         struct dvs_stream *inner,
                                         const char *name,
                                         const struct dvs_stream_callbacks *,
                                         void *owner);

char *dvs_tls_host_from_cn(const char *cn);

#endif /* dvs-tls.h */
