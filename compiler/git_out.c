/* git_out.c — see git_out.h.
 *
 * The order of the work is what makes a build safe to interrupt: objects
 * first (blobs, subtree, grafted root, commit), each harmless on its own
 * because nothing refers to it, then one compare-and-swap of the ref. */
#include "git_out.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include "git_pack.h"
#include "strbuf.h"

/* Generated paths are short; the limit keeps every path printable in an
 * error and bounds what a hostile identity can cost. */
#define PATH_MAX_BYTES 4096

/* ---- memory ----------------------------------------------------------- */

/* As everywhere in crownc: running out of memory ends the process. */
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* A NUL-terminated copy of s[0..n); the NUL lets text be used as a string. */
static char *xmemdup(const void *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s) { return xmemdup(s, strlen(s)); }

/* ---- errors ----------------------------------------------------------- */

/* Writes the reason into err as one line: a path or a libgit2 message may
 * hold a newline, which would split the caller's report. */
__attribute__((format(printf, 4, 5))) static GitOutStatus fail(char *err, size_t errlen,
                                                              GitOutStatus st, const char *fmt, ...)
{
    if (!err || !errlen)
        return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    for (char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return st;
}

/* GITOUT_ERROR with libgit2's last message after what we were doing. */
static GitOutStatus git_fail(char *err, size_t errlen, const char *what)
{
    const git_error *e = git_error_last();
    return fail(err, errlen, GITOUT_ERROR, "%s: %s", what,
                e && e->message ? e->message : "unknown libgit2 error");
}

/* ---- validation ------------------------------------------------------- */

static bool is_dot_git(const char *s, size_t n)
{
    static const char want[] = ".git";
    if (n != 4)
        return false;
    for (size_t i = 0; i < 4; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != want[i])
            return false;
    }
    return true;
}

static const char *segment_problem(const char *s, size_t n)
{
    if (n == 0)
        return "empty segment ('//' or a trailing '/')";
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return "'.' or '..' segment";
    /* Case-insensitively: on macOS and Windows ".GIT" is the git directory. */
    if (is_dot_git(s, n))
        return "'.git' segment";
    return NULL;
}

const char *gitout_path_problem(const char *path)
{
    if (!path || !*path)
        return "empty path";
    if (path[0] == '/')
        return "absolute path";
    size_t len = strlen(path);
    if (len > PATH_MAX_BYTES)
        return "path longer than 4096 bytes";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        /* A backslash is a separator on Windows: "..\x" must not pass. */
        if (c == '\\')
            return "backslash in path";
        if (c < 0x20 || c == 0x7f)
            return "control character in path";
    }
    const char *seg = path;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        const char *why = segment_problem(seg, n);
        if (why)
            return why;
        if (!slash)
            return NULL;
        seg = slash + 1;
    }
}

static GitOutStatus lib_init(char *err, size_t errlen);

/* ---- the commit time -------------------------------------------------- */

/* The time the committer line of buf says, or -1. */
static int64_t committer_time(const char *buf)
{
    const char *line = strstr(buf, "\ncommitter ");
    const char *gt = line ? strchr(line, '>') : NULL;
    if (!gt || gt[1] != ' ')
        return -1;
    char *end;
    errno = 0;
    long long t = strtoll(gt + 2, &end, 10);
    return errno || *end != ' ' ? -1 : (int64_t)t;
}

/* Formats a commit at time t in a repository that lives in memory and
 * reads the time back: whatever the linked libgit2 does with a large time
 * (some versions write it as 32 bits), only a faithful one is taken. */
static bool time_round_trips(int64_t t, int64_t *written)
{
    git_odb *odb = NULL;
    git_odb_backend *mem = NULL;
    git_repository *repo = NULL;
    git_treebuilder *tb = NULL;
    git_tree *tree = NULL;
    git_signature *sig = NULL;
    git_buf buf = {0};
    git_oid id;
    /* Counted by libgit2: safe whether or not the caller has initialised. */
    if (git_libgit2_init() < 0) {
        *written = -1;
        return false;
    }
    bool ok = git_odb_new(&odb) == 0 && git_mempack_new(&mem) == 0 &&
              git_odb_add_backend(odb, mem, 1) == 0;
    if (!ok && mem)
        mem->free(mem);
    ok = ok && git_repository_wrap_odb(&repo, odb) == 0 &&
         git_treebuilder_new(&tb, repo, NULL) == 0 && git_treebuilder_write(&id, tb) == 0 &&
         git_tree_lookup(&tree, repo, &id) == 0 &&
         git_signature_new(&sig, "t", "t", (git_time_t)t, 0) == 0 &&
         git_commit_create_buffer(&buf, repo, sig, sig, NULL, "t", tree, 0, NULL) == 0;
    *written = ok ? committer_time(buf.ptr) : -1;
    git_buf_dispose(&buf);
    git_signature_free(sig);
    git_tree_free(tree);
    git_treebuilder_free(tb);
    git_repository_free(repo);
    git_odb_free(odb);
    git_libgit2_shutdown();
    return ok && *written == t;
}

GitOutStatus gitout_check_time(int64_t t, char *err, size_t errlen)
{
    if (t < 0)
        return fail(err, errlen, GITOUT_INVALID, "the commit time is before 1970");
    GitOutStatus st = lib_init(err, errlen);
    if (st != GITOUT_OK)
        return st;
    int64_t written;
    if (!time_round_trips(t, &written)) {
        /* The latest date that is written as given, for the message. */
        int64_t lo = 0, hi = t, w;
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            *(time_round_trips(mid, &w) ? &lo : &hi) = mid;
        }
        st = fail(err, errlen, GITOUT_INVALID,
                  "the date %lld would be written as %lld by this libgit2 (%s): the latest "
                  "date it writes as given is %lld",
                  (long long)t, (long long)written, LIBGIT2_VERSION, (long long)lo);
    }
    git_libgit2_shutdown();
    return st;
}

