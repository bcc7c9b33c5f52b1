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
#include "lib/dvs-tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <limits.h>
#include <string.h>
#include "lib/dvs-conn.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dvs_tls);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);

/* Plaintext decrypted at a time. */
#define TLS_READ_SIZE 16384

/* Certificate names longer than this are not host names. */
#define CN_MAX 256

bool
dvs_tls_files_complete(const struct dvs_tls_files *f)
{
    return f->private_key && f->certificate && f->ca_cert;
}

/* For a daemon: NULL in '*ctxp' if no TLS file was given, a context if all
 * were.  Returns an error message if only some were, or if they cannot be
 * loaded. */
char *
dvs_tls_ctx_from_files(const struct dvs_tls_files *f, bool server,
                       struct dvs_tls_ctx **ctxp)
{
    *ctxp = NULL;
    if (!f->private_key && !f->certificate && !f->ca_cert) {
        return NULL;
    }
    return dvs_tls_ctx_create(f, server, ctxp);
}

/* Appends OpenSSL's queued errors to 's' and clears them. */
static void
put_openssl_errors(struct ds *s)
{
    unsigned long code;
    bool first = true;

    while ((code = ERR_get_error()) != 0) {
        char buf[256];

        ERR_error_string_n(code, buf, sizeof buf);
        ds_put_format(s, "%s%s", first ? "" : "; ", buf);
        first = false;
    }
    if (first) {
        ds_put_cstr(s, "unknown error");
    }
}

static char *
openssl_error(const char *format, const char *arg)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, format, arg);
    ds_put_cstr(&s, ": ");
    put_openssl_errors(&s);
    return ds_steal_cstr(&s);
}

/* Contexts. */

struct dvs_tls_ctx {
    SSL_CTX *ctx;
    bool server;
};

/* Loads 'files' into a context for servers ('server') or clients.  Returns
 * NULL and stores the context in '*ctxp', or an error message. */
char *
dvs_tls_ctx_create(const struct dvs_tls_files *files, bool server,
                   struct dvs_tls_ctx **ctxp)
{
    *ctxp = NULL;
    if (!dvs_tls_files_complete(files)) {
        return xstrdup("TLS needs --private-key, --certificate and "
                       "--ca-cert");
    }

    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method()
                                      : TLS_client_method());
    if (!ctx) {
        return openssl_error("%s", "SSL_CTX_new failed");
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);

    char *error = NULL;
    if (SSL_CTX_use_certificate_chain_file(ctx, files->certificate) != 1) {
        error = openssl_error("%s: cannot load certificate",
                              files->certificate);
    } else if (SSL_CTX_use_PrivateKey_file(ctx, files->private_key,
                                           SSL_FILETYPE_PEM) != 1) {
        error = openssl_error("%s: cannot load private key",
                              files->private_key);
    } else if (SSL_CTX_check_private_key(ctx) != 1) {
        error = openssl_error("%s: private key does not match the "
                              "certificate", files->private_key);
    } else if (SSL_CTX_load_verify_locations(ctx, files->ca_cert,
                                             NULL) != 1) {
        error = openssl_error("%s: cannot load CA certificate",
                              files->ca_cert);
    }
    if (error) {
        SSL_CTX_free(ctx);
        return error;
    }

    /* Mutual authentication: a peer without a certificate that our CA
     * signed fails the handshake. */
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);
    if (server) {
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(files->ca_cert);
        if (names) {
            SSL_CTX_set_client_CA_list(ctx, names);
        }
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    }
    ERR_clear_error();

    struct dvs_tls_ctx *tls = xzalloc(sizeof *tls);
    tls->ctx = ctx;
    tls->server = server;
    *ctxp = tls;
    return NULL;
}

void
dvs_tls_ctx_destroy(struct dvs_tls_ctx *tls)
{
    if (tls) {
        SSL_CTX_free(tls->ctx);
        free(tls);
    }
}

/* Returns the host name that a certificate's common name 'cn' identifies,
 * as a malloc()'d string, or NULL if it names none.
 *
 * "ovs-pki req+sign NAME" puts "NAME id:UUID" in the CN (unless given
 * --unique), so the host is what comes before the last " id:"; a CN
 * without it is the host name itself.  A host name is nonempty, at most
 * 64 bytes, and printable ASCII without spaces. */
