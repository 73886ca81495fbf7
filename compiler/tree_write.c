/* tree_write.c — writing a tree below a directory (tree_write_dir). */
#define _GNU_SOURCE /* mkdtemp, nftw, renameat2 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* ---- what crownc may replace ---- */

/* The paths an index says its tree holds, sorted. */
typedef struct Listed {
    char **paths;
    size_t len, cap;
} Listed;

static void listed_free(Listed *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->paths[i]);
    free(l->paths);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One JSON string of the index at *p, as crownc writes them: only \" and
 * \\ are escaped in a path. NULL for anything else. */
static char *json_path(const char **p)
{
    const char *s = *p;
    if (*s++ != '"')
        return NULL;
    size_t n = 0, cap = 64;
    char *out = malloc(cap);
    if (!out)
        abort();
    for (; *s && *s != '"'; s++) {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
            s++;
        else if (*s == '\\' || (unsigned char)*s < 0x20)
            break;
        if (n + 2 > cap && !(out = realloc(out, cap *= 2)))
            abort();
        out[n++] = *s;
    }
    if (*s != '"' || !n) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    *p = s + 1;
    return out;
}

/* The "files" list of an index crownc wrote; false when text is not one. */
static bool parse_listed(const char *text, Listed *l)
{
    const char *p = strstr(text, "\n  \"files\": [");
    if (!p || strncmp(text, "{\n  \"site\": ", 12) != 0)
        return false;
    p += strlen("\n  \"files\": [");
    for (;;) {
        p += strspn(p, " \n");
        if (*p == ']')
            break;
        char *path = json_path(&p);
        if (!path)
            return false;
        if (l->len == l->cap && !(l->paths = realloc(l->paths, (l->cap = 2 * l->cap + 8) *
                                                                  sizeof *l->paths)))
            abort();
        l->paths[l->len++] = path;
        p += strspn(p, " \n");
        if (*p == ',')
            p++;
        else if (*p != ']')
            return false;
    }
    qsort(l->paths, l->len, sizeof *l->paths, by_string);
    return true;
}

static bool read_index(const char *target, Listed *l)
{
    size_t n = strlen(target) + sizeof "/crown.index.json";
    char *path = malloc(n);
    if (!path)
        abort();
    snprintf(path, n, "%s/crown.index.json", target);
    struct stat st;
    bool ok = lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < (64 << 20);
    FILE *f = ok ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return false;
    char *text = malloc((size_t)st.st_size + 1);
    if (!text)
        abort();
    ok = fread(text, 1, (size_t)st.st_size, f) == (size_t)st.st_size;
    fclose(f);
    text[ok ? st.st_size : 0] = '\0';
    ok = ok && strlen(text) == (size_t)st.st_size && parse_listed(text, l);
    free(text);
    return ok;
}

static bool is_listed(const Listed *l, const char *rel)
{
    return strcmp(rel, "crown.index.json") == 0 ||
           bsearch(&rel, l->paths, l->len, sizeof *l->paths, by_string) != NULL;
}

/* The first entry below root/rel that the index does not list, into
 * bad (relative to root); false when there is none. Directories are
 * crownc's when everything in them is. */
static bool find_foreign(const char *root, const char *rel, const Listed *l, char *bad,
                         size_t badlen)
{
    size_t n = strlen(root) + strlen(rel) + 2;
    char *dir = malloc(n);
    if (!dir)
        abort();
    snprintf(dir, n, *rel ? "%s/%s" : "%s%s", root, rel);
    DIR *d = opendir(dir);
    bool found = !d;
    if (!d)
        snprintf(bad, badlen, "%s", *rel ? rel : ".");
    for (struct dirent *e; !found && (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t m = strlen(rel) + strlen(e->d_name) + 2;
        char *sub = malloc(m), *full = malloc(n + m);
        if (!sub || !full)
            abort();
        snprintf(sub, m, *rel ? "%s/%s" : "%s%s", rel, e->d_name);
        snprintf(full, n + m, "%s/%s", root, sub);
        struct stat st;
        if (lstat(full, &st) != 0 || (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) ||
            (S_ISREG(st.st_mode) && !is_listed(l, sub))) {
            snprintf(bad, badlen, "%s", sub);
            found = true;
        } else if (S_ISDIR(st.st_mode)) {
            found = find_foreign(root, sub, l, bad, badlen);
        }
        free(sub);
        free(full);
    }
    if (d)
        closedir(d);
    free(dir);
    return found;
}

/* True when target is missing, or is a tree crownc wrote and holds only
 * files its index lists: only then may it be replaced. */
static bool replaceable(const char *target, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(target, &st) != 0 && errno == ENOENT)
        return true;
    Listed l = {0};
    bool ok = false;
    char bad[1024];
    if (!S_ISDIR(st.st_mode))
        snprintf(err, errlen, "%s exists and is not a directory crownc wrote: refusing to "
                 "replace it (hint: move it away, or give --out another directory)", target);
    else if (!read_index(target, &l))
        snprintf(err, errlen, "%s exists and holds no crown.index.json that crownc wrote: "
                 "refusing to replace it (hint: move it away, or give --out another "
                 "directory)", target);
    else if (find_foreign(target, "", &l, bad, sizeof bad))
        snprintf(err, errlen, "%s/%s is not a file of the tree crownc wrote there (its "
                 "crown.index.json does not list it): refusing to remove it (hint: move it "
                 "out of %s)", target, bad, target);
    else
        ok = true;
    listed_free(&l);
    return ok;
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
    if (!replaceable(target, err, errlen)) {
        free(parent);
        free(target);
        free(tmp);
        free(old);
        return false;
    }
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
        /* One atomic exchange where the kernel has it: killed at any
         * moment, the target holds the old tree or the new one, whole.
         * The two renames below leave a moment with neither. */
        bool swapped = had && renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0;
        if (swapped) {
            nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        } else if (had && (!mkdtemp(old) || rmdir(old) != 0 || rename(target, old) != 0)) {
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

