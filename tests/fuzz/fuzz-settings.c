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

/* Fuzz target: dvs-ctl's KEY=VALUE settings, as "dvs-ctl dvs-set",
 * "pg-set" and "port-set" parse them (utilities/dvs-ctl-settings.c) before
 * touching the database: the key is looked up in the registry, and the
 * value parsed into the datum of the key's column at every level where
 * the key exists, then formatted back. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "ovsdb-data.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *setting = xmemdup0((const char *) data, size);
    char *eq = strchr(setting, '=');
    if (!eq || eq == setting) {
        free(setting);
        return 0;
    }
    *eq = '\0';

    const struct dvs_key *key = dvs_key_find(setting);
    static const struct ovsdb_idl_table_class *tables[] = {
        &dvsrec_table_switch, &dvsrec_table_portgroup, &dvsrec_table_port,
    };
    for (size_t i = 0; key && i < ARRAY_SIZE(tables); i++) {
        const struct ovsdb_idl_column *column = dvs_key_column(key,
                                                               tables[i]);
        if (!column) {
            continue;
        }

        struct ovsdb_datum datum;
        char *error = dvs_key_parse(key, column, eq + 1, &datum);
        if (!error) {
            struct ds s = DS_EMPTY_INITIALIZER;
            dvs_key_format(key, column, &datum, &s);
            ds_destroy(&s);
        }
        ovsdb_datum_destroy(&datum, &column->type);
        free(error);
        free(dvs_key_accepted(key, column));
    }
    free(setting);
    return 0;
}
