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

#ifndef DVS_COLUMNS_H
#define DVS_COLUMNS_H 1

/* What the columns of the DVS_Northbound schema are, beyond their types:
 * the one place that says which columns dvs-controller writes (status)
 * and which only keep the books.  Translation, checkpoints and snapshots
 * all decide from here what counts as configuration. */

#include <stdbool.h>

struct ovsdb_idl_column;
struct ovsdb_idl_row;
struct ovsdb_idl_table_class;

/* Written by dvs-controller from what the hosts report (Port.up, errors,
 * statistics, hv_cfg...): never configuration. */
bool dvs_column_is_status(const struct ovsdb_idl_table_class *,
                          const struct ovsdb_idl_column *);

/* Configuration that changes no host's state: descriptions, external_ids,
 * edit counters, the portgroup's port-allocation settings. */
bool dvs_column_is_bookkeeping(const struct ovsdb_idl_table_class *,
                               const struct ovsdb_idl_column *);

/* Whether tracked 'row' of 'table' was inserted or deleted, or had a
 * column updated for which 'counts' returns true. */
bool dvs_row_changed(const struct ovsdb_idl_row *,
                     const struct ovsdb_idl_table_class *,
                     bool (*counts)(const struct ovsdb_idl_table_class *,
                                    const struct ovsdb_idl_column *));

#endif /* lib/dvs-columns.h */
