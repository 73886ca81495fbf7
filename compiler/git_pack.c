/* git_pack.c — see git_pack.h. The formats are Git's pack version 2 and
 * pack index version 2 (Documentation/gitformat-pack.txt). */
#include "git_pack.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#define SHA1_BYTES 20

static bool fail(char *err, size_t errlen, const char *what, const char *path)
{
    snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno ? errno : EIO));
    return false;
}

/* ---- a file written with a running SHA-1 of its bytes ------------------ */

typedef struct Out {
    FILE *f;
    char path[4096];
    EVP_MD_CTX *sha;
    uint64_t offset;
    bool ok;
} Out;

static bool out_open(Out *o, const char *dir)
{
    memset(o, 0, sizeof *o);
    if ((size_t)snprintf(o->path, sizeof o->path, "%s/tmp_pack_crownc_XXXXXX", dir) >=
        sizeof o->path) {
        errno = ENAMETOOLONG;
        return false;
    }
    int fd = mkstemp(o->path);
    if (fd < 0)
        return false;
    o->f = fdopen(fd, "wb");
    o->sha = EVP_MD_CTX_new();
    o->ok = o->f && o->sha && EVP_DigestInit_ex(o->sha, EVP_sha1(), NULL) == 1;
    if (!o->f)
        close(fd);
    return o->ok;
}

static void out_write(Out *o, const void *p, size_t n)
{
    if (!o->ok || n == 0)
        return;
    o->ok = EVP_DigestUpdate(o->sha, p, n) == 1 && fwrite(p, 1, n, o->f) == n;
    o->offset += n;
}

static void out_be32(Out *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    out_write(o, b, 4);
}

/* Appends the checksum of everything written (not itself hashed), then
 * closes the file. */
static bool out_finish(Out *o, unsigned char sum[SHA1_BYTES])
{
    unsigned int len = 0;
    if (o->ok)
        o->ok = EVP_DigestFinal_ex(o->sha, sum, &len) == 1 && len == SHA1_BYTES &&
                fwrite(sum, 1, SHA1_BYTES, o->f) == SHA1_BYTES;
    if (o->f && fclose(o->f) != 0)
        o->ok = false;
    o->f = NULL;
    EVP_MD_CTX_free(o->sha);
    o->sha = NULL;
    return o->ok;
}

static void out_discard(Out *o)
{
    if (o->f)
        fclose(o->f);
    EVP_MD_CTX_free(o->sha);
    if (o->path[0])
        unlink(o->path);
    memset(o, 0, sizeof *o);
}

/* ---- the pack ---------------------------------------------------------- */

/* The entry header: the type and the inflated size, 4 bits of it in the
 * first byte, 7 in each further one. */
static size_t entry_header(unsigned char *h, git_object_t type, size_t len)
{
    size_t n = 0;
    unsigned char c = (unsigned char)(((unsigned)type & 7) << 4 | (len & 15));
    len >>= 4;
    while (len) {
        h[n++] = c | 0x80;
        c = len & 0x7f;
        len >>= 7;
    }
    h[n++] = c;
    return n;
}

typedef struct Packed {
    uint64_t offset;
    uint32_t crc;
} Packed;

/* One object: its header and its deflated bytes. buf is scratch room,
 * grown as needed. */
static bool pack_object(Out *o, const GitPackObject *obj, unsigned char **buf, size_t *cap,
                        Packed *at)
{
    unsigned char head[16];
    size_t hn = entry_header(head, obj->type, obj->len);
    uLong bound = compressBound((uLong)obj->len);
    if (bound > *cap) {
        unsigned char *grown = realloc(*buf, bound);
        if (!grown)
            return false;
        *buf = grown;
        *cap = bound;
    }
    uLongf zlen = (uLongf)*cap;
    const Bytef *src = obj->len ? obj->data : (const Bytef *)"";
    if (compress2(*buf, &zlen, src, (uLong)obj->len, Z_BEST_SPEED) != Z_OK)
        return false;
    at->offset = o->offset;
    at->crc = (uint32_t)crc32(crc32(0L, head, (uInt)hn), *buf, (uInt)zlen);
    out_write(o, head, hn);
    out_write(o, *buf, zlen);
    return o->ok;
}

static bool write_pack(Out *o, const GitPackObject *objs, size_t n, Packed *at,
                       unsigned char sum[SHA1_BYTES])
{
    out_write(o, "PACK", 4);
    out_be32(o, 2);
    out_be32(o, (uint32_t)n);
    unsigned char *buf = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n && o->ok; i++)
        o->ok = pack_object(o, &objs[i], &buf, &cap, &at[i]);
    free(buf);
    return out_finish(o, sum);
}

