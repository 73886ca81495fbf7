/* prev_tree.h — the tree a build replaces, as a SecretsPrevious: the tip
 * of a branch (build --repo, diff) or a directory written before (build
 * --out). Sealed values are reused from it (secrets.h). Paths asked for
 * are repository paths, PREFIX/...; nothing is read outside them. */
#ifndef CROWN_PREV_TREE_H
#define CROWN_PREV_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "git_out.h"
#include "secrets.h"

typedef struct PrevTree {
    SecretsPrevious api;    /* pass &api as SiteOptions.prev */
    GitOutReader *git;      /* or */
    const char *dir;
} PrevTree;

/* The tip of branch in repo. True also when there is nothing to read
 * (no repository, an unborn branch, a repository not readable now: then
 * nothing is reused); false with a reason for an invalid branch name. */
bool prev_tree_git(PrevTree *t, const char *repo, const char *branch, char *err,
                   size_t errlen);
/* The files below dir (the --out directory). */
void prev_tree_dir(PrevTree *t, const char *dir);
void prev_tree_free(PrevTree *t);

#endif
