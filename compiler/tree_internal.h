/* tree_internal.h — what the files of the tree writer share: tree.c
 * (objects, index, kustomizations), tree_gitops.c (charts and the
 * engines' own objects) and tree_readme.c (the operator's steps). Not
 * for use elsewhere. */
#ifndef CROWN_TREE_INTERNAL_H
#define CROWN_TREE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "component.h"
#include "strbuf.h"
#include "tree.h"
#include "value.h"

/* An object's file, and where the object comes from. */
typedef struct Placed {
    size_t file;           /* index in Tree.files, before sorting */
    Span at;
} Placed;

typedef struct Build {
    Program *p;
    Eval *ev;
    Tree *t;
    const Value *gitops;   /* the site's gitops variant */
    bool flux;
    StrBuf index;          /* entries of crown.index.json, comma-separated */
    Placed *placed;        /* every object's file, for unique_paths */
    size_t nplaced, capplaced;
    bool ok;
    /* The stable path of the source last indexed: objects come in runs
     * from one file, and finding the path asks the file system. */
    const Source *stable_src;
    char *stable_path;
} Build;

/* obj(b, "k1", v1, "k2", v2, ..., NULL): see value_object_of. */
#define obj(b, ...) value_object_of((b)->ev->ar, source_span((b)->p->units[0].src, 0, 0), __VA_ARGS__)

/* Values for generated objects, pointing at the site file's start. */
const Value *tb_str(Build *b, const char *s);
const Value *tb_boolean(Build *b, bool v);
const Value *tb_int(Build *b, int64_t v);
const Value *tb_list_of(Build *b, const Value **items, size_t n);
/* The text of a string field, or NULL. */
const char *tb_field_text(const Value *rec, const char *key);
/* An Argo CD setting of the site, or its default. */
const char *tb_argo_setting(const Build *b, const char *key, const char *dflt);
/* Adds a file (copied) to the tree. */
void tb_add_file(Build *b, const char *path, const char *data, size_t len);
/* Canonical YAML of doc into out; false after a diagnostic. */
bool tb_render(Build *b, const Value *doc, Span at, StrBuf *out);
/* Writes a component's object to its file and indexes it. */
void tb_emit(Build *b, const Component *c, const Manifest *m);
/* The common labels of c's generated objects. */
const Value *tb_labels(Build *b, const Component *c);
/* Whether a component of that layer has anything to apply. */
bool tb_layer_used(const ComponentList *l, const char *layer);
/* Writes doc to path, unindexed (the engines' own objects). */
void tb_emit_plain(Build *b, const char *path, const Value *doc);
/* "./PREFIX/LAYER[/COMPONENT]". */
const char *tb_prefix_path(Build *b, const char *layer, const char *comp);

/* tree_gitops.c */
void tree_flux_chart(Build *b, const Component *c);
void tree_flux_wiring(Build *b);
void tree_argo_wiring(Build *b);
/* tree_readme.c: bootstrap/README.md and the components' bootstrap files. */
void tree_bootstrap_readme(Build *b);
/* Whether a clone address is SSH (ssh://... or user@host:path). */
bool tree_git_over_ssh(const char *url);

#endif
