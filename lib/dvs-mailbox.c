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
#include "lib/dvs-mailbox.h"

#include <stdlib.h>
#include "fatal-signal.h"
#include "latch.h"
#include "openvswitch/util.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dvs_mailbox);

/* One direction. */
struct mailbox_queue {
    struct ovs_list msgs;       /* Contains "struct dvs_mailbox_msg"s. */
    size_t n_bytes;             /* Sum of the messages' 'size'. */
};

struct dvs_mailbox {
    /* Set at creation, then read-only. */
    uv_loop_t *loop;
    struct dvs_mailbox_callbacks cbs;
    void *aux;
    size_t max_bytes;           /* Per queue; 0 means no limit. */

    /* Shared by the two threads. */
    struct ovs_mutex mutex;
    struct mailbox_queue to_ovs OVS_GUARDED;
    struct mailbox_queue to_uv OVS_GUARDED;
    bool stop_requested OVS_GUARDED;
    bool closing OVS_GUARDED;   /* dvs_mailbox_close() was called. */

    /* Set while 'to_ovs' is nonempty: it is set by the sender that makes the
     * queue nonempty and cleared by the receiver that empties it, both under
     * 'mutex', so a message can never sit in the queue unseen. */
    struct latch to_ovs_latch;

    /* Set once, to make the OVS thread leave its loop. */
    struct latch exit_latch;

    /* Wakes the libuv thread.  uv_async_send() is the one libuv function
     * that other threads may call. */
    uv_async_t async;

    /* The libuv thread only. */
    bool started;               /* The OVS thread was created. */
    pthread_t ovs_thread;
    bool stop_notified;         /* 'cbs.stopped' was called. */
    void (*ovs_main)(struct dvs_mailbox *, void *aux);
    void *ovs_aux;
};

/* Frees 'msg' and, unless a receiver took it, its data. */
void
dvs_mailbox_msg_destroy(struct dvs_mailbox_msg *msg)
{
    if (msg) {
        if (msg->data && msg->destroy) {
            msg->destroy(msg->data);
        }
        free(msg);
    }
}

static void
queue_init(struct mailbox_queue *q)
{
    ovs_list_init(&q->msgs);
    q->n_bytes = 0;
}

static void
queue_clear(struct mailbox_queue *q)
{
    struct dvs_mailbox_msg *msg;

    LIST_FOR_EACH_POP (msg, list_node, &q->msgs) {
        dvs_mailbox_msg_destroy(msg);
    }
    q->n_bytes = 0;
}

/* Appends a message to 'q', unless the mailbox is closing or 'q' is over
 * its limit (then returns false, and the caller destroys 'data').  A
 * message always fits in an empty queue, so that one large message (a full
 * state update) is never refused for its size alone.  A message of size 0
 * is never refused for the limit: senders use it for small notices that
 * must get through ("connection closed"). */
static bool
queue_push(struct dvs_mailbox *mb, struct mailbox_queue *q,
           const char *where, int type, void *data, size_t size,
           void (*destroy)(void *))
    OVS_REQUIRES(mb->mutex)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    if (mb->closing) {
        VLOG_DBG_RL(&rl, "mailbox closing: message of type %d to the %s "
                    "thread dropped", type, where);
    } else if (mb->max_bytes && size && !ovs_list_is_empty(&q->msgs)
               && q->n_bytes + size > mb->max_bytes) {
        VLOG_WARN_RL(&rl, "mailbox to the %s thread holds %"PRIuSIZE" bytes: "
                     "message of type %d (%"PRIuSIZE" bytes) dropped",
                     where, q->n_bytes, type, size);
    } else {
        struct dvs_mailbox_msg *msg = xmalloc(sizeof *msg);

        msg->type = type;
        msg->data = data;
        msg->size = size;
        msg->destroy = destroy;
        ovs_list_push_back(&q->msgs, &msg->list_node);
        q->n_bytes += size;
        return true;
    }
    return false;
}

/* Destroys the data of a message that could not be queued.  Called without
 * the mutex held: a destructor may be slow, or use the mailbox. */
static void
destroy_refused(void *data, void (*destroy)(void *))
{
    if (data && destroy) {
        destroy(data);
    }
}

static struct dvs_mailbox_msg *
queue_pop(struct mailbox_queue *q)
{
    if (ovs_list_is_empty(&q->msgs)) {
        return NULL;
    }

    struct dvs_mailbox_msg *msg;
    msg = CONTAINER_OF(ovs_list_pop_front(&q->msgs), struct dvs_mailbox_msg,
                       list_node);
    q->n_bytes -= msg->size;
    return msg;
}

/* The libuv thread. */