static bool identity_text_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        /* '<' and '>' delimit the email in the commit header, a newline
         * would end the header: either would change the commit's meaning. */
        if (c < 0x20 || c == 0x7f || c == '<' || c == '>')
            return false;
    }
    return true;
}

static GitOutStatus check_identity(const GitOutIdentity *who, char *err, size_t errlen)
{
    if (!who || !identity_text_ok(who->name) || !identity_text_ok(who->email))
        return fail(err, errlen, GITOUT_INVALID,
                    "the commit identity needs a name and an email without '<', '>' or "
                    "control characters");
    int64_t written;
    if (who->time < 0)
        return fail(err, errlen, GITOUT_INVALID, "the commit time is before 1970");
    if (!time_round_trips(who->time, &written))
        return fail(err, errlen, GITOUT_INVALID, "the commit time %lld would be written as "
                    "%lld", (long long)who->time, (long long)written);
    if (who->offset <= -24 * 60 || who->offset >= 24 * 60)
        return fail(err, errlen, GITOUT_INVALID,
                    "the time zone offset %d is not within a day (minutes east of UTC)",
                    who->offset);
    return GITOUT_OK;
}

/* Sets *refname to "refs/heads/BRANCH" (the caller frees it). */
static GitOutStatus check_branch(const char *branch, char **refname, char *err, size_t errlen)
{
    *refname = NULL;
    int ok = 0;
    if (git_branch_name_is_valid(&ok, branch) < 0 || !ok)
        return fail(err, errlen, GITOUT_INVALID, "'%s' is not a valid branch name", branch);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "refs/heads/%s", branch);
    if (git_reference_name_is_valid(&ok, b.data) < 0 || !ok) {
        sb_free(&b);
        return fail(err, errlen, GITOUT_INVALID, "'%s' is not a valid branch name", branch);
    }
    *refname = sb_take(&b);
    return GITOUT_OK;
}

static int cmp_file_path(const void *a, const void *b)
{
    const GitOutFile *x = *(const GitOutFile *const *)a;
    const GitOutFile *y = *(const GitOutFile *const *)b;
    return strcmp(x->path, y->path);
}

