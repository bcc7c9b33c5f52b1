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

#ifndef AGENT_LEARNED_H
#define AGENT_LEARNED_H 1

/* The MACs that the host's ports learned: the flows that their learn()
 * actions made in the known-MAC table (lib/dvs-learn.h), read from each
 * managed bridge over its own OpenFlow connection every
 * LEARNED_INTERVAL_MSEC, from the poll loop.  A learned flow that ages out
 * (its idle_timeout is the port's mac-aging) disappears from the next
 * reading. */

#include <stdbool.h>
#include <stdint.h>

struct sset;

#define LEARNED_INTERVAL_MSEC 1000

struct learned *learned_create(void);
void learned_destroy(struct learned *);

void learned_set_bridges(struct learned *, const struct sset *names);
void learned_run(struct learned *);
void learned_wait(struct learned *);

/* Each entry is "COOKIE SEGMENT MAC": the learned flow's cookie in hex
 * (16 digits), its reg6, and its dl_dst. */
bool learned_get(const struct learned *, struct sset *entries);
uint64_t learned_seqno(const struct learned *);

#endif /* agent/learned.h */
