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
#include "controller/translate-lldp.h"

#include <stdlib.h>
#include <string.h>
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-probe.h"
#include "lib/dvs-state.h"
#include "packets.h"
#include "util.h"

/* The first userdata byte of a controller() action says what the frame is
 * for (agent/ofctrl.h, enum ofctrl_purpose). */
#define PURPOSE_LLDP "01"
#define PURPOSE_HEALTH_CHECK "02"

/* Priorities in table 0: above everything else, so that these frames never
 * reach a VM nor the flood lists. */
#define LLDP_PRIORITY 65000
#define HEALTH_CHECK_PRIORITY 65001

/* The bridge's LLDP mode, and <sw>/lldp: LLDP frames (to the nearest-bridge
 * address 01:80:c2:00:00:0e) that an uplink receives go to the agent when
 * the switch listens, and are dropped otherwise: a bridge never forwards
 * them (802.1AB), and OVS's own LLDP stays off (it only serves
 * Auto-Attach and would consume them). */
void
translate_lldp(struct dvs_host_state *state, struct dvs_bridge *br,
               const struct dvsrec_switch *sw)
{
    char *mode = dvs_key_effective_string("lldp", sw, NULL, NULL);
    char *key = xasprintf("%s/lldp", br->name);
    struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                        br->name);

    dvs_bridge_set_lldp(br, mode);
    for (size_t i = 0; i < br->n_uplinks; i++) {
        char *match = xasprintf("in_port=${uplink:%s},"
                                "dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc",
                                br->uplinks[i].name);

        dvs_flow_group_add_flow(g, 0, LLDP_PRIORITY, match,
                                (dvs_bridge_lldp_listens(br)
                                 ? "controller(userdata=" PURPOSE_LLDP ")"
                                 : "drop"));
        free(match);
    }
    free(key);
    free(mode);
}

static bool
switch_has_lag(const struct dvsrec_switch *sw)
{
    const struct dvsrec_lag *lag;

    DVSREC_LAG_FOR_EACH (lag, sw->header_.table->idl) {
        if (lag->switch_ == sw) {
            return true;
        }
    }
    return false;
}

/* The bridge's health check, and <sw>/health-check: probes (ethertype
 * 0x88b5 to DVS_PROBE_MAC, tagged or not: lib/dvs-probe.h) that an uplink
 * receives go to the agent, and nowhere else.  'vlans' are the VLANs in use
 * on the switch, ascending. */
void
translate_health_check(struct dvs_host_state *state, struct dvs_bridge *br,
                       const struct dvsrec_switch *sw,
                       const uint32_t *vlans, size_t n_vlans)
{
    char *policy = dvs_key_effective_string("teaming", sw, NULL, NULL);
    struct dvs_health_check hc = {
        .vlan_mtu = dvs_key_effective_bool("health-check-vlan-mtu", sw,
                                           NULL, NULL),
        .teaming = dvs_key_effective_bool("health-check-teaming", sw,
                                          NULL, NULL),
        .interval = dvs_key_effective_uint("health-check-interval", sw,
                                           NULL, NULL),
        .vlans = CONST_CAST(uint32_t *, vlans),
        .n_vlans = n_vlans,
        .ip_hash = !strcmp(policy, "loadbalance_ip") || switch_has_lag(sw),
    };

    if (hc.vlan_mtu || hc.teaming) {
        char *key = xasprintf("%s/health-check", br->name);
        struct dvs_flow_group *g = dvs_host_state_add_group(state, key,
                                                            br->name);

        dvs_bridge_set_health_check(br, &hc);
        static const struct eth_addr probe_mac = DVS_PROBE_MAC;

        for (size_t i = 0; i < br->n_uplinks; i++) {
            char *match = xasprintf("in_port=${uplink:%s},dl_dst="
                                    ETH_ADDR_FMT",dl_type=%#x",
                                    br->uplinks[i].name,
                                    ETH_ADDR_ARGS(probe_mac),
                                    DVS_PROBE_ETHERTYPE);

            dvs_flow_group_add_flow(g, 0, HEALTH_CHECK_PRIORITY, match,
                                    "controller(userdata="
                                    PURPOSE_HEALTH_CHECK ")");
            free(match);
        }
        free(key);
    }
    free(policy);
}
