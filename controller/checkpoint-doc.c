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

/* Switches' snapshot documents kept row by row (see checkpoint-doc.h).
 *
 * What a row's element in the document holds, and so what makes it stale:
 * its configuration columns and config_version, and what its references
 * mean: the content of its traffic rules (Traffic_Rule rows changed in
 * place), the names of the ports it refers to (a Port renamed) and, for a
 * host member, its host's name (a Host renamed).  Rows are kept in the
 * order of the document (by name, host name or key), sorted again only
 * when one is added or its key changes. */

#include <config.h>

#include "controller/checkpoint-doc.h"

#include <stdlib.h>
#include <string.h>

#include "lib/dvs-columns.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-snapshot.h"
#include "openvswitch/hmap.h"
#include "openvswitch/json.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

/* One row of a switch's lists. */
struct doc_row {
    struct hmap_node node;      /* In 'docs->rows', by UUID. */
    struct uuid uuid;
    struct switch_doc *sw;
    enum dvs_snap_list list;
    size_t index;               /* In 'sw->lists[list].rows'. */
    struct ovsdb_datum key;     /* What the list is sorted by. */
    const struct ovsdb_type *key_type;
    bool refs;                  /* Refers to traffic rules or ports. */
    struct uuid host;           /* A host member's Host. */
    bool stale;                 /* In 'sw->stale': to serialise again. */
    struct json *element;       /* Serialised, or NULL. */
};

struct doc_list {
    struct doc_row **rows;
    size_t n, allocated;
    bool sorted;
};

/* The lists of one switch. */
struct switch_doc {
    struct hmap_node node;      /* In 'docs->switches', by UUID. */
    struct uuid uuid;
    struct doc_list lists[DVS_SNAP_N_LISTS];
    struct doc_row **stale;
    size_t n_stale, allocated_stale;
    size_t length;              /* Of the last document written. */
};

struct checkpoint_docs {
    struct hmap switches;       /* "struct switch_doc"s. */
    struct hmap rows;           /* "struct doc_row"s of all switches. */
};

/* The table of each list and the column that its rows are sorted by (for
 * host members, the Host's name). */
static const struct ovsdb_idl_table_class *
list_table(enum dvs_snap_list list)
{
    return (list == DVS_SNAP_LIST_PORTGROUPS ? &dvsrec_table_portgroup
            : list == DVS_SNAP_LIST_MEMBERS ? &dvsrec_table_host_member
            : dvs_snap_child_tables[list - DVS_SNAP_LIST_CHILDREN].table);
}

static const char *
list_key(enum dvs_snap_list list)
{
    return (list < DVS_SNAP_LIST_CHILDREN ? "name"
            : dvs_snap_child_tables[list - DVS_SNAP_LIST_CHILDREN].key);
}

struct checkpoint_docs *
checkpoint_docs_create(void)
{
    struct checkpoint_docs *docs = xmalloc(sizeof *docs);
    hmap_init(&docs->switches);
    hmap_init(&docs->rows);
    return docs;
}

static struct switch_doc *
find_switch(const struct checkpoint_docs *docs, const struct uuid *uuid)
{
    struct switch_doc *sd;
    HMAP_FOR_EACH_WITH_HASH (sd, node, uuid_hash(uuid), &docs->switches) {
        if (uuid_equals(&sd->uuid, uuid)) {
            return sd;
        }
    }
    return NULL;
}

static struct doc_row *
find_row(const struct checkpoint_docs *docs, const struct uuid *uuid)
{
    struct doc_row *dr;
    HMAP_FOR_EACH_WITH_HASH (dr, node, uuid_hash(uuid), &docs->rows) {
        if (uuid_equals(&dr->uuid, uuid)) {
            return dr;
        }
    }
    return NULL;
}

static void
mark_stale(struct doc_row *dr)
{
    struct switch_doc *sd = dr->sw;
    if (!dr->stale) {
        dr->stale = true;
        if (sd->n_stale >= sd->allocated_stale) {
            sd->stale = x2nrealloc(sd->stale, &sd->allocated_stale,
                                   sizeof *sd->stale);
        }
        sd->stale[sd->n_stale++] = dr;
    }
}

