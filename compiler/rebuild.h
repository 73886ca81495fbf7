/* rebuild.h — a build --repo that proves it has nothing to do.
 *
 * A commit crownc makes carries the digest of its build's inputs and the
 * site's directory in the repository (the trailers Inputs-Digest and
 * Site-Path; inputs.h). A build into the same branch first loads the
 * site's and the library's files, reads the other inputs the tip's index
 * lists, and computes the digest again: when it is the tip's, the tree
 * would be the tip's, and nothing is evaluated, written or committed. */
#ifndef CROWN_REBUILD_H
#define CROWN_REBUILD_H

#include <stdbool.h>

#include "git_out.h"
#include "site_build.h"
#include "strbuf.h"

/* Whether the tip read by tip (NULL: none) was built from exactly these
 * inputs; commit gets its id and name the site's name (from the tip's
 * message). False whenever that is not proved — no
 * trailer, an input missing or unreadable, no master key, a supplied
 * secret missing, a certificate no longer valid: the build then runs in
 * full and says what it finds. */
bool rebuild_unchanged(const char *site, const SiteOptions *o, GitOutReader *tip,
                       char commit[GITOUT_ID_SIZE], char *name, size_t namelen);
/* Appends the two trailers of a commit of sb's tree (built with engine,
 * or the site's own when NULL); nothing when the digest cannot be made. */
void rebuild_trailers(const SiteBuild *sb, const char *engine, StrBuf *msg);

#endif
