/* test_secrets.c — the secrets stage end to end, against the committed
 * golden trees and the test keys of tests/keys:
 *
 *   - every SealedSecret of golden/ENGINE/SITE opens, with the test
 *     sealing key, under its scope's label, to the value the plan gives
 *     for it (text, derived from the test master key, or supplied); it
 *     names the site's certificate, has a fingerprint line per value, and
 *     the tree has exactly one sealedsecret-*.yaml per planned Secret;
 *   - a plain Secret never reaches the tree (E0707);
 *   - the secrets file: mode, shape and names, reasons that never quote a
 *     value, and the environment overriding it;
 *   - a previous SealedSecret: what it gives to reuse, and when nothing;
 *   - zero churn: building a site with its golden tree as the previous
 *     tree reuses every value and gives the golden tree byte for byte,
 *     with the release random source; without it every value is sealed
 *     anew and only the ciphertexts change.
 *
 * Run from the repository root (tests/run.sh does). The supplied secrets
 * (CROWN_SECRET_*) and the master key (CROWNC_MASTER_KEY) are put into the
 * environment from tests/keys when the tests start. The standard library
 * is the repository's stdlib/: the default one is looked for next to the
 * executable, which for build/tests/test_secrets is build/stdlib. */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp */
#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <yaml.h>

#include "component.h"
#include "decl.h"
#include "derive.h"
#include "prev_tree.h"
#include "seal.h"
#include "sealed_prev.h"
#include "secret_inputs.h"
#include "secrets.h"
#include "site_build.h"
#include "strbuf.h"
#include "tree.h"
#include "value.h"

#define STDLIB "stdlib"
#define KEYS "tests/keys"

static char tmpdir[256];
static DeriveMaster master;
static SealKey *sealing_key;

/* ---- files ---------------------------------------------------------- */

/* The whole file, NUL-terminated, or NULL. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    StrBuf b;
    sb_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_putn(&b, chunk, n);
    fclose(f);
    if (!b.data)
        sb_puts(&b, "");
    *len = b.len;
    return sb_take(&b);
}

static char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

/* Regular files below a directory: all of them, and the SealedSecrets. */
static size_t nftw_files, nftw_sealed;

static int count_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    if (flag == FTW_F) {
        const char *base = path + ftw->base;
        size_t n = strlen(base);
        nftw_files++;
        nftw_sealed += strncmp(base, "sealedsecret-", 13) == 0 && n > 5 &&
                       strcmp(base + n - 5, ".yaml") == 0;
    }
    return 0;
}

static void count_files(const char *dir, size_t *files, size_t *sealed)
{
    nftw_files = nftw_sealed = 0;
    assert_int_equal(nftw(dir, count_entry, 16, FTW_PHYS), 0);
    *files = nftw_files;
    *sealed = nftw_sealed;
}

/* The subdirectories of dir not starting with '.', sorted. */
static size_t list_dirs(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        assert_non_null(names);
        names[n] = strdup(e->d_name);
        assert_non_null(names[n++]);
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    *out = names;
    return n;
}

static void free_list(char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

/* ---- sites ---------------------------------------------------------- */

static void print_diags(const DiagList *l)
{
    for (size_t i = 0; i < l->len; i++) {
        const Diag *d = &l->items[i];
        print_error("%s %s %s:%u:%u %s\n", d->severity == SEV_ERROR ? "error" : "warning",
                    d->code, d->primary.span.src ? d->primary.span.src->path : "?",
                    span_pos(&d->primary.span).line, span_pos(&d->primary.span).col, d->message);
    }
}

static size_t count_code(const DiagList *l, const char *code, Severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++)
        n += strcmp(l->items[i].code, code) == 0 && l->items[i].severity == sev;
    return n;
}

/* site_check of sites/SITE: no error (the lab warns of its storage's
 * limits, tests/sites/lab.warnings), with a plan. */
static void check_site(SiteBuild *sb, const char *site)
{
    char path[256], err[512] = "";
    snprintf(path, sizeof path, "sites/%s", site);
    SiteOptions o = {STDLIB, NULL, NULL, NULL, NULL, NULL};
    SiteBuildStatus st = site_check(sb, path, &o, err, sizeof err);
    size_t errors = 0;
    for (size_t i = 0; i < sb->diags.len; i++)
        errors += sb->diags.items[i].severity == SEV_ERROR;
    if (st != SITE_BUILT || errors) {
        print_error("site_check %s: status %d, %s\n", path, (int)st, err);
        print_diags(&sb->diags);
        fail();
    }
    assert_non_null(sb->program.secrets);
}

