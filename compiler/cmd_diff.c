/* cmd_diff.c — `crownc diff`: what `crownc build --repo` would change in
 * the site's subtree of a branch, file by file, with unified diffs of the
 * changed files. For review before a build, and for CI: the exit status
 * says whether anything would change.
 *
 * The tree is built by the same steps as build (site_build.h) and
 * compared with gitout_compare, which reads the repository and writes
 * nothing, not even objects. */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "git_out.h"
#include "prev_tree.h"
#include "site_build.h"
#include "udiff.h"

/* The statuses of diff: like `diff` and `git diff --exit-code`. */
enum { DIFF_SAME = EXIT_OK, DIFF_CHANGES = 1 };

typedef struct DiffOptions {
    const char *site, *stdlib, *repo, *branch, *engine;
    const char *master_key, *secrets;
    const char *color; /* the last --color value, NULL when none was given */
} DiffOptions;

static const char usage[] = "usage: crownc diff SITE --repo PATH [--branch B] [--engine E] "
                            "[--master-key FILE] [--secrets FILE] [--stdlib DIR] "
                            "[--format=human|json] [--color=WHEN]";

/* ---- options ---- */

/* The shared parser sets o->render.color, but "auto" there looks at
 * standard error; the diff goes to standard output, so remember what was
 * asked for and decide later (diff_color). */
static int render_option(CliOptions *o, int argc, char **argv, int *i, DiffOptions *d)
{
    const char *arg = argv[*i];
    int r = cli_render_option(o, argc, argv, i);
    if (r > 0 && strncmp(arg, "--color", 7) == 0)
        d->color = arg[7] == '=' ? arg + 8 : argv[*i];
    return r;
}

static int parse_one(CliOptions *o, int argc, char **argv, int *i, DiffOptions *d)
{
    int r = cli_stdlib_option(&d->stdlib, argc, argv, i);
    if (r == 0)
        r = cli_value_option("--repo", &d->repo, argc, argv, i);
    if (r == 0)
        r = cli_value_option("--branch", &d->branch, argc, argv, i);
    if (r == 0)
        r = cli_engine_option(&d->engine, argc, argv, i);
    if (r == 0)
        r = cli_value_option("--master-key", &d->master_key, argc, argv, i);
    if (r == 0)
        r = cli_value_option("--secrets", &d->secrets, argc, argv, i);
    if (r == 0)
        r = cli_limit_option(o, argc, argv, i);
    if (r == 0 && argv[*i][0] == '-')
        r = render_option(o, argc, argv, i, d);
    if (r == 0 && argv[*i][0] != '-' && !d->site) {
        d->site = argv[*i];
        r = 1;
    }
    return r;
}

