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

#ifndef DVS_MAILBOX_H
#define DVS_MAILBOX_H 1

/* The two threads of a daemon and the messages between them.
 *
 * OVS's IDL, rconn and poll_block() are per-thread and cannot be driven
 * from libuv, and libuv cannot be driven from poll_block(), so dvs-agent and
 * dvs-controller run two loops (see DESIGN section 3,
 * OVS-NOTES section 4):
 *
 *   - the libuv thread: the process's main thread.  It runs uv_run() and
 *     owns every libuv handle (dvs-conn's servers, clients, timers).
 *
 *   - the OVS thread, created here with ovs_thread_create().  It runs an OVS
 *     poll loop: IDL, rconn, unixctl, poll_block().
 *
 * They share nothing but a mailbox: two mutex-protected queues of owned
 * messages.  A message sent to the OVS thread wakes its poll loop through a
 * latch (the thread calls dvs_mailbox_wait() before poll_block()); a message
 * sent to the libuv thread wakes it through uv_async_send(), whose wakeups
 * coalesce, so the libuv side drains the whole queue each time.
 *
 * A typical daemon:
 *
 *     main():
 *         set_program_name(argv[0]);
 *         ... parse options, vlog, daemonize (before any thread) ...
 *         fatal_ignore_sigpipe();            libuv writes to sockets
 *         fatal_signal_init();               before any thread exists
 *         uv_loop_init(&loop);
 *         mb = dvs_mailbox_create(&loop, &callbacks, aux, max_bytes);
 *         ... start dvs-conn servers/clients on &loop ...
 *         dvs_mailbox_start(mb, "dvs_ovs", ovs_main, ovs_aux);
 *         uv_run(&loop, UV_RUN_DEFAULT);     returns once all is closed
 *
 *     ovs_main(mb, aux):                      the OVS thread
 *         while (!dvs_mailbox_should_exit(mb)) {
 *             ... idl/rconn/unixctl run ...
 *             while ((msg = dvs_mailbox_recv(mb))) { ...; destroy it }
 *             ... idl/rconn/unixctl wait ...
 *             dvs_mailbox_wait(mb);
 *             poll_block();
 *         }
 *
 *     callbacks.stopped(mb, aux):             the libuv thread
 *         ... close servers, clients, timers ...
 *         dvs_mailbox_close(mb);
 *
 * Either thread ends the process's loops with dvs_mailbox_stop(). */

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>
#include "openvswitch/list.h"

struct dvs_mailbox;

/* An owned message.  'data' belongs to the message until a receiver takes
 * it (by setting 'data' to NULL before dvs_mailbox_msg_destroy()). */
struct dvs_mailbox_msg {
    struct ovs_list list_node;  /* Private to the mailbox. */
    int type;                   /* Meaning is up to the users. */
    void *data;                 /* Payload. */
    size_t size;                /* Size of 'data', for the memory limit. */
    void (*destroy)(void *data); /* Frees 'data'; NULL if nothing to do. */
};

void dvs_mailbox_msg_destroy(struct dvs_mailbox_msg *);

/* Called on the libuv thread. */
struct dvs_mailbox_callbacks {
    /* A message from the OVS thread.  The callee owns 'msg'. */
    void (*received)(struct dvs_mailbox *, struct dvs_mailbox_msg *msg,
                     void *aux);

    /* dvs_mailbox_stop() was called (by either thread) or the OVS thread's
     * function returned.  The callee closes its libuv handles and then
     * calls dvs_mailbox_close().  Called once. */
    void (*stopped)(struct dvs_mailbox *, void *aux);
};

/* The libuv thread. */
struct dvs_mailbox *dvs_mailbox_create(uv_loop_t *,
                                       const struct dvs_mailbox_callbacks *,
                                       void *aux, size_t max_bytes);
void dvs_mailbox_start(struct dvs_mailbox *, const char *thread_name,
                       void (*ovs_main)(struct dvs_mailbox *, void *aux),
                       void *aux);
bool dvs_mailbox_send_to_ovs(struct dvs_mailbox *, int type, void *data,
                             size_t size, void (*destroy)(void *));
void dvs_mailbox_close(struct dvs_mailbox *);

/* The OVS thread. */
bool dvs_mailbox_send_to_uv(struct dvs_mailbox *, int type, void *data,
                            size_t size, void (*destroy)(void *));
struct dvs_mailbox_msg *dvs_mailbox_recv(struct dvs_mailbox *);
void dvs_mailbox_wait(struct dvs_mailbox *);
bool dvs_mailbox_should_exit(const struct dvs_mailbox *);

/* Either thread. */
void dvs_mailbox_stop(struct dvs_mailbox *);
size_t dvs_mailbox_backlog(const struct dvs_mailbox *, bool to_ovs);

#endif /* dvs-mailbox.h */
