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

#ifndef CONTROLLER_SESSIONS_H
#define CONTROLLER_SESSIONS_H 1

/* The controller's view of its hosts, on the OVS thread: who is connected,
 * what each host was sent and acknowledged, which ports are bound where;
 * and the work that follows from it: computing each affected host's desired
 * state after a change, sending full or incremental updates, and writing
 * status (Port bindings, Host status, DVS_Global.hv_cfg) to the database.
 *
 * It knows nothing of sockets: the transport delivers messages with
 * sessions_receive() and sessions_closed(), and the sessions hand frames
 * to send through 'struct sessions_transport'. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct Dvs__Envelope;

/* How the sessions talk to peers.  Connections are numbered by the
 * transport.  Both calls take ownership of 'frame' (a complete frame, with
 * its length prefix, allocated with malloc()). */
struct sessions_transport {
    void (*send)(void *aux, uint64_t conn, uint8_t *frame, size_t size);
    /* Sends 'frame' (if nonnull) and then closes the connection. */
    void (*close)(void *aux, uint64_t conn, uint8_t *frame, size_t size);
    void *aux;
};

struct sessions *sessions_create(struct ovsdb_idl *,
                                 const struct sessions_transport *,
                                 unsigned int heartbeat_interval_ms);
void sessions_destroy(struct sessions *);
void sessions_set_require_tls(struct sessions *, bool require);

/* Transport events.
 *
 * 'cert_host' is the identity of the connection: NULL for plain TCP, the
 * host that the peer's verified certificate names for TLS, or "" for a TLS
 * certificate that names no valid host.  A Hello for another host than the
 * certificate's, or without a certificate when TLS is required, is refused
 * with Error NOT_AUTHORIZED: a host then receives only its own state, and
 * its bindings, acks and status count for it alone. */
void sessions_receive(struct sessions *, uint64_t conn,
                      const struct Dvs__Envelope *, const char *cert_host);
void sessions_closed(struct sessions *, uint64_t conn);

/* Called after every ovsdb_idl_run(): takes note of what changed in the
 * database (through the IDL's change tracking), recomputes the hosts that
 * the changes and new bindings affect, sends them their updates, and writes
 * status in 'txn' (if nonnull; without a transaction, status waits). */
void sessions_run(struct sessions *, struct ovsdb_idl_txn *);

/* Tells the sessions how the last status write went: 'result' is what
 * ovsdb_idl_loop_commit_and_wait() returned (1 committed or nothing to
 * commit, -1 in progress, 0 failed).  After a failure, the status is
 * written again. */
void sessions_commit_result(struct sessions *, int result);

/* Arranges for poll_block() to wake up when the sessions have something to
 * write that waits for time only. */
void sessions_wait(const struct sessions *);

/* Automatic network rollback: the hosts that rolled a change back, one
 * by one, and their release once the change is reverted. */
bool sessions_next_rollback(struct sessions *, char **host,
                            long long int *since_msec, char **note);
void sessions_release(struct sessions *, const char *host);
void sessions_set_confirms(struct sessions *, bool confirms);

/* unixctl support. */
void sessions_format_status(const struct sessions *, struct ds *);
void sessions_format_hosts(const struct sessions *, struct ds *);
bool sessions_format_host_state(const struct sessions *, const char *host,
                                struct ds *);

#endif /* controller/sessions.h */
