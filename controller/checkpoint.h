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

#ifndef CHECKPOINT_H
#define CHECKPOINT_H 1

/* Checkpoints: before each change to a switch's configuration (the switch,
 * its portgroups, ports and host members) takes effect, the configuration
 * it replaces is saved as a Snapshot row of kind "checkpoint", which
 * "dvs-ctl rollback SWITCH" writes back.  At most 'max' are kept per
 * switch, the oldest deleted first.
 *
 * With a snapshot directory, every Snapshot row (checkpoints and the
 * administrator's snapshots) is also kept there as a file in the export
 * format, so that a lost database can be rebuilt with "dvs-ctl
 * snapshot-import".  Files are removed only when their row is deleted, so
 * that a controller started on an empty database keeps them. */

#include <stdbool.h>

struct ovsdb_idl;
struct ovsdb_idl_txn;

#define CHECKPOINT_DEFAULT_MAX 8

struct checkpoints *checkpoints_create(unsigned int max,
                                       const char *snapshot_dir);
void checkpoints_destroy(struct checkpoints *);

/* Call on every iteration once the database has been read, before the
 * IDL's change tracking is cleared; 'txn' may be NULL. */
void checkpoints_run(struct checkpoints *, struct ovsdb_idl *,
                     struct ovsdb_idl_txn *);

void checkpoints_commit_result(struct checkpoints *, int result);
void checkpoints_revert(struct checkpoints *, struct ovsdb_idl *,
                        struct ovsdb_idl_txn *, const char *host,
                        long long int since_msec, const char *note);

#endif /* checkpoint.h */
