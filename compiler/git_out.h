/* git_out.h — commit a generated subtree into a branch of a git repository.
 *
 * One build of one site owns one directory (the prefix, e.g. "lab") of a
 * branch. A build replaces that directory as a whole: files it no longer
 * produces disappear, every other path of the branch stays as it is, so
 * several sites can share a repository. Everything happens in the object
 * database and on the branch ref alone: the index and work tree of a
 * non-bare repository are never read or written.
 *
 *   - No change, no commit: when the new root tree equals the tip's tree,
 *     nothing is written to the branch and the status is GITOUT_UNCHANGED.
 *   - Reproducible: the commit id depends only on the files, the identity,
 *     the time, the message and the parent. The module reads no clock, no
 *     environment and no identity from git configuration.
 *   - Atomic: the ref moves last, by a compare-and-swap against the tip read
 *     at the start, under the ref's lock file. A build that lost a race
 *     fails with GITOUT_MOVED and leaves the branch where the winner put it;
 *     objects already written are unreferenced and harmless.
 *
 * Moving the branch that a non-bare repository has checked out leaves its
 * work tree behind, as a push to a checked-out branch would: the work tree
 * then shows the reverse of the build as local changes. GitOps
 * repositories are normally bare, or clones that no one edits.
 *
 * Paths (the prefix and each file's path) are relative, '/'-separated, and
 * must not be empty or contain an empty, "." or ".." segment, a segment
 * that is ".git" in any case, a backslash or a control character.
 *
 * Every function returns a status and, unless it is GITOUT_OK or
 * GITOUT_UNCHANGED, a one-line reason in err (at most errlen bytes, NUL
 * included). Nothing is printed. libgit2 is initialised on entry and shut
 * down on return (its own counter makes that safe to nest with other
 * users); a GitOutPlan keeps it initialised until gitout_plan_free. */
#ifndef CROWN_GIT_OUT_H
#define CROWN_GIT_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 40 hex digits and a NUL: libgit2 1.5 handles SHA-1 repositories only. */
#define GITOUT_ID_SIZE 41

typedef enum GitOutStatus {
    GITOUT_OK,        /* committed (or compared) */
    GITOUT_UNCHANGED, /* the tree would not change: no commit was made */
    GITOUT_INVALID,   /* a bad argument: path, prefix, branch, identity */
    GITOUT_MOVED,     /* the branch moved, or is locked, while building */
    GITOUT_ERROR,     /* the repository could not be opened, read or written */
} GitOutStatus;

/* One file of the subtree: path relative to the prefix, and its bytes.
 * Every file is written with mode 100644. */
typedef struct GitOutFile {
    const char *path;
    const void *data;
    size_t len;
} GitOutFile;

/* What to build. Borrowed: the caller keeps it alive for the call. */
typedef struct GitOutRequest {
    const char *repo;        /* a repository (bare or not); created when the
                                directory is missing or empty */
    bool create_bare;        /* the kind of repository to create */
    const char *branch;      /* short name; NULL means "main" */
    const char *prefix;      /* the subtree the site owns, e.g. "lab" */
    const GitOutFile *files; /* at least one; any order; no duplicates, and
                                no path both a file and a directory */
    size_t nfiles;
} GitOutRequest;

/* Author and committer of the commit. time is seconds since the epoch
 * (from an option or SOURCE_DATE_EPOCH; never negative), offset the time
 * zone in minutes east of UTC (-1439..1439). name and email must be
 * non-empty and free of '<', '>' and control characters. */
typedef struct GitOutIdentity {
    const char *name;
    const char *email;
    int64_t time;
    int offset;
} GitOutIdentity;

/* One path of the subtree that differs between the branch and the build.
 * Contents are filled by gitout_compare only (NULL and 0 elsewhere): the
 * old bytes for a changed or removed file, the new bytes for a changed or
 * added one. Each non-NULL buffer is followed by a NUL (not counted in the
 * length) so text can be used as a string. An old entry that is not a
 * blob (a submodule) has no old content. */
typedef struct GitOutChange {
    char *path;
    char *old_data;
    size_t old_len;
    char *new_data;
    size_t new_len;
} GitOutChange;

/* Each list is sorted by path (byte order). Owned by the struct. */
typedef struct GitOutChanges {
    GitOutChange *added, *changed, *removed;
    size_t nadded, nchanged, nremoved;
} GitOutChanges;

/* GITOUT_OK when the linked libgit2 writes time t (seconds since the
 * epoch) into a commit as given; GITOUT_INVALID with the latest time it
 * does write faithfully in err otherwise. Touches no repository. */
