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

/* Fuzz target: a StateUpdate body as the agent receives it.  Unpacked,
 * applied to an empty state; an update that applies must convert back to
 * the wire and apply again to the same state (full and diff). */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "lib/dvs-state.h"
#include "openvswitch/util.h"
#include "proto/dvs.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Dvs__StateUpdate *update = dvs__state_update__unpack(NULL, size, data);
    if (!update) {
        return 0;
    }

    struct dvs_host_state state;
    dvs_host_state_init(&state);
    char *error = dvs_state_update_apply(&state, update);
    if (!error) {
        /* What was accepted survives the round trip. */
        struct dvs_host_state copy, empty;
        dvs_host_state_init(&copy);
        dvs_host_state_init(&empty);

        Dvs__StateUpdate *full = dvs_state_update_full(&state, 1, "e");
        Dvs__StateUpdate *diff = dvs_state_update_diff(&empty, &state, 2,
                                                       "e");
        char *e1 = dvs_state_update_apply(&copy, full);
        ovs_assert(!e1);
        ovs_assert(dvs_host_state_equal(&state, &copy));

        dvs_host_state_clear(&copy);
        char *e2 = dvs_state_update_apply(&copy, diff);
        ovs_assert(!e2);
        ovs_assert(dvs_host_state_equal(&state, &copy));

        dvs_state_update_free(full);
        dvs_state_update_free(diff);
        dvs_host_state_destroy(&copy);
        dvs_host_state_destroy(&empty);
    }
    free(error);
    dvs_host_state_destroy(&state);
    dvs__state_update__free_unpacked(update, NULL);
    return 0;
}