/* True when some file's path is exactly s[0..n). v is sorted. */
static bool has_path(const GitOutFile *const *v, size_t count, const char *s, size_t n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = v[mid]->path;
        int c = strncmp(p, s, n);
        if (c == 0 && p[n] == '\0')
            return true;
        if (c < 0) /* p sorts before s[0..n) */
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* A file "a" and a file "a/b" cannot both exist in a tree. */
static const char *dir_file_clash(const GitOutFile *const *v, size_t n, size_t *clash_len)
{
    for (size_t i = 0; i < n; i++)
        for (const char *p = v[i]->path; (p = strchr(p, '/')); p++)
            if (has_path(v, n, v[i]->path, (size_t)(p - v[i]->path))) {
                *clash_len = (size_t)(p - v[i]->path);
                return v[i]->path;
            }
    return NULL;
}

/* Validates the files and returns them sorted by path (the caller frees
 * the array, not the files): both the tree build and the comparison walk
 * paths in this order. */
static GitOutStatus sort_files(const GitOutRequest *req, const GitOutFile ***out, char *err,
                               size_t errlen)
{
    *out = NULL;
    if (!req->files || req->nfiles == 0)
        return fail(err, errlen, GITOUT_INVALID,
                    "no files to commit under '%s' (refusing to empty the site)", req->prefix);
    const GitOutFile **v = xcalloc(req->nfiles, sizeof *v);
    for (size_t i = 0; i < req->nfiles; i++) {
        const char *why = gitout_path_problem(req->files[i].path);
        if (!why && !req->files[i].data && req->files[i].len)
            why = "no data";
        if (why) {
            free(v);
            return fail(err, errlen, GITOUT_INVALID, "file '%s': %s",
                        req->files[i].path ? req->files[i].path : "(null)", why);
        }
        v[i] = &req->files[i];
    }
    qsort(v, req->nfiles, sizeof *v, cmp_file_path);
    for (size_t i = 1; i < req->nfiles; i++)
        if (strcmp(v[i - 1]->path, v[i]->path) == 0) {
            GitOutStatus st = fail(err, errlen, GITOUT_INVALID, "file '%s' is given twice",
                                   v[i]->path);
            free(v);
            return st;
        }
    size_t n = 0;
    const char *clash = dir_file_clash(v, req->nfiles, &n);
    if (clash) {
        GitOutStatus st = fail(err, errlen, GITOUT_INVALID,
                               "'%.*s' is both a file and a directory", (int)n, clash);
        free(v);
        return st;
    }
    *out = v;
    return GITOUT_OK;
}

/* The request's common checks; *refname as for check_branch. */
static GitOutStatus check_request(const GitOutRequest *req, char **refname, char *err,
                                  size_t errlen)
{
    *refname = NULL;
    if (!req || !req->repo || !*req->repo)
        return fail(err, errlen, GITOUT_INVALID, "no repository path given");
    const char *why = gitout_path_problem(req->prefix);
    if (why)
        return fail(err, errlen, GITOUT_INVALID, "subtree prefix '%s': %s",
                    req->prefix ? req->prefix : "", why);
    return check_branch(req->branch ? req->branch : "main", refname, err, errlen);
}

/* ---- repository ------------------------------------------------------- */

/* A directory that does not exist or holds nothing may become a
 * repository; anything else that is not one is someone else's data. */
bool gitout_repo_creatable(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT;
    bool empty = true;
    struct dirent *e;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static GitOutStatus create_repo(const GitOutRequest *req, git_repository **out, char *err,
                                size_t errlen)
{
    if (!gitout_repo_creatable(req->repo))
        return fail(err, errlen, GITOUT_ERROR,
                    "%s is not a git repository, and not empty: refusing to create one there",
                    req->repo);
    git_repository_init_options o;
    if (git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0)
        return git_fail(err, errlen, "cannot create the repository");
    o.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
    if (req->create_bare)
        o.flags |= GIT_REPOSITORY_INIT_BARE;
    /* HEAD names our branch, so a clone checks out the site; and naming it
     * keeps init.defaultBranch from the user's configuration out of it. */
    o.initial_head = req->branch ? req->branch : "main";
    if (git_repository_init_ext(out, req->repo, &o) < 0)
        return git_fail(err, errlen, "cannot create the repository");
    return GITOUT_OK;
}

/* NO_SEARCH: the path itself must be the repository (or its work tree);
 * never commit into an enclosing repository found by walking up. */
static GitOutStatus open_repo(const GitOutRequest *req, bool create, git_repository **out,
                              char *err, size_t errlen)
{
    *out = NULL;
    int rc = git_repository_open_ext(out, req->repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
    if (rc == 0)
        return GITOUT_OK;
    if (rc != GIT_ENOTFOUND)
        return git_fail(err, errlen, "cannot open the repository");
    if (!create)
        return fail(err, errlen, GITOUT_ERROR, "%s is not a git repository", req->repo);
    return create_repo(req, out, err, errlen);
}

/* Like git's receive.denyCurrentBranch: a commit to the branch a work
 * tree has checked out would leave that work tree and its index behind,
 * and the next `git commit -a` there would undo the build. */
static GitOutStatus check_not_checked_out(git_repository *repo, const char *refname,
                                          const char *path, char *err, size_t errlen)
{
    bool out = false;
    git_reference *head = NULL, *ref = NULL;
    if (!git_repository_is_bare(repo) && git_reference_lookup(&head, repo, "HEAD") == 0 &&
        git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
        out = strcmp(git_reference_symbolic_target(head), refname) == 0;
    /* Linked work trees (git worktree add) count too, bare or not. */
    if (!out && git_reference_lookup(&ref, repo, refname) == 0)
        out = git_branch_is_checked_out(ref) == 1;
    git_reference_free(head);
    git_reference_free(ref);
    if (!out)
        return GITOUT_OK;
    return fail(err, errlen, GITOUT_INVALID,
                "%s has %s checked out in a work tree: a commit there would leave the work "
                "tree and its index behind the branch (hint: build into a bare repository, "
                "such as one made by `git clone --bare`, into another --branch, or with --out)",
                path, refname + strlen("refs/heads/"));
}

/* The branch as read at the start: the parent of the commit and the value
 * the ref must still have when it moves. */
typedef struct Tip {
    bool unborn;
    git_oid id;
    git_tree *tree; /* the tip's root tree; NULL when unborn */
} Tip;

static GitOutStatus read_tip(git_repository *repo, const char *refname, Tip *tip, char *err,
                             size_t errlen)
{
    memset(tip, 0, sizeof *tip);
    git_reference *ref = NULL;
    int rc = git_reference_lookup(&ref, repo, refname);
    if (rc == GIT_ENOTFOUND) {
        tip->unborn = true;
        return GITOUT_OK;
    }
    if (rc < 0)
        return git_fail(err, errlen, "cannot read the branch");
    /* A symbolic branch would make the compare-and-swap compare against
     * the wrong thing; such a layout is not ours to follow. */
    if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
        git_reference_free(ref);
        return fail(err, errlen, GITOUT_ERROR, "%s is a symbolic reference", refname);
    }
    git_oid_cpy(&tip->id, git_reference_target(ref));
    git_reference_free(ref);
    git_commit *c = NULL;
    if (git_commit_lookup(&c, repo, &tip->id) < 0)
        return git_fail(err, errlen, "the branch does not point at a readable commit");
    rc = git_commit_tree(&tip->tree, c);
    git_commit_free(c);
    if (rc < 0)
        return git_fail(err, errlen, "cannot read the branch's tree");
    return GITOUT_OK;
}

static void tip_free(Tip *tip)
{
    git_tree_free(tip->tree);
    tip->tree = NULL;
}

/* ---- the previous subtree --------------------------------------------- */

/* The tree at prefix in root, or NULL when there is none. A file (or a
 * submodule) on the way is refused: replacing it would destroy a path
 * that the site does not own. */
static GitOutStatus find_subtree(git_repository *repo, const git_tree *root, const char *prefix,
                                 git_tree **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!root)
        return GITOUT_OK;
    char *path = xstrdup(prefix);
    git_tree *cur = NULL; /* owned; NULL while still at the (borrowed) root */
    GitOutStatus st = GITOUT_OK;
    for (char *seg = path, *slash; seg; seg = slash ? slash + 1 : NULL) {
        slash = strchr(seg, '/');
        if (slash)
            *slash = '\0'; /* path now ends after this segment, for messages */
        const git_tree_entry *e = git_tree_entry_byname(cur ? cur : root, seg);
        if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
            if (e)
                st = fail(err, errlen, GITOUT_ERROR,
                          "'%s' in the branch is not a directory (a file or a submodule): "
                          "the site cannot go there",
                          path);
            git_tree_free(cur);
            cur = NULL;
            break;
        }
        git_tree *next = NULL;
        int rc = git_tree_lookup(&next, repo, git_tree_entry_id(e));
        git_tree_free(cur);
        cur = next;
        if (rc < 0) {
            st = git_fail(err, errlen, "cannot read the previous subtree");
            break;
        }
        if (slash)
            *slash = '/';
    }
    free(path);
    *out = cur;
    return st;
}

/* A non-directory entry of the previous subtree, path relative to it. */
typedef struct OldEntry {
    char *path;
    git_oid id;
    git_filemode_t mode;
    git_object_t type; /* a blob, or a commit for a submodule */
} OldEntry;

typedef struct OldList {
    OldEntry *v;
    size_t n, cap;
} OldList;

static int collect_entry(const char *root, const git_tree_entry *e, void *payload)
{
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
        return 0; /* descend; directories exist only through their files */
    OldList *l = payload;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, root);
    sb_puts(&b, git_tree_entry_name(e));
    OldEntry *o = &l->v[l->n++];
    o->path = sb_take(&b);
    git_oid_cpy(&o->id, git_tree_entry_id(e));
    o->mode = git_tree_entry_filemode(e);
    o->type = git_tree_entry_type(e);
    return 0;
}

