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

/* IPFIX, host by host.  Flow-based sampling: each bridge of a switch with
 * an ipfix-collector has one OVS IPFIX exporter (a Flow_Sample_Collector_
 * Set), and the frames that a port with ipfix=true sends are sampled by a
 * sample() action in a flow of their own in table 0, above the port's
 * classification: it samples, marks the frame (reg0 bit 8) and hands it
 * back to table 0, where the mark keeps it from being sampled again.  So
 * every host exports the flows of its own enabled ports, whichever host
 * they move to, with the port as observation point. */

#include <config.h>
#include "controller/translate-ipfix.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "lib/dvs-idl.h"
#include "lib/dvs-keys.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

/* Above the ports' classification (100), below the blocked ports' drop
 * (1000): a blocked port is not sampled. */
#define IPFIX_PRIORITY 900

/* The mark of a frame already sampled. */
#define SAMPLED_BIT 8

/* OVS keeps this many flows in its IPFIX cache before exporting early. */
#define CACHE_MAX_FLOWS 4096

static char *
effective(const char *key_name, const struct dvsrec_switch *sw,
          const struct dvsrec_portgroup *pg, const struct dvsrec_port *port)
{
    struct ds value = DS_EMPTY_INITIALIZER;

    dvs_key_effective(dvs_key_find(key_name), sw, pg, port, &value);
    return ds_steal_cstr(&value);
}

static uint32_t
effective_uint(const char *key_name, const struct dvsrec_switch *sw)
{
    char *value = effective(key_name, sw, NULL, NULL);
    uint32_t n = strtoul(value, NULL, 10);

    free(value);
    return n;
}

void
tr_ipfix_translate_bridge(const struct dvsrec_switch *sw,
                          struct dvs_bridge *br)
{
    if (!sw->ipfix_collector || !sw->ipfix_collector[0]) {
        dvs_bridge_set_ipfix(br, NULL);
        return;
    }

    struct dvs_ipfix ipfix = {
        .target = sw->ipfix_collector,
        .collector_set_id = TR_IPFIX_COLLECTOR_SET_ID,
        .obs_domain_id = effective_uint("ipfix-obs-domain", sw),
        .active_timeout = effective_uint("ipfix-active-timeout", sw),
        .cache_max_flows = CACHE_MAX_FLOWS,
    };
    dvs_bridge_set_ipfix(br, &ipfix);
}

uint32_t
tr_ipfix_obs_point_id(const char *name)
{
    char *end;
    unsigned long long n;

    if (name[0] >= '0' && name[0] <= '9') {
        n = strtoull(name, &end, 10);
        if (!*end && n <= UINT32_MAX) {
            return n;
        }
    }
    return hash_string(name, 0);
}

uint16_t
tr_ipfix_probability(uint32_t rate)
{
    return rate <= 1 ? UINT16_MAX : MAX(1, (UINT16_MAX + rate / 2) / rate);
}

bool
tr_ipfix_internal_only(const struct dvsrec_switch *sw,
                       const struct dvs_bridge *br)
{
    char *value = effective("ipfix-internal-only", sw, NULL, NULL);
    bool internal = !strcmp(value, "true");

    free(value);
    return br->ipfix && internal;
}

bool
tr_ipfix_port_enabled(const struct dvsrec_switch *sw,
                      const struct dvsrec_port *port)
{
    char *enabled = effective("ipfix", sw, port->portgroup, port);
    bool on = !strcmp(enabled, "true");

    free(enabled);
    return on;
}

/* Adds to 'g' the flow that samples what 'port' sends, with 'dl_dst' (a
 * MAC, or NULL for every frame) in the match. */
static void
add_sample_flow(struct dvs_flow_group *g, const struct dvsrec_switch *sw,
                const struct dvs_bridge *br, const struct dvsrec_port *port,
                const char *dl_dst)
{
    char *match = xasprintf("in_port=${port:%s},reg0=0/%#x%s%s", port->name,
                            1u << SAMPLED_BIT, dl_dst ? ",dl_dst=" : "",
                            dl_dst ? dl_dst : "");
    char *actions = xasprintf(
        "sample(probability=%"PRIu16",collector_set_id=%"PRIu32","
        "obs_domain_id=%"PRIu32",obs_point_id=%"PRIu32",ingress),"
        "load:1->NXM_NX_REG0[%d],resubmit(,0)",
        tr_ipfix_probability(effective_uint("ipfix-sampling-rate", sw)),
        br->ipfix->collector_set_id, br->ipfix->obs_domain_id,
        tr_ipfix_obs_point_id(port->name), SAMPLED_BIT);

    dvs_flow_group_add_flow(g, 0, IPFIX_PRIORITY, match, actions);
    free(match);
    free(actions);
}

void
tr_ipfix_add_port(struct dvs_host_state *state,
                  const struct dvsrec_switch *sw, const struct dvs_bridge *br,
                  const struct dvsrec_port *port)
{
    if (br->ipfix && !tr_ipfix_internal_only(sw, br)
        && tr_ipfix_port_enabled(sw, port)) {
        char *key = xasprintf("%s/port/%s/ipfix", sw->name, port->name);
        add_sample_flow(dvs_host_state_add_group(state, key, sw->name), sw,
                        br, port, NULL);
        free(key);
    }
}

void
tr_ipfix_add_internal_flow(struct dvs_flow_group *g,
                           const struct dvsrec_switch *sw,
                           const struct dvs_bridge *br,
                           const struct dvsrec_port *port, const char *mac)
{
    add_sample_flow(g, sw, br, port, mac);
}
