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
#include "agent/state-file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/dvs-state.h"
#include "proto/dvs.pb-c.h"
#include "util.h"

/* A state file larger than this is certainly not ours. */
#define STATE_FILE_MAX (256 * 1024 * 1024)

static char *
read_whole_file(const char *file_name, uint8_t **datap, size_t *sizep)
{
    struct stat s;
    uint8_t *data;
    size_t n = 0;
    int fd;

    *datap = NULL;
    *sizep = 0;
    fd = open(file_name, O_RDONLY);
    if (fd < 0) {
        return xasprintf("%s: open failed (%s)", file_name,
                         ovs_strerror(errno));
    }
    if (fstat(fd, &s) < 0) {
        int error = errno;
        close(fd);
        return xasprintf("%s: stat failed (%s)", file_name,
                         ovs_strerror(error));
    }
    if (!S_ISREG(s.st_mode) || s.st_size > STATE_FILE_MAX) {
        close(fd);
        return xasprintf("%s: not a state file (%s)", file_name,
                         S_ISREG(s.st_mode) ? "too large" : "not a file");
    }

    data = xmalloc(s.st_size + 1);
    while (n < s.st_size) {
        ssize_t retval = read(fd, data + n, s.st_size - n);
        if (retval < 0 && errno == EINTR) {
            continue;
        } else if (retval <= 0) {
            int error = retval ? errno : 0;
            close(fd);
            free(data);
            return xasprintf("%s: read failed (%s)", file_name,
                             error ? ovs_strerror(error) : "file shrank");
        }
        n += retval;
    }
    close(fd);
    *datap = data;
    *sizep = n;
    return NULL;
}

/* Reads the full state in 'file_name' into 'state' (which must be
 * initialized; its contents are replaced), its generation into
 * '*generation' and its epoch into '*epoch' (to free).  On error, returns a
 * malloc()'d message and leaves all three unchanged. */
char *
state_file_read(const char *file_name, struct dvs_host_state *state,
                uint64_t *generation, char **epoch)
{
    struct dvs_host_state new;
    Dvs__StateUpdate *update;
    uint8_t *data;
    size_t size;
    char *error;

    error = read_whole_file(file_name, &data, &size);
    if (error) {
        return error;
    }
    update = dvs__state_update__unpack(NULL, size, data);
    free(data);
    if (!update) {
        return xasprintf("%s: not a StateUpdate message", file_name);
    }
    if (!update->has_full || !update->full) {
        dvs__state_update__free_unpacked(update, NULL);
        return xasprintf("%s: not a full state", file_name);
    }

    dvs_host_state_init(&new);
    error = dvs_state_update_apply(&new, update);
    if (error) {
        char *msg = xasprintf("%s: %s", file_name, error);
        free(error);
        dvs_host_state_destroy(&new);
        dvs__state_update__free_unpacked(update, NULL);
        return msg;
    }

    dvs_host_state_swap(state, &new);
    dvs_host_state_destroy(&new);
    *generation = update->generation;
    *epoch = xstrdup(update->epoch ? update->epoch : "");
    dvs__state_update__free_unpacked(update, NULL);
    return NULL;
}

static int
write_fully(int fd, const uint8_t *data, size_t size)
{
    while (size) {
        ssize_t retval = write(fd, data, size);
        if (retval < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        data += retval;
        size -= retval;
    }
    return 0;
}

/* Syncs the directory that contains 'file_name', so that a rename into it
 * survives a crash.  Best effort: some file systems refuse. */
static void
sync_dir_of(const char *file_name)
{
    char *copy = xstrdup(file_name);
    int fd = open(dirname(copy), O_RDONLY);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(copy);
}

/* Writes 'state' as a full StateUpdate with 'generation' and 'epoch' to
 * 'file_name', atomically.  Returns NULL or a malloc()'d error message. */
char *
state_file_write(const char *file_name, const struct dvs_host_state *state,
                 uint64_t generation, const char *epoch)
{
    Dvs__StateUpdate *update = dvs_state_update_full(state, generation,
                                                     epoch ? epoch : "");
    size_t size = dvs__state_update__get_packed_size(update);
    uint8_t *data = xmalloc(size ? size : 1);
    char *tmp = xasprintf("%s.tmp", file_name);
    char *error = NULL;
    int fd;

    dvs__state_update__pack(update, data);
    dvs_state_update_free(update);

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = xasprintf("%s: create failed (%s)", tmp, ovs_strerror(errno));
        goto out;
    }
    int retval = write_fully(fd, data, size);
    if (!retval && fsync(fd) < 0) {
        retval = errno;
    }
    if (close(fd) < 0 && !retval) {
        retval = errno;
    }
    if (retval) {
        error = xasprintf("%s: write failed (%s)", tmp,
                          ovs_strerror(retval));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, file_name) < 0) {
        error = xasprintf("%s: rename to %s failed (%s)", tmp, file_name,
                          ovs_strerror(errno));
        unlink(tmp);
        goto out;
    }
    sync_dir_of(file_name);

out:
    free(tmp);
    free(data);
    return error;
}
