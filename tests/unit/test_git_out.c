/* test_git_out.c — committing a site's subtree into a branch: the first
 * commit into a new repository, no commit for an unchanged tree, exact
 * change lists (changed, added, removed) and the comparison with contents,
 * two sites sharing a repository, paths outside the subtree and the index
 * and work tree of a non-bare repository left alone, identical commit ids
 * from identical inputs, a branch moved (or locked, or deleted) between
 * prepare and publish, refused paths, branches and identities, bare
 * repositories, and processes racing to commit into one branch.
 *
 * Each test works in its own directory under /tmp, removed at the end.
 * The repositories are inspected with libgit2; `git fsck` runs on them
 * too when git is installed. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "git_out.h"
#include "tmpdir.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define F(p, text) ((GitOutFile){(p), (text), sizeof(text) - 1})

static const GitOutIdentity WHO = {"CrownLabs CI", "ci@crownlabs.example", 1700000000, 60};

typedef struct Fixture {
    char dir[64];   /* the test's temporary directory */
    char repo[128]; /* dir/repo: does not exist until something creates it */
} Fixture;

/* ---- temporary directories -------------------------------------------- */

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/crownc-gitout.XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->repo, sizeof f->repo, "%s/repo", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    remove_tree(f->dir);
    free(f);
    return 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* ---- running the module ----------------------------------------------- */

static GitOutRequest request(const char *repo, const char *prefix, const GitOutFile *files,
                             size_t n)
{
    return (GitOutRequest){repo, true, NULL, prefix, files, n};
}

/* Commits and requires status want; res is the caller's to free. */
static void commit_expect(const GitOutRequest *req, GitOutStatus want, GitOutResult *res)
{
    char err[256] = "";
    GitOutStatus st = gitout_commit(req, &WHO, "Build the site", res, err, sizeof err);
    if (st != want)
        fail_msg("status %d, expected %d: %s", st, want, err);
}

/* Commits, requires success, and returns the new commit's id. */
static void commit_ok(const GitOutRequest *req, char id[GITOUT_ID_SIZE])
{
    GitOutResult res;
    commit_expect(req, GITOUT_OK, &res);
    assert_int_equal(strlen(res.commit), 40);
    strcpy(id, res.commit);
    gitout_result_free(&res);
}

static void assert_paths(const GitOutChange *v, size_t n, const char *const *want, size_t nwant)
{
    if (n != nwant)
        fail_msg("%zu paths, expected %zu (first: %s)", n, nwant, n ? v[0].path : "-");
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i].path, want[i]);
}

#define ASSERT_PATHS(v, n, ...)                                                               \
    do {                                                                                      \
        const char *const want_[] = {__VA_ARGS__};                                            \
        assert_paths((v), (n), want_, N_OF(want_));                                           \
    } while (0)

/* ---- inspecting a repository with libgit2 ----------------------------- */

