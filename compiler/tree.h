/* tree.h — the output tree of one site: every object as a file, in the
 * layout GitOps engines apply.
 *
 * Paths are relative to the site's subtree (PREFIX/ in the repository)
 * and are a pure function of each object's identity:
 *
 *   LAYER/COMPONENT/KIND-NAME.yaml              cluster-scoped objects
 *   LAYER/COMPONENT/NAMESPACE/KIND-NAME.yaml    namespaced objects
 *   .../kustomization.yaml                      in every directory
 *   gitops/...                                  the engine's own objects
 *   crown.index.json                            every object: path, digest, source
 *
 * Layers are applied in order (component_layers): with Flux, one
 * Kustomization per layer, each depending on the one before and waiting
 * for its objects to be ready; with Argo CD, one Application per
 * component under a root Application, ordered by sync waves. An upstream
 * chart becomes a HelmRepository and a HelmRelease (Flux) or a Helm
 * source of the component's Application (Argo CD).
 *
 * Every file is canonical YAML (yaml_out.h), the index canonical JSON. */
#ifndef CROWN_TREE_H
#define CROWN_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

typedef struct TreeFile {
    char *path;   /* relative to the subtree */
    char *data;   /* malloc'ed */
    size_t len;
} TreeFile;

typedef struct Tree {
    char *prefix;        /* the subtree's directory in the repository */
    char *site;          /* the site's name */
    TreeFile *files;     /* sorted by path */
    size_t len, cap;
} Tree;

/* Renders the components of p (checked without errors) into t, wired for
 * engine ("flux" or "argocd"; NULL: what the site's gitops says, the
 * other engine's settings taking their defaults). Problems (an object
 * that cannot be written, an unknown engine) are diagnostics; returns
 * false then. */
bool tree_build(Program *p, const char *engine, Tree *t);
/* The directory of the repository the site's tree goes to: its gitops
 * path, or its name; NULL when it has neither. Valid as long as p. */
const char *tree_prefix(const Program *p);
void tree_free(Tree *t);

/* Writes t below dir/PREFIX, replacing what was there: the new subtree is
 * written beside it and renamed into place, so a failure leaves the old
 * one. Returns false with a one-line reason in err. */
bool tree_write_dir(const Tree *t, const char *dir, char *err, size_t errlen);

#endif
