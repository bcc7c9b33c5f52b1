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

/* test-ofctrl-packet BRIDGE UPLINK-OFPORT FRAME-HEX [COUNT]
 *
 * Drives agent/ofctrl.c's packet API against a running ovs-vswitchd
 * (tests/agent.at): installs on BRIDGE the flow
 *   table=0,priority=65000,in_port=${uplink},dl_type=0x88b5
 *   actions=controller(userdata=02.61.62)
 * with ${uplink} = UPLINK-OFPORT, then sends FRAME-HEX out of the uplink
 * with ofctrl_send_packet() and prints "sent".  Each packet-in that reaches
 * the health check purpose's handler is printed as
 *   "packet-in BRIDGE in_port=N userdata=HEX frame=HEX";
 * it exits after COUNT (default 1) of them. */

#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include "agent/ofctrl.h"
#include "lib/dvs-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "simap.h"
#include "sset.h"
#include "util.h"

static int received;

static void
print_hex(const char *name, const void *data_, size_t len)
{
    const uint8_t *data = data_;

    printf(" %s=", name);
    for (size_t i = 0; i < len; i++) {
        printf("%02x", data[i]);
    }
}

static void
handle_packet(const struct ofctrl_packet_in *pin, void *aux OVS_UNUSED)
{
    printf("packet-in %s in_port=%"PRIu32, pin->bridge,
           (uint32_t) pin->in_port);
    print_hex("userdata", pin->userdata, pin->userdata_len);
    print_hex("frame", pin->packet, pin->len);
    printf("\n");
    fflush(stdout);
    received++;
}

int
main(int argc, char *argv[])
{
    struct dvs_host_state state;
    struct dvs_flow_group *g;
    struct simap ports = SIMAP_INITIALIZER(&ports);
    struct sset bridges = SSET_INITIALIZER(&bridges);
    struct ofctrl *ofctrl;
    struct ofpbuf frame;
    int count;
    bool sent = false;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    if (argc < 4) {
        ovs_fatal(0, "usage: %s BRIDGE UPLINK-OFPORT FRAME-HEX [COUNT]",
                  argv[0]);
    }
    count = argc > 4 ? atoi(argv[4]) : 1;

    ofpbuf_init(&frame, 0);
    if (ofpbuf_put_hex(&frame, argv[3], NULL)[0] != '\0') {
        ovs_fatal(0, "%s: bad hex frame", argv[3]);
    }

    dvs_host_state_init(&state);
    g = dvs_host_state_add_group(&state, "test", argv[1]);
    dvs_flow_group_add_flow(g, 0, 65000, "in_port=${uplink},dl_type=0x88b5",
                            "controller(userdata=02.61.62)");
    simap_put(&ports, "uplink", atoi(argv[2]));
    sset_add(&bridges, argv[1]);

    ofctrl = ofctrl_create();
    ofctrl_set_packet_handler(ofctrl, OFCTRL_PURPOSE_HEALTH_CHECK,
                              handle_packet, NULL);
    ofctrl_set_bridges(ofctrl, &bridges);
    ofctrl_set_desired(ofctrl, argv[1], &state, &ports, 1, NULL);

    while (received < count) {
        ofctrl_run(ofctrl);
        if (!sent && ofctrl_is_applied(ofctrl, argv[1], 1)) {
            int error = ofctrl_send_packet(
                ofctrl, argv[1], ofctrl_get_port(ofctrl, argv[1], "uplink"),
                frame.data, frame.size);
            if (error) {
                ovs_fatal(error, "ofctrl_send_packet");
            }
            printf("sent\n");
            fflush(stdout);
            sent = true;
        }
        ofctrl_wait(ofctrl);
        poll_block();
    }

    ofctrl_destroy(ofctrl);
    dvs_host_state_destroy(&state);
    simap_destroy(&ports);
    sset_destroy(&bridges);
    ofpbuf_uninit(&frame);
    return 0;
}
