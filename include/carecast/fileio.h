/*
 * fileio.h - reading input files whole, writing outputs atomically, hashing.
 *
 * Inputs are read whole into memory (model and scenario files are small; the
 * size limit keeps a wrong argument such as /dev/zero or a 40 GB file from
 * exhausting memory). Only regular files are read: a directory or a FIFO where
 * a file is expected is reported, never waited on.
 *
 * Outputs are written to a temporary file beside the target and renamed into
 * place on commit, so an interrupted run never leaves a half-written file that
 * looks complete.
 */
#ifndef CARECAST_FILEIO_H
#define CARECAST_FILEIO_H

#include "carecast/error.h"

#include <stddef.h>
#include <stdio.h>

/* Default largest input carecast reads whole: 512 MiB. */
#define CC_FILE_MAX_BYTES ((size_t)512 * 1024 * 1024)

/* Reads a regular file. On success *data (caller frees with free()) holds the
 * bytes plus a terminating NUL not counted in *len. On failure adds one
 * diagnostic naming the file and returns CC_EIO (cannot open, not a regular
 * file, read error) or CC_ERANGE (larger than max_bytes). */
int cc_file_read(const char *path, size_t max_bytes, char **data, size_t *len, cc_diags *diags);

/* An output file being written. */
typedef struct cc_outfile cc_outfile;

/* Creates a temporary file in path's directory. Returns CC_OK and *out, or
 * CC_EIO (diagnostic added) or CC_ENOMEM. */
int cc_outfile_open(const char *path, cc_outfile **out, cc_diags *diags);
/* The stream to write to; valid until commit or abort. */
FILE *cc_outfile_stream(cc_outfile *f);
/* Flushes, checks every write succeeded, closes and renames into place. The
 * object is freed whatever the result. CC_EIO on any failure (the temporary
 * file is removed and the target left untouched). */
int cc_outfile_commit(cc_outfile *f, cc_diags *diags);
/* Closes and removes the temporary file; frees f. f may be NULL. */
void cc_outfile_abort(cc_outfile *f);

/* Cleaning up after an interruption. Temporary files (every cc_outfile's
 * while it is open, and others a module registers) and child processes (a
 * running gnuplot) are recorded in a fixed table; cc_cleanup_now removes the
 * files and kills the children and is async-signal-safe, so a SIGINT/SIGTERM
 * handler can call it before _exit. Register returns a slot (-1 when the
 * table is full or the path too long: the file is then simply not
 * protected); unregister it once the file is renamed or removed, or the
 * child reaped. */
int cc_temp_register(const char *path);
void cc_temp_unregister(int slot);
/* Unregisters the slot holding path, if any. */
void cc_temp_forget(const char *path);
int cc_child_register(long pid);
void cc_child_unregister(int slot);
void cc_cleanup_now(void);

/* Creates a directory and its missing parents (mode 0777 before umask).
 * CC_OK if it exists already as a directory; CC_EIO otherwise. */
int cc_mkdir_p(const char *path, cc_diags *diags);

/* Joins a directory and a file name into a new string (caller frees), NULL on
 * allocation failure. */
char *cc_path_join(const char *dir, const char *name);

/* SHA-256 of a buffer as 64 lowercase hex digits plus NUL. */
void cc_sha256_hex(const void *data, size_t len, char out[65]);

#endif