/* ---- the index --------------------------------------------------------- */

static const GitPackObject *sort_base;

static int by_id(const void *a, const void *b)
{
    return git_oid_cmp(&sort_base[*(const size_t *)a].id, &sort_base[*(const size_t *)b].id);
}

static bool write_index(Out *o, const GitPackObject *objs, size_t n, const Packed *at,
                        const size_t *order, const unsigned char pack_sum[SHA1_BYTES])
{
    static const unsigned char magic[4] = {0xff, 't', 'O', 'c'};
    out_write(o, magic, 4);
    out_be32(o, 2);
    /* fan-out: how many ids start with a byte up to each value */
    size_t k = 0;
    for (unsigned b = 0; b < 256; b++) {
        while (k < n && objs[order[k]].id.id[0] <= b)
            k++;
        out_be32(o, (uint32_t)k);
    }
    for (size_t i = 0; i < n; i++)
        out_write(o, objs[order[i]].id.id, SHA1_BYTES);
    for (size_t i = 0; i < n; i++)
        out_be32(o, at[order[i]].crc);
    /* offsets past 2 GiB go to a table of 8-byte ones */
    uint32_t nlarge = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t off = at[order[i]].offset;
        out_be32(o, off < 0x80000000u ? (uint32_t)off : 0x80000000u | nlarge++);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t off = at[order[i]].offset;
        if (off >= 0x80000000u) {
            out_be32(o, (uint32_t)(off >> 32));
            out_be32(o, (uint32_t)off);
        }
    }
    out_write(o, pack_sum, SHA1_BYTES);
    unsigned char sum[SHA1_BYTES];
    return out_finish(o, sum);
}

/* ---- both, under their names ------------------------------------------- */

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Read-only, as Git leaves its packs, then under the final name. */
static bool place(const char *tmp, const char *final)
{
    return chmod(tmp, 0444) == 0 && rename(tmp, final) == 0;
}

/* Both files under temporary names, complete. */
static bool write_files(const char *dir, const GitPackObject *objs, size_t n, Out *pack,
                        Out *idx, unsigned char sum[SHA1_BYTES], char *err, size_t errlen)
{
    Packed *at = calloc(n ? n : 1, sizeof *at);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    if (!at || !order) {
        fputs("crownc: out of memory\n", stderr);
        abort();
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_base = objs;
    qsort(order, n, sizeof *order, by_id);
    errno = 0;
    bool ok = (out_open(pack, dir) && write_pack(pack, objs, n, at, sum)) ||
              fail(err, errlen, "cannot write a pack in", dir);
    ok = ok && ((out_open(idx, dir) && write_index(idx, objs, n, at, order, sum)) ||
                fail(err, errlen, "cannot write a pack index in", dir));
    free(at);
    free(order);
    return ok;
}

/* The pack first: Git sees a pack once its index is there. A pack of the
 * same name is the same objects: it is kept. */
static bool name_files(const char *dir, Out *pack, Out *idx, const unsigned char sum[SHA1_BYTES],
                       char *err, size_t errlen)
{
    char hex[2 * SHA1_BYTES + 1], pack_name[4096 + 64], idx_name[4096 + 64];
    for (size_t i = 0; i < SHA1_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", sum[i]);
    snprintf(pack_name, sizeof pack_name, "%s/pack-%s.pack", dir, hex);
    snprintf(idx_name, sizeof idx_name, "%s/pack-%s.idx", dir, hex);
    if (exists(idx_name) && exists(pack_name))
        return true;
    if (!place(pack->path, pack_name))
        return fail(err, errlen, "cannot name the pack", pack_name);
    pack->path[0] = '\0';
    if (!place(idx->path, idx_name)) {
        fail(err, errlen, "cannot name the pack index", idx_name);
        unlink(pack_name);
        return false;
    }
    idx->path[0] = '\0';
    return true;
}

bool gitpack_write(const char *dir, const GitPackObject *objs, size_t n, char *err,
                   size_t errlen)
{
    if (n > UINT32_MAX) {
        snprintf(err, errlen, "too many objects for one pack");
        return false;
    }
    Out pack, idx;
    memset(&pack, 0, sizeof pack);
    memset(&idx, 0, sizeof idx);
    unsigned char sum[SHA1_BYTES];
    bool ok = write_files(dir, objs, n, &pack, &idx, sum, err, errlen) &&
              name_files(dir, &pack, &idx, sum, err, errlen);
    /* whatever is still under a temporary name goes */
    out_discard(&pack);
    out_discard(&idx);
    return ok;
}