static int cmp_old_path(const void *a, const void *b)
{
    return strcmp(((const OldEntry *)a)->path, ((const OldEntry *)b)->path);
}

static void old_list_free(OldList *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Every file of the previous subtree, sorted by path with strcmp: git's
 * own tree order sorts "a/" after "a.b", which a merge with the new,
 * strcmp-sorted files cannot use. */
static GitOutStatus collect_old(const git_tree *subtree, OldList *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!subtree)
        return GITOUT_OK;
    if (git_tree_walk(subtree, GIT_TREEWALK_PRE, collect_entry, out) < 0) {
        old_list_free(out);
        return git_fail(err, errlen, "cannot walk the previous subtree");
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_old_path);
    return GITOUT_OK;
}

/* ---- new blobs -------------------------------------------------------- */

/* A blob's id: the SHA-1 of "blob <size>" and a NUL, then the bytes.
 * Computed here with OpenSSL's SHA-1, several times faster than the
 * collision-detecting one libgit2 uses, on every file of every build.
 * (That detection guards against files crafted to collide; every byte
 * of a file here is rendered by crownc, which writes no binary.) */
static bool blob_id(git_oid *id, const void *data, size_t len)
{
    char head[32];
    int hn = snprintf(head, sizeof head, "blob %zu", len);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int n = 0;
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
              EVP_DigestUpdate(c, head, (size_t)hn + 1) == 1 &&
              EVP_DigestUpdate(c, data, len) == 1 && EVP_DigestFinal_ex(c, id->id, &n) == 1 &&
              n == GIT_OID_RAWSZ;
    EVP_MD_CTX_free(c);
    return ok;
}

/* The blob id of each file; written to the build's objects in memory
 * (mem) only when mem is given and the repository lacks the blob, so
 * that a comparison leaves the repository untouched. */
static GitOutStatus hash_files(git_repository *repo, git_odb_backend *mem,
                               const GitOutFile *const *v, size_t n, git_oid *ids, char *err,
                               size_t errlen)
{
    git_odb *odb = NULL;
    if (mem && git_repository_odb(&odb, repo) < 0)
        return git_fail(err, errlen, "cannot open the object database");
    GitOutStatus st = GITOUT_OK;
    for (size_t i = 0; i < n && st == GITOUT_OK; i++) {
        const void *data = v[i]->data ? v[i]->data : "";
        if (!blob_id(&ids[i], data, v[i]->len))
            st = git_fail(err, errlen, "cannot hash a file");
        else if (mem && !git_odb_exists(odb, &ids[i]) &&
                 mem->write(mem, &ids[i], data, v[i]->len, GIT_OBJECT_BLOB) < 0)
            st = git_fail(err, errlen, "cannot write a blob");
    }
    git_odb_free(odb);
    return st;
}

/* ---- comparison ------------------------------------------------------- */

static GitOutStatus load_old(git_repository *repo, const OldEntry *o, GitOutChange *c, char *err,
                             size_t errlen)
{
    if (o->type != GIT_OBJECT_BLOB)
        return GITOUT_OK; /* a submodule has no bytes here */
    git_blob *b = NULL;
    if (git_blob_lookup(&b, repo, &o->id) < 0)
        return git_fail(err, errlen, "cannot read a previous file");
    c->old_len = (size_t)git_blob_rawsize(b);
    c->old_data = xmemdup(git_blob_rawcontent(b), c->old_len);
    git_blob_free(b);
    return GITOUT_OK;
}

/* Appends one change to list; nf is the new file, o the old entry, either
 * may be NULL. The list has room: the caller sized it. */
static GitOutStatus record(git_repository *repo, GitOutChange *list, size_t *n,
                           const GitOutFile *nf, const OldEntry *o, bool with_content, char *err,
                           size_t errlen)
{
    GitOutChange *c = &list[(*n)++];
    memset(c, 0, sizeof *c);
    c->path = xstrdup(nf ? nf->path : o->path);
    if (!with_content)
        return GITOUT_OK;
    if (nf) {
        c->new_len = nf->len;
        c->new_data = xmemdup(nf->data ? nf->data : "", nf->len);
    }
    return o ? load_old(repo, o, c, err, errlen) : GITOUT_OK;
}

/* A file is unchanged only if it is the same blob with the same mode:
 * a file that was executable and now is not has changed. */
static bool same_file(const git_oid *id, const OldEntry *o)
{
    return o->mode == GIT_FILEMODE_BLOB && git_oid_equal(id, &o->id);
}

/* Merges the sorted new files with the sorted old entries. */
static GitOutStatus diff_subtree(git_repository *repo, const GitOutFile *const *files,
                                 const git_oid *ids, size_t n, const OldList *old,
                                 bool with_content, GitOutChanges *out, char *err,
                                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    /* Upper bounds, so that no list ever grows. */
    out->added = xcalloc(n, sizeof *out->added);
    out->changed = xcalloc(n, sizeof *out->changed);
    out->removed = xcalloc(old->n, sizeof *out->removed);
    GitOutStatus st = GITOUT_OK;
    size_t i = 0, j = 0;
    while (st == GITOUT_OK && (i < n || j < old->n)) {
        int c = i == n ? 1 : j == old->n ? -1 : strcmp(files[i]->path, old->v[j].path);
        if (c < 0)
            st = record(repo, out->added, &out->nadded, files[i], NULL, with_content, err,
                        errlen);
        else if (c > 0)
            st = record(repo, out->removed, &out->nremoved, NULL, &old->v[j], with_content,
                        err, errlen);
        else if (!same_file(&ids[i], &old->v[j]))
            st = record(repo, out->changed, &out->nchanged, files[i], &old->v[j],
                        with_content, err, errlen);
        i += c <= 0;
        j += c >= 0;
    }
    if (st != GITOUT_OK)
        gitout_changes_free(out);
    return st;
}