static void
mailbox_async_cb(uv_async_t *async)
{
    struct dvs_mailbox *mb = async->data;
    struct dvs_mailbox_msg *msg;
    struct ovs_list msgs;
    bool stop;

    /* uv_async_send() coalesces wakeups: take everything queued so far. */
    ovs_mutex_lock(&mb->mutex);
    ovs_list_move(&msgs, &mb->to_uv.msgs);
    ovs_list_init(&mb->to_uv.msgs);
    mb->to_uv.n_bytes = 0;
    stop = mb->stop_requested;
    ovs_mutex_unlock(&mb->mutex);

    LIST_FOR_EACH_POP (msg, list_node, &msgs) {
        /* A callback may close the mailbox; the memory stays valid until
         * the handle's close callback, which runs on a later iteration. */
        if (uv_is_closing((uv_handle_t *) &mb->async)) {
            dvs_mailbox_msg_destroy(msg);
        } else {
            mb->cbs.received(mb, msg, mb->aux);
        }
    }

    if (stop && !mb->stop_notified
        && !uv_is_closing((uv_handle_t *) &mb->async)) {
        mb->stop_notified = true;
        mb->cbs.stopped(mb, mb->aux);
    }
}

/* Creates a mailbox whose libuv side runs on 'loop', calling 'cbs' with
 * 'aux'.  Each direction queues at most 'max_bytes' bytes of messages (as
 * their senders count them; 0 means no limit), except that a message always
 * fits in an empty queue and that messages of size 0 always fit.
 *
 * Call it on the thread that runs 'loop', before dvs_mailbox_start(). */
struct dvs_mailbox *
dvs_mailbox_create(uv_loop_t *loop, const struct dvs_mailbox_callbacks *cbs,
                   void *aux, size_t max_bytes)
{
    struct dvs_mailbox *mb = xzalloc(sizeof *mb);

    ovs_assert(cbs->received && cbs->stopped);
    mb->loop = loop;
    mb->cbs = *cbs;
    mb->aux = aux;
    mb->max_bytes = max_bytes;

    ovs_mutex_init(&mb->mutex);
    queue_init(&mb->to_ovs);
    queue_init(&mb->to_uv);
    latch_init(&mb->to_ovs_latch);
    latch_init(&mb->exit_latch);

    int error = uv_async_init(loop, &mb->async, mailbox_async_cb);
    if (error) {
        /* Only fails for lack of file descriptors or memory at startup. */
        ovs_fatal(0, "uv_async_init: %s", uv_strerror(error));
    }
    mb->async.data = mb;
    return mb;
}

static void *
mailbox_ovs_thread(void *mb_)
{
    struct dvs_mailbox *mb = mb_;

    mb->ovs_main(mb, mb->ovs_aux);

    /* The OVS side is done (e.g. "ovs-appctl exit"): the libuv side must
     * follow, or the process would hang in uv_run(). */
    dvs_mailbox_stop(mb);
    return NULL;
}

/* Creates the OVS thread, named 'thread_name', which runs 'ovs_main(mb,
 * aux)'; when that returns, the mailbox stops.
 *
 * Call it on the process's main thread, which becomes (or is) the libuv
 * thread, before uv_run().  Pitfalls handled here (OVS-NOTES section 4):
 *
 *   - fatal_signal_init() must run while the process is single-threaded (it
 *     asserts so) and before any OVS thread polls: it is called here, first.
 *     A daemon that lets libuv own SIGTERM installs uv_signal_start() before
 *     this, since fatal_signal_init() only hooks signals still at SIG_DFL
 *     and poll_block() would otherwise re-raise SIGTERM and exit.  Daemonize
 *     before this too: OVS refuses to fork once threads exist.
 *
 *   - The thread is created with ovs_thread_create(), never
 *     uv_thread_create() or pthread_create(): only that sets OVS's
 *     "multithreaded" flag.  While OVS believes it is single-threaded,
 *     ovsrcu_quiesce() runs postponed frees inline, which would free memory
 *     under the feet of the other thread.
 *
 *   - The first ovs_thread_create() makes the calling (main) thread a
 *     non-quiescent RCU thread.  The libuv thread then blocks in uv_run()
 *     for ever without passing through poll_block(), which is where OVS
 *     threads quiesce: every ovsrcu_synchronize() would wait for it and
 *     every ovsrcu_postpone()d free would pile up.  So the calling thread
 *     enters a quiescent state here, for good.  From then on the libuv
 *     thread must not call OVS code that reads RCU-protected data
 *     (classifier, netdev, ovs_router, ...); if it ever must, it brackets
 *     the call with ovsrcu_quiesce_end() and ovsrcu_quiesce_start().  vlog,
 *     coverage, seq, latch and ovs_mutex are safe, and dvs-conn uses no
 *     more than those. */
void
dvs_mailbox_start(struct dvs_mailbox *mb, const char *thread_name,
                  void (*ovs_main)(struct dvs_mailbox *, void *aux),
                  void *aux)
{
    ovs_assert(!mb->started);

    fatal_signal_init();

    mb->ovs_main = ovs_main;
    mb->ovs_aux = aux;
    mb->started = true;
    mb->ovs_thread = ovs_thread_create(thread_name, mailbox_ovs_thread, mb);

    ovsrcu_quiesce_start();
}

/* Queues a message for the OVS thread, which owns it from now on.  Returns
 * false, after destroying 'data' with 'destroy', if the mailbox is closing
 * or the queue is over its memory limit. */
