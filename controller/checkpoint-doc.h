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

#ifndef CHECKPOINT_DOC_H
#define CHECKPOINT_DOC_H 1

/* The snapshot document without ports (lib/dvs-snapshot.h) of each switch,
 * kept row by row for checkpoints: each row of a switch's portgroups, host
 * members and child tables is serialised once and again only when the
 * database's change tracking says that it changed, so that the document of
 * a switch after a change costs the rows changed, and copying the others'
 * text, rather than serialising the whole switch.  The text is the same
 * as dvs_snapshot_to_string() gives. */

#include <stdbool.h>
#include "openvswitch/compiler.h"

struct dvsrec_switch;
struct ovsdb_idl;
struct sset;
struct uuid;

struct checkpoint_docs *checkpoint_docs_create(void);
void checkpoint_docs_destroy(struct checkpoint_docs *);

/* Takes in the IDL's change tracking since the last call, and adds to
 * 'dirty' the UUID of each switch whose configuration in its document may
 * have changed: its own row, or a row of its portgroups, host members or
 * child tables (a deleted or moved row counts for the switch that it was
 * in).  Call on every iteration before the tracking is cleared. */
void checkpoint_docs_track(struct checkpoint_docs *, struct ovsdb_idl *,
                           struct sset *dirty);

/* The document of 'sw' as the database has it now. */
char *checkpoint_docs_document(struct checkpoint_docs *, struct ovsdb_idl *,
                               const struct dvsrec_switch *)
    OVS_WARN_UNUSED_RESULT;

/* Forgets switch 'uuid', deleted. */
void checkpoint_docs_forget(struct checkpoint_docs *, const struct uuid *);

#endif /* checkpoint-doc.h */