/* ---- trees ------------------------------------------------------------ */

/* The site's subtree, nested directories included, from nothing: the old
 * subtree is replaced, not patched, so that a file no longer produced
 * cannot survive. */
static GitOutStatus build_subtree(git_repository *repo, const GitOutFile *const *files,
                                  const git_oid *ids, size_t n, git_oid *out, char *err,
                                  size_t errlen)
{
    git_tree_update *u = xcalloc(n, sizeof *u);
    for (size_t i = 0; i < n; i++) {
        u[i].action = GIT_TREE_UPDATE_UPSERT;
        git_oid_cpy(&u[i].id, &ids[i]);
        u[i].filemode = GIT_FILEMODE_BLOB;
        u[i].path = files[i]->path;
    }
    int rc = git_tree_create_updated(out, repo, NULL, n, u);
    free(u);
    return rc < 0 ? git_fail(err, errlen, "cannot build the subtree") : GITOUT_OK;
}

/* The branch's root tree with the entry at prefix replaced by subtree;
 * every other entry, at every level, is kept as it is. */
static GitOutStatus graft(git_repository *repo, git_tree *root, const char *prefix,
                          const git_oid *subtree, git_oid *out, char *err, size_t errlen)
{
    git_tree_update u;
    memset(&u, 0, sizeof u);
    u.action = GIT_TREE_UPDATE_UPSERT;
    git_oid_cpy(&u.id, subtree);
    u.filemode = GIT_FILEMODE_TREE;
    u.path = prefix;
    if (git_tree_create_updated(out, repo, root, 1, &u) < 0)
        return git_fail(err, errlen, "cannot graft the subtree into the branch");
    return GITOUT_OK;
}

/* ---- shared start ----------------------------------------------------- */

/* What both gitout_compare and gitout_prepare need: the repository, the
 * tip, the previous subtree's files and the new files with their ids. */
typedef struct Work {
    git_repository *repo;
    char *refname;
    const GitOutFile **files; /* sorted */
    size_t n;
    git_oid *ids;
    Tip tip;
    git_tree *old_subtree;
    OldList old;
    /* When writing: where new objects go until the commit is whole, then
     * into one pack (owned by the repository's object database). */
    git_odb_backend *mem;
} Work;

static void work_free(Work *w)
{
    old_list_free(&w->old);
    git_tree_free(w->old_subtree);
    tip_free(&w->tip);
    free(w->ids);
    free(w->files);
    free(w->refname);
    git_repository_free(w->repo);
    memset(w, 0, sizeof *w);
}

/* New objects are written to memory first, the repository's own
 * backends below it: twenty thousand files make one pack at the end
 * (flush_pack) rather than as many loose objects, and an interrupted
 * build leaves no object behind. Objects the repository already has are
 * found there and not written again. */
static GitOutStatus attach_memory(git_repository *repo, git_odb_backend **mem, char *err,
                                  size_t errlen)
{
    git_odb *odb = NULL;
    bool ok = git_repository_odb(&odb, repo) == 0 && git_mempack_new(mem) == 0;
    if (ok && git_odb_add_backend(odb, *mem, 1000) != 0) {
        (*mem)->free(*mem);
        ok = false;
    }
    git_odb_free(odb);
    if (!ok)
        *mem = NULL;
    return ok ? GITOUT_OK : git_fail(err, errlen, "cannot prepare the objects in memory");
}

/* Validates everything before touching the disk, then reads. */
static GitOutStatus work_start(const GitOutRequest *req, bool create, Work *w, char *err,
                               size_t errlen)
{
    memset(w, 0, sizeof *w);
    GitOutStatus st = check_request(req, &w->refname, err, errlen);
    if (st == GITOUT_OK)
        st = sort_files(req, &w->files, err, errlen);
    if (st == GITOUT_OK) {
        w->n = req->nfiles;
        st = open_repo(req, create, &w->repo, err, errlen);
    }
    if (st == GITOUT_OK && create)
        st = check_not_checked_out(w->repo, w->refname, req->repo, err, errlen);
    if (st == GITOUT_OK && create)
        st = attach_memory(w->repo, &w->mem, err, errlen);
    if (st == GITOUT_OK)
        st = read_tip(w->repo, w->refname, &w->tip, err, errlen);
    if (st == GITOUT_OK)
        st = find_subtree(w->repo, w->tip.tree, req->prefix, &w->old_subtree, err, errlen);
    if (st == GITOUT_OK)
        st = collect_old(w->old_subtree, &w->old, err, errlen);
    if (st == GITOUT_OK) {
        w->ids = xcalloc(w->n, sizeof *w->ids);
        st = hash_files(w->repo, w->mem, w->files, w->n, w->ids, err, errlen);
    }
    if (st != GITOUT_OK)
        work_free(w);
    return st;
}

static GitOutStatus lib_init(char *err, size_t errlen)
{
    if (git_libgit2_init() < 0)
        return git_fail(err, errlen, "cannot initialise libgit2");
    /* Every tree entry names a blob or tree this build wrote or found:
     * libgit2's check that it exists would look each one up again. */
    if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0) < 0)
        return git_fail(err, errlen, "cannot configure libgit2");
    return GITOUT_OK;
}

/* ---- public: compare -------------------------------------------------- */

GitOutStatus gitout_compare(const GitOutRequest *req, GitOutChanges *out, char *err,
                            size_t errlen)
{
    memset(out, 0, sizeof *out);
    GitOutStatus st = lib_init(err, errlen);
    if (st != GITOUT_OK)
        return st;
    Work w;
    st = work_start(req, false, &w, err, errlen);
    if (st == GITOUT_OK) {
        st = diff_subtree(w.repo, w.files, w.ids, w.n, &w.old, true, out, err, errlen);
        work_free(&w);
    }
    git_libgit2_shutdown();
    return st;
}