GitOutStatus gitout_check_time(int64_t t, char *err, size_t errlen);

/* The outcome of gitout_commit. commit is the new tip, or the unchanged
 * tip on GITOUT_UNCHANGED; parent is the previous tip, "" when the branch
 * was unborn. changes holds paths only. */
typedef struct GitOutResult {
    char commit[GITOUT_ID_SIZE];
    char parent[GITOUT_ID_SIZE];
    GitOutChanges changes;
} GitOutResult;

/* Read-only: what committing req would change in the subtree, with the
 * contents, for review (`crownc diff`). The repository must exist; an
 * unborn branch makes every file added. On success *out is filled and is
 * the caller's, released with gitout_changes_free; on failure it is left
 * empty (safe to free). Writes nothing, not even objects. */
GitOutStatus gitout_compare(const GitOutRequest *req, GitOutChanges *out, char *err,
                            size_t errlen);

/* Prepare + publish + free in one call. On GITOUT_OK and GITOUT_UNCHANGED
 * *res is filled and owned by the caller (gitout_result_free); on failure
 * it is left empty (safe to free) and the branch has not moved. */
GitOutStatus gitout_commit(const GitOutRequest *req, const GitOutIdentity *who,
                           const char *message, GitOutResult *res, char *err, size_t errlen);

/* The two halves of gitout_commit, for a caller that writes the commit
 * message from the changes (and for tests that move the branch between
 * them).
 *
 * gitout_prepare opens the repository (creating it if needed), reads the
 * branch tip, writes the blobs and trees, and compares. It moves no ref.
 * On GITOUT_OK *out is a plan owned by the caller, released with
 * gitout_plan_free; on failure *out is NULL. */
typedef struct GitOutPlan GitOutPlan;
GitOutStatus gitout_prepare(const GitOutRequest *req, GitOutPlan **out, char *err,
                            size_t errlen);

/* Borrowed from the plan (paths only, no contents); valid until
 * gitout_plan_free. */
const GitOutChanges *gitout_plan_changes(const GitOutPlan *plan);
/* True when publishing would make no commit. */
bool gitout_plan_unchanged(const GitOutPlan *plan);

/* Writes the commit (parent: the tip read by gitout_prepare) and moves the
 * branch to it if, and only if, the branch still points at that tip. A
 * message without a final newline gets one. commit receives the new tip,
 * or the current one on GITOUT_UNCHANGED, "" on failure. A plan is
 * published at most once (a refused identity or message does not count);
 * after GITOUT_MOVED, prepare a new one. who and message are borrowed for
 * the call. */
GitOutStatus gitout_publish(GitOutPlan *plan, const GitOutIdentity *who, const char *message,
                            char commit[GITOUT_ID_SIZE], char *err, size_t errlen);

/* NULL is allowed. */
void gitout_plan_free(GitOutPlan *plan);

/* Both release what the struct owns and leave it empty. */
void gitout_changes_free(GitOutChanges *c);
void gitout_result_free(GitOutResult *res);

/* Reading the branch's current files, for a build that reuses what it
 * wrote before (sealed values). Read-only, like gitout_compare. */
typedef struct GitOutReader GitOutReader;

/* Opens repo at the tip of branch (NULL: "main"). GITOUT_OK with *out set;
 * GITOUT_UNCHANGED with *out NULL when there is nothing to read (no
 * repository yet, or an unborn branch); an error otherwise. */
GitOutStatus gitout_reader_open(const char *repo, const char *branch, GitOutReader **out,
                                char *err, size_t errlen);
/* The blob at path (repository-relative): true with its bytes, malloc'ed
 * and followed by a NUL (not counted). False when there is no such file. */
bool gitout_reader_read(GitOutReader *r, const char *path, char **data, size_t *len);
/* The tip commit's message (valid until gitout_reader_free) and its id
 * in id (GITOUT_ID_SIZE bytes). */
const char *gitout_reader_message(GitOutReader *r, char *id);
/* NULL is allowed. */
void gitout_reader_free(GitOutReader *r);

/* True when path is a missing or empty directory, which gitout_prepare
 * would make a repository of (and `crownc diff` treats as one that is
 * empty); anything else that is not a repository is someone's data. */
bool gitout_repo_creatable(const char *path);

/* NULL when path is a valid relative path, else a short static reason.
 * Exposed so the emitter can refuse a path before it builds a file. */
const char *gitout_path_problem(const char *path);

#endif
