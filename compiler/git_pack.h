/* git_pack.h — the objects of one commit as one Git pack and its index.
 *
 * libgit2's pack builder searches deltas between every object it packs;
 * for the twenty thousand generated files of a large site that search
 * was most of a build into a repository, and grew faster than the site.
 * A build's new objects are few after the first (the files that
 * changed and the trees above them), and the remote repacks what it
 * receives anyway, so they are packed here whole: each object deflated
 * on its own (zlib's fastest level), the pack's index written alongside
 * (version 2), both under their final names only once complete.
 *
 * Objects are packed in the order given; the result depends on the
 * objects alone. */
#ifndef CROWN_GIT_PACK_H
#define CROWN_GIT_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

typedef struct GitPackObject {
    git_oid id;       /* its id: the caller vouches for it */
    git_object_t type; /* commit, tree, blob or tag */
    const void *data;
    size_t len;
} GitPackObject;

/* Writes objs[0..n) (distinct ids, n > 0) into dir, a repository's
 * objects/pack, as pack-<checksum>.pack and .idx. Returns false with a
 * message in err when a file cannot be written; nothing is left behind
 * under a pack's name then. */
bool gitpack_write(const char *dir, const GitPackObject *objs, size_t n, char *err,
                   size_t errlen);

#endif
