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

/* Automatic network rollback: the bookkeeping (see net-rollback.h).  The
 * agent does the applying. */

#include <config.h>

#include "agent/net-rollback.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "timeval.h"
#include "util.h"

/* How long after a change the agent probes the controller (see
 * net-rollback.h): longer than ovs-vswitchd takes to revalidate its
 * datapath flows after an OpenFlow change. */
#define NET_ROLLBACK_SETTLE_MS 1000

void
net_rollback_init(struct net_rollback *rb, long long int timeout_ms)
{
    memset(rb, 0, sizeof *rb);
    rb->timeout_ms = timeout_ms;
    dvs_host_state_init(&rb->good);
    rb->good_epoch = xstrdup("");
    rb->deadline = LLONG_MAX;
}

void
net_rollback_destroy(struct net_rollback *rb)
{
    dvs_host_state_destroy(&rb->good);
    free(rb->good_epoch);
    free(rb->watched_epoch);
    free(rb->rolled_back_epoch);
    free(rb->reason);
}

/* Makes 'state' the known-good state and ends any watch. */
void
net_rollback_set_good(struct net_rollback *rb,
                      const struct dvs_host_state *state,
                      uint64_t generation, const char *epoch)
{
    dvs_host_state_destroy(&rb->good);
    dvs_host_state_clone(&rb->good, state);
    rb->have_good = true;
    rb->good_generation = generation;
    free(rb->good_epoch);
    rb->good_epoch = xstrdup(epoch ? epoch : "");
    rb->deadline = LLONG_MAX;
}

/* Called when 'state' (of 'generation' and 'epoch') is applied.  With
 * 'watch' (it came from a controller that confirms Acks, and rollback is
 * enabled), starts or extends the watch, unless there is nothing to roll
 * back to.  Returns true if 'state' is known-good now (and belongs in the
 * state file), false if it waits for the controller's Confirm. */
bool
net_rollback_applied(struct net_rollback *rb,
                     const struct dvs_host_state *state,
                     uint64_t generation, const char *epoch, bool watch)
{
    if (!watch || !rb->timeout_ms || !rb->have_good) {
        net_rollback_set_good(rb, state, generation, epoch);
        return true;
    }
    /* Each state gets the whole timeout to prove itself: the rollback
     * goes back to the last confirmed state, however many came since. */
    rb->deadline = time_msec() + rb->timeout_ms;
    rb->watched_generation = generation;
    free(rb->watched_epoch);
    rb->watched_epoch = xstrdup(epoch);
    rb->probe_at = time_msec() + MIN(NET_ROLLBACK_SETTLE_MS,
                                     rb->timeout_ms / 2);
    rb->probe_sent = false;
    return false;
}

/* Returns true, once, when the probe for the watched state is due: the
 * caller then sends an Ack for the applied generation again. */
bool
net_rollback_probe_due(struct net_rollback *rb)
{
    if (rb->deadline == LLONG_MAX || rb->probe_sent
        || time_msec() < rb->probe_at) {
        return false;
    }
    rb->probe_sent = true;
    return true;
}

/* Called when the controller confirms 'generation' of 'epoch'.  If that
 * covers the applied state (of 'applied_generation' and 'applied_epoch'),
 * it becomes known-good and the watch ends: returns true (the state file
 * should get it). */
bool
net_rollback_confirmed(struct net_rollback *rb,
                       const struct dvs_host_state *applied,
                       uint64_t applied_generation, const char *applied_epoch,
                       uint64_t generation, const char *epoch)
{
    if (rb->report_pending && generation >= rb->good_generation
        && !strcmp(epoch, rb->good_epoch)) {
        /* The controller heard from us since the rollback, which the Ack
         * of the rollback or the Hello that came first reported. */
        rb->report_pending = false;
    }
    if (rb->deadline != LLONG_MAX && !rb->probe_sent) {
        /* An answer to the first Ack, which may have crossed on datapath
         * flows of before the change. */
        return false;
    }
    if (strcmp(epoch, applied_epoch) || generation < applied_generation
        || (rb->have_good && rb->good_generation == applied_generation
            && !strcmp(rb->good_epoch, applied_epoch))) {
        return false;
    }
    net_rollback_set_good(rb, applied, applied_generation, applied_epoch);
    return true;
}

bool
net_rollback_expired(const struct net_rollback *rb)
{
    return rb->deadline != LLONG_MAX && time_msec() >= rb->deadline;
}

/* Records that the watched generation is being rolled back for 'reason'.
 * The caller applies the known-good state. */
void
net_rollback_start(struct net_rollback *rb, const char *reason)
{
    rb->deadline = LLONG_MAX;
    rb->report_pending = true;
    rb->rolled_back_generation = rb->watched_generation;
    free(rb->rolled_back_epoch);
    rb->rolled_back_epoch = nullable_xstrdup(rb->watched_epoch);
    free(rb->reason);
    rb->reason = xstrdup(reason);
    rb->n_rollbacks++;
}

void
net_rollback_wait(const struct net_rollback *rb)
{
    if (rb->deadline != LLONG_MAX) {
        poll_timer_wait_until(rb->probe_sent ? rb->deadline : rb->probe_at);
    }
}

void
net_rollback_format_status(const struct net_rollback *rb, struct ds *s)
{
    if (!rb->timeout_ms) {
        ds_put_cstr(s, "network rollback: disabled\n");
        return;
    }
    ds_put_format(s, "network rollback: after %lld ms without the "
                  "controller", rb->timeout_ms);
    if (rb->have_good) {
        ds_put_format(s, "; known-good generation %"PRIu64,
                      rb->good_generation);
    }
    if (rb->deadline != LLONG_MAX) {
        ds_put_format(s, "; generation %"PRIu64" unconfirmed, rollback in "
                      "%lld ms", rb->watched_generation,
                      MAX(0, rb->deadline - time_msec()));
    }
    ds_put_char(s, '\n');
    if (rb->n_rollbacks) {
        ds_put_format(s, "rollbacks: %u, last: generation %"PRIu64": %s%s\n",
                      rb->n_rollbacks, rb->rolled_back_generation,
                      rb->reason,
                      rb->report_pending ? " (not reported yet)" : "");
    }
}
