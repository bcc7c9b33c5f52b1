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

#ifndef NET_ROLLBACK_H
#define NET_ROLLBACK_H 1

/* Automatic network rollback, as VDS's: a state from the controller that
 * cuts the host off from the controller (a VLAN or MTU change on the
 * portgroup that carries the host's management interface, its port
 * blocked...) is undone by the host itself.
 *
 * The agent keeps the last "known-good" state: one that the controller
 * confirmed (a Confirm came back for its Ack, so the host reached the
 * controller with it applied), or the state file it started from.  When a
 * new state from the controller is applied, a watch starts; if no Confirm
 * comes within the timeout, the watch expires and the agent applies the
 * known-good state again, then tells the controller which generation it
 * rolled back (in its next Hello, or the Ack of the rollback).
 *
 * A Confirm counts only if it answers an Ack sent a moment (the settle
 * time) after the state was applied: until ovs-vswitchd revalidates its
 * datapath flows, packets may still take the old path, and the first Ack
 * and its Confirm could cross a cut that is about to take effect.  The
 * agent sends that second Ack, the probe, itself.
 *
 * The known-good state is kept on disk too (the state file's name with
 * ".good" appended), so that a restarted agent still knows what to roll
 * back to.  The state file itself holds the last state applied, which a
 * restarted agent applies again at once: a restart changes no flow. */

#include <stdbool.h>
#include <stdint.h>
#include "lib/dvs-state.h"

#define NET_ROLLBACK_DEFAULT_TIMEOUT_MS 30000

struct net_rollback {
    long long int timeout_ms;       /* 0: rollback disabled. */

    /* The known-good state. */
    struct dvs_host_state good;
    bool have_good;
    uint64_t good_generation;
    char *good_epoch;

    /* The watch over the applied, unconfirmed state. */
    long long int deadline;         /* LLONG_MAX: no watch. */
    uint64_t watched_generation;
    char *watched_epoch;
    long long int probe_at;         /* When to send the probe. */
    bool probe_sent;                /* Since the last state applied. */

    /* The last rollback, to report until the controller confirms. */
    bool report_pending;
    uint64_t rolled_back_generation;
    char *rolled_back_epoch;
    char *reason;
    unsigned int n_rollbacks;
};

void net_rollback_init(struct net_rollback *, long long int timeout_ms);
void net_rollback_destroy(struct net_rollback *);

void net_rollback_set_good(struct net_rollback *,
                           const struct dvs_host_state *,
                           uint64_t generation, const char *epoch);
bool net_rollback_applied(struct net_rollback *,
                          const struct dvs_host_state *,
                          uint64_t generation, const char *epoch,
                          bool watch);
bool net_rollback_confirmed(struct net_rollback *,
                            const struct dvs_host_state *applied,
                            uint64_t applied_generation,
                            const char *applied_epoch,
                            uint64_t generation, const char *epoch);
bool net_rollback_expired(const struct net_rollback *);
bool net_rollback_probe_due(struct net_rollback *);
void net_rollback_start(struct net_rollback *, const char *reason);
void net_rollback_wait(const struct net_rollback *);

struct ds;
void net_rollback_format_status(const struct net_rollback *, struct ds *);

#endif /* net-rollback.h */