static int parse(CliOptions *o, int argc, char **argv, DiffOptions *d)
{
    for (int i = 0; i < argc; i++) {
        int r = parse_one(o, argc, argv, &i, d);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0) {
            cli_error("diff: %s", usage);
            return EXIT_USAGE;
        }
    }
    if (!d->site || !d->repo) {
        cli_error("diff: %s", usage);
        return EXIT_USAGE;
    }
    if (o->render.format == FORMAT_GITHUB) {
        cli_error("diff: --format is human or json");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static bool diff_color(const CliOptions *o, const DiffOptions *d)
{
    if (d->color && strcmp(d->color, "always") == 0)
        return true;
    if (d->color && strcmp(d->color, "never") == 0)
        return false;
    return o->render.color && isatty(STDOUT_FILENO);
}

/* ---- what the branch holds ---- */

/* Where the comparison starts from, for the note that explains why every
 * file would be added. */
typedef enum Baseline { BASE_BRANCH, BASE_NO_BRANCH, BASE_NO_REPO } Baseline;

/* gitout_compare treats an unborn branch as empty without saying so; this
 * tells the two cases apart for the note. Read-only. */
static bool branch_exists(const char *repo, const char *branch)
{
    if (git_libgit2_init() < 0)
        return true;
    StrBuf ref;
    sb_init(&ref);
    sb_printf(&ref, "refs/heads/%s", branch ? branch : "main");
    git_repository *r = NULL;
    git_reference *found = NULL;
    bool yes = git_repository_open_ext(&r, repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
               git_reference_lookup(&found, r, ref.data) == 0;
    git_reference_free(found);
    git_repository_free(r);
    sb_free(&ref);
    git_libgit2_shutdown();
    return yes;
}

/* Every file of the tree as added (paths only), for a repository that
 * build would create. */
static void all_added(const Tree *t, GitOutChanges *c)
{
    c->added = calloc(t->len ? t->len : 1, sizeof *c->added);
    if (!c->added)
        abort();
    for (size_t i = 0; i < t->len; i++) {
        c->added[i].path = strdup(t->files[i].path);
        if (!c->added[i].path)
            abort();
    }
    c->nadded = t->len;
}

static bool compare(const DiffOptions *d, const Tree *t, GitOutChanges *c, Baseline *base,
                    char *err, size_t errlen)
{
    GitOutFile *files = calloc(t->len ? t->len : 1, sizeof *files);
    if (!files)
        abort();
    for (size_t i = 0; i < t->len; i++)
        files[i] = (GitOutFile){t->files[i].path, t->files[i].data, t->files[i].len};
    GitOutRequest req = {d->repo, false, d->branch, t->prefix, files, t->len};
    GitOutStatus st = gitout_compare(&req, c, err, errlen);
    *base = BASE_BRANCH;
    /* A bad branch name or path is GITOUT_INVALID, checked before the
     * repository is opened: only "cannot open" falls through here. */
    if (st == GITOUT_ERROR && gitout_repo_creatable(d->repo)) {
        all_added(t, c);
        *base = BASE_NO_REPO;
        st = GITOUT_OK;
    } else if (st == GITOUT_OK && !branch_exists(d->repo, d->branch)) {
        *base = BASE_NO_BRANCH;
    }
    free(files);
    return st == GITOUT_OK;
}

/* ---- printing ---- */

#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"

/* The unified diff of one changed file, "a/PREFIX/PATH" to "b/...", as
 * git names them so that `git apply` can take the output. */
static void file_diff(StrBuf *out, const char *prefix, const GitOutChange *c, bool color)
{
    StrBuf a, b;
    sb_init(&a);
    sb_init(&b);
    sb_printf(&a, "a/%s/%s", prefix, c->path);
    sb_printf(&b, "b/%s/%s", prefix, c->path);
    /* No old content: the branch holds something that is not a file
     * there (a submodule); compare with nothing. */
    const char *old = c->old_data ? c->old_data : "";
    size_t old_len = c->old_data ? c->old_len : 0;
    const char *new_ = c->new_data ? c->new_data : "";
    size_t new_len = c->new_data ? c->new_len : 0;
    if (memchr(old, '\0', old_len) || memchr(new_, '\0', new_len)) {
        sb_printf(out, "Binary files %s and %s differ\n", a.data, b.data);
    } else {
        UdiffText from = {a.data, old, old_len}, to = {b.data, new_, new_len};
        udiff(out, &from, &to, &(UdiffOptions){3, color});
    }
    sb_free(&a);
    sb_free(&b);
}

static void path_line(StrBuf *out, const char *what, const char *path, const char *color)
{
    if (color)
        sb_printf(out, "%s%s %s%s\n", color, what, path, C_RESET);
    else
        sb_printf(out, "%s %s\n", what, path);
}

/* Which of the three sorted lists holds the next path in byte order. */
static int next_list(const GitOutChanges *c, const size_t at[3])
{
    const GitOutChange *lists[3] = {c->added, c->changed, c->removed};
    const size_t lens[3] = {c->nadded, c->nchanged, c->nremoved};
    int best = -1;
    for (int k = 0; k < 3; k++)
        if (at[k] < lens[k] &&
            (best < 0 || strcmp(lists[k][at[k]].path, lists[best][at[best]].path) < 0))
            best = k;
    return best;
}

/* Every path in byte order, whichever way it changes: the output reads
 * like the tree. */
static void print_human(StrBuf *out, const char *prefix, const GitOutChanges *c, bool color)
{
    size_t at[3] = {0, 0, 0};
    for (int k; (k = next_list(c, at)) >= 0; at[k]++) {
        if (k == 0) {
            path_line(out, "added", c->added[at[0]].path, color ? C_GREEN : NULL);
        } else if (k == 1) {
            path_line(out, "changed", c->changed[at[1]].path, NULL);
            file_diff(out, prefix, &c->changed[at[1]], color);
        } else {
            path_line(out, "removed", c->removed[at[2]].path, color ? C_RED : NULL);
        }
    }
}

static void json_paths(StrBuf *out, const GitOutChange *c, size_t n)
{
    sb_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        sb_puts(out, i ? ", " : "");
        json_string(out, c[i].path, strlen(c[i].path));
    }
    sb_putc(out, ']');
}

static void print_json(StrBuf *out, const Tree *t, const GitOutChanges *c)
{
    sb_puts(out, "{\"site\": ");
    json_string(out, t->site, strlen(t->site));
    sb_puts(out, ", \"prefix\": ");
    json_string(out, t->prefix, strlen(t->prefix));
    sb_puts(out, ", \"added\": ");
    json_paths(out, c->added, c->nadded);
    sb_puts(out, ", \"changed\": [");
    StrBuf d;
    sb_init(&d);
    for (size_t i = 0; i < c->nchanged; i++) {
        sb_reset(&d);
        file_diff(&d, t->prefix, &c->changed[i], false);
        sb_puts(out, i ? ", {\"path\": " : "{\"path\": ");
        json_string(out, c->changed[i].path, strlen(c->changed[i].path));
        sb_puts(out, ", \"diff\": ");
        json_string(out, d.data ? d.data : "", d.len);
        sb_putc(out, '}');
    }
    sb_free(&d);
    sb_puts(out, "], \"removed\": ");
    json_paths(out, c->removed, c->nremoved);
    sb_puts(out, "}\n");
}

static void print_note(const DiffOptions *d, const Tree *t, Baseline base)
{
    if (base == BASE_NO_REPO)
        fprintf(stderr, "crownc: %s: %s is not a repository yet: every file would be added\n",
                t->site, d->repo);
    else if (base == BASE_NO_BRANCH)
        fprintf(stderr, "crownc: %s: branch %s does not exist in %s: every file would be added\n",
                t->site, d->branch ? d->branch : "main", d->repo);
}

static void print_summary(const Tree *t, const GitOutChanges *c)
{
    if (c->nadded + c->nchanged + c->nremoved == 0)
        fprintf(stderr, "crownc: %s: no changes\n", t->site);
    else
        fprintf(stderr, "crownc: %s: %zu added, %zu changed, %zu removed\n", t->site, c->nadded,
                c->nchanged, c->nremoved);
}

/* Warnings of a site that checked clean. In JSON, standard output holds
 * the diff alone, so they go to standard error in the human form. */
static void print_warnings(const CliOptions *o, DiagList *diags)
{
    if (diags->len == 0)
        return;
    CliOptions human = *o;
    human.render.format = FORMAT_HUMAN;
    cli_print_diags(&human, diags);
}

/* ---- the command ---- */

static int diff_tree(const CliOptions *o, const DiffOptions *d, SiteBuild *sb)
{
    print_warnings(o, &sb->diags);
    GitOutChanges c;
    Baseline base;
    char err[512];
    if (!compare(d, &sb->tree, &c, &base, err, sizeof err)) {
        cli_error("diff: %s", err);
        gitout_changes_free(&c);
        return EXIT_USAGE;
    }
    StrBuf out;
    sb_init(&out);
    if (o->render.format == FORMAT_JSON)
        print_json(&out, &sb->tree, &c);
    else
        print_human(&out, sb->tree.prefix, &c, diff_color(o, d));
    print_note(d, &sb->tree, base);
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    fflush(stdout);
    print_summary(&sb->tree, &c);
    int status = c.nadded + c.nchanged + c.nremoved ? DIFF_CHANGES : DIFF_SAME;
    sb_free(&out);
    gitout_changes_free(&c);
    return status;
}

int cmd_diff(CliOptions *o, int argc, char **argv)
{
    DiffOptions d = {0};
    int status = parse(o, argc, argv, &d);
    if (status != EXIT_OK)
        return status;
    SiteBuild sb;
    char err[512];
    PrevTree prev;
    if (!prev_tree_git(&prev, d.repo, d.branch, err, sizeof err)) {
        cli_error("diff: %s", err);
        return EXIT_USAGE;
    }
    SiteOptions so = {d.stdlib, d.engine, d.master_key, d.secrets, &prev.api, &o->limits};
    SiteBuildStatus built = site_build(&sb, d.site, &so, err, sizeof err);
    if (built == SITE_BUILT) {
        status = diff_tree(o, &d, &sb);
    } else {
        /* Status 1 means "would change", so a site that cannot be built
         * is an error of its own kind (2), not a diagnostics status. */
        cli_print_diags(o, &sb.diags);
        if (built == SITE_UNREADABLE)
            cli_error("%s", err);
        else
            fprintf(stderr, "crownc: %s: %zu error%s: a site with errors cannot be diffed\n",
                    d.site, sb.diags.errors, sb.diags.errors == 1 ? "" : "s");
        status = EXIT_USAGE;
    }
    prev_tree_free(&prev);
    site_build_free(&sb);
    return status;
}