char *
dvs_tls_host_from_cn(const char *cn)
{
    size_t len = strlen(cn);
    const char *id = NULL;

    for (const char *p = strstr(cn, " id:"); p; p = strstr(p + 1, " id:")) {
        id = p;
    }
    if (id) {
        len = id - cn;
    }
    if (!len || len > 64) {
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = cn[i];
        if (c <= ' ' || c >= 0x7f) {
            return NULL;
        }
    }
    return xmemdup0(cn, len);
}

/* Returns the host name in the subject of 'cert', or NULL. */
static char *
host_from_cert(X509 *cert)
{
    X509_NAME *subject = X509_get_subject_name(cert);
    int index = subject ? X509_NAME_get_index_by_NID(subject,
                                                     NID_commonName, -1)
                        : -1;
    if (index < 0) {
        return NULL;
    }

    ASN1_STRING *data = X509_NAME_ENTRY_get_data(
        X509_NAME_get_entry(subject, index));
    unsigned char *utf8;
    int len = data ? ASN1_STRING_to_UTF8(&utf8, data) : -1;
    if (len < 0) {
        return NULL;
    }

    char *host = NULL;
    if (len <= CN_MAX && !memchr(utf8, '\0', len)) {
        char *cn = xmemdup0((const char *) utf8, len);
        host = dvs_tls_host_from_cn(cn);
        free(cn);
    }
    OPENSSL_free(utf8);
    return host;
}

/* Streams.
 *
 * OpenSSL reads ciphertext from 'rbio', into which we put what the TCP
 * stream delivers, and writes ciphertext to 'wbio', which we drain into the
 * TCP stream after every OpenSSL call.  Plaintext written before the
 * handshake completes waits in 'pending'. */

struct pending_write {
    struct ovs_list list_node;
    void *data;
    size_t n;
};

struct tls_stream {
    struct dvs_stream up;
    struct dvs_stream *inner;   /* Plain TCP; closed with us. */
    char *name;
    SSL *ssl;
    BIO *rbio, *wbio;           /* Owned by 'ssl'. */
    char *peer_host;            /* From the peer's certificate. */

    struct ovs_list pending;    /* "struct pending_write"s. */
    size_t pending_bytes;

    bool handshake_done;
    bool shutdown_wanted;       /* shutdown() before the handshake ended. */
    bool shutting_down;
    bool failed;                /* 'cbs->ended' was called. */
    bool closing;
};

static struct tls_stream *
tls_stream_cast(const struct dvs_stream *s)
{
    return CONTAINER_OF(s, struct tls_stream, up);
}

static void
tls_fail(struct tls_stream *ts, int error)
{
    if (!ts->failed && !ts->closing) {
        ts->failed = true;
        ts->up.cbs->ended(&ts->up, error);
    }
}

/* Logs OpenSSL's reason for failing and fails the stream. */
static void
tls_fail_openssl(struct tls_stream *ts, const char *what)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    long verify = SSL_get_verify_result(ts->ssl);

    put_openssl_errors(&s);
    if (verify != X509_V_OK) {
        ds_put_format(&s, " (certificate: %s)",
                      X509_verify_cert_error_string(verify));
    }
    VLOG_WARN_RL(&rl, "%s: TLS %s failed: %s", ts->name, what, ds_cstr(&s));
    ds_destroy(&s);
    tls_fail(ts, UV_EPROTO);
}

/* Sends what OpenSSL wrote to 'wbio'.  Returns 0 or a libuv error; the
 * caller decides whether to fail the stream (not from inside write()). */
