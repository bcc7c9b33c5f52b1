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

#ifndef CONTROLLER_HOST_REPORTS_H
#define CONTROLLER_HOST_REPORTS_H 1

/* What the agents observe of the physical network, as they last reported
 * it: LLDP neighbours (LldpNeighbors) and health check results
 * (HealthCheckResults), kept per host and written to the database under
 * each of the host's Host_Member rows (lldp_neighbors, health_check_results)
 * for the member's switch.  A member's rows are replaced whole when what
 * they say differs from the report, and left alone otherwise.  They stay
 * while the host is disconnected (what it last saw) and change with its
 * next report. */

struct host_reports;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct Dvs__LldpNeighbors;
struct Dvs__HealthCheckResults;

struct host_reports *host_reports_create(void);
void host_reports_destroy(struct host_reports *);

void host_reports_set_lldp(struct host_reports *, const char *host,
                           const struct Dvs__LldpNeighbors *);
void host_reports_set_health_check(struct host_reports *, const char *host,
                                   const struct Dvs__HealthCheckResults *);

void host_reports_write(struct host_reports *, struct ovsdb_idl *,
                        struct ovsdb_idl_txn *);
void host_reports_write_all(struct host_reports *);

#endif /* controller/host-reports.h */
