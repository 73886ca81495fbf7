/* fuzz_data.c — libFuzzer target for the data files a site reads: the
 * input's first byte chooses what the rest is, 'c' a roster read with
 * csv() (the people of sites/lab), anything else a document read with
 * yaml() and written as the objects of a component. The site is
 * sites/lab with the real library, checked and, when it checks clean,
 * rendered into a tree (without sealing: an unsealed Secret must be
 * refused there, never written). Every input must end in diagnostics or
 * a tree — never a crash, a hang or a sanitizer report.
 *
 * Run from the source tree (make fuzz-check): the site and library are
 * read from sites/lab and stdlib/. */
#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "program.h"
#include "tree.h"

static char dir[64], site[128], roster[128], doc[128];

static const char component[] =
    "\ncomponent fuzzed \"Objects read from a data file.\" {\n"
    "  layer     = \"config\"\n"
    "  namespace = \"default\"\n"
    "  manifests = [yaml(\"data.yaml\")]\n"
    "}\n";

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        abort();
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 65536)))
            abort();
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

static void put(const char *path, const void *data, size_t len, const char *more)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, len, f);
    if (more)
        fputs(more, f);
    fclose(f);
}

/* The lab site, its certificate and its roster, copied once. */
static void setup(void)
{
    if (dir[0])
        return;
    strcpy(dir, "/tmp/crownc-fuzz-data-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char sub[128];
    snprintf(sub, sizeof sub, "%s/rosters", dir);
    if (mkdir(sub, 0700) != 0)
        abort();
    snprintf(site, sizeof site, "%s/site.crown", dir);
    snprintf(roster, sizeof roster, "%s/rosters/netlab.csv", dir);
    snprintf(doc, sizeof doc, "%s/data.yaml", dir);
    static const char *const files[][2] = {{"sites/lab/site.crown", "site.crown"},
                                           {"sites/lab/sealed-secrets.pem", "sealed-secrets.pem"}};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *text = slurp(files[i][0], &len), to[128];
        snprintf(to, sizeof to, "%s/%s", dir, files[i][1]);
        put(to, text, len, i == 0 ? component : NULL);
        free(text);
    }
}

/* Below libFuzzer's memory (2 GiB) and time (10 s) limits, which an input
 * the real limits stop later would otherwise cross: reaching these is a
 * diagnostic (E0223, E0224), as it is for crownc at its own. */
static const EvalLimits fuzz_limits = {5000000, 256u << 20, EVAL_DEFAULT_DEPTH};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    bool csv = size > 0 && data[0] == 'c';
    const uint8_t *body = size ? data + 1 : data;
    size_t n = size ? size - 1 : 0;
    static const char header[] = "username,first,last,email\n";
    static const char object[] = "{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n";
    put(roster, csv ? body : (const uint8_t *)header, csv ? n : sizeof header - 1, NULL);
    put(doc, csv ? (const uint8_t *)object : body, csv ? sizeof object - 1 : n, NULL);
    DiagList diags;
    diag_init(&diags);
    Program p;
    char err[512];
    if (program_load(&p, site, "stdlib", &diags, err, sizeof err)) {
        p.limits = fuzz_limits;
        program_check(&p);
        if (!diags.errors) {
            Tree t;
            tree_build(&p, NULL, &t);
            tree_free(&t);
        }
    }
    program_free(&p);
    diag_free(&diags);
    return 0;
}
