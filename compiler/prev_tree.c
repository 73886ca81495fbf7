/* prev_tree.c — the tree a build replaces (prev_tree.h). */
#include "prev_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "strbuf.h"

static bool read_git(void *ctx, const char *path, char **data, size_t *len)
{
    PrevTree *t = ctx;
    return t->git && gitout_reader_read(t->git, path, data, len);
}

static bool read_dir(void *ctx, const char *path, char **data, size_t *len)
{
    PrevTree *t = ctx;
    if (gitout_path_problem(path))
        return false;
    StrBuf p;
    sb_init(&p);
    sb_printf(&p, "%s/%s", t->dir, path);
    Source *src = NULL;
    char err[256];
    size_t size = 0;
    bool ok = source_load(p.data, &src, err, sizeof err, &size) == SOURCE_OK;
    sb_free(&p);
    if (!ok)
        return false;
    *len = src->len;
    *data = malloc(src->len + 1);
    if (!*data)
        abort();
    memcpy(*data, src->text, src->len);
    (*data)[src->len] = '\0';
    source_free(src);
    return true;
}

bool prev_tree_git(PrevTree *t, const char *repo, const char *branch, char *err,
                   size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->api = (SecretsPrevious){read_git, t};
    GitOutStatus st = gitout_reader_open(repo, branch, &t->git, err, errlen);
    /* A repository that another build is creating right now cannot be
     * read yet; reuse is then skipped, and the commit itself says whether
     * the repository is usable. A bad branch name is the caller's error. */
    return st != GITOUT_INVALID;
}

void prev_tree_dir(PrevTree *t, const char *dir)
{
    memset(t, 0, sizeof *t);
    t->dir = dir;
    t->api = (SecretsPrevious){read_dir, t};
}

void prev_tree_free(PrevTree *t)
{
    gitout_reader_free(t->git);
    memset(t, 0, sizeof *t);
}