/* ---- public: prepare and publish -------------------------------------- */

struct GitOutPlan {
    git_repository *repo;
    git_odb_backend *mem; /* the new objects, until flush_pack */
    char *refname;
    bool unborn;
    git_oid tip;  /* parent and expected value of the ref, unless unborn */
    git_oid root; /* the new root tree */
    bool unchanged;
    bool published;
    GitOutChanges changes;
};

static GitOutStatus plan_trees(Work *w, const char *prefix, GitOutPlan *p, char *err,
                               size_t errlen)
{
    git_oid sub;
    GitOutStatus st = build_subtree(w->repo, w->files, w->ids, w->n, &sub, err, errlen);
    if (st == GITOUT_OK)
        st = graft(w->repo, w->tip.tree, prefix, &sub, &p->root, err, errlen);
    if (st == GITOUT_OK)
        p->unchanged = !w->tip.unborn && git_oid_equal(&p->root, git_tree_id(w->tip.tree));
    return st;
}

GitOutStatus gitout_prepare(const GitOutRequest *req, GitOutPlan **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    GitOutStatus st = lib_init(err, errlen);
    if (st != GITOUT_OK)
        return st;
    GitOutPlan *p = xcalloc(1, sizeof *p);
    Work w;
    st = work_start(req, true, &w, err, errlen);
    if (st == GITOUT_OK) {
        st = diff_subtree(w.repo, w.files, w.ids, w.n, &w.old, false, &p->changes, err,
                          errlen);
        if (st == GITOUT_OK)
            st = plan_trees(&w, req->prefix, p, err, errlen);
        /* The plan takes the repository and the tip; the rest goes. */
        p->repo = w.repo;
        p->mem = w.mem;
        p->refname = w.refname;
        p->unborn = w.tip.unborn;
        git_oid_cpy(&p->tip, &w.tip.id);
        w.repo = NULL;
        w.refname = NULL;
        work_free(&w);
    }
    if (st != GITOUT_OK) {
        gitout_plan_free(p); /* also drops this call's libgit2 reference */
        return st;
    }
    *out = p;
    return GITOUT_OK;
}

const GitOutChanges *gitout_plan_changes(const GitOutPlan *plan) { return &plan->changes; }

bool gitout_plan_unchanged(const GitOutPlan *plan) { return plan->unchanged; }

static GitOutStatus check_publish(const GitOutIdentity *who, const char *message, char *err,
                                  size_t errlen)
{
    GitOutStatus st = check_identity(who, err, errlen);
    if (st == GITOUT_OK && (!message || !*message))
        st = fail(err, errlen, GITOUT_INVALID, "the commit message is empty");
    return st;
}

/* The message as git writes it: ending with exactly the newline it had,
 * or one added. */
static char *message_text(const char *message)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, message);
    if (b.data[b.len - 1] != '\n')
        sb_putc(&b, '\n');
    return sb_take(&b);
}

static GitOutStatus write_commit(GitOutPlan *p, const GitOutIdentity *who, const char *message,
                                 git_oid *out, char *err, size_t errlen)
{
    git_signature *sig = NULL;
    git_tree *tree = NULL;
    git_commit *parent = NULL;
    GitOutStatus st = GITOUT_OK;
    /* One signature, explicit time: author and committer never come
     * from the configuration or the clock. */
    if (git_signature_new(&sig, who->name, who->email, (git_time_t)who->time, who->offset) < 0)
        st = fail(err, errlen, GITOUT_INVALID, "invalid commit identity: %s",
                  git_error_last() ? git_error_last()->message : "?");
    else if (git_tree_lookup(&tree, p->repo, &p->root) < 0)
        st = git_fail(err, errlen, "cannot read the new tree");
    else if (!p->unborn && git_commit_lookup(&parent, p->repo, &p->tip) < 0)
        st = git_fail(err, errlen, "cannot read the parent commit");
    if (st == GITOUT_OK) {
        char *msg = message_text(message);
        const git_commit *parents[1] = {parent};
        /* update_ref NULL: the ref moves in move_branch, last. */
        if (git_commit_create(out, p->repo, NULL, sig, sig, NULL, msg, tree, parent ? 1 : 0,
                              parents) < 0)
            st = git_fail(err, errlen, "cannot write the commit");
        free(msg);
    }
    git_commit_free(parent);
    git_tree_free(tree);
    git_signature_free(sig);
    return st;
}

/* ---- the pack of the new objects -------------------------------------- */

typedef struct IdList {
    git_oid *id;
    git_object_t *type;
    size_t n, cap;
} IdList;

static void ids_push(IdList *l, const git_oid *id, git_object_t type)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->id = xrealloc(l->id, l->cap * sizeof *l->id);
        l->type = xrealloc(l->type, l->cap * sizeof *l->type);
    }
    git_oid_cpy(&l->id[l->n], id);
    l->type[l->n++] = type;
}

static void ids_free(IdList *l)
{
    free(l->id);
    free(l->type);
    memset(l, 0, sizeof *l);
}

/* The objects the commit adds: the commit, and from its root tree down
 * every entry that this build wrote (it is in mem), entering only the
 * trees that are new: below an old tree everything is old. */
static int collect_new(GitOutPlan *p, const git_oid *commit, IdList *out)
{
    IdList trees = {0};
    ids_push(out, commit, GIT_OBJECT_COMMIT);
    if (p->mem->exists(p->mem, &p->root)) {
        ids_push(out, &p->root, GIT_OBJECT_TREE);
        ids_push(&trees, &p->root, GIT_OBJECT_TREE);
    }
    int rc = 0;
    while (trees.n && rc == 0) {
        git_oid id;
        git_oid_cpy(&id, &trees.id[--trees.n]);
        git_tree *t = NULL;
        rc = git_tree_lookup(&t, p->repo, &id);
        for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
            const git_tree_entry *e = git_tree_entry_byindex(t, i);
            const git_oid *eid = git_tree_entry_id(e);
            git_object_t type = git_tree_entry_type(e);
            if ((type != GIT_OBJECT_BLOB && type != GIT_OBJECT_TREE) ||
                !p->mem->exists(p->mem, eid))
                continue;
            ids_push(out, eid, type);
            if (type == GIT_OBJECT_TREE)
                ids_push(&trees, eid, type);
        }
        git_tree_free(t);
    }
    ids_free(&trees);
    return rc;
}

