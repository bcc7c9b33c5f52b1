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
#include "lib/dvs-columns.h"

#include <string.h>
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "util.h"

/* Whether 'column' of 'table' is one of 'names', each "TABLE.COLUMN" or
 * "*.COLUMN" for that column in every table. */
static bool
column_in(const char *const names[], size_t n_names,
          const struct ovsdb_idl_table_class *table,
          const struct ovsdb_idl_column *column)
{
    for (size_t i = 0; i < n_names; i++) {
        const char *dot = strchr(names[i], '.');
        size_t n = dot - names[i];

        if (!strcmp(dot + 1, column->name)
            && ((n == 1 && names[i][0] == '*')
                || (strlen(table->name) == n
                    && !strncmp(names[i], table->name, n)))) {
            return true;
        }
    }
    return false;
}

bool
dvs_column_is_status(const struct ovsdb_idl_table_class *table,
                     const struct ovsdb_idl_column *column)
{
    static const char *const names[] = {
        "*.error", "*.status", "*.status_detail", "*.statistics",
        "Port.host", "Port.up", "Port.learned_macs",
        "Host.hv_cfg", "Host.hv_cfg_timestamp", "Host.agent_version",
        "DVS_Global.hv_cfg", "DVS_Global.hv_cfg_timestamp",
        "Host_Member.lacp_status", "Host_Member.lldp_neighbors",
        "Host_Member.health_check_results",
    };
    return column_in(names, ARRAY_SIZE(names), table, column);
}

bool
dvs_column_is_bookkeeping(const struct ovsdb_idl_table_class *table,
                          const struct ovsdb_idl_column *column)
{
    static const char *const names[] = {
        "*.description", "*.external_ids", "*.config_version",
        "Portgroup.num_ports", "Portgroup.auto_expand", "Portgroup.type",
    };
    return column_in(names, ARRAY_SIZE(names), table, column);
}

bool
dvs_row_changed(const struct ovsdb_idl_row *row,
                const struct ovsdb_idl_table_class *table,
                bool (*counts)(const struct ovsdb_idl_table_class *,
                               const struct ovsdb_idl_column *))
{
    if (ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
        || ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE)) {
        return true;
    }
    if (!row->updated) {
        /* Tracked only because it refers to a row that changed. */
        return false;
    }
    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_idl_column *column = &table->columns[i];

        /* Few columns change at once: asking which changed first saves
         * classifying every column of every changed row by name. */
        if (ovsdb_idl_track_is_updated(row, column) && counts(table, column)) {
            return true;
        }
    }
    return false;
}
