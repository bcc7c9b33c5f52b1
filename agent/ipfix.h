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

#ifndef AGENT_IPFIX_H
#define AGENT_IPFIX_H 1

/* The IPFIX exporter of an owned bridge: a Flow_Sample_Collector_Set row
 * (marked external_ids:dvs-owner=dvs-agent) with its IPFIX row, made from
 * the desired bridge's IpfixSpec.  The sample() actions of the flows name
 * its id. */

struct dvs_bridge;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsrec_bridge;

void ipfix_register_columns(struct ovsdb_idl *);

/* Makes the owned exporter of 'br' what 'dbr' asks for (none if 'dbr' or
 * its ipfix is NULL).  Gets the transaction from get_txn(aux) when it
 * changes something. */
void ipfix_reconcile(struct ovsdb_idl *, const struct ovsrec_bridge *br,
                     const struct dvs_bridge *dbr,
                     struct ovsdb_idl_txn *(*get_txn)(void *aux), void *aux);

#endif /* agent/ipfix.h */