static const IdList *dup_base;

static int by_id_then_place(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = git_oid_cmp(&dup_base->id[a], &dup_base->id[b]);
    return c ? c : (a > b) - (a < b);
}

/* Which entries of ids come first with their id: a blob may be two
 * files, a tree two directories, and a pack holds each object once. */
static bool *first_of_each(const IdList *ids)
{
    size_t *order = xcalloc(ids->n ? ids->n : 1, sizeof *order);
    bool *keep = xcalloc(ids->n ? ids->n : 1, sizeof *keep);
    for (size_t i = 0; i < ids->n; i++)
        order[i] = i;
    dup_base = ids;
    qsort(order, ids->n, sizeof *order, by_id_then_place);
    for (size_t i = 0; i < ids->n; i++)
        keep[order[i]] = i == 0 || !git_oid_equal(&ids->id[order[i]], &ids->id[order[i - 1]]);
    free(order);
    return keep;
}

/* The objects read back from memory, each once, in the order found. */
static int read_new(git_odb *odb, const IdList *ids, git_odb_object **objs,
                    GitPackObject *packed, size_t *n)
{
    bool *keep = first_of_each(ids);
    int rc = 0;
    *n = 0;
    for (size_t i = 0; i < ids->n && rc == 0; i++) {
        if (!keep[i])
            continue;
        rc = git_odb_read(&objs[*n], odb, &ids->id[i]);
        if (rc < 0)
            break;
        GitPackObject *po = &packed[(*n)++];
        git_oid_cpy(&po->id, &ids->id[i]);
        po->type = ids->type[i];
        po->data = git_odb_object_data(objs[*n - 1]);
        po->len = git_odb_object_size(objs[*n - 1]);
    }
    free(keep);
    return rc;
}

/* objects/pack of the repository, made if missing. */
static char *pack_dir(git_repository *repo)
{
    git_buf objects = {0};
    if (git_repository_item_path(&objects, repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0)
        return NULL;
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, objects.ptr);
    if (b.len && b.data[b.len - 1] != '/')
        sb_putc(&b, '/');
    sb_puts(&b, "pack");
    git_buf_dispose(&objects);
    if (mkdir(b.data, 0777) < 0 && errno != EEXIST) {
        sb_free(&b);
        return NULL;
    }
    return sb_take(&b);
}

/* What the commit adds, into the repository as one pack with its index
 * (git_pack.h), before the branch moves to the commit. */
static GitOutStatus flush_pack(GitOutPlan *p, const git_oid *id, char *err, size_t errlen)
{
    IdList ids = {0};
    git_odb *odb = NULL;
    char *dir = NULL;
    git_odb_object **objs = NULL;
    GitPackObject *packed = NULL;
    size_t n = 0;
    bool ok = collect_new(p, id, &ids) == 0 && git_repository_odb(&odb, p->repo) == 0;
    if (ok) {
        objs = xcalloc(ids.n, sizeof *objs);
        packed = xcalloc(ids.n, sizeof *packed);
        ok = read_new(odb, &ids, objs, packed, &n) == 0;
    }
    GitOutStatus st = ok ? GITOUT_OK : git_fail(err, errlen, "cannot read the new objects");
    if (st == GITOUT_OK && !(dir = pack_dir(p->repo)))
        st = fail(err, errlen, GITOUT_ERROR, "cannot make the directory of packs: %s",
                  strerror(errno));
    char why[512];
    if (st == GITOUT_OK && !gitpack_write(dir, packed, n, why, sizeof why))
        st = fail(err, errlen, GITOUT_ERROR, "%s", why);
    for (size_t i = 0; i < n; i++)
        git_odb_object_free(objs[i]);
    free(objs);
    free(packed);
    free(dir);
    git_odb_free(odb);
    ids_free(&ids);
    return st;
}

/* The reflog line: "crownc: " and the message's first line. */
static char *reflog_message(const char *message)
{
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "crownc: ");
    sb_putn(&b, message, strcspn(message, "\n"));
    return sb_take(&b);
}

static GitOutStatus moved_error(const GitOutPlan *p, int rc, char *err, size_t errlen)
{
    const char *branch = p->refname + strlen("refs/heads/");
    if (rc == GIT_EMODIFIED || (rc == GIT_ENOTFOUND && !p->unborn))
        return fail(err, errlen, GITOUT_MOVED,
                    "the branch %s moved while building; run again", branch);
    /* libgit2 does not wait for a lock: another writer holds it now, or
     * a crashed one left it behind. */
    return fail(err, errlen, GITOUT_MOVED,
                "the branch %s is being updated by another process (or %s%s.lock was left "
                "behind); run again",
                branch, git_repository_path(p->repo), p->refname);
}

/* The compare-and-swap. force is needed to overwrite an existing ref; the
 * expected value makes it safe: libgit2 takes the ref's lock file, then
 * checks the value under it, and a zero id means "must not exist yet",
 * which closes the race between two first builds as well. */