static void
add_row(struct checkpoint_docs *docs, struct switch_doc *sd,
        const struct uuid *uuid, enum dvs_snap_list list)
{
    struct doc_row *dr = xzalloc(sizeof *dr);
    struct doc_list *l = &sd->lists[list];

    dr->uuid = *uuid;
    dr->sw = sd;
    dr->list = list;
    ovsdb_datum_init_empty(&dr->key);
    hmap_insert(&docs->rows, &dr->node, uuid_hash(uuid));
    if (l->n >= l->allocated) {
        l->rows = x2nrealloc(l->rows, &l->allocated, sizeof *l->rows);
    }
    dr->index = l->n;
    l->rows[l->n++] = dr;
    l->sorted = false;
    mark_stale(dr);
}

static void
remove_row(struct checkpoint_docs *docs, struct doc_row *dr)
{
    struct switch_doc *sd = dr->sw;
    struct doc_list *l = &sd->lists[dr->list];

    /* The last row takes its place: the list is sorted again. */
    l->rows[dr->index] = l->rows[--l->n];
    l->rows[dr->index]->index = dr->index;
    l->sorted = false;
    if (dr->stale) {
        for (size_t i = 0; i < sd->n_stale; i++) {
            if (sd->stale[i] == dr) {
                sd->stale[i] = sd->stale[--sd->n_stale];
                break;
            }
        }
    }
    hmap_remove(&docs->rows, &dr->node);
    if (dr->key_type) {
        ovsdb_datum_destroy(&dr->key, dr->key_type);
    }
    json_destroy(dr->element);
    free(dr);
}

static void
forget_switch(struct checkpoint_docs *docs, struct switch_doc *sd)
{
    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        struct doc_list *l = &sd->lists[i];
        while (l->n) {
            remove_row(docs, l->rows[l->n - 1]);
        }
        free(l->rows);
    }
    free(sd->stale);
    hmap_remove(&docs->switches, &sd->node);
    free(sd);
}

void
checkpoint_docs_destroy(struct checkpoint_docs *docs)
{
    if (docs) {
        struct switch_doc *sd;
        HMAP_FOR_EACH_SAFE (sd, node, &docs->switches) {
            forget_switch(docs, sd);
        }
        hmap_destroy(&docs->switches);
        hmap_destroy(&docs->rows);
        free(docs);
    }
}

void
checkpoint_docs_forget(struct checkpoint_docs *docs, const struct uuid *uuid)
{
    struct switch_doc *sd = find_switch(docs, uuid);
    if (sd) {
        forget_switch(docs, sd);
    }
}

/* The switch whose document holds 'row' of 'list''s table, or NULL: a row
 * with no switch, and a host member with no host, are in none. */
static const struct uuid *
row_switch(const struct ovsdb_idl_row *row, enum dvs_snap_list list)
{
    const struct ovsdb_idl_table_class *t = list_table(list);
    const struct ovsdb_idl_column *column = dvs_snap_find_column(t,
                                                                 "switch");
    const struct ovsdb_datum *d = ovsdb_idl_read(row, column);
    if (d->n != 1) {
        return NULL;
    }
    if (list == DVS_SNAP_LIST_MEMBERS
        && !CONTAINER_OF(row, struct dvsrec_host_member, header_)->host) {
        return NULL;
    }
    return &d->keys[0].uuid;
}

/* Whether 'row' refers to traffic rules or ports: what their rows say is
 * in its element. */
static bool
has_refs(const struct ovsdb_idl_row *row,
         const struct ovsdb_idl_table_class *t)
{
    const struct ovsdb_idl_column *rules = dvs_snap_rules_column(t);

    if (rules && ovsdb_idl_read(row, rules)->n) {
        return true;
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        if (dvs_snap_is_port_ref(&t->columns[i])
            && ovsdb_idl_read(row, &t->columns[i])->n) {
            return true;
        }
    }
    return false;
}