static int
tls_flush(struct tls_stream *ts)
{
    size_t n;

    while ((n = BIO_ctrl_pending(ts->wbio)) > 0) {
        uint8_t *buf = xmalloc(n);
        int got = BIO_read(ts->wbio, buf, n);

        if (got <= 0) {
            free(buf);
            break;
        }
        int error = ts->inner->class->write(ts->inner, buf, got);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Like tls_flush(), but fails the stream on error.  Returns false then. */
static bool
tls_flush_or_fail(struct tls_stream *ts)
{
    int error = tls_flush(ts);
    if (error) {
        tls_fail(ts, error);
        return false;
    }
    return true;
}

/* Encrypts 'n' bytes at 'data' and sends them.  Returns 0 or a libuv
 * error. */
static int
tls_encrypt(struct tls_stream *ts, const void *data, size_t n)
{
    /* With a memory BIO, SSL_write() takes everything at once. */
    while (n) {
        int chunk = MIN(n, INT_MAX);
        int retval = SSL_write(ts->ssl, data, chunk);
        if (retval <= 0) {
            struct ds s = DS_EMPTY_INITIALIZER;
            put_openssl_errors(&s);
            VLOG_WARN_RL(&rl, "%s: TLS write failed: %s", ts->name,
                         ds_cstr(&s));
            ds_destroy(&s);
            return UV_EPROTO;
        }
        data = (const uint8_t *) data + retval;
        n -= retval;
    }
    return tls_flush(ts);
}

static void
tls_do_shutdown(struct tls_stream *ts)
{
    ts->shutting_down = true;
    SSL_shutdown(ts->ssl);      /* Queues our close_notify. */
    ERR_clear_error();
    if (tls_flush_or_fail(ts)) {
        ts->inner->class->shutdown(ts->inner);
    }
}

static void
tls_handshake_done(struct tls_stream *ts)
{
    ts->handshake_done = true;

    X509 *cert = SSL_get1_peer_certificate(ts->ssl);
    if (cert) {
        ts->peer_host = host_from_cert(cert);
        X509_free(cert);
    }
    VLOG_INFO("%s: TLS handshake done (%s, peer certificate for %s)",
              ts->name, SSL_get_version(ts->ssl),
              ts->peer_host ? ts->peer_host : "no valid host name");

    struct pending_write *w;
    LIST_FOR_EACH_POP (w, list_node, &ts->pending) {
        int error = (ts->failed || ts->closing ? 0
                     : tls_encrypt(ts, w->data, w->n));
        free(w->data);
        free(w);
        if (error) {
            tls_fail(ts, error);
        }
    }
    ts->pending_bytes = 0;
    if (ts->shutdown_wanted && !ts->failed && !ts->closing) {
        tls_do_shutdown(ts);
    }
}

/* Advances the handshake.  Returns true if it is complete. */
static bool
tls_handshake(struct tls_stream *ts)
{
    int retval = SSL_do_handshake(ts->ssl);
    if (!tls_flush_or_fail(ts)) {
        return false;
    }
    if (retval == 1) {
        tls_handshake_done(ts);
        return !ts->failed && !ts->closing;
    }

    int error = SSL_get_error(ts->ssl, retval);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        tls_fail_openssl(ts, "handshake");
    }
    return false;
}

static void
tls_inner_read(struct dvs_stream *inner, const uint8_t *data, size_t n)
{
    struct tls_stream *ts = inner->owner;

    if (ts->failed || ts->closing) {
        return;
    }
    if (BIO_write(ts->rbio, data, n) != (int) n) {
        tls_fail_openssl(ts, "read");
        return;
    }
    if (!ts->handshake_done && !tls_handshake(ts)) {
        return;
    }

    uint8_t buf[TLS_READ_SIZE];
    while (!ts->failed && !ts->closing) {
        int retval = SSL_read(ts->ssl, buf, sizeof buf);
        if (retval > 0) {
            ts->up.cbs->read(&ts->up, buf, retval);
            continue;
        }

        int error = SSL_get_error(ts->ssl, retval);
        if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
            tls_flush_or_fail(ts);
        } else if (error == SSL_ERROR_ZERO_RETURN) {
            /* The peer's close_notify. */
            tls_fail(ts, UV_EOF);
        } else {
            tls_fail_openssl(ts, "read");
        }
        break;
    }
}

static void
tls_inner_ended(struct dvs_stream *inner, int error)
{
    struct tls_stream *ts = inner->owner;

    if (!ts->handshake_done && error == UV_EOF) {
        VLOG_WARN_RL(&rl, "%s: connection closed during the TLS handshake",
                     ts->name);
    }
    tls_fail(ts, error);
}

