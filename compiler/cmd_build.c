/* cmd_build.c — `crownc build`: check a site, render its tree, and write
 * it to a directory or commit it to a branch of a git repository.
 *
 * Nothing is written unless the site checks without errors. The commit is
 * reproducible: its author, committer and date come from options or
 * SOURCE_DATE_EPOCH, never from the clock or the git configuration. */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rebuild.h"
#include "git_out.h"
#include "prev_tree.h"
#include "site_build.h"
#include "tree.h"

typedef struct BuildOptions {
    const char *site, *stdlib, *out, *repo, *branch;
    const char *master_key, *secrets; /* --master-key FILE, --secrets FILE */
    const char *author;   /* "Name <email>" */
    const char *date;     /* seconds since the epoch */
    const char *engine;   /* flux or argocd instead of the site's choice */
} BuildOptions;

static const char usage[] =
    "usage: crownc build SITE (--out DIR | --repo PATH [--branch B]) "
    "[--engine flux|argocd] [--master-key FILE] [--secrets FILE] [--author \"NAME <EMAIL>\"] "
    "[--date EPOCH] [--stdlib DIR]";

static int parse(CliOptions *o, int argc, char **argv, BuildOptions *b)
{
    static const char *const names[] = {"--out",  "--repo",       "--branch", "--author",
                                        "--date", "--master-key", "--secrets"};
    for (int i = 0; i < argc; i++) {
        const char **slots[] = {&b->out,  &b->repo,       &b->branch, &b->author,
                                &b->date, &b->master_key, &b->secrets};
        int r = cli_stdlib_option(&b->stdlib, argc, argv, &i);
        if (r == 0)
            r = cli_engine_option(&b->engine, argc, argv, &i);
        for (size_t k = 0; r == 0 && k < 7; k++)
            r = cli_value_option(names[k], slots[k], argc, argv, &i);
        if (r == 0 && argv[i][0] == '-')
            r = cli_limit_option(o, argc, argv, &i);
        if (r == 0 && argv[i][0] == '-')
            r = cli_render_option(o, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (argv[i][0] == '-' || b->site) {
            cli_error("build: %s", usage);
            return EXIT_USAGE;
        }
        b->site = argv[i];
    }
    if (!b->site || (!b->out) == (!b->repo)) {
        cli_error("build: %s", usage);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- identity ---- */

static bool identity(const BuildOptions *b, GitOutIdentity *who, char **name, char **email)
{
    const char *a = b->author ? b->author : "crownc <crownc@localhost>";
    const char *lt = strchr(a, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (!lt || !gt || lt == a || gt[1] != '\0') {
        cli_error("build: --author is \"NAME <EMAIL>\", not '%s'", a);
        return false;
    }
    size_t nl = (size_t)(lt - a);
    while (nl && a[nl - 1] == ' ')
        nl--;
    *name = strndup(a, nl);
    *email = strndup(lt + 1, (size_t)(gt - lt - 1));
    const char *date = b->date ? b->date : getenv("SOURCE_DATE_EPOCH");
    if (!date) {
        cli_error("build: a commit needs a date: give --date EPOCH or set SOURCE_DATE_EPOCH "
                  "(the same date gives the same commit)");
        return false;
    }
    char *end;
    errno = 0;
    long long t = strtoll(date, &end, 10);
    if (!*date || *end || errno || t < 0) {
        cli_error("build: '%s' is not a date in seconds since the epoch", date);
        return false;
    }
    char err[256];
    if (gitout_check_time((int64_t)t, err, sizeof err) != GITOUT_OK) {
        cli_error("build: %s %s: %s", b->date ? "--date" : "SOURCE_DATE_EPOCH", date, err);
        return false;
    }
    *who = (GitOutIdentity){*name, *email, (int64_t)t, 0};
    return true;
}

/* ---- the commit message ---- */

/* A digest of every file the build read, in load order: two commits from
 * the same sources carry the same trailer. */
static void sources_digest(const Program *p, char hex[65])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        abort();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    for (size_t i = 0; i < p->nunits; i++)
        EVP_DigestUpdate(md, p->units[i].src->text, p->units[i].src->len);
    for (size_t i = 0; i < p->ev.ndata; i++)
        EVP_DigestUpdate(md, p->ev.data[i].src->text, p->ev.data[i].src->len);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(md, out, &n);
    EVP_MD_CTX_free(md);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", out[i]);
    hex[64] = '\0';
}

static void list_paths(StrBuf *m, const char *what, const GitOutChange *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(m, "%s %s\n", what, c[i].path);
}

static char *message(const SiteBuild *sb, const char *engine, const GitOutChanges *c)
{
    const Program *p = &sb->program;
    const Tree *t = &sb->tree;
    const char *cert = sb->cert;
    char hex[65];
    sources_digest(p, hex);
    StrBuf m;
    sb_init(&m);
    sb_printf(&m, "%s: %zu added, %zu changed, %zu removed\n\n", t->site, c->nadded, c->nchanged,
              c->nremoved);
    list_paths(&m, "added  ", c->added, c->nadded);
    list_paths(&m, "changed", c->changed, c->nchanged);
    list_paths(&m, "removed", c->removed, c->nremoved);
    sb_printf(&m, "\nCrownc-Version: %s\nSources-Digest: sha256:%s\n", CROWNC_VERSION, hex);
    /* What lets the next build into this branch stop early (rebuild.h). */
    rebuild_trailers(sb, engine, &m);
    /* Which controller can open the tree's secrets. */
    if (*cert)
        sb_printf(&m, "Sealed-To: sha256:%s\n", cert);
    return sb_take(&m);
}

/* ---- the two destinations ---- */

static int to_repo(const BuildOptions *b, const SiteBuild *sb, const GitOutIdentity *who)
{
    const Tree *t = &sb->tree;
    GitOutFile *files = calloc(t->len ? t->len : 1, sizeof *files);
    if (!files)
        abort();
    for (size_t i = 0; i < t->len; i++)
        files[i] = (GitOutFile){t->files[i].path, t->files[i].data, t->files[i].len};
    GitOutRequest req = {b->repo, true, b->branch, t->prefix, files, t->len};
    GitOutPlan *plan = NULL;
    char err[512];
    int status = EXIT_OK;
    GitOutStatus st = gitout_prepare(&req, &plan, err, sizeof err);
    if (st == GITOUT_OK && gitout_plan_unchanged(plan)) {
        fprintf(stderr, "crownc: %s: unchanged, no commit\n", t->site);
    } else if (st == GITOUT_OK) {
        char *msg = message(sb, b->engine, gitout_plan_changes(plan));
        char commit[GITOUT_ID_SIZE];
        st = gitout_publish(plan, who, msg, commit, err, sizeof err);
        if (st == GITOUT_OK)
            fprintf(stderr, "crownc: %s: committed %s (%.*s)\n", t->site, commit,
                    (int)strcspn(msg, "\n"), msg);
        free(msg);
    }
    if (st != GITOUT_OK && st != GITOUT_UNCHANGED) {
        cli_error("build: %s", err);
        status = EXIT_USAGE;
    }
    gitout_plan_free(plan);
    free(files);
    return status;
}

static int to_dir(const BuildOptions *b, const Tree *t)
{
    char err[512];
    if (!tree_write_dir(t, b->out, err, sizeof err)) {
        cli_error("build: %s", err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "crownc: %s: wrote %zu files to %s/%s\n", t->site, t->len, b->out, t->prefix);
    return EXIT_OK;
}

static void sealing_note(const SiteBuild *sb)
{
    if (sb->reused + sb->sealed)
        fprintf(stderr, "crownc: %s: secret values: %zu sealed, %zu kept from the previous "
                "tree\n", sb->tree.site, sb->sealed, sb->reused);
}

int cmd_build(CliOptions *o, int argc, char **argv)
{
    BuildOptions b = {0};
    int status = parse(o, argc, argv, &b);
    if (status != EXIT_OK)
        return status;
    SiteBuild sb;
    char err[512];
    PrevTree prev;
    /* The commit's identity and date are options: wrong ones are usage
     * errors before any work. */
    GitOutIdentity who = {0};
    char *name = NULL, *email = NULL;
    if (b.repo && !identity(&b, &who, &name, &email)) {
        free(name);
        free(email);
        return EXIT_USAGE;
    }
    if (b.repo) {
        if (!prev_tree_git(&prev, b.repo, b.branch, err, sizeof err)) {
            cli_error("build: %s", err);
            free(name);
            free(email);
            return EXIT_USAGE;
        }
    } else {
        prev_tree_dir(&prev, b.out);
    }
    SiteOptions so = {b.stdlib, b.engine, b.master_key, b.secrets, &prev.api, &o->limits};
    char tip[GITOUT_ID_SIZE], site[256];
    if (b.repo && rebuild_unchanged(b.site, &so, prev.git, tip, site, sizeof site)) {
        fprintf(stderr, "crownc: %s: inputs as for %.12s, unchanged, no commit\n", site, tip);
        prev_tree_free(&prev);
        free(name);
        free(email);
        return EXIT_OK;
    }
    SiteBuildStatus built = site_build(&sb, b.site, &so, err, sizeof err);
    if (built == SITE_UNREADABLE) {
        cli_print_diags(o, &sb.diags);
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else {
        if (built == SITE_BUILT) {
            sealing_note(&sb);
            status = b.repo ? to_repo(&b, &sb, &who) : to_dir(&b, &sb.tree);
        } else {
            status = EXIT_DIAG;
        }
        cli_print_diags(o, &sb.diags);
        if (status == EXIT_DIAG)
            fprintf(stderr, "crownc: %s: %zu error%s: nothing was written\n", b.site,
                    sb.diags.errors, sb.diags.errors == 1 ? "" : "s");
    }
    prev_tree_free(&prev);
    site_build_free(&sb);
    free(name);
    free(email);
    return status;
}
