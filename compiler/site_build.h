/* site_build.h — the steps the commands share: load a site and the
 * standard library, check them, seal the site's secrets and render the
 * output tree.
 *
 * Keeping them in one place means diff compares exactly the tree that
 * build would commit. Nothing is printed: the caller prints the
 * diagnostics, in its own order and format.
 *
 * Secrets (secrets.h). `check` reads the supplied secrets only to warn
 * about missing ones (E0705 as a warning). `build` needs, when the site
 * has any Secret: the master key (SiteOptions.master_key, else the
 * environment variable CROWNC_MASTER_KEY holding the key's 64 hex digits,
 * else CROWNC_MASTER_KEY_FILE naming a key file), every supplied secret,
 * and the site's sealing certificate, valid now (the clock is read for
 * that check only; it changes no output byte). */
#ifndef CROWN_SITE_BUILD_H
#define CROWN_SITE_BUILD_H

#include "diag.h"
#include "program.h"
#include "secret_inputs.h"
#include "secrets.h"
#include "tree.h"

typedef enum SiteBuildStatus {
    SITE_BUILT,      /* checked without errors; tree holds the output */
    SITE_HAS_ERRORS, /* diagnostics with errors: there is no tree */
    SITE_UNREADABLE, /* the site (or its secrets file) could not be read: the reason is in err */
} SiteBuildStatus;

typedef struct SiteOptions {
    const char *stdlib;       /* NULL: program_default_stdlib */
    const char *engine;       /* "flux", "argocd", or NULL: the site's gitops */
    const char *master_key;   /* a key file, or NULL: the environment */
    const char *secrets_file; /* supplied secrets, or NULL: the environment only */
    /* The tree as it is now, to reuse sealed values from; NULL: none. */
    const SecretsPrevious *prev;
    /* What evaluating the site may cost; NULL: eval_limits_default(). */
    const EvalLimits *limits;
} SiteOptions;

/* program points at diags, so a SiteBuild stays where site_build filled
 * it (do not copy it) until site_build_free. */
typedef struct SiteBuild {
    DiagList diags;
    Program program;
    Tree tree;
    SecretInputs inputs;
    DeriveMaster master;
    bool have_master;
    size_t reused, sealed;  /* sealed values taken from prev, and sealed anew */
    char cert[SEAL_FINGERPRINT_SIZE]; /* the certificate's SHA-256, "" when none */
    char *default_stdlib;   /* owned; used when no library is given */
} SiteBuild;

/* Loads the site at path, checks it, seals its secrets and renders its
 * tree. sb is always filled and must be released with site_build_free. */
SiteBuildStatus site_build(SiteBuild *sb, const char *path, const SiteOptions *o, char *err,
                           size_t errlen);
/* The same without sealing and the tree: load and check only (check,
 * manifests, secrets list). SITE_BUILT then means "checked without
 * errors". */
SiteBuildStatus site_check(SiteBuild *sb, const char *path, const SiteOptions *o, char *err,
                           size_t errlen);
/* Loads the master key as build does, into sb->master. */
bool site_master_key(SiteBuild *sb, const SiteOptions *o, char *err, size_t errlen);
void site_build_free(SiteBuild *sb);

#endif