static void
tls_inner_closed(struct dvs_stream *inner)
{
    struct tls_stream *ts = inner->owner;
    struct pending_write *w;

    ts->up.cbs->closed(&ts->up);
    LIST_FOR_EACH_POP (w, list_node, &ts->pending) {
        free(w->data);
        free(w);
    }
    SSL_free(ts->ssl);
    free(ts->peer_host);
    free(ts->name);
    free(ts);
}

static const struct dvs_stream_callbacks tls_inner_callbacks = {
    .read = tls_inner_read,
    .ended = tls_inner_ended,
    .closed = tls_inner_closed,
};

static int
tls_start(struct dvs_stream *s)
{
    struct tls_stream *ts = tls_stream_cast(s);
    int error = ts->inner->class->start(ts->inner);

    if (!error && !SSL_is_server(ts->ssl)) {
        /* Queues the ClientHello.  Failures are returned, not reported
         * through 'cbs->ended', from here. */
        SSL_do_handshake(ts->ssl);
        ERR_clear_error();
        error = tls_flush(ts);
    }
    return error;
}

static int
tls_write(struct dvs_stream *s, void *data, size_t n)
{
    struct tls_stream *ts = tls_stream_cast(s);

    if (ts->closing || ts->shutting_down || ts->shutdown_wanted
        || ts->failed) {
        free(data);
        return UV_EPIPE;
    }
    if (!ts->handshake_done) {
        struct pending_write *w = xmalloc(sizeof *w);

        w->data = data;
        w->n = n;
        ovs_list_push_back(&ts->pending, &w->list_node);
        ts->pending_bytes += n;
        return 0;
    }

    int error = tls_encrypt(ts, data, n);
    free(data);
    return error;
}

static size_t
tls_backlog(const struct dvs_stream *s)
{
    const struct tls_stream *ts = tls_stream_cast(s);

    return ts->pending_bytes + ts->inner->class->backlog(ts->inner);
}

static void
tls_shutdown(struct dvs_stream *s)
{
    struct tls_stream *ts = tls_stream_cast(s);

    if (ts->closing || ts->shutting_down || ts->failed) {
        return;
    }
    if (ts->handshake_done) {
        tls_do_shutdown(ts);
    } else {
        /* What is pending goes out once the handshake completes. */
        ts->shutdown_wanted = true;
    }
}

static void
tls_close(struct dvs_stream *s)
{
    struct tls_stream *ts = tls_stream_cast(s);

    if (!ts->closing) {
        ts->closing = true;
        ts->inner->class->close(ts->inner);
    }
}

static const char *
tls_peer_host(const struct dvs_stream *s)
{
    return tls_stream_cast(s)->peer_host;
}

static const struct dvs_stream_class tls_stream_class = {
    .name = "ssl",
    .start = tls_start,
    .write = tls_write,
    .backlog = tls_backlog,
    .shutdown = tls_shutdown,
    .close = tls_close,
    .peer_host = tls_peer_host,
};

struct dvs_stream *
dvs_stream_tls_create(struct dvs_tls_ctx *tls, struct dvs_stream *inner,
                      const char *name,
                      const struct dvs_stream_callbacks *cbs, void *owner)
{
    struct tls_stream *ts = xzalloc(sizeof *ts);

    ts->up.class = &tls_stream_class;
    ts->up.cbs = cbs;
    ts->up.owner = owner;
    ts->inner = inner;
    ts->name = xstrdup(name);
    ovs_list_init(&ts->pending);
    inner->cbs = &tls_inner_callbacks;
    inner->owner = ts;

    ts->ssl = SSL_new(tls->ctx);
    ovs_assert(ts->ssl);
    ts->rbio = BIO_new(BIO_s_mem());
    ts->wbio = BIO_new(BIO_s_mem());
    ovs_assert(ts->rbio && ts->wbio);
    SSL_set_bio(ts->ssl, ts->rbio, ts->wbio);
    if (tls->server) {
        SSL_set_accept_state(ts->ssl);
    } else {
        SSL_set_connect_state(ts->ssl);
    }
    return &ts->up;
}