/* Serialises stale row 'dr' again from 'row'. */
static void
refresh_row(struct doc_row *dr, const struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table_class *t = list_table(dr->list);
    const struct ovsdb_datum *key;
    const struct ovsdb_type *key_type;

    if (dr->list == DVS_SNAP_LIST_MEMBERS) {
        const struct dvsrec_host *host
            = CONTAINER_OF(row, struct dvsrec_host_member, header_)->host;
        key = ovsdb_idl_read(&host->header_, &dvsrec_host_col_name);
        dr->host = host->header_.uuid;
        key_type = &dvsrec_host_col_name.type;
    } else {
        const struct ovsdb_idl_column *column
            = dvs_snap_find_column(t, list_key(dr->list));
        key = ovsdb_idl_read(row, column);
        key_type = &column->type;
    }
    if (!dr->key_type || !ovsdb_datum_equals(&dr->key, key, key_type)) {
        if (dr->key_type) {
            ovsdb_datum_destroy(&dr->key, dr->key_type);
        }
        ovsdb_datum_clone(&dr->key, key);
        dr->key_type = key_type;
        dr->sw->lists[dr->list].sorted = false;
    }
    dr->refs = has_refs(row, t);
    json_destroy(dr->element);
    dr->element = dvs_snap_element_from_idl(row, t);
    dr->stale = false;
}

/* Whether a change of 'column' of a row of 'table' changes what its
 * element holds, or which switch holds it. */
static bool
counts_for_element(const struct ovsdb_idl_table_class *table,
                   const struct ovsdb_idl_column *column)
{
    return (dvs_snapshot_is_config_column(table, column)
            || column->type.key.type == OVSDB_TYPE_UUID
            || !strcmp(column->name, "config_version"));
}

/* Whether a change of 'column' of a row of 'table' is a change of
 * configuration: one that a checkpoint is taken for. */
static bool
counts_for_checkpoint(const struct ovsdb_idl_table_class *table,
                      const struct ovsdb_idl_column *column)
{
    return (dvs_snapshot_is_config_column(table, column)
            || column->type.key.type == OVSDB_TYPE_UUID);
}

static void
add_uuid(struct sset *set, const struct uuid *uuid)
{
    char s[UUID_LEN + 1];
    snprintf(s, sizeof s, UUID_FMT, UUID_ARGS(uuid));
    sset_add(set, s);
}

/* Takes in the tracked changes of the rows of 'list''s table. */
static void
track_list(struct checkpoint_docs *docs, struct ovsdb_idl *idl,
           enum dvs_snap_list list, struct sset *dirty)
{
    const struct ovsdb_idl_table_class *t = list_table(list);
    const struct ovsdb_idl_row *row;

    for (row = ovsdb_idl_track_get_first(idl, t); row;
         row = ovsdb_idl_track_get_next(row)) {
        bool counts = dvs_row_changed(row, t, counts_for_checkpoint);
        struct doc_row *dr = find_row(docs, &row->uuid);

        /* What the database holds now, whatever the order of the changes
         * tracked (a row deleted and inserted again has two). */
        const struct ovsdb_idl_row *live
            = ovsdb_idl_get_row_for_uuid(idl, t, &row->uuid);
        const struct uuid *sw_uuid = live ? row_switch(live, list) : NULL;
        struct switch_doc *sd = sw_uuid ? find_switch(docs, sw_uuid) : NULL;

        if (counts) {
            if (dr) {
                add_uuid(dirty, &dr->sw->uuid);
            }
            if (sw_uuid) {
                add_uuid(dirty, sw_uuid);
            }
        }
        if (dr && dr->sw != sd) {
            remove_row(docs, dr);
            dr = NULL;
        }
        if (!sd) {
            /* In no switch, or in one whose document is not kept yet: its
             * document is written from all its rows when it is. */
            continue;
        }
        if (!dr) {
            add_row(docs, sd, &row->uuid, list);
        } else if (dvs_row_changed(row, t, counts_for_element)) {
            mark_stale(dr);
        }
    }
}

/* Marks stale the rows with references, or if 'host' is nonnull, the
 * host members of that host. */
static void
mark_referrers_stale(struct checkpoint_docs *docs, const struct uuid *host)
{
    struct doc_row *dr;

    HMAP_FOR_EACH (dr, node, &docs->rows) {
        if (host
            ? (dr->list == DVS_SNAP_LIST_MEMBERS
               && uuid_equals(&dr->host, host))
            : dr->refs) {
            mark_stale(dr);
        }
    }
}

