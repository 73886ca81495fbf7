/* test_git_pack.c — packs written by git_pack.c: read back by libgit2 and
 * verified by `git verify-pack` (when git is installed), object sizes
 * that need one to four header bytes, an empty blob, the same objects
 * packed twice (one pack, nothing else left), and a directory that does
 * not exist. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "git_pack.h"
#include "tmpdir.h"

typedef struct Fixture {
    char dir[64];
    char packs[128];
    git_repository *repo;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/crownc-pack-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    git_libgit2_init();
    assert_int_equal(git_repository_init(&f->repo, f->dir, 1), 0);
    snprintf(f->packs, sizeof f->packs, "%s/objects/pack", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    git_repository_free(f->repo);
    git_libgit2_shutdown();
    remove_tree(f->dir);
    free(f);
    return 0;
}

static size_t count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0, sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l >= sl && strcmp(e->d_name + l - sl, suffix) == 0)
            n++;
    }
    closedir(d);
    return n;
}

static GitPackObject object(git_object_t type, const void *data, size_t len)
{
    GitPackObject o = {.type = type, .data = data, .len = len};
    assert_int_equal(git_odb_hash(&o.id, data, len, type), 0);
    return o;
}

/* Blobs of 0, 15, 16, 2047, 2048 and 300,000 bytes, a tree of two of them
 * and a commit of the tree. */
typedef struct Set {
    char *big;
    char tree[256];
    char commit[512];
    GitPackObject objs[8];
    size_t n;
} Set;

static void make_set(Set *s)
{
    static const size_t sizes[] = {0, 15, 16, 2047, 2048, 300000};
    s->big = malloc(300000);
    assert_non_null(s->big);
    for (size_t i = 0; i < 300000; i++)
        s->big[i] = (char)(i * 7919 % 251);
    s->n = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        s->objs[s->n++] = object(GIT_OBJECT_BLOB, s->big, sizes[i]);
    /* a tree: "100644 a\0<id>" "100644 b\0<id>" */
    size_t t = 0;
    memcpy(s->tree + t, "100644 a", 9);
    t += 9;
    memcpy(s->tree + t, s->objs[1].id.id, 20);
    t += 20;
    memcpy(s->tree + t, "100644 b", 9);
    t += 9;
    memcpy(s->tree + t, s->objs[5].id.id, 20);
    t += 20;
    s->objs[s->n++] = object(GIT_OBJECT_TREE, s->tree, t);
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &s->objs[s->n - 1].id);
    int c = snprintf(s->commit, sizeof s->commit,
                     "tree %s\nauthor a <a@b> 1700000000 +0000\n"
                     "committer a <a@b> 1700000000 +0000\n\nm\n",
                     hex);
    s->objs[s->n++] = object(GIT_OBJECT_COMMIT, s->commit, (size_t)c);
}

static void test_read_back(void **state)
{
    Fixture *f = *state;
    Set s;
    make_set(&s);
    char err[256] = "";
    assert_true(gitpack_write(f->packs, s.objs, s.n, err, sizeof err));
    assert_int_equal(count_files(f->packs, ".pack"), 1);
    assert_int_equal(count_files(f->packs, ".idx"), 1);
    assert_int_equal(count_files(f->packs, "XXXXXX"), 0);
    git_odb *odb = NULL;
    assert_int_equal(git_repository_odb(&odb, f->repo), 0);
    assert_int_equal(git_odb_refresh(odb), 0);
    for (size_t i = 0; i < s.n; i++) {
        git_odb_object *o = NULL;
        assert_int_equal(git_odb_read(&o, odb, &s.objs[i].id), 0);
        assert_int_equal(git_odb_object_type(o), s.objs[i].type);
        assert_int_equal(git_odb_object_size(o), s.objs[i].len);
        assert_memory_equal(git_odb_object_data(o), s.objs[i].len ? s.objs[i].data : "",
                            s.objs[i].len);
        git_odb_object_free(o);
    }
    git_odb_free(odb);
    if (system("git --version >/dev/null 2>&1") == 0) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "git --git-dir=%s verify-pack %s/*.idx >/dev/null 2>&1",
                 f->dir, f->packs);
        assert_int_equal(system(cmd), 0);
        snprintf(cmd, sizeof cmd, "git --git-dir=%s fsck --strict >/dev/null 2>&1", f->dir);
        assert_int_equal(system(cmd), 0);
    }
    free(s.big);
}

static void test_same_objects_twice(void **state)
{
    Fixture *f = *state;
    Set s;
    make_set(&s);
    char err[256] = "";
    assert_true(gitpack_write(f->packs, s.objs, s.n, err, sizeof err));
    assert_true(gitpack_write(f->packs, s.objs, s.n, err, sizeof err));
    assert_int_equal(count_files(f->packs, ".pack"), 1);
    assert_int_equal(count_files(f->packs, ".idx"), 1);
    DIR *d = opendir(f->packs);
    struct dirent *e;
    size_t others = 0;
    while ((e = readdir(d)))
        others += strncmp(e->d_name, "pack-", 5) != 0 && e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(others, 0);
    free(s.big);
}

static void test_missing_directory(void **state)
{
    Fixture *f = *state;
    Set s;
    make_set(&s);
    char err[256] = "", dir[256];
    snprintf(dir, sizeof dir, "%s/no/such", f->dir);
    assert_false(gitpack_write(dir, s.objs, s.n, err, sizeof err));
    assert_non_null(strstr(err, "cannot write a pack in"));
    free(s.big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_objects_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
