#define _XOPEN_SOURCE 700 /* realpath */

#include "program.h"

#include "component.h"
#include "refs.h"
#include "secrets.h"
#include "typecheck.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_IMPORT_DEPTH = 64 };

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Messages name library files relative to the working directory when
 * they are below it ("stdlib/checks/network.crown"), which is shorter and
 * the same on every machine that runs from a checkout. */
static char *relative_to_cwd(const char *real)
{
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) {
        size_t n = strlen(cwd);
        if (strncmp(real, cwd, n) == 0 && real[n] == '/')
            return strdup(real + n + 1);
    }
    return strdup(real);
}

static const char *const stdlib_tries[] = {"/../stdlib", "/../share/crownc/stdlib"};

/* The directory of the running executable, or false. */
static bool exe_dir(char exe[PATH_MAX])
{
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* Where program_default_stdlib looks, for the message that it is not
 * there: an installed binary without its library says where to put it. */
static void stdlib_places(char *out, size_t n)
{
    char exe[PATH_MAX];
    if (!exe_dir(exe)) {
        snprintf(out, n, "next to the executable (which cannot be located)");
        return;
    }
    snprintf(out, n, "%s%s or %s%s", exe, stdlib_tries[0], exe, stdlib_tries[1]);
}

char *program_default_stdlib(void)
{
    char exe[PATH_MAX];
    if (!exe_dir(exe))
        return NULL;
    const char *const *tries = stdlib_tries;
    for (size_t i = 0; i < 2; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s%s", exe, tries[i]);
        char real[PATH_MAX];
        if (is_dir(path) && realpath(path, real))
            return relative_to_cwd(real);
    }
    return NULL;
}

/* ---- units ---- */

static Unit *add_unit(Program *p, const char *path, char *err, size_t errlen)
{
    if (p->nunits == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        Unit *u = realloc(p->units, cap * sizeof *u);
        if (!u)
            abort();
        p->units = u;
        p->cap = cap;
    }
    Unit *u = &p->units[p->nunits];
    if (unit_load(path, (unsigned)p->nunits, &p->ar, p->diags, u, err, errlen) != UNIT_OK)
        return NULL;
    p->nunits++;
    return u;
}

/* ---- the site and its imports ---- */

typedef struct Loading {
    char **real;   /* resolved paths of the site files loaded so far */
    size_t len;
    char *stack[MAX_IMPORT_DEPTH];
    size_t depth;
} Loading;

static bool load_file(Program *p, Loading *l, const char *shown, const char *real, char *err,
                      size_t errlen);

static void import(Program *p, Loading *l, const Unit *from, const Node *imp)
{
    const char *rel = decl_plain_string(&p->ar, imp->a);
    if (!rel || !*rel || rel[0] == '/') {
        diag_error(p->diags, "E0230", imp->a->span, "an import names a file relative to this "
                   "one, as a plain string");
        return;
    }
    char *shown = source_join(from->src->path, rel);
    char real[PATH_MAX];
    if (!realpath(shown, real)) {
        diag_error(p->diags, "E0230", imp->a->span, "cannot import %s: %s", shown,
                   strerror(errno));
        free(shown);
        return;
    }
    size_t n = strlen(p->site_dir);
    if (strncmp(real, p->site_dir, n) != 0 || real[n] != '/') {
        Diag *d = diag_error(p->diags, "E0230", imp->a->span, "%s is outside the site's "
                             "directory", shown);
        /* No absolute path in the hint, so that messages are the same in
         * every checkout. */
        diag_set_hint(d, "a site imports only files in the directory of its site file and "
                         "below");
        free(shown);
        return;
    }
    for (size_t i = 0; i < l->depth; i++) {
        if (strcmp(l->stack[i], real) == 0) {
            Diag *d = diag_error(p->diags, "E0230", imp->span, "importing %s makes a cycle",
                                 shown);
            diag_set_hint(d, "two files cannot import each other; move what both need into a "
                             "third file");
            free(shown);
            return;
        }
    }
    if (l->depth == MAX_IMPORT_DEPTH) {
        diag_error(p->diags, "E0230", imp->span, "imports nested deeper than %d files",
                   MAX_IMPORT_DEPTH);
        free(shown);
        return;
    }
    char err[512];
    if (!load_file(p, l, shown, real, err, sizeof err))
        diag_error(p->diags, "E0230", imp->a->span, "%s", err);
    free(shown);
}

static bool load_file(Program *p, Loading *l, const char *shown, const char *real, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->real[i], real) == 0)
            return true; /* imported twice: one copy */
    char **r = realloc(l->real, (l->len + 1) * sizeof *r);
    if (!r)
        abort();
    l->real = r;
    l->real[l->len++] = strdup(real);
    size_t index = p->nunits;
    if (!add_unit(p, shown, err, errlen))
        return false;
    l->stack[l->depth++] = l->real[l->len - 1];
    const NodeList *items = &p->units[index].parsed.root->list;
    for (uint32_t i = 0; i < items->len; i++)
        if (items->at[i]->kind == N_IMPORT)
            import(p, l, &p->units[index], items->at[i]);
    l->depth--;
    return true;
}