static GitOutStatus move_branch(GitOutPlan *p, const GitOutIdentity *who, const git_oid *to,
                                const char *message, char *err, size_t errlen)
{
    git_oid zero;
    memset(&zero, 0, sizeof zero);
    /* The reflog's identity is ours, not user.name from a config file. */
    if (git_repository_set_ident(p->repo, who->name, who->email) < 0)
        return git_fail(err, errlen, "cannot set the reflog identity");
    char *log = reflog_message(message);
    git_reference *ref = NULL;
    int rc = git_reference_create_matching(&ref, p->repo, p->refname, to, 1,
                                           p->unborn ? &zero : &p->tip, log);
    git_reference_free(ref);
    free(log);
    if (rc == 0)
        return GITOUT_OK;
    if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED || (rc == GIT_ENOTFOUND && !p->unborn))
        return moved_error(p, rc, err, errlen);
    return git_fail(err, errlen, "cannot move the branch");
}

GitOutStatus gitout_publish(GitOutPlan *plan, const GitOutIdentity *who, const char *message,
                            char commit[GITOUT_ID_SIZE], char *err, size_t errlen)
{
    commit[0] = '\0';
    if (!plan)
        return fail(err, errlen, GITOUT_INVALID, "nothing prepared to publish");
    if (plan->published)
        return fail(err, errlen, GITOUT_INVALID,
                    "this build was published already; prepare it again");
    GitOutStatus st = check_publish(who, message, err, errlen);
    if (st != GITOUT_OK)
        return st;
    plan->published = true;
    if (plan->unchanged) {
        git_oid_tostr(commit, GITOUT_ID_SIZE, &plan->tip);
        return GITOUT_UNCHANGED;
    }
    git_oid id;
    st = write_commit(plan, who, message, &id, err, errlen);
    if (st == GITOUT_OK)
        st = flush_pack(plan, &id, err, errlen);
    if (st == GITOUT_OK)
        st = move_branch(plan, who, &id, message, err, errlen);
    if (st == GITOUT_OK)
        git_oid_tostr(commit, GITOUT_ID_SIZE, &id);
    return st;
}

void gitout_plan_free(GitOutPlan *plan)
{
    if (!plan)
        return;
    gitout_changes_free(&plan->changes);
    free(plan->refname);
    git_repository_free(plan->repo);
    free(plan);
    git_libgit2_shutdown(); /* the reference gitout_prepare took */
}

/* ---- public: all in one ----------------------------------------------- */

GitOutStatus gitout_commit(const GitOutRequest *req, const GitOutIdentity *who,
                           const char *message, GitOutResult *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    /* Refuse a bad identity before anything is created or written. */
    GitOutStatus st = check_publish(who, message, err, errlen);
    GitOutPlan *plan = NULL;
    if (st == GITOUT_OK)
        st = gitout_prepare(req, &plan, err, errlen);
    if (st != GITOUT_OK)
        return st;
    st = gitout_publish(plan, who, message, res->commit, err, errlen);
    if (st == GITOUT_OK || st == GITOUT_UNCHANGED) {
        if (!plan->unborn)
            git_oid_tostr(res->parent, GITOUT_ID_SIZE, &plan->tip);
        res->changes = plan->changes;
        memset(&plan->changes, 0, sizeof plan->changes);
    }
    gitout_plan_free(plan);
    return st;
}

/* ---- public: release -------------------------------------------------- */

static void free_list(GitOutChange *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].old_data);
        free(v[i].new_data);
    }
    free(v);
}

void gitout_changes_free(GitOutChanges *c)
{
    if (!c)
        return;
    free_list(c->added, c->nadded);
    free_list(c->changed, c->nchanged);
    free_list(c->removed, c->nremoved);
    memset(c, 0, sizeof *c);
}

void gitout_result_free(GitOutResult *res)
{
    if (!res)
        return;
    gitout_changes_free(&res->changes);
    memset(res, 0, sizeof *res);
}

/* ---- public: reading the tip ------------------------------------------ */

struct GitOutReader {
    git_repository *repo;
    Tip tip;
    git_commit *commit; /* the tip, once its message is asked for */
};

GitOutStatus gitout_reader_open(const char *repo, const char *branch, GitOutReader **out,
                                char *err, size_t errlen)
{
    *out = NULL;
    if (gitout_repo_creatable(repo))
        return GITOUT_UNCHANGED;
    GitOutStatus st = lib_init(err, errlen);
    if (st != GITOUT_OK)
        return st;
    GitOutReader *r = xcalloc(1, sizeof *r);
    GitOutRequest req = {repo, false, branch, "x", NULL, 0};
    char *refname = NULL;
    st = check_branch(branch ? branch : "main", &refname, err, errlen);
    if (st == GITOUT_OK)
        st = open_repo(&req, false, &r->repo, err, errlen);
    if (st == GITOUT_OK)
        st = read_tip(r->repo, refname, &r->tip, err, errlen);
    free(refname);
    if (st == GITOUT_OK && r->tip.unborn)
        st = GITOUT_UNCHANGED;
    if (st != GITOUT_OK) {
        gitout_reader_free(r);
        return st;
    }
    *out = r;
    return GITOUT_OK;
}

const char *gitout_reader_message(GitOutReader *r, char *id)
{
    git_oid_tostr(id, GITOUT_ID_SIZE, &r->tip.id);
    if (!r->commit && git_commit_lookup(&r->commit, r->repo, &r->tip.id) < 0)
        return NULL;
    return git_commit_message(r->commit);
}

bool gitout_reader_read(GitOutReader *r, const char *path, char **data, size_t *len)
{
    git_tree_entry *e = NULL;
    if (git_tree_entry_bypath(&e, r->tip.tree, path) < 0)
        return false;
    git_blob *blob = NULL;
    bool ok = git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
              git_blob_lookup(&blob, r->repo, git_tree_entry_id(e)) == 0;
    git_tree_entry_free(e);
    if (!ok)
        return false;
    *len = (size_t)git_blob_rawsize(blob);
    *data = xmemdup(git_blob_rawcontent(blob), *len);
    git_blob_free(blob);
    return true;
}

void gitout_reader_free(GitOutReader *r)
{
    if (!r)
        return;
    git_commit_free(r->commit);
    tip_free(&r->tip);
    git_repository_free(r->repo);
    free(r);
    git_libgit2_shutdown();
}
