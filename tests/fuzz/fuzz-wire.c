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

/* Fuzz target: what a peer sends on a connection.  The bytes go through
 * the incremental frame decoder in pieces whose sizes the input chooses,
 * each envelope through dvs_wire_validate(), and each StateUpdate through
 * dvs_state_update_apply() as the agent applies it. */

#include <config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "lib/dvs-state.h"
#include "lib/dvs-wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) {
        return 0;
    }

    /* The first byte sets the largest piece read() returns at a time. */
    size_t piece = data[0] ? data[0] : 256;
    data++;
    size--;

    struct dvs_wire_decoder decoder;
    struct dvs_host_state state;

    dvs_wire_decoder_init(&decoder, 1024 * 1024);
    dvs_host_state_init(&state);
    while (size) {
        const uint8_t *chunk = data;
        size_t n = size < piece ? size : piece;
        size_t left = n;

        data += n;
        size -= n;
        while (left) {
            Dvs__Envelope *env = NULL;
            char *error = dvs_wire_decode(&decoder, &chunk, &left, &env);

            if (error) {
                free(error);
                goto done;
            }
            if (!env) {
                continue;
            }
            error = dvs_wire_validate(env);
            if (!error && env->body_case == DVS__ENVELOPE__BODY_STATE) {
                error = dvs_state_update_apply(&state, env->state);
            }
            free(error);
            dvs_wire_envelope_free(env);
        }
    }
done:
    dvs_host_state_destroy(&state);
    dvs_wire_decoder_destroy(&decoder);
    return 0;
}
