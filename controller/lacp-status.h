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

#ifndef LACP_STATUS_H
#define LACP_STATUS_H 1

/* What one host's dvs-agent reports of its LAGs (TeamingLacpReport), kept
 * for Host_Member.lacp_status: LAG name -> "STATE; PORT=NIC:STATE...". */

#include <stdbool.h>
#include "openvswitch/shash.h"

struct ovsdb_idl;
struct Dvs__TeamingLacpReport;

struct lacp_status {
    struct shash by_switch;     /* Switch name -> "struct smap *". */
    bool dirty;                 /* Not written to the database yet. */
};

void lacp_status_init(struct lacp_status *);
void lacp_status_destroy(struct lacp_status *);
void lacp_status_receive(struct lacp_status *, const char *host,
                         const struct Dvs__TeamingLacpReport *);
void lacp_status_write(struct lacp_status *, struct ovsdb_idl *,
                       const char *host);

#endif /* lacp-status.h */