static bool load_site(Program *p, const char *path, char *err, size_t errlen)
{
    char *shown;
    if (is_dir(path)) {
        size_t n = strlen(path);
        shown = malloc(n + 16);
        if (!shown)
            abort();
        snprintf(shown, n + 16, "%s%ssite.crown", path, path[n - 1] == '/' ? "" : "/");
    } else {
        shown = strdup(path);
    }
    char real[PATH_MAX];
    if (!realpath(shown, real)) {
        snprintf(err, errlen, "%s: %s", shown, strerror(errno));
        free(shown);
        return false;
    }
    char *slash = strrchr(real, '/');
    p->site_dir = strndup(real, (size_t)(slash - real));
    if (!p->site_dir[0]) {
        free(p->site_dir);
        p->site_dir = strdup("/");
    }
    Loading l = {0};
    bool ok = load_file(p, &l, shown, real, err, errlen);
    for (size_t i = 0; i < l.len; i++)
        free(l.real[i]);
    free(l.real);
    free(shown);
    p->nsite = p->nunits;
    return ok;
}

/* ---- the standard library ---- */

typedef struct Paths {
    char **at;
    size_t len, cap;
} Paths;

static void list_crown(const char *dir, Paths *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (!path)
            abort();
        snprintf(path, n, "%s/%s", dir, e->d_name);
        size_t len = strlen(e->d_name);
        if (is_dir(path)) {
            list_crown(path, out, depth + 1);
            free(path);
        } else if (len > 6 && strcmp(e->d_name + len - 6, ".crown") == 0) {
            if (out->len == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 32;
                char **p = realloc(out->at, out->cap * sizeof *p);
                if (!p)
                    abort();
                out->at = p;
            }
            out->at[out->len++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_stdlib(Program *p, const char *dir, char *err, size_t errlen)
{
    if (!dir || !is_dir(dir)) {
        char places[2 * PATH_MAX + 64];
        if (dir)
            snprintf(places, sizeof places, "%s", dir);
        else
            stdlib_places(places, sizeof places);
        snprintf(err, errlen, "the standard library is not at %s (use --stdlib DIR, or "
                 "`make install`, which puts it beside the binary)", places);
        return false;
    }
    char real[PATH_MAX];
    if (realpath(dir, real))
        p->stdlib_dir = strdup(real);
    Paths paths = {0};
    list_crown(dir, &paths, 0);
    /* A fixed order makes every build, and every message, the same. */
    qsort(paths.at, paths.len, sizeof *paths.at, by_name);
    bool ok = true;
    for (size_t i = 0; i < paths.len; i++) {
        if (ok && !add_unit(p, paths.at[i], err, errlen))
            ok = false;
        free(paths.at[i]);
    }
    free(paths.at);
    return ok;
}

bool program_load(Program *p, const char *path, const char *stdlib_dir, DiagList *diags,
                  char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->limits = eval_limits_default();
    arena_init(&p->ar);
    p->diags = diags;
    return load_site(p, path, err, errlen) && load_stdlib(p, stdlib_dir, err, errlen);
}

/* ---- checking ---- */

static bool stdlib_items_ok(Program *p)
{
    bool ok = true;
    for (size_t u = p->nsite; u < p->nunits; u++) {
        const NodeList *items = &p->units[u].parsed.root->list;
        for (uint32_t i = 0; i < items->len; i++) {
            const Node *it = items->at[i];
            if (it->kind == N_LET || (it->kind == N_BLOCK && decl_is_keyword(it->name.s)))
                continue;
            Diag *d = diag_error(p->diags, "E0231", it->span, "the standard library holds "
                                 "declarations and `let`s only");
            diag_set_hint(d, "blocks that describe a site belong in the site's files");
            ok = false;
        }
    }
    return ok;
}

static NodeList site_items(Program *p)
{
    NodeList out = {0};
    for (size_t u = 0; u < p->nsite; u++) {
        const NodeList *items = &p->units[u].parsed.root->list;
        for (uint32_t i = 0; i < items->len; i++) {
            const Node *it = items->at[i];
            if (it->kind == N_IMPORT || (it->kind == N_BLOCK && decl_is_keyword(it->name.s)))
                continue;
            nl_push(&p->ar, &out, (Node *)it);
        }
    }
    return out;
}

/* The library's top-level `let`s. They are evaluated in ev->late_scope,
 * which eval_root links to the root's fields, so that a library `let` may
 * read `courses` or `people` like a check does. */
static Env *globals(Program *p)
{
    Env *g = env_new(&p->ev, NULL);
    p->ev.late_scope = env_new(&p->ev, g);
    for (size_t u = p->nsite; u < p->nunits; u++) {
        const NodeList *items = &p->units[u].parsed.root->list;
        for (uint32_t i = 0; i < items->len; i++) {
            const Node *it = items->at[i];
            if (it->kind != N_LET)
                continue;
            if (env_find_local(g, it->name.s)) {
                diag_error(p->diags, "E0101", it->span, "`%s` is defined twice in the standard "
                           "library", it->name.s);
                continue;
            }
            env_bind_lazy(&p->ev, g, it->name.s, it->a, p->ev.late_scope, NULL);
        }
    }
    return g;
}

bool program_in_library(const Program *p, Span at)
{
    return at.src && at.src->id >= p->nsite && at.src->id < p->nunits;
}

void program_check(Program *p)
{
    if (p->diags->errors || !stdlib_items_ok(p))
        return;
    for (size_t u = 0; u < p->nunits; u++)
        decl_collect(&p->decls, &p->ar, &p->units[u].parsed.root->list, p->diags);
    decl_resolve(&p->decls, &p->ar, p->diags);
    if (p->diags->errors)
        return;
    const Decl *root = decl_find(&p->decls, "root");
    if (!root || root->kind != D_SCHEMA) {
        /* The fault is the library's: point at its first file, not at the
         * site (the site's own file only when the library has none). */
        const Unit *lib = p->nunits > p->nsite ? &p->units[p->nsite] : &p->units[0];
        Diag *d = diag_error(p->diags, "E0232", source_span(lib->src, 0, 0),
                             "the standard library declares no `schema root`");
        diag_set_hint(d, "its fields are what a site holds at the top level; check that "
                         "--stdlib names the library's directory");
        return;
    }
    NodeList lets = {0};
    for (size_t u = p->nsite; u < p->nunits; u++) {
        const NodeList *items = &p->units[u].parsed.root->list;
        for (uint32_t i = 0; i < items->len; i++)
            if (items->at[i]->kind == N_LET)
                nl_push(&p->ar, &lets, items->at[i]);
    }
    /* A library that does not type-check would report its own bugs as
     * the site's: its checks are not run then, the site's values still are.
     * A mistake in a check of the site's own stops only that check. */
    size_t first = p->diags->len;
    typecheck_decls(&p->decls, root, &lets, &p->ar, p->diags);
    bool library_ok = true;
    for (size_t i = first; i < p->diags->len; i++)
        library_ok = library_ok && !program_in_library(p, p->diags->items[i].primary.span);
    Eval *ev = &p->ev;
    ev->ar = &p->ar;
    ev->diags = p->diags;
    ev->decls = &p->decls;
    ev->site_dir = p->site_dir;
    ev->stdlib_dir = p->stdlib_dir;
    ev->next_source_id = (unsigned)p->nunits;
    ev->nsite = (unsigned)p->nsite;
    ev->limits = p->limits;
    char base;
    eval_stack_guard(ev, &base);
    ev->globals = globals(p);
    NodeList items = site_items(p);
    Span at = source_span(p->units[0].src, 0, 0);
    p->root = eval_root(ev, root, &items, ev->globals, at);
    if (p->root && !ev->stopped)
        checks_run(p, ev->root_env, library_ok);
    /* Components read the whole model: on a site with errors they would
     * only repeat them. */
    if (p->root && !p->diags->errors) {
        p->components = components_eval(p);
        secrets_plan(p);
        components_check_unique(p);
        if (!p->diags->errors)
            components_place(p);
        refs_check(p);
    }
    /* Past a limit every evaluation fails: what the passes said of that
     * is noise around the one diagnostic that matters. */
    if (ev->stopped)
        diag_truncate(p->diags, ev->stop_diag);
}

bool program_load_stdlib(Program *p, const char *stdlib_dir, DiagList *diags, char *err,
                         size_t errlen)
{
    memset(p, 0, sizeof *p);
    arena_init(&p->ar);
    p->diags = diags;
    if (!load_stdlib(p, stdlib_dir, err, errlen))
        return false;
    /* Same gate as program_check: a library that does not parse, or holds
     * more than declarations, would give a partial and misleading table. */
    if (diags->errors || !stdlib_items_ok(p))
        return true;
    for (size_t u = 0; u < p->nunits; u++)
        decl_collect(&p->decls, &p->ar, &p->units[u].parsed.root->list, p->diags);
    decl_resolve(&p->decls, &p->ar, p->diags);
    return true;
}

void program_free(Program *p)
{
    for (size_t i = 0; i < p->nunits; i++)
        unit_free(&p->units[i]);
    free(p->units);
    for (size_t i = 0; i < p->ev.ndata; i++)
        source_free(p->ev.data[i].src);
    free(p->ev.data);
    regex_cache_free(&p->ev.regexes);
    free(p->site_dir);
    free(p->stdlib_dir);
    secrets_plan_free(p->secrets);
    arena_free(&p->ar);
}
