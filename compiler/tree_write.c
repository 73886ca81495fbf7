/* tree_write.c — writing a tree below a directory (tree_write_dir). */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "git_out.h"
#include "tree.h"

/* ---- writing a directory ---- */

static bool mkdirs(char *path)
{
    for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
        *s = '/';
        if (!ok)
            return false;
    }
    return mkdir(path, 0755) == 0 || errno == EEXIST;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0) && ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static bool write_all(const Tree *t, const char *root, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->len; i++) {
        size_t n = strlen(root) + strlen(t->files[i].path) + 2;
        char *full = malloc(n);
        if (!full)
            abort();
        snprintf(full, n, "%s/%s", root, t->files[i].path);
        char *slash = strrchr(full, '/');
        *slash = '\0';
        bool ok = mkdirs(full);
        *slash = '/';
        ok = ok && write_file(full, t->files[i].data, t->files[i].len);
        if (!ok) {
            snprintf(err, errlen, "cannot write %s: %s", full, strerror(errno));
            free(full);
            return false;
        }
        free(full);
    }
    return true;
}

/* mkdtemp makes a directory of mode 0700; the subtree it becomes gets the
 * mode mkdir gives its subdirectories (0755 less the umask), or readers
 * other than the writer (a web server, a git daemon) cannot enter it. */
static bool as_mkdir_makes(const char *dir)
{
    mode_t mask = umask(0);
    umask(mask);
    return chmod(dir, 0755 & ~mask) == 0;
}

bool tree_write_dir(const Tree *t, const char *dir, char *err, size_t errlen)
{
    size_t n = strlen(dir) + strlen(t->prefix) + 32;
    char *target = malloc(n), *tmp = malloc(n), *old = malloc(n);
    if (!target || !tmp || !old)
        abort();
    snprintf(target, n, "%s/%s", dir, t->prefix);
    char *parent = strdup(target);
    *strrchr(parent, '/') = '\0';
    bool ok = mkdirs(parent);
    snprintf(tmp, n, "%s/.crownc-new-XXXXXX", parent);
    snprintf(old, n, "%s/.crownc-old-XXXXXX", parent);
    if (!ok || !mkdtemp(tmp) || !as_mkdir_makes(tmp)) {
        snprintf(err, errlen, "cannot create a directory in %s: %s", parent, strerror(errno));
        ok = false;
    } else if (!write_all(t, tmp, err, errlen)) {
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        ok = false;
    } else {
        struct stat st;
        bool had = stat(target, &st) == 0;
        if (had && (!mkdtemp(old) || rmdir(old) != 0 || rename(target, old) != 0)) {
            snprintf(err, errlen, "cannot replace %s: %s", target, strerror(errno));
            nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            ok = false;
        } else if (rename(tmp, target) != 0) {
            snprintf(err, errlen, "cannot replace %s: %s", target, strerror(errno));
            /* Put the old tree back: a failure leaves what was there. */
            if (had)
                rename(old, target);
            nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
            ok = false;
        } else if (had) {
            nftw(old, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        }
    }
    free(parent);
    free(target);
    free(tmp);
    free(old);
    return ok;
}

