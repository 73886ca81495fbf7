/* cmd_manifests.c — `crownc manifests SITE`: the objects a site produces,
 * one JSON object per line, for scripts and for reading what a component
 * makes without building a tree. Secrets are never printed, and nor is
 * any value of a Secret's stringData, plain text included. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "component.h"
#include "site_build.h"

static void json_value(const Value *v, StrBuf *out, bool mask);

/* secret: v is a Secret, whose stringData is masked; mask: print every
 * scalar as "<secret>". */
static void json_object(const Value *v, StrBuf *out, bool secret, bool mask)
{
    sb_putc(out, '{');
    for (size_t i = 0; i < v->u.obj.len; i++) {
        if (i)
            sb_putc(out, ',');
        json_string(out, v->u.obj.keys[i], strlen(v->u.obj.keys[i]));
        sb_putc(out, ':');
        json_value(v->u.obj.vals[i], out,
                   mask || (secret && strcmp(v->u.obj.keys[i], "stringData") == 0));
    }
    sb_putc(out, '}');
}

static void json_value(const Value *v, StrBuf *out, bool mask)
{
    if (mask && v->kind != V_LIST && v->kind != V_OBJECT && v->kind != V_RECORD) {
        sb_puts(out, "\"<secret>\"");
        return;
    }
    switch (v->kind) {
    case V_NULL: sb_puts(out, "null"); return;
    case V_BOOL: sb_puts(out, v->u.b ? "true" : "false"); return;
    case V_INT: sb_printf(out, "%" PRId64, v->u.i); return;
    case V_LIST:
        sb_putc(out, '[');
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i)
                sb_putc(out, ',');
            json_value(v->u.list.items[i], out, mask);
        }
        sb_putc(out, ']');
        return;
    case V_OBJECT: case V_RECORD: json_object(v, out, false, mask); return;
    case V_SECRET: case V_POISON: sb_puts(out, "\"<secret>\""); return;
    default: {
        StrBuf t;
        sb_init(&t);
        value_to_text(v, &t);
        if (v->kind == V_FLOAT)
            sb_putn(out, t.data, t.len);
        else
            json_string(out, t.data ? t.data : "", t.len);
        sb_free(&t);
        return;
    }
    }
}

/* A chart as the site sets it; its secret values are masked. The
 * objects that deliver it (HelmRepository and HelmRelease, or an Argo CD
 * Application) depend on the engine, and are build's. */
/* `{"component":...,"layer":...`, the start of every line. */
static void line_start(const Component *c, StrBuf *out)
{
    sb_reset(out);
    sb_puts(out, "{\"component\":");
    json_string(out, c->decl->name, strlen(c->decl->name));
    sb_puts(out, ",\"layer\":");
    json_string(out, c->layer, strlen(c->layer));
}

static void print_chart(const Component *c, StrBuf *out)
{
    line_start(c, out);
    if (c->ns) {
        sb_puts(out, ",\"namespace\":");
        json_string(out, c->ns, strlen(c->ns));
    }
    sb_puts(out, ",\"chart\":");
    json_object(c->chart, out, false, false);
    sb_puts(out, "}\n");
    fwrite(out->data, 1, out->len, stdout);
}

static void print_manifests(const char *site, const ComponentList *l)
{
    StrBuf out;
    sb_init(&out);
    size_t objects = 0, charts = 0;
    for (size_t i = 0; i < l->len; i++) {
        const Component *c = &l->at[i];
        if (c->chart) {
            print_chart(c, &out);
            charts++;
        }
        objects += c->nmanifests;
        for (size_t m = 0; m < c->nmanifests; m++) {
            line_start(c, &out);
            sb_puts(&out, ",\"object\":");
            const Manifest *mf = &c->manifests[m];
            json_object(mf->obj, &out, strcmp(mf->kind, "Secret") == 0, false);
            sb_puts(&out, "}\n");
            fwrite(out.data, 1, out.len, stdout);
        }
    }
    sb_free(&out);
    fflush(stdout); /* the summary comes after every line, also in one file */
    fprintf(stderr, "crownc: %s: %zu objects and %zu charts; `build` adds the objects that "
            "deliver the charts and the GitOps wiring of its engine\n", site, objects, charts);
}

int cmd_manifests(CliOptions *o, int argc, char **argv)
{
    const char *site = NULL, *stdlib = NULL;
    for (int i = 0; i < argc; i++) {
        int r = cli_stdlib_option(&stdlib, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        r = argv[i][0] == '-' ? cli_limit_option(o, argc, argv, &i) : 0;
        if (r == 0 && argv[i][0] == '-')
            r = cli_render_option(o, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (argv[i][0] == '-' || site) {
            cli_error("manifests: usage: crownc manifests [--stdlib DIR] SITE");
            return EXIT_USAGE;
        }
        site = argv[i];
    }
    if (!site) {
        cli_error("manifests: usage: crownc manifests [--stdlib DIR] SITE");
        return EXIT_USAGE;
    }
    SiteBuild sb;
    char err[512];
    SiteOptions so = {stdlib, NULL, NULL, NULL, NULL, &o->limits};
    SiteBuildStatus st = site_check(&sb, site, &so, err, sizeof err);
    cli_print_diags(o, &sb.diags);
    int status = EXIT_OK;
    if (st == SITE_UNREADABLE) {
        cli_error("%s", err);
        status = EXIT_USAGE;
    } else if (st == SITE_HAS_ERRORS) {
        status = EXIT_DIAG;
    } else {
        print_manifests(site, &sb.program.components);
    }
    site_build_free(&sb);
    return status;
}
