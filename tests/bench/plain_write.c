/* plain_write.c — the benchmark's baseline for `build --out`: the files
 * of a tree (read from SRC into memory first) written below DST with
 * plain mkdir, open, write and close, nothing else — no rendering, no
 * index, no atomic swap. It prints the milliseconds the writing took.
 *
 *     plain_write SRC DST */
#define _XOPEN_SOURCE 700 /* nftw */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct File {
    char *path; /* relative to SRC */
    char *data;
    size_t len;
    int dir;
} File;

static File *files;
static size_t nfiles, cap;
static size_t src_len;

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    *len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    return buf;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0 || (type != FTW_F && type != FTW_D))
        return 0;
    if (nfiles == cap) {
        cap = cap ? 2 * cap : 1024;
        files = realloc(files, cap * sizeof *files);
        if (!files)
            return 1;
    }
    File *f = &files[nfiles++];
    f->path = strdup(path + src_len + 1);
    f->dir = type == FTW_D;
    f->data = f->dir ? NULL : slurp(path, &f->len);
    return f->path && (f->dir || f->data) ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: plain_write SRC DST\n", stderr);
        return 2;
    }
    src_len = strlen(argv[1]);
    if (nftw(argv[1], visit, 64, FTW_PHYS) != 0) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (mkdir(argv[2], 0755) != 0 && errno != EEXIST) {
        perror(argv[2]);
        return 2;
    }
    char full[8192];
    for (size_t i = 0; i < nfiles; i++) {
        snprintf(full, sizeof full, "%s/%s", argv[2], files[i].path);
        if (files[i].dir) {
            if (mkdir(full, 0755) != 0 && errno != EEXIST) {
                perror(full);
                return 2;
            }
            continue;
        }
        int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || write(fd, files[i].data, files[i].len) != (ssize_t)files[i].len ||
            close(fd) != 0) {
            perror(full);
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%.1f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    for (size_t i = 0; i < nfiles; i++) {
        free(files[i].path);
        free(files[i].data);
    }
    free(files);
    return 0;
}
