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

#ifndef AGENT_STATE_FILE_H
#define AGENT_STATE_FILE_H 1

/* The agent's state file: the last desired state it fully applied, so that
 * a host restarted without its controller forwards as before.
 *
 * The file holds one protobuf StateUpdate message (proto/dvs.proto), a full
 * one, exactly as dvs_state_update_full() makes it: the format the
 * controller sends, so that a state file can be written by any tool that
 * speaks the protocol (tests/test-state-file does).  It is replaced
 * atomically: written to FILE.tmp, synced, then renamed over FILE. */

#include <stdint.h>
#include "openvswitch/compiler.h"

struct dvs_host_state;

char *state_file_read(const char *file_name, struct dvs_host_state *,
                      uint64_t *generation, char **epoch)
    OVS_WARN_UNUSED_RESULT;
char *state_file_write(const char *file_name, const struct dvs_host_state *,
                       uint64_t generation, const char *epoch)
    OVS_WARN_UNUSED_RESULT;

#endif /* agent/state-file.h */
