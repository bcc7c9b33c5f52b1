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
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

/* The first userdata byte of a controller() action says what the frame is
 * for (agent/ofctrl.h, enum ofctrl_purpose). */
#define PURPOSE_LLDP "01"
#define PURPOSE_HEALTH_CHECK "02"

/* Priorities in table 0: above everything else, so that these frames never
 * reach a VM nor the flood lists. */
#define LLDP_PRIORITY 65000
#define HEALTH_CHECK_PRIORITY 65001

static char *
effective_switch(const char *key_name, const struct dvsrec_switch *sw)
{
    const struct dvs_key *key = dvs_key_find(key_name);
    struct ds value = DS_EMPTY_INITIALIZER;

    ovs_assert(key);
    dvs_key_effective(key, sw, NULL, NULL, &value);
    return ds_steal_cstr(&value);
}

/* The bridge's LLDP mode, and <sw>/lldp: LLDP frames (to the nearest-bridge
 * address 01:80:c2:00:00:0e) that an uplink receives go to the agent when
 * the switch listens, and are dropped otherwise: a bridge never forwards
 * them (802.1AB), and OVS's own LLDP stays off (it only serves
 * Auto-Attach and would consume them). */
void
translate_lldp(struct dvs_host_state *state, struct dvs_bridge *br,
               const struct dvsrec_switch *sw)
{
    char *mode = effective_switch("lldp", sw);
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
