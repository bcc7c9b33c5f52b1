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

#ifndef CONTROLLER_MIRROR_STATS_H
#define CONTROLLER_MIRROR_STATS_H 1

/* The port mirroring counters that the hosts report (MirrorStatistics),
 * summed over the hosts into Mirror_Session.statistics. */

struct Dvs__MirrorStatistics;
struct ovsdb_idl;

struct mirror_stats *mirror_stats_create(void);
void mirror_stats_destroy(struct mirror_stats *);

/* 'msg' is everything 'host' counts now: it replaces what it sent
 * before. */
void mirror_stats_update(struct mirror_stats *, const char *host,
                         const struct Dvs__MirrorStatistics *msg);

/* Writes the sums into the Mirror_Session rows that differ, within the
 * IDL's open transaction, if anything changed since the last write. */
void mirror_stats_write(struct mirror_stats *, struct ovsdb_idl *);

#endif /* controller/mirror-stats.h */