static git_repository *open_repo(const char *path)
{
    git_repository *r = NULL;
    if (git_repository_open_ext(&r, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
        fail_msg("cannot open %s: %s", path, git_error_last()->message);
    return r;
}

/* The branch's commit id, or "" when the branch does not exist. */
static void branch_id(const char *repo, const char *branch, char out[GITOUT_ID_SIZE])
{
    git_repository *r = open_repo(repo);
    char name[256];
    snprintf(name, sizeof name, "refs/heads/%s", branch);
    git_oid id;
    out[0] = '\0';
    if (git_reference_name_to_id(&id, r, name) == 0)
        git_oid_tostr(out, GITOUT_ID_SIZE, &id);
    git_repository_free(r);
}

/* The id of the object at spec ("main:lab/a.yaml"), or "" if none. */
static void object_id(const char *repo, const char *spec, char out[GITOUT_ID_SIZE])
{
    git_repository *r = open_repo(repo);
    git_object *o = NULL;
    out[0] = '\0';
    if (git_revparse_single(&o, r, spec) == 0)
        git_oid_tostr(out, GITOUT_ID_SIZE, git_object_id(o));
    git_object_free(o);
    git_repository_free(r);
}

static bool has_object(const char *repo, const char *spec)
{
    char id[GITOUT_ID_SIZE];
    object_id(repo, spec, id);
    return id[0] != '\0';
}

/* The text of the blob at spec; fails if there is none. */
static void assert_blob(const char *repo, const char *spec, const char *want)
{
    git_repository *r = open_repo(repo);
    git_object *o = NULL;
    if (git_revparse_single(&o, r, spec) < 0)
        fail_msg("%s: not found", spec);
    assert_int_equal(git_object_type(o), GIT_OBJECT_BLOB);
    const git_blob *b = (const git_blob *)o;
    assert_int_equal((size_t)git_blob_rawsize(b), strlen(want));
    assert_memory_equal(git_blob_rawcontent(b), want, strlen(want));
    git_object_free(o);
    git_repository_free(r);
}

/* Commits reachable from the branch. */
static size_t count_commits(const char *repo, const char *branch)
{
    git_repository *r = open_repo(repo);
    git_revwalk *w = NULL;
    char name[256];
    snprintf(name, sizeof name, "refs/heads/%s", branch);
    assert_int_equal(git_revwalk_new(&w, r), 0);
    assert_int_equal(git_revwalk_push_ref(w, name), 0);
    size_t n = 0;
    git_oid id;
    while (git_revwalk_next(&id, w) == 0)
        n++;
    git_revwalk_free(w);
    git_repository_free(r);
    return n;
}

/* An ordinary commit made without the module, as a person would: the
 * given files on top of the branch's tree (or from nothing). */
static void plain_commit_modes(const char *repo, const char *const *paths,
                               const char *const *texts, const git_filemode_t *modes, size_t n)
{
    git_repository *r = open_repo(repo);
    git_tree_update u[8];
    assert_true(n <= N_OF(u));
    for (size_t i = 0; i < n; i++) {
        git_filemode_t mode = modes ? modes[i] : GIT_FILEMODE_BLOB;
        u[i] = (git_tree_update){GIT_TREE_UPDATE_UPSERT, {{0}}, mode, paths[i]};
        if (mode == GIT_FILEMODE_COMMIT) /* a submodule: texts[i] is its commit id */
            assert_int_equal(git_oid_fromstr(&u[i].id, texts[i]), 0);
        else
            assert_int_equal(
                git_blob_create_from_buffer(&u[i].id, r, texts[i], strlen(texts[i])), 0);
    }
    git_oid parent_id, tree_id, commit_id;
    git_commit *parent = NULL;
    git_tree *base = NULL, *tree = NULL;
    if (git_reference_name_to_id(&parent_id, r, "refs/heads/main") == 0) {
        assert_int_equal(git_commit_lookup(&parent, r, &parent_id), 0);
        assert_int_equal(git_commit_tree(&base, parent), 0);
    }
    assert_int_equal(git_tree_create_updated(&tree_id, r, base, n, u), 0);
    assert_int_equal(git_tree_lookup(&tree, r, &tree_id), 0);
    git_signature *sig = NULL;
    assert_int_equal(git_signature_new(&sig, "A Person", "person@example.org", 1600000000, 0), 0);
    const git_commit *parents[1] = {parent};
    assert_int_equal(git_commit_create(&commit_id, r, "refs/heads/main", sig, sig, NULL,
                                       "By hand\n", tree, parent ? 1 : 0, parents),
                     0);
    git_signature_free(sig);
    git_tree_free(tree);
    git_tree_free(base);
    git_commit_free(parent);
    git_repository_free(r);
}

static void plain_commit(const char *repo, const char *const *paths, const char *const *texts,
                         size_t n)
{
    plain_commit_modes(repo, paths, texts, NULL, n);
}

static bool have_git(void) { return system("git --version >/dev/null 2>&1") == 0; }

/* git's own consistency check, when git is installed. */
static void assert_fsck(const char *repo)
{
    if (!have_git())
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "git -C '%s' fsck --strict --no-progress >/dev/null 2>&1", repo);
    if (system(cmd) != 0)
        fail_msg("git fsck failed on %s", repo);
}

/* ---- tests ------------------------------------------------------------ */

static void test_first_commit(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("kustomization.yaml", "resources: [apps]\n"),
                          F("apps/a.yaml", "kind: A\n"), F("apps/b.yaml", "kind: B\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_int_equal(strlen(res.commit), 40);
    assert_string_equal(res.parent, "");
    ASSERT_PATHS(res.changes.added, res.changes.nadded, "apps/a.yaml", "apps/b.yaml",
                 "kustomization.yaml");
    assert_int_equal(res.changes.nchanged + res.changes.nremoved, 0);
    /* Paths only: contents are for gitout_compare. */
    assert_null(res.changes.added[0].new_data);

    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, res.commit);
    assert_blob(f->repo, "main:lab/apps/a.yaml", "kind: A\n");
    assert_blob(f->repo, "main:lab/kustomization.yaml", "resources: [apps]\n");
    assert_int_equal(count_commits(f->repo, "main"), 1);

    /* A created repository's HEAD names the branch, so a clone checks it
     * out; and the author is exactly the identity given. */
    git_repository *r = open_repo(f->repo);
    assert_true(git_repository_is_bare(r));
    git_reference *head = NULL;
    assert_int_equal(git_reference_lookup(&head, r, "HEAD"), 0);
    assert_string_equal(git_reference_symbolic_target(head), "refs/heads/main");
    git_reference_free(head);
    git_oid id;
    git_commit *c = NULL;
    assert_int_equal(git_oid_fromstr(&id, res.commit), 0);
    assert_int_equal(git_commit_lookup(&c, r, &id), 0);
    assert_string_equal(git_commit_author(c)->name, "CrownLabs CI");
    assert_string_equal(git_commit_committer(c)->email, "ci@crownlabs.example");
    assert_int_equal(git_commit_time(c), 1700000000);
    assert_int_equal(git_commit_time_offset(c), 60);
    assert_string_equal(git_commit_message(c), "Build the site\n");
    assert_int_equal(git_commit_parentcount(c), 0);
    git_commit_free(c);
    git_repository_free(r);
    gitout_result_free(&res);
    assert_fsck(f->repo);
}

static void test_same_input_twice_commits_once(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("a.yaml", "a: 1\n"), F("d/b.yaml", "b: 2\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);

    GitOutResult res;
    commit_expect(&req, GITOUT_UNCHANGED, &res);
    assert_string_equal(res.commit, first); /* the tip, unmoved */
    assert_string_equal(res.parent, first);
    assert_int_equal(res.changes.nadded + res.changes.nchanged + res.changes.nremoved, 0);
    gitout_result_free(&res);

    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, first);
    assert_int_equal(count_commits(f->repo, "main"), 1);

    /* The order the files come in does not matter. */
    GitOutFile reversed[] = {files[1], files[0]};
    req = request(f->repo, "lab", reversed, N_OF(reversed));
    commit_expect(&req, GITOUT_UNCHANGED, &res);
    gitout_result_free(&res);
}

static void test_change_one_file(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "a: 1\n"), F("d/b.yaml", "b: 1\n"), F("d/c.yaml", "c: 1\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);
    char a1[GITOUT_ID_SIZE], b1[GITOUT_ID_SIZE], c1[GITOUT_ID_SIZE];
    object_id(f->repo, "main:lab/a.yaml", a1);
    object_id(f->repo, "main:lab/d/b.yaml", b1);
    object_id(f->repo, "main:lab/d/c.yaml", c1);

    GitOutFile v2[] = {F("a.yaml", "a: 1\n"), F("d/b.yaml", "b: 2\n"), F("d/c.yaml", "c: 1\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_string_equal(res.parent, first);
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "d/b.yaml");
    assert_int_equal(res.changes.nadded + res.changes.nremoved, 0);
    gitout_result_free(&res);

    char a2[GITOUT_ID_SIZE], b2[GITOUT_ID_SIZE], c2[GITOUT_ID_SIZE];
    object_id(f->repo, "main:lab/a.yaml", a2);
    object_id(f->repo, "main:lab/d/b.yaml", b2);
    object_id(f->repo, "main:lab/d/c.yaml", c2);
    assert_string_equal(a1, a2);
    assert_string_not_equal(b1, b2);
    assert_string_equal(c1, c2);
    assert_blob(f->repo, "main:lab/d/b.yaml", "b: 2\n");
    assert_int_equal(count_commits(f->repo, "main"), 2);
    assert_fsck(f->repo);
}

static void test_remove_file(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "a\n"), F("gone/deep/b.yaml", "b\n"), F("keep/c.yaml", "c\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);

    GitOutFile v2[] = {F("a.yaml", "a\n"), F("keep/c.yaml", "c\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    ASSERT_PATHS(res.changes.removed, res.changes.nremoved, "gone/deep/b.yaml");
    assert_int_equal(res.changes.nadded + res.changes.nchanged, 0);
    gitout_result_free(&res);

    assert_false(has_object(f->repo, "main:lab/gone/deep/b.yaml"));
    assert_false(has_object(f->repo, "main:lab/gone")); /* no empty directory left */
    assert_blob(f->repo, "main:lab/keep/c.yaml", "c\n");
    /* Still in the previous commit, as history should be. */
    assert_blob(f->repo, "main~1:lab/gone/deep/b.yaml", "b\n");
    assert_fsck(f->repo);
}

static void test_added_changed_removed_together(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("b.yaml", "b\n"), F("c.yaml", "c\n"), F("x/y.yaml", "y\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);

    GitOutFile v2[] = {F("c.yaml", "c2\n"), F("x.yaml", "new\n"), F("a.yaml", "new\n"),
                       F("x/z.yaml", "z\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    ASSERT_PATHS(res.changes.added, res.changes.nadded, "a.yaml", "x.yaml", "x/z.yaml");
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "c.yaml");
    ASSERT_PATHS(res.changes.removed, res.changes.nremoved, "b.yaml", "x/y.yaml");
    gitout_result_free(&res);
}

static void test_compare_gives_contents(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("keep.yaml", "same\n"), F("old.yaml", "old\n"), F("mod.yaml", "v: 1\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);

    GitOutFile v2[] = {F("keep.yaml", "same\n"), F("mod.yaml", "v: 2\n"),
                       F("new.yaml", "fresh\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutChanges c;
    char err[256] = "";
    assert_int_equal(gitout_compare(&req, &c, err, sizeof err), GITOUT_OK);
    ASSERT_PATHS(c.added, c.nadded, "new.yaml");
    ASSERT_PATHS(c.changed, c.nchanged, "mod.yaml");
    ASSERT_PATHS(c.removed, c.nremoved, "old.yaml");
    assert_null(c.added[0].old_data);
    assert_string_equal(c.added[0].new_data, "fresh\n");
    assert_int_equal(c.changed[0].old_len, 5);
    assert_string_equal(c.changed[0].old_data, "v: 1\n");
    assert_string_equal(c.changed[0].new_data, "v: 2\n");
    assert_string_equal(c.removed[0].old_data, "old\n");
    assert_null(c.removed[0].new_data);
    gitout_changes_free(&c);
    assert_int_equal(c.nadded, 0);

    /* Read-only: neither the branch nor the object database changed. */
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, first);
    git_oid fresh;
    assert_int_equal(git_odb_hash(&fresh, "fresh\n", 6, GIT_OBJECT_BLOB), 0);
    git_repository *r = open_repo(f->repo);
    git_odb *odb = NULL;
    assert_int_equal(git_repository_odb(&odb, r), 0);
    assert_false(git_odb_exists(odb, &fresh));
    git_odb_free(odb);
    git_repository_free(r);

    /* The comparison is the one a commit then reports. */
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    ASSERT_PATHS(res.changes.added, res.changes.nadded, "new.yaml");
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "mod.yaml");
    ASSERT_PATHS(res.changes.removed, res.changes.nremoved, "old.yaml");
    gitout_result_free(&res);

    /* Nothing left to compare; an unborn branch makes everything added. */
    assert_int_equal(gitout_compare(&req, &c, err, sizeof err), GITOUT_OK);
    assert_int_equal(c.nadded + c.nchanged + c.nremoved, 0);
    gitout_changes_free(&c);
    req.branch = "review";
    assert_int_equal(gitout_compare(&req, &c, err, sizeof err), GITOUT_OK);
    assert_int_equal(c.nadded, 3);
    gitout_changes_free(&c);
}

static void test_compare_needs_a_repository(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("a.yaml", "a\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutChanges c;
    char err[256] = "";
    assert_int_equal(gitout_compare(&req, &c, err, sizeof err), GITOUT_ERROR);
    assert_non_null(strstr(err, "not a git repository"));
    assert_false(exists(f->repo)); /* and none was created */
    gitout_changes_free(&c);
}

static void test_two_prefixes(void **state)
{
    Fixture *f = *state;
    GitOutFile staging[] = {F("site.yaml", "env: staging\n")};
    GitOutFile production[] = {F("site.yaml", "env: production\n"), F("x/y.yaml", "y\n")};
    GitOutRequest s = request(f->repo, "staging", staging, N_OF(staging));
    GitOutRequest p = request(f->repo, "production", production, N_OF(production));
    char id[GITOUT_ID_SIZE];
    commit_ok(&s, id);
    commit_ok(&p, id);
    char prod_tree[GITOUT_ID_SIZE];
    object_id(f->repo, "main:production", prod_tree);

    /* Staging changes; production stays the very same tree. */
    GitOutFile staging2[] = {F("site.yaml", "env: staging\nreplicas: 2\n")};
    s = request(f->repo, "staging", staging2, N_OF(staging2));
    GitOutResult res;
    commit_expect(&s, GITOUT_OK, &res);
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "site.yaml");
    assert_int_equal(res.changes.nadded + res.changes.nremoved, 0);
    gitout_result_free(&res);
    char prod_tree2[GITOUT_ID_SIZE];
    object_id(f->repo, "main:production", prod_tree2);
    assert_string_equal(prod_tree, prod_tree2);
    assert_blob(f->repo, "main:staging/site.yaml", "env: staging\nreplicas: 2\n");
    assert_blob(f->repo, "main:production/x/y.yaml", "y\n");

    /* Production unchanged: no commit, even after staging moved. */
    commit_expect(&p, GITOUT_UNCHANGED, &res);
    gitout_result_free(&res);
    assert_int_equal(count_commits(f->repo, "main"), 3);
    assert_fsck(f->repo);
}

static void test_outside_paths_untouched(void **state)
{
    Fixture *f = *state;
    /* A person's commit in a non-bare repository, with files around and
     * inside the subtree; then a checked-out file that differs from it. */
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 0), 0);
    git_repository_free(r);
    const char *paths[] = {"README.md", "sites/notes.md", "sites/lab/stale.yaml",
                           "sites/labx/other.yaml"};
    const char *texts[] = {"# ops\n", "notes\n", "stale\n", "other\n"};
    plain_commit(f->repo, paths, texts, N_OF(paths));
    char before[GITOUT_ID_SIZE], readme[GITOUT_ID_SIZE], notes[GITOUT_ID_SIZE];
    char labx[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", before);
    object_id(f->repo, "main:README.md", readme);
    object_id(f->repo, "main:sites/notes.md", notes);
    object_id(f->repo, "main:sites/labx", labx);
    char worktree_file[256], index_file[256];
    snprintf(worktree_file, sizeof worktree_file, "%s/README.md", f->repo);
    snprintf(index_file, sizeof index_file, "%s/.git/index", f->repo);
    FILE *w = fopen(worktree_file, "w");
    assert_non_null(w);
    fputs("local edit\n", w);
    fclose(w);
    assert_false(exists(index_file));

    GitOutFile files[] = {F("kustomization.yaml", "k\n")};
    GitOutRequest req = request(f->repo, "sites/lab", files, N_OF(files));
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_string_equal(res.parent, before);
    ASSERT_PATHS(res.changes.added, res.changes.nadded, "kustomization.yaml");
    ASSERT_PATHS(res.changes.removed, res.changes.nremoved, "stale.yaml");
    gitout_result_free(&res);

    char id[GITOUT_ID_SIZE];
    object_id(f->repo, "main:README.md", id);
    assert_string_equal(id, readme);
    object_id(f->repo, "main:sites/notes.md", id);
    assert_string_equal(id, notes);
    object_id(f->repo, "main:sites/labx", id);
    assert_string_equal(id, labx);
    assert_false(has_object(f->repo, "main:sites/lab/stale.yaml"));
    assert_blob(f->repo, "main:sites/lab/kustomization.yaml", "k\n");

    /* The work tree and the index are not the module's. */
    FILE *rd = fopen(worktree_file, "r");
    char line[64] = "";
    assert_non_null(rd);
    assert_non_null(fgets(line, sizeof line, rd));
    fclose(rd);
    assert_string_equal(line, "local edit\n");
    assert_false(exists(index_file));
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sites", f->repo);
    assert_false(exists(sub));
    assert_fsck(f->repo);
}

static void test_prefix_over_a_file_is_refused(void **state)
{
    Fixture *f = *state;
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 1), 0);
    git_repository_free(r);
    const char *paths[] = {"lab", "sites"};
    const char *texts[] = {"a file\n", "another\n"};
    plain_commit(f->repo, paths, texts, N_OF(paths));
    char before[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", before);

    GitOutFile files[] = {F("a.yaml", "a\n")};
    const char *prefixes[] = {"lab", "sites/lab"};
    for (size_t i = 0; i < N_OF(prefixes); i++) {
        GitOutRequest req = request(f->repo, prefixes[i], files, N_OF(files));
        GitOutResult res;
        char err[256] = "";
        assert_int_equal(gitout_commit(&req, &WHO, "m", &res, err, sizeof err), GITOUT_ERROR);
        assert_non_null(strstr(err, "in the branch is not a directory"));
        gitout_result_free(&res);
    }
    char after[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", after);
    assert_string_equal(before, after);
}

static void test_other_kinds_of_entry(void **state)
{
    Fixture *f = *state;
    /* Someone committed an executable, a symbolic link and a submodule
     * into the subtree. The build's plain files replace them all. */
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 1), 0);
    git_repository_free(r);
    const char *first[] = {"README.md"};
    const char *first_text[] = {"# ops\n"};
    plain_commit(f->repo, first, first_text, 1);
    char sub_id[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", sub_id);
    const char *paths[] = {"lab/run.sh", "lab/link", "lab/vendor", "lab/same.yaml"};
    const char *texts[] = {"#!/bin/sh\n", "same.yaml", sub_id, "same\n"};
    const git_filemode_t modes[] = {GIT_FILEMODE_BLOB_EXECUTABLE, GIT_FILEMODE_LINK,
                                    GIT_FILEMODE_COMMIT, GIT_FILEMODE_BLOB};
    plain_commit_modes(f->repo, paths, texts, modes, N_OF(paths));

    GitOutFile files[] = {F("run.sh", "#!/bin/sh\n"), F("same.yaml", "same\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutChanges c;
    char err[256] = "";
    assert_int_equal(gitout_compare(&req, &c, err, sizeof err), GITOUT_OK);
    /* Same bytes, no longer executable: changed. */
    ASSERT_PATHS(c.changed, c.nchanged, "run.sh");
    assert_string_equal(c.changed[0].old_data, c.changed[0].new_data);
    ASSERT_PATHS(c.removed, c.nremoved, "link", "vendor");
    assert_string_equal(c.removed[0].old_data, "same.yaml"); /* a link's target */
    assert_null(c.removed[1].old_data);                      /* a submodule has no bytes */
    assert_int_equal(c.nadded, 0);
    gitout_changes_free(&c);

    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "run.sh");
    gitout_result_free(&res);
    r = open_repo(f->repo);
    git_object *o = NULL;
    assert_int_equal(git_revparse_single(&o, r, "main:lab"), 0);
    const git_tree_entry *e = git_tree_entry_byname((const git_tree *)o, "run.sh");
    assert_non_null(e);
    assert_int_equal(git_tree_entry_filemode(e), GIT_FILEMODE_BLOB);
    assert_int_equal(git_tree_entrycount((const git_tree *)o), 2);
    git_object_free(o);
    git_repository_free(r);
    assert_fsck(f->repo);
}

static void test_reproducible(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("z.yaml", "z\n"), F("a/b/c.yaml", "c\n"), F("a/b.yaml", "b\n"),
                          F("a.b", "dot\n")};
    char one[128], two[128], three[128];
    snprintf(one, sizeof one, "%s/one", f->dir);
    snprintf(two, sizeof two, "%s/two", f->dir);
    snprintf(three, sizeof three, "%s/three", f->dir);
    GitOutRequest req = request(one, "lab", files, N_OF(files));
    char id1[GITOUT_ID_SIZE], id2[GITOUT_ID_SIZE], id3[GITOUT_ID_SIZE];
    commit_ok(&req, id1);
    req.repo = two;
    req.create_bare = true; /* the kind of repository does not matter */
    commit_ok(&req, id2);
    assert_string_equal(id1, id2);

    /* A different time is a different commit over the same tree. */
    req.repo = three;
    GitOutIdentity later = WHO;
    later.time += 1;
    GitOutResult res;
    char err[256] = "";
    assert_int_equal(gitout_commit(&req, &later, "Build the site", &res, err, sizeof err),
                     GITOUT_OK);
    strcpy(id3, res.commit);
    gitout_result_free(&res);
    assert_string_not_equal(id1, id3);
    char t1[GITOUT_ID_SIZE], t3[GITOUT_ID_SIZE];
    object_id(one, "main^{tree}", t1);
    object_id(three, "main^{tree}", t3);
    assert_string_equal(t1, t3);

    /* A message without its final newline is the same message. */
    req.repo = two;
    GitOutFile more[] = {F("more.yaml", "m\n")};
    req.files = more;
    req.nfiles = 1;
    assert_int_equal(gitout_commit(&req, &WHO, "Next\n", &res, err, sizeof err), GITOUT_OK);
    strcpy(id2, res.commit);
    gitout_result_free(&res);
    req.repo = one;
    assert_int_equal(gitout_commit(&req, &WHO, "Next", &res, err, sizeof err), GITOUT_OK);
    assert_string_equal(res.commit, id2);
    gitout_result_free(&res);
}

/* Prepares files under "lab" in f->repo; requires success. */
static GitOutPlan *prepare_ok(const GitOutRequest *req)
{
    GitOutPlan *plan = NULL;
    char err[256] = "";
    GitOutStatus st = gitout_prepare(req, &plan, err, sizeof err);
    if (st != GITOUT_OK)
        fail_msg("prepare: %d: %s", st, err);
    return plan;
}

/* Another build, of another site, wins the race and moves the branch. */
static void other_build(const char *repo, char id[GITOUT_ID_SIZE])
{
    GitOutFile other[] = {F("o.yaml", "other\n")};
    GitOutRequest req = request(repo, "other", other, N_OF(other));
    commit_ok(&req, id);
}

static void test_branch_moved_while_building(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "1\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);

    GitOutFile v2[] = {F("a.yaml", "2\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutPlan *plan = prepare_ok(&req);
    assert_false(gitout_plan_unchanged(plan));
    ASSERT_PATHS(gitout_plan_changes(plan)->changed, gitout_plan_changes(plan)->nchanged,
                 "a.yaml");
    char winner[GITOUT_ID_SIZE];
    other_build(f->repo, winner);

    char commit[GITOUT_ID_SIZE] = "x";
    char err[256] = "";
    assert_int_equal(gitout_publish(plan, &WHO, "Build", commit, err, sizeof err),
                     GITOUT_MOVED);
    assert_string_equal(commit, "");
    assert_non_null(strstr(err, "the branch main moved while building; run again"));
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, winner); /* the other build's commit is kept */
    /* A plan is spent once published, whatever the outcome. */
    assert_int_equal(gitout_publish(plan, &WHO, "Build", commit, err, sizeof err),
                     GITOUT_INVALID);
    gitout_plan_free(plan);

    /* Running again builds on the winner, and keeps its work. */
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_string_equal(res.parent, winner);
    gitout_result_free(&res);
    assert_blob(f->repo, "main:other/o.yaml", "other\n");
    assert_blob(f->repo, "main:lab/a.yaml", "2\n");
    assert_int_equal(count_commits(f->repo, "main"), 3);
    assert_fsck(f->repo);
}

static void test_branch_created_while_building(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("a.yaml", "1\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutPlan *plan = prepare_ok(&req); /* creates the repository, branch unborn */
    char winner[GITOUT_ID_SIZE];
    other_build(f->repo, winner);

    char commit[GITOUT_ID_SIZE];
    char err[256] = "";
    assert_int_equal(gitout_publish(plan, &WHO, "Build", commit, err, sizeof err),
                     GITOUT_MOVED);
    assert_non_null(strstr(err, "moved while building"));
    gitout_plan_free(plan);
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, winner);
    assert_int_equal(count_commits(f->repo, "main"), 1);
}

static void test_branch_deleted_while_building(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "1\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);
    GitOutFile v2[] = {F("a.yaml", "2\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutPlan *plan = prepare_ok(&req);

    git_repository *r = open_repo(f->repo);
    git_reference *ref = NULL;
    assert_int_equal(git_reference_lookup(&ref, r, "refs/heads/main"), 0);
    assert_int_equal(git_reference_delete(ref), 0);
    git_reference_free(ref);
    git_repository_free(r);

    char commit[GITOUT_ID_SIZE];
    char err[256] = "";
    assert_int_equal(gitout_publish(plan, &WHO, "Build", commit, err, sizeof err),
                     GITOUT_MOVED);
    gitout_plan_free(plan);
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, ""); /* not recreated behind the deleter's back */
}

static void test_branch_locked(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "1\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);
    GitOutFile v2[] = {F("a.yaml", "2\n")};
    req = request(f->repo, "lab", v2, N_OF(v2));
    GitOutPlan *plan = prepare_ok(&req);

    /* Another writer is in the middle of moving the branch. */
    char lock[256];
    snprintf(lock, sizeof lock, "%s/refs/heads/main.lock", f->repo);
    FILE *l = fopen(lock, "w");
    assert_non_null(l);
    fclose(l);

    char commit[GITOUT_ID_SIZE];
    char err[512] = "";
    assert_int_equal(gitout_publish(plan, &WHO, "Build", commit, err, sizeof err),
                     GITOUT_MOVED);
    assert_non_null(strstr(err, "being updated by another process"));
    assert_non_null(strstr(err, "refs/heads/main.lock"));
    gitout_plan_free(plan);
    assert_true(exists(lock)); /* someone else's lock is not ours to remove */
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, first);
    assert_int_equal(unlink(lock), 0);
}

static void test_prepare_then_publish(void **state)
{
    Fixture *f = *state;
    GitOutFile files[] = {F("a.yaml", "1\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutPlan *plan = prepare_ok(&req);
    /* Preparing moves nothing. */
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, "");
    ASSERT_PATHS(gitout_plan_changes(plan)->added, gitout_plan_changes(plan)->nadded, "a.yaml");
    char commit[GITOUT_ID_SIZE];
    char err[256] = "";
    assert_int_equal(gitout_publish(plan, &WHO, "First", commit, err, sizeof err), GITOUT_OK);
    gitout_plan_free(plan);
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, commit);

    plan = prepare_ok(&req);
    assert_true(gitout_plan_unchanged(plan));
    char again[GITOUT_ID_SIZE];
    assert_int_equal(gitout_publish(plan, &WHO, "Again", again, err, sizeof err),
                     GITOUT_UNCHANGED);
    assert_string_equal(again, commit);
    gitout_plan_free(plan);
    gitout_plan_free(NULL);
}

static void test_invalid_paths(void **state)
{
    (void)state;
    const char *bad[] = {"../x", "/abs", "a//b", ".git/x", "", "a/", "a/../b", "x/..", ".",
                         "a/./b", "a/.GIT/config", "a\\b", "..\\x", "a\nb", "tab\there"};
    for (size_t i = 0; i < N_OF(bad); i++)
        if (!gitout_path_problem(bad[i]))
            fail_msg("\"%s\" was accepted", bad[i]);
    assert_non_null(gitout_path_problem(NULL));
    const char *good[] = {"a",     "a/b.yaml", ".gitignore",       "a/..b",
                          "...",   "x.git",    "bootstrap/README", "caf\xc3\xa9.yaml"};
    for (size_t i = 0; i < N_OF(good); i++)
        if (gitout_path_problem(good[i]))
            fail_msg("\"%s\" was refused: %s", good[i], gitout_path_problem(good[i]));
}

/* Requires gitout_commit to refuse req with GITOUT_INVALID, a reason that
 * mentions expect, and nothing created on disk. */
static void refused(const Fixture *f, const GitOutRequest *req, const GitOutIdentity *who,
                    const char *expect)
{
    GitOutResult res;
    char err[256] = "";
    GitOutStatus st = gitout_commit(req, who, "m", &res, err, sizeof err);
    if (st != GITOUT_INVALID)
        fail_msg("status %d, expected GITOUT_INVALID (%s)", st, expect);
    if (!strstr(err, expect))
        fail_msg("\"%s\" does not mention \"%s\"", err, expect);
    assert_null(strchr(err, '\n'));
    assert_string_equal(res.commit, "");
    gitout_result_free(&res);
    assert_false(exists(f->repo));
}

static void test_invalid_requests(void **state)
{
    Fixture *f = *state;
    GitOutFile ok[] = {F("a.yaml", "a\n")};
    const char *bad_files[] = {"../x", "/abs", "a//b", ".git/x", ""};
    for (size_t i = 0; i < N_OF(bad_files); i++) {
        GitOutFile files[] = {F("fine.yaml", "f\n"), {bad_files[i], "x", 1}};
        GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
        refused(f, &req, &WHO, "file '");
    }
    const char *bad_prefixes[] = {"../x", "/abs", "a//b", ".git", "", "lab/", "a/.git/b"};
    for (size_t i = 0; i < N_OF(bad_prefixes); i++) {
        GitOutRequest req = request(f->repo, bad_prefixes[i], ok, N_OF(ok));
        refused(f, &req, &WHO, "subtree prefix");
    }
    GitOutRequest req = request(f->repo, NULL, ok, N_OF(ok));
    refused(f, &req, &WHO, "subtree prefix");

    GitOutFile dup[] = {F("a.yaml", "1\n"), F("b.yaml", "2\n"), F("a.yaml", "3\n")};
    req = request(f->repo, "lab", dup, N_OF(dup));
    refused(f, &req, &WHO, "'a.yaml' is given twice");
    GitOutFile clash[] = {F("d", "file\n"), F("d-x/y", "y\n"), F("d/e/f", "f\n")};
    req = request(f->repo, "lab", clash, N_OF(clash));
    refused(f, &req, &WHO, "'d' is both a file and a directory");
    GitOutFile clash2[] = {F("d/e/f", "f\n"), F("d/e", "file\n")};
    req = request(f->repo, "lab", clash2, N_OF(clash2));
    refused(f, &req, &WHO, "'d/e' is both a file and a directory");
    req = request(f->repo, "lab", ok, 0);
    refused(f, &req, &WHO, "no files");

    const char *bad_branches[] = {"a..b", "x:y", "has space", "-dash", "end.lock", "", "HEAD"};
    for (size_t i = 0; i < N_OF(bad_branches); i++) {
        req = request(f->repo, "lab", ok, N_OF(ok));
        req.branch = bad_branches[i];
        refused(f, &req, &WHO, "not a valid branch name");
    }

    req = request(f->repo, "lab", ok, N_OF(ok));
    GitOutIdentity who = WHO;
    who.name = "Eve <eve@example.org>";
    refused(f, &req, &who, "identity");
    who = WHO;
    who.email = "";
    refused(f, &req, &who, "identity");
    who = WHO;
    who.name = "Two\nLines";
    refused(f, &req, &who, "identity");
    who = WHO;
    who.time = -1;
    refused(f, &req, &who, "before 1970");
    who = WHO;
    who.offset = 24 * 60;
    refused(f, &req, &who, "time zone");
    refused(f, &req, NULL, "identity");

    GitOutResult res;
    char err[256] = "";
    assert_int_equal(gitout_commit(&req, &WHO, "", &res, err, sizeof err), GITOUT_INVALID);
    assert_non_null(strstr(err, "message is empty"));
    assert_false(exists(f->repo));
}

static void test_refuses_a_directory_that_is_not_a_repository(void **state)
{
    Fixture *f = *state;
    assert_int_equal(mkdir(f->repo, 0700), 0);
    char precious[256];
    snprintf(precious, sizeof precious, "%s/precious.txt", f->repo);
    FILE *p = fopen(precious, "w");
    assert_non_null(p);
    fclose(p);

    GitOutFile files[] = {F("a.yaml", "a\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutResult res;
    char err[256] = "";
    assert_int_equal(gitout_commit(&req, &WHO, "m", &res, err, sizeof err), GITOUT_ERROR);
    assert_non_null(strstr(err, "not a git repository"));
    gitout_result_free(&res);
    char dotgit[256];
    snprintf(dotgit, sizeof dotgit, "%s/HEAD", f->repo);
    assert_false(exists(dotgit));

    /* An empty directory is fine: it becomes the repository. */
    assert_int_equal(unlink(precious), 0);
    char id[GITOUT_ID_SIZE];
    commit_ok(&req, id);
    assert_true(exists(dotgit));
}

static void test_never_an_enclosing_repository(void **state)
{
    Fixture *f = *state;
    /* f->repo is a repository; f->repo/sub is an empty directory in its
     * work tree, which must become a repository of its own, not a way to
     * commit into the enclosing one. */
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 0), 0);
    git_repository_free(r);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/sub", f->repo);
    assert_int_equal(mkdir(sub, 0700), 0);
    GitOutFile files[] = {F("a.yaml", "a\n")};
    GitOutRequest req = request(sub, "lab", files, N_OF(files));
    char id[GITOUT_ID_SIZE];
    commit_ok(&req, id);
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, "");
    branch_id(sub, "main", tip);
    assert_string_equal(tip, id);
}

static void test_bare_repository(void **state)
{
    Fixture *f = *state;
    GitOutFile v1[] = {F("a.yaml", "a\n"), F("b/c.yaml", "c\n")};
    GitOutRequest req = request(f->repo, "lab", v1, N_OF(v1));
    req.create_bare = true;
    req.branch = "deploy";
    char first[GITOUT_ID_SIZE];
    commit_ok(&req, first);
    git_repository *r = open_repo(f->repo);
    assert_true(git_repository_is_bare(r));
    git_repository_free(r);
    assert_blob(f->repo, "deploy:lab/b/c.yaml", "c\n");

    GitOutFile v2[] = {F("a.yaml", "a2\n")};
    req.files = v2;
    req.nfiles = 1;
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_string_equal(res.parent, first);
    ASSERT_PATHS(res.changes.changed, res.changes.nchanged, "a.yaml");
    ASSERT_PATHS(res.changes.removed, res.changes.nremoved, "b/c.yaml");
    gitout_result_free(&res);
    commit_expect(&req, GITOUT_UNCHANGED, &res);
    gitout_result_free(&res);
    assert_int_equal(count_commits(f->repo, "deploy"), 2);
    char main_tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", main_tip);
    assert_string_equal(main_tip, "");
    assert_fsck(f->repo);
}

/* Like git's receive.denyCurrentBranch: the branch a work tree has
 * checked out is refused, born or not, and nothing is written; another
 * branch of the same repository is fine. */
static void test_checked_out_branch_refused(void **state)
{
    Fixture *f = *state;
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 0), 0);
    assert_int_equal(git_repository_set_head(r, "refs/heads/main"), 0);
    git_repository_free(r);
    GitOutFile files[] = {F("a.yaml", "a\n")};
    GitOutRequest req = request(f->repo, "lab", files, N_OF(files));
    GitOutResult res;
    char err[512] = "";
    assert_int_equal(gitout_commit(&req, &WHO, "Build", &res, err, sizeof err), GITOUT_INVALID);
    assert_non_null(strstr(err, "checked out"));
    assert_non_null(strstr(err, "bare"));
    char tip[GITOUT_ID_SIZE];
    branch_id(f->repo, "main", tip);
    assert_string_equal(tip, "");
    req.branch = "deploy";
    char id[GITOUT_ID_SIZE];
    commit_ok(&req, id);
    branch_id(f->repo, "deploy", tip);
    assert_string_equal(tip, id);
    assert_fsck(f->repo);
}

static void test_many_files_and_binary_data(void **state)
{
    Fixture *f = *state;
    enum { N = 300 };
    static char paths[N][32];
    static unsigned char data[N][4];
    GitOutFile files[N];
    for (size_t i = 0; i < N; i++) {
        /* Spread over nested directories, in no particular order. */
        size_t k = (i * 7919) % N;
        snprintf(paths[i], sizeof paths[i], "d%zu/e%zu/f%zu.bin", k % 7, k % 3, k);
        data[i][0] = 0;
        data[i][1] = (unsigned char)k;
        data[i][2] = (unsigned char)(k >> 8);
        data[i][3] = 0xff;
        files[i] = (GitOutFile){paths[i], data[i], 4};
    }
    GitOutRequest req = request(f->repo, "lab", files, N);
    GitOutResult res;
    commit_expect(&req, GITOUT_OK, &res);
    assert_int_equal(res.changes.nadded, N);
    for (size_t i = 1; i < N; i++)
        assert_true(strcmp(res.changes.added[i - 1].path, res.changes.added[i].path) < 0);
    gitout_result_free(&res);
    commit_expect(&req, GITOUT_UNCHANGED, &res);
    gitout_result_free(&res);
    assert_fsck(f->repo);
}

/* The path this test program was run as: test_concurrent_builds runs
 * copies of it as separate processes, like concurrent CI jobs. */
static const char *self_path;

/* One process of test_concurrent_builds (`test_git_out --race REPO K`):
 * five builds of its own site, each run again until it wins the race.
 * Returns the exit status. */
static int racer(const char *repo, int k)
{
    char prefix[16], text[16];
    snprintf(prefix, sizeof prefix, "site%d", k);
    for (int j = 0; j < 5; j++) {
        snprintf(text, sizeof text, "v%d\n", j);
        GitOutFile files[] = {{"f.yaml", text, strlen(text)}};
        GitOutRequest req = request(repo, prefix, files, 1);
        GitOutStatus st = GITOUT_MOVED;
        char err[512] = "";
        for (int attempt = 0; st == GITOUT_MOVED && attempt < 500; attempt++) {
            GitOutResult res;
            st = gitout_commit(&req, &WHO, "Build", &res, err, sizeof err);
            gitout_result_free(&res);
        }
        if (st != GITOUT_OK) {
            fprintf(stderr, "racer %d: %s\n", k, err);
            return 1;
        }
    }
    return 0;
}

static void test_concurrent_builds(void **state)
{
    Fixture *f = *state;
    /* The repository exists first: creating it is not what races here. */
    git_repository *r = NULL;
    assert_int_equal(git_repository_init(&r, f->repo, 1), 0);
    git_repository_free(r);
    enum { RACERS = 4 };
    pid_t pids[RACERS];
    for (int k = 0; k < RACERS; k++) {
        char num[8];
        snprintf(num, sizeof num, "%d", k);
        pids[k] = fork();
        if (pids[k] == 0) {
            execl(self_path, self_path, "--race", f->repo, num, (char *)NULL);
            _exit(127);
        }
    }
    /* Wait for every one before judging, so none outlives the fixture. */
    int failed = 0;
    for (int k = 0; k < RACERS; k++) {
        int status = 0;
        if (pids[k] < 0 || waitpid(pids[k], &status, 0) != pids[k] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            failed++;
    }
    assert_int_equal(failed, 0);
    /* Every build that reported a commit is in the history: none lost. */
    assert_int_equal(count_commits(f->repo, "main"), RACERS * 5);
    for (int k = 0; k < RACERS; k++) {
        char spec[64];
        snprintf(spec, sizeof spec, "main:site%d/f.yaml", k);
        assert_blob(f->repo, spec, "v4\n");
    }
    assert_fsck(f->repo);
}

static int group_setup(void **state)
{
    (void)state;
    return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
    (void)state;
    git_libgit2_shutdown();
    return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--race") == 0)
        return racer(argv[2], atoi(argv[3]));
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        T(test_first_commit),
        T(test_same_input_twice_commits_once),
        T(test_change_one_file),
        T(test_remove_file),
        T(test_added_changed_removed_together),
        T(test_compare_gives_contents),
        T(test_compare_needs_a_repository),
        T(test_two_prefixes),
        T(test_outside_paths_untouched),
        T(test_prefix_over_a_file_is_refused),
        T(test_other_kinds_of_entry),
        T(test_reproducible),
        T(test_branch_moved_while_building),
        T(test_branch_created_while_building),
        T(test_branch_deleted_while_building),
        T(test_branch_locked),
        T(test_prepare_then_publish),
        T(test_invalid_paths),
        T(test_invalid_requests),
        T(test_refuses_a_directory_that_is_not_a_repository),
        T(test_never_an_enclosing_repository),
        T(test_bare_repository),
        T(test_checked_out_branch_refused),
        T(test_many_files_and_binary_data),
        T(test_concurrent_builds),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