bool
dvs_mailbox_send_to_ovs(struct dvs_mailbox *mb, int type, void *data,
                        size_t size, void (*destroy)(void *))
{
    bool queued;

    ovs_mutex_lock(&mb->mutex);
    bool was_empty = ovs_list_is_empty(&mb->to_ovs.msgs);
    queued = queue_push(mb, &mb->to_ovs, "OVS", type, data, size, destroy);
    if (queued && was_empty) {
        latch_set(&mb->to_ovs_latch);
    }
    ovs_mutex_unlock(&mb->mutex);

    if (!queued) {
        destroy_refused(data, destroy);
    }
    return queued;
}

static void
mailbox_free(uv_handle_t *handle)
{
    struct dvs_mailbox *mb = handle->data;

    ovs_mutex_lock(&mb->mutex);
    queue_clear(&mb->to_ovs);
    queue_clear(&mb->to_uv);
    ovs_mutex_unlock(&mb->mutex);

    latch_destroy(&mb->to_ovs_latch);
    latch_destroy(&mb->exit_latch);
    ovs_mutex_destroy(&mb->mutex);
    free(mb);
}

/* Stops the OVS thread (if it still runs) and waits for it to finish, then
 * destroys the messages still queued either way and frees the mailbox once
 * libuv has closed its handle (so 'loop' must run on).  No callback is
 * called after this.
 *
 * Call it on the libuv thread, typically from 'cbs.stopped'.  The OVS thread
 * must never wait for the libuv thread, or this would deadlock. */
void
dvs_mailbox_close(struct dvs_mailbox *mb)
{
    ovs_mutex_lock(&mb->mutex);
    bool closing = mb->closing;
    mb->closing = true;
    ovs_mutex_unlock(&mb->mutex);
    if (closing) {
        return;
    }

    latch_set(&mb->exit_latch);
    if (mb->started) {
        xpthread_join(mb->ovs_thread, NULL);
    }

    /* The OVS thread is gone: nothing can call uv_async_send() any more. */
    uv_close((uv_handle_t *) &mb->async, mailbox_free);
}

/* The OVS thread. */

/* Queues a message for the libuv thread, which owns it from now on.  Returns
 * false, after destroying 'data' with 'destroy', if the mailbox is closing
 * or the queue is over its memory limit. */
bool
dvs_mailbox_send_to_uv(struct dvs_mailbox *mb, int type, void *data,
                       size_t size, void (*destroy)(void *))
{
    bool queued;

    ovs_mutex_lock(&mb->mutex);
    queued = queue_push(mb, &mb->to_uv, "libuv", type, data, size, destroy);
    if (queued) {
        uv_async_send(&mb->async);
    }
    ovs_mutex_unlock(&mb->mutex);

    if (!queued) {
        destroy_refused(data, destroy);
    }
    return queued;
}

/* Returns the next message from the libuv thread, which the caller owns and
 * frees with dvs_mailbox_msg_destroy(), or NULL if there is none. */
struct dvs_mailbox_msg *
dvs_mailbox_recv(struct dvs_mailbox *mb)
{
    struct dvs_mailbox_msg *msg;

    ovs_mutex_lock(&mb->mutex);
    msg = queue_pop(&mb->to_ovs);
    if (ovs_list_is_empty(&mb->to_ovs.msgs)) {
        latch_poll(&mb->to_ovs_latch);
    }
    ovs_mutex_unlock(&mb->mutex);

    return msg;
}

/* Makes the next poll_block() wake up when a message arrives from the
 * libuv thread or when the OVS thread should exit. */
void
dvs_mailbox_wait(struct dvs_mailbox *mb)
{
    latch_wait(&mb->to_ovs_latch);
    latch_wait(&mb->exit_latch);
}

/* Returns true once the OVS thread should leave its loop and return. */
bool
dvs_mailbox_should_exit(const struct dvs_mailbox *mb)
{
    return latch_is_set(&mb->exit_latch);
}

/* Either thread. */

/* Asks both loops to stop: the OVS thread sees dvs_mailbox_should_exit(),
 * and the libuv thread gets 'cbs.stopped' (once).  Idempotent. */
void
dvs_mailbox_stop(struct dvs_mailbox *mb)
{
    latch_set(&mb->exit_latch);

    ovs_mutex_lock(&mb->mutex);
    if (!mb->closing) {
        mb->stop_requested = true;
        uv_async_send(&mb->async);
    }
    ovs_mutex_unlock(&mb->mutex);
}

/* Returns the bytes (as their senders counted them) queued towards the OVS
 * thread if 'to_ovs', else towards the libuv thread. */
size_t
dvs_mailbox_backlog(const struct dvs_mailbox *mb_, bool to_ovs)
{
    struct dvs_mailbox *mb = CONST_CAST(struct dvs_mailbox *, mb_);
    size_t n;

    ovs_mutex_lock(&mb->mutex);
    n = to_ovs ? mb->to_ovs.n_bytes : mb->to_uv.n_bytes;
    ovs_mutex_unlock(&mb->mutex);

    return n;
}
