/* site_build.h — the steps `crownc build` and `crownc diff` share: load a
 * site and the standard library, check them, and render the output tree.
 *
 * Keeping them in one place means diff compares exactly the tree that
 * build would commit. Nothing is printed: the caller prints the
 * diagnostics, in its own order and format. */
#ifndef CROWN_SITE_BUILD_H
#define CROWN_SITE_BUILD_H

#include "diag.h"
#include "program.h"
#include "tree.h"

typedef enum SiteBuildStatus {
    SITE_BUILT,      /* checked without errors; tree holds the output */
    SITE_HAS_ERRORS, /* diagnostics with errors: there is no tree */
    SITE_UNREADABLE, /* the site could not be read: the reason is in err */
} SiteBuildStatus;

/* program points at diags, so a SiteBuild stays where site_build filled
 * it (do not copy it) until site_build_free. */
typedef struct SiteBuild {
    DiagList diags;
    Program program;
    Tree tree;
    char *default_stdlib; /* owned; used when no library is given */
} SiteBuild;

/* Loads the site at path with the library in stdlib (NULL: the default
 * one, program_default_stdlib), checks it and renders its tree for engine
 * ("flux", "argocd", or NULL: the site's gitops). sb is always filled and
 * must be released with site_build_free. */
SiteBuildStatus site_build(SiteBuild *sb, const char *path, const char *stdlib,
                           const char *engine, char *err, size_t errlen);
/* The same without the tree: load and check only (check, manifests).
 * SITE_BUILT then means "checked without errors". */
SiteBuildStatus site_check(SiteBuild *sb, const char *path, const char *stdlib, char *err,
                           size_t errlen);
void site_build_free(SiteBuild *sb);

#endif
