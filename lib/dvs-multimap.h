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

#ifndef DVS_MULTIMAP_H
#define DVS_MULTIMAP_H 1

/* A map from names to sets of names: a "struct shash" whose values are
 * "struct sset *"s, none empty (a key whose last value goes goes too). */

#include <stdbool.h>

struct shash;

/* Adds 'value' to the set of 'key'.  Returns true if it is new. */
bool dvs_multimap_add(struct shash *, const char *key, const char *value);

/* Removes 'value' from the set of 'key'.  Returns true if it was there. */
bool dvs_multimap_remove(struct shash *, const char *key, const char *value);

/* Frees every set and empties the map (which stays initialized). */
void dvs_multimap_clear(struct shash *);

#endif /* lib/dvs-multimap.h */
