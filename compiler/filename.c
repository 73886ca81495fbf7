#include "filename.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool filename_reserved(const char *s)
{
    static const char *const devices[] = {"con", "prn", "aux", "nul"};
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        if (strcasecmp(s, devices[i]) == 0)
            return true;
    return (strncasecmp(s, "com", 3) == 0 || strncasecmp(s, "lpt", 3) == 0) &&
           isdigit((unsigned char)s[3]) && s[4] == '\0';
}

void filename_dir(StrBuf *out, const char *ns)
{
    sb_puts(out, ns);
    if (filename_reserved(ns))
        sb_putc(out, '_');
}

void filename_object(StrBuf *out, const char *kind, const char *name, const char *identity,
                     bool clash)
{
    static const char ext[] = ".yaml";
    enum { DIGITS = 16 };
    size_t start = out->len;
    for (const char *k = kind; *k; k++)
        sb_putc(out, (char)tolower((unsigned char)*k));
    sb_printf(out, "-%s", name);
    size_t stem = out->len - start;
    if (!clash && stem + sizeof ext - 1 <= FILE_NAME_MAX_BYTES) {
        sb_puts(out, ext);
        return;
    }
    size_t keep = FILE_NAME_MAX_BYTES - (sizeof ext - 1) - 1 - DIGITS;
    if (stem > keep)
        out->len = start + keep;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_Digest(identity, strlen(identity), md, &n, EVP_sha256(), NULL);
    sb_putc(out, '_');
    for (unsigned i = 0; i < DIGITS / 2; i++)
        sb_printf(out, "%02x", md[i]);
    sb_puts(out, ext);
}

char *filename_path(const char *layer, const char *component, const char *kind, const char *ns,
                    const char *name, const char *identity, bool clash)
{
    StrBuf path;
    sb_init(&path);
    sb_printf(&path, "%s/%s/", layer, component);
    if (ns) {
        filename_dir(&path, ns);
        sb_putc(&path, '/');
    }
    filename_object(&path, kind, name, identity, clash);
    return sb_take(&path);
}