void
checkpoint_docs_track(struct checkpoint_docs *docs, struct ovsdb_idl *idl,
                      struct sset *dirty)
{
    const struct dvsrec_switch *sw;
    DVSREC_SWITCH_FOR_EACH_TRACKED (sw, idl) {
        if (dvs_row_changed(&sw->header_, &dvsrec_table_switch,
                            counts_for_checkpoint)) {
            add_uuid(dirty, &sw->header_.uuid);
        }
    }
    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        track_list(docs, idl, i, dirty);
    }

    /* What rows refer to changed in place: rare, so every row that might
     * show it is serialised again. */
    bool refs_changed = false;
    const struct dvsrec_traffic_rule *rule;
    DVSREC_TRAFFIC_RULE_FOR_EACH_TRACKED (rule, idl) {
        /* A rule added or removed changes its row's reference too. */
        if (!dvsrec_traffic_rule_is_new(rule)
            && !dvsrec_traffic_rule_is_deleted(rule)) {
            refs_changed = true;
        }
    }
    const struct dvsrec_port *port;
    DVSREC_PORT_FOR_EACH_TRACKED (port, idl) {
        if (!dvsrec_port_is_new(port) && !dvsrec_port_is_deleted(port)
            && dvsrec_port_is_updated(port, DVSREC_PORT_COL_NAME)) {
            refs_changed = true;
        }
    }
    if (refs_changed) {
        mark_referrers_stale(docs, NULL);
    }
    const struct dvsrec_host *host;
    DVSREC_HOST_FOR_EACH_TRACKED (host, idl) {
        if (!dvsrec_host_is_new(host) && !dvsrec_host_is_deleted(host)
            && dvsrec_host_is_updated(host, DVSREC_HOST_COL_NAME)) {
            mark_referrers_stale(docs, &host->header_.uuid);
        }
    }
}

static int
compare_rows(const void *a_, const void *b_)
{
    const struct doc_row *const *a = a_, *const *b = b_;
    return ovsdb_datum_compare_3way(&(*a)->key, &(*b)->key, (*a)->key_type);
}

/* Starts keeping the document of 'sw', with all its rows. */
static struct switch_doc *
add_switch(struct checkpoint_docs *docs, struct ovsdb_idl *idl,
           const struct dvsrec_switch *sw)
{
    struct switch_doc *sd = xzalloc(sizeof *sd);

    sd->uuid = sw->header_.uuid;
    hmap_insert(&docs->switches, &sd->node, uuid_hash(&sd->uuid));
    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        const struct ovsdb_idl_row *row;
        for (row = ovsdb_idl_first_row(idl, list_table(i)); row;
             row = ovsdb_idl_next_row(row)) {
            const struct uuid *sw_uuid = row_switch(row, i);
            if (sw_uuid && uuid_equals(sw_uuid, &sd->uuid)) {
                add_row(docs, sd, &row->uuid, i);
            }
        }
    }
    return sd;
}

char *
checkpoint_docs_document(struct checkpoint_docs *docs, struct ovsdb_idl *idl,
                         const struct dvsrec_switch *sw)
{
    struct switch_doc *sd = find_switch(docs, &sw->header_.uuid);
    if (!sd) {
        sd = add_switch(docs, idl, sw);
    }

    while (sd->n_stale) {
        struct doc_row *dr = sd->stale[--sd->n_stale];
        const struct ovsdb_idl_row *row
            = ovsdb_idl_get_row_for_uuid(idl, list_table(dr->list),
                                         &dr->uuid);
        if (row && row_switch(row, dr->list)) {
            refresh_row(dr, row);
        } else {
            /* Gone, or out of any switch, without the change tracking
             * saying so: cannot be, but the document must not hold it. */
            dr->stale = false;
            remove_row(docs, dr);
        }
    }

    struct json **elements[DVS_SNAP_N_LISTS];
    size_t n_elements[DVS_SNAP_N_LISTS];
    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        struct doc_list *l = &sd->lists[i];
        if (!l->sorted) {
            qsort(l->rows, l->n, sizeof *l->rows, compare_rows);
            for (size_t j = 0; j < l->n; j++) {
                l->rows[j]->index = j;
            }
            l->sorted = true;
        }
        elements[i] = xmalloc(l->n * sizeof *elements[i]);
        for (size_t j = 0; j < l->n; j++) {
            elements[i][j] = l->rows[j]->element;
        }
        n_elements[i] = l->n;
    }

    /* The document is written at once, in a buffer the size of the last
     * one plus what a change might add. */
    char *text = dvs_snapshot_document_from_elements(
        sw, elements, n_elements, sd->length + sd->length / 8);
    sd->length = strlen(text);
    for (size_t i = 0; i < DVS_SNAP_N_LISTS; i++) {
        free(elements[i]);
    }
    return text;
}
