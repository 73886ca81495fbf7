/* site_build.c — load, check and render a site (site_build.h). */
#include "site_build.h"

#include <stdlib.h>
#include <string.h>

SiteBuildStatus site_check(SiteBuild *sb, const char *path, const char *stdlib, char *err,
                           size_t errlen)
{
    memset(sb, 0, sizeof *sb);
    diag_init(&sb->diags);
    if (!stdlib)
        stdlib = sb->default_stdlib = program_default_stdlib();
    if (!program_load(&sb->program, path, stdlib, &sb->diags, err, errlen))
        return SITE_UNREADABLE;
    program_check(&sb->program);
    return sb->diags.errors ? SITE_HAS_ERRORS : SITE_BUILT;
}

SiteBuildStatus site_build(SiteBuild *sb, const char *path, const char *stdlib,
                           const char *engine, char *err, size_t errlen)
{
    SiteBuildStatus st = site_check(sb, path, stdlib, err, errlen);
    /* A site with errors has no meaningful tree; tree_build reports what
     * it cannot write as errors of its own. */
    if (st != SITE_BUILT)
        return st;
    return tree_build(&sb->program, engine, &sb->tree) ? SITE_BUILT : SITE_HAS_ERRORS;
}

void site_build_free(SiteBuild *sb)
{
    tree_free(&sb->tree);
    /* program_load leaves the program freeable even when it fails. */
    program_free(&sb->program);
    free(sb->default_stdlib);
    diag_free(&sb->diags);
    memset(sb, 0, sizeof *sb);
}