static size_t count_values(const SecretPlan *pl)
{
    size_t n = 0;
    for (size_t i = 0; i < pl->nobjects; i++)
        n += pl->objects[i].nentries;
    return n;
}

/* What an entry must open to: malloc'ed (derive_free), *len bytes. */
static char *expected_plain(const SiteBuild *sb, const SecretEntry *e, size_t *len)
{
    if (e->text) {
        char *t = malloc(e->text->u.str.len + 1);
        assert_non_null(t);
        memcpy(t, e->text->u.str.s, e->text->u.str.len);
        t[e->text->u.str.len] = '\0';
        *len = e->text->u.str.len;
        return t;
    }
    assert_non_null(e->ref);
    char err[512] = "";
    char *v = secrets_value(sb->program.secrets, e->ident, e->public_half, &master, &sb->inputs,
                            err, sizeof err);
    if (!v) {
        print_error("secrets_value %s: %s\n", e->key, err);
        fail();
    }
    *len = strlen(v);
    return v;
}

/* The site's certificate, "sha256:HEX". */
static void cert_of(const SecretPlan *pl, char out[7 + SEAL_FINGERPRINT_SIZE])
{
    size_t len = 0;
    char *pem = read_all(pl->cert_path, &len);
    assert_non_null(pem);
    SealCert *c = NULL;
    char err[512] = "";
    if (seal_cert_load(pem, len, (int64_t)time(NULL), &c, err, sizeof err) != SEAL_OK) {
        print_error("%s: %s\n", pl->cert_path, err);
        fail();
    }
    snprintf(out, 7 + SEAL_FINGERPRINT_SIZE, "sha256:%s", seal_cert_fingerprint(c));
    seal_cert_free(c);
    free(pem);
}

/* ---- YAML ------------------------------------------------------------- */

static yaml_node_t *yget(yaml_document_t *d, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(d, p->value);
    }
    return NULL;
}

static const char *yscalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void assert_scalar(yaml_node_t *n, const char *want, const char *file, const char *what)
{
    const char *got = yscalar(n);
    if (!got || strcmp(got, want) != 0) {
        print_error("%s: %s is \"%s\", want \"%s\"\n", file, what, got ? got : "(none)", want);
        fail();
    }
}

