/* component.h — components: from the checked site to Kubernetes objects.
 *
 * A `component` declaration of the library (or of the site) says when it
 * applies, where its objects go and what they are:
 *
 *   component metallb "MetalLB load balancer." {
 *     when       = network.loadbalancer is l2 || network.loadbalancer is bgp
 *     layer      = "operators"
 *     namespace  = "metallb-system"
 *     depends_on = ["namespaces"]
 *     chart "metallb" { repository = "https://...", version = "0.14.9", values { ... } }
 *     manifest for p in network.loadbalancer.pools { apiVersion = ..., kind = ..., ... }
 *   }
 *
 * The compiler knows nothing of MetalLB: it evaluates the body with the
 * site's values in scope, fills in what every object needs (the
 * component's namespace for namespaced kinds, common labels) and hands the
 * objects on. A new component is a new library file.
 *
 * An attribute set to null is left out of the object, so a template can
 * write `disk = if e.disk != null then e.disk else null`. */
#ifndef CROWN_COMPONENT_H
#define CROWN_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>

#include "program.h"

typedef struct Manifest {
    const Value *obj;     /* the object, completed (namespace, labels) */
    const char *kind;     /* its kind and name, for paths and messages */
    const char *name;
    const char *ns;       /* NULL when cluster-scoped */
    Span at;              /* the manifest block that produced it */
    Span origin;          /* what in the site it comes from: the record a
                           * `manifest for` iterates over, else `at` */
    const char *path;     /* its file in the tree (components_place); NULL
                           * for the objects the tree adds itself */
} Manifest;

struct Component {
    const Decl *decl;
    const char *layer;    /* apply-order layer, one of component_layers() */
    const char *ns;       /* default namespace of its objects, or NULL */
    const char **depends; /* other components it needs first */
    size_t ndepends;
    const Value *chart;   /* an upstream Helm chart: object with name, repository,
                           * version, values; NULL when none */
    Manifest *manifests;
    size_t nmanifests;
    /* Chart values that are secrets (secrets.h): their dotted paths, taken
     * out of chart.values into the Secret values_secret, which the
     * HelmRelease reads with valuesFrom. */
    const char **secret_paths;
    size_t nsecret_paths;
    const char *values_secret;
    const Value *bootstrap; /* file name -> text, for bootstrap/COMPONENT/; or NULL */
    /* `remote = [URL, ...]`: manifests an upstream release publishes
     * (generated at release time, in no git repository), listed in the
     * component directory's kustomization for the GitOps engine to fetch. */
    const char **remote;
    size_t nremote;
    /* The closed world (refs.h): every `provides = {KIND = [NAME, ...]}`
     * and `needs = [{kind, name, at, why}]` the body sets, in order (a
     * component may set them in several branches). */
    const Value **provides;
    size_t nprovides;
    const Value **needs;
    size_t nneeds;
};

/* The layers objects are applied in, first to last. */
const char *const *component_layers(size_t *n);

/* Evaluates every enabled component of the checked program p. Problems
 * (a missing kind or name, a bad namespace, an unknown layer or
 * dependency) are diagnostics; the list holds what could be evaluated. */
ComponentList components_eval(Program *p);

/* Two objects with one identity (group, kind, namespace, name, as written:
 * a Secret counts as its SealedSecret) are an error (E0407). Run once the
 * objects are final, after the secrets stage has added the Secrets of
 * chart values (secrets_plan). */
void components_check_unique(Program *p);
/* Sets every object's path: LAYER/COMPONENT/[NS/]FILE (filename.h), one
 * to one, with the objects whose files would coincide told apart. */
void components_place(Program *p);
/* Appends an object's identity, GROUP/KIND/NS/NAME, a Secret being the
 * SealedSecret it is written as. */
void manifest_identity(const Manifest *m, StrBuf *out);

#endif
