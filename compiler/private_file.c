/* private_file.c — reading a file that holds a secret, and writing a
 * secret out in full (private_file.h). */
#include "private_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* The size of the opened file, after refusing what the file may not be.
 * snprintf with errlen 0 writes nothing, so err may then be NULL. */
static bool check_opened(int fd, const char *path, const char *what, size_t max,
                         bool must_be_private, size_t *size, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        return false;
    }
    if (must_be_private && (st.st_mode & (S_IRWXG | S_IRWXO))) {
        snprintf(err, errlen, "%s: mode %04o lets others than its owner at the %s; "
                 "run `chmod 600 %s`", path, (unsigned)(st.st_mode & 07777), what, path);
        return false;
    }
    if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
        snprintf(err, errlen, "%s: %jd bytes; a %s file holds at most %zu", path,
                 (intmax_t)st.st_size, what, max);
        return false;
    }
    *size = (size_t)st.st_size;
    return true;
}

/* Reads the size bytes fstat promised into buf (size + 2 bytes), trying
 * for one more so that a file that grew is seen. */
static bool read_whole(int fd, const char *path, char *buf, size_t size, char *err,
                       size_t errlen)
{
    size_t n = 0;
    while (n <= size) {
        ssize_t r = read(fd, buf + n, size + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return false;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n != size) {
        snprintf(err, errlen, "%s: the file changed while it was read", path);
        return false;
    }
    buf[n] = '\0';
    return true;
}

bool private_file_read(const char *path, const char *what, size_t max, bool must_be_private,
                       char **out, size_t *len, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t size = 0;
    char *buf = NULL;
    bool ok = check_opened(fd, path, what, max, must_be_private, &size, err, errlen);
    if (ok) {
        if (!(buf = malloc(size + 2))) {
            fputs("crownc: out of memory\n", stderr);
            abort();
        }
        ok = read_whole(fd, path, buf, size, err, errlen);
    }
    close(fd);
    if (!ok) {
        if (buf) {
            OPENSSL_cleanse(buf, size + 2);
            free(buf);
        }
        return false;
    }
    *out = buf;
    *len = size;
    return true;
}

/* OPENSSL_cleanse and free, not OPENSSL_clear_free: the buffer comes from
 * malloc, and OPENSSL_clear_free pairs with OPENSSL_malloc (seal.c). */
void private_file_free(char *buf, size_t len)
{
    if (buf) {
        OPENSSL_cleanse(buf, len + 1);
        free(buf);
    }
}

bool private_file_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        if (w == 0) {
            errno = EIO;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}
