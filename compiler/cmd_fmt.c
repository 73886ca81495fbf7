/* cmd_fmt.c — `crownc fmt`: print, check or rewrite files in canonical
 * layout. A file is only ever replaced by text that parses back to the
 * same tree, and only through an atomic rename. */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "unit.h"

typedef struct FmtMode {
    bool check, write;
} FmtMode;

/* The formatter's own safety net: its output must mean what the input
 * meant. A failure here is a bug in crownc, never the user's. */
static bool same_meaning(const Unit *u, const StrBuf *text)
{
    Source *s = source_from_bytes(u->src->path, text->data ? text->data : "", text->len);
    Arena ar;
    arena_init(&ar);
    DiagList d;
    diag_init(&d);
    ParseOutput p = parse_source(s, &ar, &d);
    bool ok = d.errors == 0 && ast_equal(p.root, u->parsed.root);
    diag_free(&d);
    arena_free(&ar);
    source_free(s);
    return ok;
}

static int write_atomic_at(const char *path, const StrBuf *text)
{
    struct stat st;
    mode_t mode = 0644;
    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return -1;
    snprintf(tmp, n + 16, "%s.fmt-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    bool ok = fchmod(fd, mode) == 0;
    size_t off = 0;
    while (ok && off < text->len) {
        ssize_t w = write(fd, text->data + off, text->len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    ok = fsync(fd) == 0 && ok;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return ok ? 0 : -1;
}

/* A symbolic link stays one: the file it points at is what is rewritten,
 * in its own directory, so the rename replaces the target. */
static int write_atomic(const char *named, const StrBuf *text)
{
    char *path = realpath(named, NULL);
    if (!path)
        return -1;
    int rc = write_atomic_at(path, text);
    free(path);
    return rc;
}

static int format_one(const CliOptions *o, const FmtMode *m, const char *path, unsigned id)
{
    Arena ar;
    arena_init(&ar);
    DiagList diags;
    diag_init(&diags);
    Unit u;
    char err[512];
    int status = EXIT_OK;
    if (unit_load(path, id, &ar, &diags, &u, err, sizeof err) != UNIT_OK) {
        cli_error("%s", err);
        status = EXIT_USAGE;
        goto done;
    }
    if (diags.errors) {
        cli_print_diags(o, &diags);
        status = EXIT_DIAG;
        goto done_unit;
    }
    StrBuf out;
    sb_init(&out);
    fmt_file(u.src, &u.parsed, &out);
    if (!same_meaning(&u, &out)) {
        cli_error("%s: internal error: formatting would change the meaning; file left as it "
                  "is (please report this with the file)", path);
        status = EXIT_USAGE;
    } else {
        bool changed = out.len != u.src->len || memcmp(out.data, u.src->text, out.len) != 0;
        if (m->check) {
            if (changed) {
                printf("%s\n", u.src->path);
                status = EXIT_DIAG;
            }
        } else if (m->write) {
            if (changed && write_atomic(path, &out) != 0) {
                cli_error("%s: cannot write: %s", path, strerror(errno));
                status = EXIT_USAGE;
            }
        } else {
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        }
    }
    sb_free(&out);
done_unit:
    unit_free(&u);
done:
    diag_free(&diags);
    arena_free(&ar);
    return status;
}

int cmd_fmt(CliOptions *o, int argc, char **argv)
{
    FmtMode m = {false, false};
    const char *files[argc > 0 ? argc : 1];
    int nfiles = 0;
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
        } else if (!options_done && strcmp(a, "--check") == 0) {
            m.check = true;
        } else if (!options_done && (strcmp(a, "-w") == 0 || strcmp(a, "--write") == 0)) {
            m.write = true;
        } else if (!options_done && a[0] == '-' && a[1]) {
            int r = cli_render_option(o, argc, argv, &i);
            if (r < 0)
                return EXIT_USAGE;
            if (r == 0) {
                cli_error("fmt: unknown option '%s'", a);
                return EXIT_USAGE;
            }
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        cli_error("fmt: no files given (usage: crownc fmt [--check] [-w] FILE...)");
        return EXIT_USAGE;
    }
    if (m.check && m.write) {
        cli_error("fmt: --check and -w cannot be used together");
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        if (m.write && strcmp(files[i], "-") == 0) {
            cli_error("fmt: -w cannot rewrite standard input");
            status = EXIT_USAGE;
            continue;
        }
        int s = format_one(o, &m, files[i], (unsigned)i);
        if (s > status)
            status = s;
    }
    return status;
}