static bool is_hex64(const char *s, size_t n)
{
    if (n != 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* The fingerprint line "KEY HEX" of key in the annotation's text. */
static bool has_hmac_line(const char *lines, const char *key)
{
    size_t klen = strlen(key);
    for (const char *l = lines; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (len > klen + 1 && strncmp(l, key, klen) == 0 && l[klen] == ' ' &&
            is_hex64(l + klen + 1, len - klen - 1))
            return true;
        l += len + (nl ? 1 : 0);
    }
    return false;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* ---- golden SealedSecrets ----------------------------------------------- */

/* Opens blob under o's label and compares it with the entry's value. */
static void assert_opens_to(const SiteBuild *sb, const SecretObject *o, const SecretEntry *e,
                            const char *blob, const char *file)
{
    char err[512] = "";
    StrBuf label;
    sb_init(&label);
    assert_int_equal(seal_label(o->scope, o->ns, o->name, &label, err, sizeof err), SEAL_OK);
    SealPlain plain = {0};
    SealStatus st = unseal_value(sealing_key, label.data, label.len, blob, strlen(blob), &plain,
                                 err, sizeof err);
    sb_free(&label);
    if (st != SEAL_OK) {
        print_error("%s: %s does not open: %s\n", file, e->key, err);
        fail();
    }
    size_t wlen = 0;
    char *want = expected_plain(sb, e, &wlen);
    bool same = plain.len == wlen && memcmp(plain.data, want, wlen) == 0;
    if (!same)
        print_error("%s: %s opens to %zu bytes that are not its value (%zu bytes)\n", file,
                    e->key, plain.len, wlen);
    derive_free(want);
    seal_plain_free(&plain);
    assert_true(same);
}

/* Checks the golden file of one planned Secret; returns its values. */
static size_t check_golden_object(const SiteBuild *sb, const SecretObject *o, const char *dir,
                                  const char *cert)
{
    char file[1024];
    snprintf(file, sizeof file, "%s/%s", dir, o->m->path);
    size_t len = 0;
    char *text = read_all(file, &len);
    if (!text) {
        print_error("%s: missing\n", file);
        fail();
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    assert_true(yaml_parser_load(&parser, &doc));
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    assert_non_null(root);
    assert_scalar(yget(&doc, root, "apiVersion"), "bitnami.com/v1alpha1", file, "apiVersion");
    assert_scalar(yget(&doc, root, "kind"), "SealedSecret", file, "kind");
    yaml_node_t *meta = yget(&doc, root, "metadata");
    assert_scalar(yget(&doc, meta, "name"), o->name, file, "metadata.name");
    assert_scalar(yget(&doc, meta, "namespace"), o->ns, file, "metadata.namespace");
    yaml_node_t *ann = yget(&doc, meta, "annotations");
    assert_scalar(yget(&doc, ann, SECRETS_ANNOTATION_CERT), cert, file, "sealed-to");
    const char *hmacs = yscalar(yget(&doc, ann, SECRETS_ANNOTATION_HMAC));
    assert_non_null(hmacs);
    yaml_node_t *enc = yget(&doc, yget(&doc, root, "spec"), "encryptedData");
    assert_non_null(enc);
    assert_int_equal(enc->type, YAML_MAPPING_NODE);
    size_t nenc = (size_t)(enc->data.mapping.pairs.top - enc->data.mapping.pairs.start);
    assert_int_equal(nenc, o->nentries);
    assert_int_equal(count_lines(hmacs), o->nentries);
    for (yaml_node_pair_t *p = enc->data.mapping.pairs.start; p < enc->data.mapping.pairs.top;
         p++) {
        const char *k = yscalar(yaml_document_get_node(&doc, p->key));
        assert_non_null(k);
        if (!has_hmac_line(hmacs, k)) {
            print_error("%s: no fingerprint line for %s\n", file, k);
            fail();
        }
    }
    for (size_t i = 0; i < o->nentries; i++) {
        const SecretEntry *e = &o->entries[i];
        const char *blob = yscalar(yget(&doc, enc, e->key));
        if (!blob) {
            print_error("%s: no encryptedData.%s\n", file, e->key);
            fail();
        }
        assert_opens_to(sb, o, e, blob, file);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(text);
    return o->nentries;
}

static void golden_site(const char *site, char **engines, size_t nengines, size_t *nobjects)
{
    SiteBuild sb;
    check_site(&sb, site);
    const SecretPlan *pl = sb.program.secrets;
    char cert[7 + SEAL_FINGERPRINT_SIZE];
    if (pl->nobjects)
        cert_of(pl, cert);
    for (size_t k = 0; k < nengines; k++) {
        char dir[512];
        snprintf(dir, sizeof dir, "golden/%s/%s", engines[k], site);
        size_t values = 0;
        for (size_t i = 0; i < pl->nobjects; i++)
            values += check_golden_object(&sb, &pl->objects[i], dir, cert);
        size_t files = 0, sealed = 0;
        count_files(dir, &files, &sealed);
        if (sealed != pl->nobjects)
            print_error("%s: %zu sealedsecret-*.yaml files for %zu planned Secrets\n", dir,
                        sealed, pl->nobjects);
        assert_int_equal(sealed, pl->nobjects);
        printf("  %s: %zu SealedSecrets, %zu values opened\n", dir, pl->nobjects, values);
    }
    *nobjects = pl->nobjects;
    site_build_free(&sb);
}

static void test_golden_sealed_secrets_open(void **state)
{
    (void)state;
    char **sites = NULL, **engines = NULL;
    size_t nsites = list_dirs("sites", &sites), nengines = list_dirs("golden", &engines);
    assert_true(nsites >= 3);
    assert_true(nengines >= 2);
    bool lab = false, polito = false;
    for (size_t i = 0; i < nsites; i++) {
        size_t n = 0;
        golden_site(sites[i], engines, nengines, &n);
        if (strcmp(sites[i], "lab") == 0) {
            lab = true;
            assert_true(n >= 1);
        } else if (strcmp(sites[i], "polito") == 0) {
            polito = true;
            assert_true(n >= 5);
        }
    }
    assert_true(lab && polito);
    free_list(sites, nsites);
    free_list(engines, nengines);
}

/* ---- E0707 ---------------------------------------------------------------- */

/* Whether a tree file (not NUL-terminated) holds s. */
static bool contains(const TreeFile *f, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; n && i + n <= f->len; i++)
        if (memcmp(f->data + i, s, n) == 0)
            return true;
    return false;
}

static void test_plain_secret_never_written(void **state)
{
    (void)state;
    SiteBuild sb;
    check_site(&sb, "department");
    const SecretPlan *pl = sb.program.secrets;
    assert_true(pl->nobjects >= 1);
    Tree tree;
    assert_false(tree_build(&sb.program, NULL, &tree));
    size_t n = count_code(&sb.diags, "E0707", SEV_ERROR);
    if (n != pl->nobjects) {
        print_error("%zu E0707 errors for %zu plain Secrets\n", n, pl->nobjects);
        print_diags(&sb.diags);
    }
    assert_int_equal(n, pl->nobjects);
    assert_true(sb.diags.errors >= n);
    const char *smtp = getenv("CROWN_SECRET_SMTP_PASSWORD");
    assert_non_null(smtp);
    for (size_t i = 0; i < tree.len; i++) {
        const TreeFile *f = &tree.files[i];
        const char *base = strrchr(f->path, '/');
        base = base ? base + 1 : f->path;
        if (strncmp(base, "secret-", 7) == 0 || contains(f, "\nkind: Secret\n") ||
            contains(f, "- secret-") || contains(f, smtp)) {
            print_error("%s holds or names a plain Secret\n", f->path);
            fail();
        }
    }
    tree_free(&tree);
    site_build_free(&sb);
}

/* ---- the secrets file ------------------------------------------------------ */

/* Refused, with a reason that names no value. */
static void assert_refused(const char *name, const char *text, mode_t mode, const char *secret,
                           const char *reason_part)
{
    char *path = tmp_path(name);
    write_file(path, text, mode);
    SecretInputs in;
    secret_inputs_init(&in);
    char err[512] = "";
    bool ok = secret_inputs_load(&in, path, err, sizeof err);
    if (ok || !err[0] || strstr(err, secret) || (reason_part && !strstr(err, reason_part))) {
        print_error("%s: loaded %d, reason \"%s\"\n", name, ok, err);
        fail();
    }
    assert_null(strchr(err, '\n'));
    secret_inputs_free(&in);
}

/* Loaded from the environment-free file; in must be freed. */
static void assert_loads(SecretInputs *in, const char *name, const char *text)
{
    char *path = tmp_path(name);
    write_file(path, text, 0600);
    secret_inputs_init(in);
    in->use_env = false;
    char err[512] = "";
    if (!secret_inputs_load(in, path, err, sizeof err)) {
        print_error("%s: %s\n", name, err);
        fail();
    }
}

static void test_inputs_file(void **state)
{
    (void)state;
    unsetenv("CROWN_SECRET_A");
    unsetenv("CROWN_SECRET_B_2");
    assert_refused("open.yaml", "A: \"sekrit-open\"\n", 0644, "sekrit-open", "chmod 600");
    assert_refused("group.yaml", "A: \"sekrit-group\"\n", 0640, "sekrit-group", "chmod 600");
    assert_refused("list.yaml", "- sekrit-list\n- other\n", 0600, "sekrit-list", "mapping");
    assert_refused("scalar.yaml", "sekrit-scalar\n", 0600, "sekrit-scalar", "mapping");
    assert_refused("nested.yaml", "A:\n  inner: sekrit-nested\n", 0600, "sekrit-nested", NULL);
    assert_refused("seq.yaml", "A: [sekrit-seq]\n", 0600, "sekrit-seq", NULL);
    assert_refused("two-docs.yaml", "A: x\n---\nB: \"sekrit-second\"\n", 0600, "sekrit-second",
                   "one YAML document");
    assert_refused("dup.yaml", "A: \"sekrit-dup-1\"\nA: \"sekrit-dup-2\"\n", 0600, "sekrit-dup",
                   "twice");
    assert_refused("lower.yaml", "lower: \"sekrit-lower\"\n", 0600, "sekrit-lower", NULL);
    assert_refused("dash.yaml", "A-B: \"sekrit-dash\"\n", 0600, "sekrit-dash", NULL);
    assert_refused("broken.yaml", "A: \"sekrit-unterminated\n", 0600, "sekrit-unterminated",
                   NULL);
    assert_refused("dupline.yaml", "A: x\nB: y\nA: \"sekrit-again\"\n", 0600, "sekrit-again",
                   "line 3: A is given twice");
    /* A value that is absent or a plain null is a mistake, not a secret. */
    assert_refused("novalue.yaml", "A: \"sekrit-a\"\nB:\n", 0600, "sekrit-a",
                   "line 2: B has no value");
    assert_refused("tilde.yaml", "A: ~\n", 0600, "sekrit", "line 1: A has no value");
    assert_refused("null1.yaml", "A: null\n", 0600, "sekrit", "A has no value");
    assert_refused("null2.yaml", "A: Null\n", 0600, "sekrit", "A has no value");
    assert_refused("null3.yaml", "A: NULL\n", 0600, "sekrit", "A has no value");
    /* A NUL inside a value or a key is refused, not cut short. */
    assert_refused("nul.yaml", "A: \"sekrit-before\\0sekrit-after\"\n", 0600, "sekrit",
                   "line 1: the value of A holds a NUL");
    assert_refused("nulkey.yaml", "\"A\\0sekrit-key\": x\n", 0600, "sekrit",
                   "line 1: the key is not a secret NAME");
    /* A bad key is named by its line only: it may be a value pasted in. */
    assert_refused("pasted.yaml", "A: x\nSekrit-Pasted-Value: y\n", 0600, "Sekrit-Pasted",
                   "line 2: the key is not a secret NAME");
    {
        char err[512] = "";
        SecretInputs in;
        secret_inputs_init(&in);
        assert_false(secret_inputs_load(&in, tmp_path("missing.yaml"), err, sizeof err));
        assert_false(secret_inputs_load(&in, tmpdir, err, sizeof err));
        assert_non_null(strstr(err, "not a regular file"));
        /* A FIFO is refused at once rather than waited on. */
        char *fifo = tmp_path("fifo.yaml");
        unlink(fifo);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_false(secret_inputs_load(&in, fifo, err, sizeof err));
        assert_non_null(strstr(err, "not a regular file"));
        assert_non_null(strstr(err, "the secrets file"));
        /* Over 1 MiB. */
        size_t big = 1024 * 1024 + 1;
        char *text = malloc(big + 1);
        assert_non_null(text);
        memset(text, '#', big);
        text[big] = '\0';
        write_file(tmp_path("big.yaml"), text, 0600);
        free(text);
        assert_false(secret_inputs_load(&in, tmp_path("big.yaml"), err, sizeof err));
        assert_non_null(strstr(err, "at most 1048576"));
        secret_inputs_free(&in);
    }
    {
        /* Quoted, the same texts are values; tags are ignored and aliases
         * expanded. */
        SecretInputs q;
        assert_loads(&q, "quoted.yaml",
                     "A: \"~\"\nB: 'null'\nC: \"\"\nD: &d !!int 5\nE: *d\nF: \"a b\"\n");
        assert_int_equal(q.n, 6);
        assert_string_equal(secret_inputs_get(&q, "A"), "~");
        assert_string_equal(secret_inputs_get(&q, "B"), "null");
        assert_string_equal(secret_inputs_get(&q, "C"), "");
        assert_string_equal(secret_inputs_get(&q, "D"), "5");
        assert_string_equal(secret_inputs_get(&q, "E"), "5");
        assert_string_equal(secret_inputs_get(&q, "F"), "a b");
        secret_inputs_free(&q);
    }

    char *path = tmp_path("good.yaml");
    write_file(path, "A: \"x\"\nB_2: y\n", 0600);
    SecretInputs in;
    secret_inputs_init(&in);
    char err[512] = "";
    if (!secret_inputs_load(&in, path, err, sizeof err)) {
        print_error("%s\n", err);
        fail();
    }
    assert_int_equal(in.n, 2);
    assert_string_equal(secret_inputs_get(&in, "A"), "x");
    assert_string_equal(secret_inputs_get(&in, "B_2"), "y");
    assert_null(secret_inputs_get(&in, "C"));
    char var[64];
    secret_inputs_env_name("A", var, sizeof var);
    assert_string_equal(var, "CROWN_SECRET_A");
    /* The environment comes first. */
    assert_int_equal(setenv("CROWN_SECRET_A", "from the environment", 1), 0);
    assert_string_equal(secret_inputs_get(&in, "A"), "from the environment");
    assert_string_equal(secret_inputs_get(&in, "B_2"), "y");
    in.use_env = false;
    assert_string_equal(secret_inputs_get(&in, "A"), "x");
    in.use_env = true;
    assert_int_equal(setenv("CROWN_SECRET_C", "only in the environment", 1), 0);
    assert_string_equal(secret_inputs_get(&in, "C"), "only in the environment");
    unsetenv("CROWN_SECRET_A");
    unsetenv("CROWN_SECRET_C");
    assert_string_equal(secret_inputs_get(&in, "A"), "x");
    secret_inputs_free(&in);
    assert_int_equal(in.n, 0);

    /* An empty file supplies nothing. */
    write_file(path, "", 0600);
    secret_inputs_init(&in);
    assert_true(secret_inputs_load(&in, path, err, sizeof err));
    assert_int_equal(in.n, 0);
    secret_inputs_free(&in);
}

/* ---- previous SealedSecrets ---------------------------------------------- */

#define CERT_A "sha256:" \
    "1111111111111111111111111111111111111111111111111111111111111111"
#define CERT_B "sha256:" \
    "2222222222222222222222222222222222222222222222222222222222222222"
#define HMAC_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HMAC_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char prev_text[] =
    "apiVersion: bitnami.com/v1alpha1\n"
    "kind: SealedSecret\n"
    "metadata:\n"
    "  name: s\n"
    "  namespace: ns\n"
    "  annotations:\n"
    "    " SECRETS_ANNOTATION_HMAC ": |\n"
    "      password " HMAC_A "\n"
    "      tls.key " HMAC_B "\n"
    "    " SECRETS_ANNOTATION_CERT ": " CERT_A "\n"
    "spec:\n"
    "  encryptedData:\n"
    "    password: AgBlobOfThePassword==\n"
    "    tls.key: AgBlobOfTheKey==\n"
    "  template:\n"
    "    metadata:\n"
    "      name: s\n"
    "      namespace: ns\n"
    "    type: Opaque\n";

/* What a build would look at: the value of key and its tag line, here
 * compared with an expected tag (the build recomputes it). */
static const char *reuse(const SealedPrev *p, const char *cert, const char *key,
                         const char *tag)
{
    const char *blob, *stored;
    if (!p->cert || strcmp(p->cert, cert) != 0 || !sealed_prev_value(p, key, &blob, &stored))
        return NULL;
    return strcmp(stored, tag) == 0 ? blob : NULL;
}

static void test_sealed_prev(void **state)
{
    (void)state;
    SealedPrev p;
    assert_true(sealed_prev_parse(prev_text, strlen(prev_text), &p));
    assert_string_equal(p.cert, CERT_A);
    assert_int_equal(p.nhmacs, 2);
    assert_int_equal(p.nblobs, 2);
    assert_string_equal(reuse(&p, CERT_A, "password", HMAC_A),
                        "AgBlobOfThePassword==");
    assert_string_equal(reuse(&p, CERT_A, "tls.key", HMAC_B), "AgBlobOfTheKey==");
    /* Another certificate, another value, another key's fingerprint. */
    assert_null(reuse(&p, CERT_B, "password", HMAC_A));
    assert_null(reuse(&p, CERT_A, "password", HMAC_B));
    assert_null(reuse(&p, CERT_A, "tls.key", HMAC_A));
    assert_null(reuse(&p, CERT_A, "other", HMAC_A));
    assert_null(reuse(&p, "", "password", HMAC_A));
    sealed_prev_free(&p);
    assert_null(p.cert);

    /* Reformatted (flow style, other order): the same. */
    static const char flow[] =
        "{spec: {encryptedData: {password: AgBlobOfThePassword==}}, kind: SealedSecret,\n"
        " metadata: {annotations: {\"" SECRETS_ANNOTATION_CERT "\": \"" CERT_A "\",\n"
        " \"" SECRETS_ANNOTATION_HMAC "\": \"password " HMAC_A "\\n\"}}}\n";
    assert_true(sealed_prev_parse(flow, strlen(flow), &p));
    assert_string_equal(reuse(&p, CERT_A, "password", HMAC_A),
                        "AgBlobOfThePassword==");
    sealed_prev_free(&p);

    /* A fingerprint without its ciphertext gives nothing. */
    static const char no_blob[] =
        "kind: SealedSecret\n"
        "metadata:\n"
        "  annotations:\n"
        "    " SECRETS_ANNOTATION_HMAC ": \"password " HMAC_A "\\n\"\n"
        "    " SECRETS_ANNOTATION_CERT ": " CERT_A "\n"
        "spec:\n"
        "  encryptedData:\n"
        "    other: AgBlob==\n";
    assert_true(sealed_prev_parse(no_blob, strlen(no_blob), &p));
    assert_null(reuse(&p, CERT_A, "password", HMAC_A));
    sealed_prev_free(&p);

    /* Nothing to reuse: no annotations, one of them only, another kind,
     * not YAML, no encryptedData. */
    static const char no_ann[] =
        "apiVersion: bitnami.com/v1alpha1\n"
        "kind: SealedSecret\n"
        "metadata:\n"
        "  name: s\n"
        "spec:\n"
        "  encryptedData:\n"
        "    password: AgBlobOfThePassword==\n";
    assert_false(sealed_prev_parse(no_ann, strlen(no_ann), &p));
    assert_null(p.cert);
    assert_int_equal(p.nblobs, 0);
    char *one = strdup(prev_text);
    assert_non_null(one);
    char *cert_line = strstr(one, "    " SECRETS_ANNOTATION_CERT);
    assert_non_null(cert_line);
    memcpy(cert_line + 4, "x-", 2); /* another annotation's name */
    assert_false(sealed_prev_parse(one, strlen(one), &p));
    free(one);
    char *secret = strdup(prev_text);
    assert_non_null(secret);
    char *kind = strstr(secret, "kind: SealedSecret");
    assert_non_null(kind);
    memcpy(kind + 6, "Secret      ", 12);
    assert_false(sealed_prev_parse(secret, strlen(secret), &p));
    free(secret);
    static const char broken[] = "kind: SealedSecret\nmetadata: [\n";
    assert_false(sealed_prev_parse(broken, strlen(broken), &p));
    assert_false(sealed_prev_parse("", 0, &p));
    static const char no_enc[] =
        "kind: SealedSecret\n"
        "metadata:\n"
        "  annotations:\n"
        "    " SECRETS_ANNOTATION_HMAC ": \"password " HMAC_A "\\n\"\n"
        "    " SECRETS_ANNOTATION_CERT ": " CERT_A "\n";
    assert_false(sealed_prev_parse(no_enc, strlen(no_enc), &p));
}

/* ---- zero churn ------------------------------------------------------------ */

/* Builds sites/SITE for engine with prev_dir as the previous tree
 * (NULL: none). */
static void build_site(SiteBuild *sb, PrevTree *pt, const char *site, const char *engine,
                       const char *prev_dir)
{
    char path[256], err[512] = "";
    snprintf(path, sizeof path, "sites/%s", site);
    prev_tree_dir(pt, prev_dir ? prev_dir : "");
    SiteOptions o = {STDLIB, engine, NULL, NULL, prev_dir ? &pt->api : NULL, NULL};
    SiteBuildStatus st = site_build(sb, path, &o, err, sizeof err);
    if (st != SITE_BUILT || sb->diags.errors) {
        print_error("site_build %s: status %d, %s\n", path, (int)st, err);
        print_diags(&sb->diags);
        fail();
    }
}

static bool is_sealed_path(const char *path)
{
    const char *base = strrchr(path, '/');
    return strncmp(base ? base + 1 : path, "sealedsecret-", 13) == 0;
}

static void zero_churn(const char *site, const char *engine)
{
    char prev[256], dir[512];
    snprintf(prev, sizeof prev, "golden/%s", engine);
    snprintf(dir, sizeof dir, "golden/%s/%s", engine, site);
    SiteBuild sb;
    PrevTree pt;
    build_site(&sb, &pt, site, engine, prev);
    assert_string_equal(sb.tree.prefix, site);
    size_t values = count_values(sb.program.secrets);
    if (sb.sealed != 0 || sb.reused != values)
        print_error("%s: %zu values reused, %zu sealed anew, of %zu\n", dir, sb.reused,
                    sb.sealed, values);
    assert_int_equal(sb.sealed, 0);
    assert_int_equal(sb.reused, values);
    size_t differ = 0;
    for (size_t i = 0; i < sb.tree.len; i++) {
        const TreeFile *f = &sb.tree.files[i];
        char file[1024];
        snprintf(file, sizeof file, "%s/%s", dir, f->path);
        size_t len = 0;
        char *want = read_all(file, &len);
        if (!want) {
            print_error("%s: not in the golden tree\n", file);
            differ++;
            continue;
        }
        if (len != f->len || memcmp(want, f->data, len) != 0) {
            size_t at = 0;
            while (at < len && at < f->len && want[at] == f->data[at])
                at++;
            print_error("%s: differs from the build at byte %zu\n", file, at);
            differ++;
        }
        free(want);
    }
    assert_int_equal(differ, 0);
    size_t files = 0, sealed = 0;
    count_files(dir, &files, &sealed);
    assert_int_equal(files, sb.tree.len);
    printf("  %s: %zu files identical, %zu values reused\n", dir, files, sb.reused);
    prev_tree_free(&pt);
    site_build_free(&sb);
}

static void test_zero_churn_lab(void **state)
{
    (void)state;
    zero_churn("lab", "flux");
}

static void test_zero_churn_every_golden_tree(void **state)
{
    (void)state;
    char **sites = NULL, **engines = NULL;
    size_t nsites = list_dirs("sites", &sites), nengines = list_dirs("golden", &engines);
    for (size_t e = 0; e < nengines; e++)
        for (size_t s = 0; s < nsites; s++)
            if (strcmp(sites[s], "lab") != 0 || strcmp(engines[e], "flux") != 0)
                zero_churn(sites[s], engines[e]);
    free_list(sites, nsites);
    free_list(engines, nengines);
}

/* Without a previous tree every value is sealed anew: the SealedSecrets
 * change (fresh session keys) but keep their certificate and
 * fingerprints, and open to the same values; every other file, the
 * index included, stays the same. */
static void test_fresh_seal_changes_ciphertexts_only(void **state)
{
    (void)state;
    SiteBuild sb;
    PrevTree pt;
    build_site(&sb, &pt, "lab", "flux", NULL);
    const SecretPlan *pl = sb.program.secrets;
    size_t values = count_values(pl);
    assert_true(values >= 1);
    assert_int_equal(sb.reused, 0);
    assert_int_equal(sb.sealed, values);
    size_t nsealed = 0;
    for (size_t i = 0; i < sb.tree.len; i++) {
        const TreeFile *f = &sb.tree.files[i];
        char file[1024];
        snprintf(file, sizeof file, "golden/flux/lab/%s", f->path);
        size_t len = 0;
        char *want = read_all(file, &len);
        assert_non_null(want);
        if (!is_sealed_path(f->path)) {
            if (len != f->len || memcmp(want, f->data, len) != 0) {
                print_error("%s changed with the ciphertexts\n", file);
                fail();
            }
            free(want);
            continue;
        }
        nsealed++;
        SealedPrev old, now;
        assert_true(sealed_prev_parse(want, len, &old));
        assert_true(sealed_prev_parse(f->data, f->len, &now));
        assert_string_equal(old.cert, now.cert);
        assert_int_equal(old.nhmacs, now.nhmacs);
        assert_int_equal(old.nblobs, now.nblobs);
        for (size_t k = 0; k < old.nhmacs; k++) {
            assert_string_equal(old.keys[k], now.keys[k]);
            /* A tag covers the ciphertext: a new one, a new tag. */
            assert_string_not_equal(old.hmacs[k], now.hmacs[k]);
        }
        for (size_t k = 0; k < old.nblobs; k++) {
            assert_string_equal(old.names[k], now.names[k]);
            assert_string_not_equal(old.blobs[k], now.blobs[k]);
        }
        /* The new blobs open to the plan's values. */
        for (size_t o = 0; o < pl->nobjects; o++) {
            const SecretObject *so = &pl->objects[o];
            const char *rel = so->m->path;
            if (strcmp(rel, f->path) == 0)
                for (size_t k = 0; k < so->nentries; k++) {
                    const char *blob = NULL;
                    for (size_t b = 0; b < now.nblobs; b++)
                        if (strcmp(now.names[b], so->entries[k].key) == 0)
                            blob = now.blobs[b];
                    assert_non_null(blob);
                    assert_opens_to(&sb, so, &so->entries[k], blob, f->path);
                }
        }
        sealed_prev_free(&old);
        sealed_prev_free(&now);
        free(want);
    }
    assert_int_equal(nsealed, pl->nobjects);
    prev_tree_free(&pt);
    site_build_free(&sb);
}

/* ---- setup ---------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/secrets-test.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir))
        return -1;
    char err[512] = "";
    int rc = -1;
    size_t len = 0;
    /* The supplied secrets, through a private copy of the file. */
    char *text = read_all(KEYS "/secrets.yaml", &len);
    if (!text)
        return -1;
    char *copy = tmp_path("secrets.yaml");
    FILE *f = fopen(copy, "w");
    if (!f || chmod(copy, 0600) != 0 || fwrite(text, 1, len, f) != len) {
        if (f)
            fclose(f);
        free(text);
        return -1;
    }
    fclose(f);
    free(text);
    SecretInputs in;
    secret_inputs_init(&in);
    if (!secret_inputs_load(&in, copy, err, sizeof err) || in.n == 0) {
        fprintf(stderr, "%s: %s\n", copy, err);
        secret_inputs_free(&in);
        return -1;
    }
    for (size_t i = 0; i < in.n; i++) {
        char var[256];
        secret_inputs_env_name(in.names[i], var, sizeof var);
        setenv(var, in.values[i], 1);
    }
    secret_inputs_free(&in);
    /* The master key, parsed here and given to the build through the
     * environment. */
    char *key = read_all(KEYS "/master.key", &len);
    if (!key)
        return -1;
    if (derive_parse_master(&master, key, len, KEYS "/master.key", err, sizeof err)) {
        key[strcspn(key, "\n")] = '\0';
        setenv("CROWNC_MASTER_KEY", key, 1);
        unsetenv("CROWNC_MASTER_KEY_FILE");
        char *pem = read_all(KEYS "/sealing.key", &len);
        if (pem && seal_key_load(pem, len, &sealing_key, err, sizeof err) == SEAL_OK)
            rc = 0;
        else
            fprintf(stderr, "%s: %s\n", KEYS "/sealing.key", err);
        free(pem);
    } else {
        fprintf(stderr, "%s\n", err);
    }
    free(key);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    seal_key_free(sealing_key);
    sealing_key = NULL;
    derive_master_clear(&master);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_sealed_secrets_open),
        cmocka_unit_test(test_plain_secret_never_written),
        cmocka_unit_test(test_inputs_file),
        cmocka_unit_test(test_sealed_prev),
        cmocka_unit_test(test_zero_churn_lab),
        cmocka_unit_test(test_zero_churn_every_golden_tree),
        cmocka_unit_test(test_fresh_seal_changes_ciphertexts_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
