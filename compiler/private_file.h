/* private_file.h — reading a file that holds a secret, and writing a
 * secret out in full.
 *
 * crownc reads three kinds of secret from disk: the site master key
 * (derive.h), a Sealed Secrets private key (sealkey.h) and the secrets
 * file of supplied values (secret_inputs.h); it reads certificates the
 * same way, only without the mode check. One reader gives all of them
 * the same guarantees:
 *
 *   - the file is opened with O_NONBLOCK (and O_NOCTTY, O_CLOEXEC), so a
 *     FIFO or a device in a key's place is refused at once instead of
 *     hanging the command;
 *   - type, mode and size are taken from the opened descriptor (fstat),
 *     so they describe the file that is read, not one swapped in since;
 *   - it must be a regular file; when it must be private, neither group
 *     nor others may have any permission on it (0600 or stricter): the
 *     reason then names `chmod 600 FILE`. A secret that others can read
 *     is already disclosed, so it is refused rather than used;
 *   - it is at most max bytes, and a file that grows or shrinks while it
 *     is read is refused;
 *   - the text is read whole (a loop, across EINTR and short reads) into
 *     one buffer of its own, NUL-terminated; no stdio buffer holds a copy
 *     that nobody wipes.
 *
 * Reasons are one line, name the path, and never hold the file's bytes.
 * The caller owns the buffer and releases it with private_file_free,
 * which cleanses it first. */
#ifndef CROWN_PRIVATE_FILE_H
#define CROWN_PRIVATE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the file at path as above. what names its content for reasons and
 * reads after "a" and "the" ("master key", "certificate"). On success *out
 * is the text with a NUL after it (not counted in *len); on failure *out is
 * NULL, *len 0, and err holds the reason. Running out of memory ends the
 * process, as everywhere in crownc. */
bool private_file_read(const char *path, const char *what, size_t max, bool must_be_private,
                       char **out, size_t *len, char *err, size_t errlen);

/* Cleanses buf[0..len] (the text and its NUL) and frees it; NULL is fine. */
void private_file_free(char *buf, size_t len);

/* Writes all n bytes of buf to fd with write(2), across EINTR and short
 * writes, bypassing stdio so that no buffer outside the caller's keeps the
 * bytes: for writing a key file or printing a secret on standard output
 * (fflush(stdout) first, for what stdio holds). False with errno set when
 * a write fails. */
bool private_file_write_all(int fd, const void *buf, size_t n);

#endif
