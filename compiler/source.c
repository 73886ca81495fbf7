#include "arena.h"
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void index_lines(Source *s)
{
    size_t n = 1;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n')
            n++;
    s->lines = xmalloc(n * sizeof *s->lines);
    s->nlines = 0;
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n')
            s->lines[s->nlines++] = i + 1;
}

static Source *make_source(const char *path, char *text, size_t len)
{
    Source *s = xmalloc(sizeof *s);
    size_t plen = strlen(path);
    s->path = xmalloc(plen + 1);
    memcpy(s->path, path, plen + 1);
    s->text = text;
    s->len = len;
    s->id = 0;
    s->last_line = 0;
    index_lines(s);
    return s;
}

Source *source_from_bytes(const char *path, const char *bytes, size_t len)
{
    char *text = xmalloc(len + 2);
    if (len)
        memcpy(text, bytes, len);
    text[len] = text[len + 1] = '\0';
    return make_source(path, text, len);
}

static SourceStatus io_error(char *err, size_t errlen, const char *path, const char *why)
{
    snprintf(err, errlen, "%s: %s", path, why);
    return SOURCE_IO_ERROR;
}

/* Reads at most SOURCE_MAX_BYTES + 1 bytes, so a huge or endless input
 * (a pipe, /dev/zero) is recognised as too large without reading it all. */
static SourceStatus read_all(FILE *f, const char *path, char **text, size_t *len,
                             char *err, size_t errlen)
{
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 2);
    for (;;) {
        if (n == cap) {
            if (cap > SOURCE_MAX_BYTES)
                break;
            cap *= 2;
            char *p = realloc(buf, cap + 2);
            if (!p) {
                free(buf);
                return io_error(err, errlen, path, "out of memory");
            }
            buf = p;
        }
        size_t want = cap - n;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (got < want) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                return io_error(err, errlen, path, e ? strerror(e) : "read error");
            }
            break;
        }
    }
    buf[n] = buf[n + 1] = '\0';
    *text = buf;
    *len = n;
    return SOURCE_OK;
}

/* Opens path, or standard input for "-", into *f with its status in *st.
 * O_NONBLOCK: opening a FIFO must not wait for a writer. Only regular
 * files are read (standard input excepted, when asked for by "-"): a
 * FIFO, a device or a socket could block or never end. */
/* A refusal that names what the path is: the operator who gave a socket
 * or a device for a roster learns which. */
static SourceStatus not_a_file(char *err, size_t errlen, const char *path, mode_t mode)
{
    if (S_ISDIR(mode))
        return io_error(err, errlen, path, "is a directory, not a file");
    const char *what = S_ISFIFO(mode)   ? "a FIFO"
                       : S_ISSOCK(mode) ? "a socket"
                       : S_ISCHR(mode)  ? "a character device"
                       : S_ISBLK(mode)  ? "a block device"
                                        : "a special file";
    char why[96];
    snprintf(why, sizeof why, "is %s, not a regular file, and only files are read", what);
    return io_error(err, errlen, path, why);
}

static SourceStatus open_input(const char *path, FILE **f, struct stat *st, char *err,
                               size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        *f = stdin;
        if (fstat(0, st) != 0)
            st->st_mode = 0;
        return S_ISDIR(st->st_mode) ? io_error(err, errlen, path, "is a directory, not a file")
                                    : SOURCE_OK;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        /* A socket cannot be opened at all (ENXIO): say what it is. */
        int e = errno;
        if (stat(path, st) == 0 && !S_ISREG(st->st_mode))
            return not_a_file(err, errlen, path, st->st_mode);
        return io_error(err, errlen, path, strerror(e));
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        mode_t mode = st->st_mode;
        close(fd);
        return not_a_file(err, errlen, path, mode);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!(*f = fdopen(fd, "rb"))) {
        close(fd);
        return io_error(err, errlen, path, strerror(errno));
    }
    return SOURCE_OK;
}

SourceStatus source_load(const char *path, Source **out, char *err, size_t errlen,
                         size_t *size_out)
{
    *out = NULL;
    *size_out = 0;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = NULL;
    struct stat st;
    SourceStatus opened = open_input(path, &f, &st, err, errlen);
    if (opened != SOURCE_OK)
        return opened;
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > SOURCE_MAX_BYTES) {
        if (!is_stdin)
            fclose(f);
        *size_out = (size_t)st.st_size;
        return SOURCE_TOO_LARGE;
    }
    char *text;
    size_t len;
    SourceStatus rc = read_all(f, path, &text, &len, err, errlen);
    if (!is_stdin)
        fclose(f);
    if (rc != SOURCE_OK)
        return rc;
    if (len > SOURCE_MAX_BYTES) {
        free(text);
        *size_out = len;
        return SOURCE_TOO_LARGE;
    }
    *out = make_source(is_stdin ? "<stdin>" : path, text, len);
    return SOURCE_OK;
}

void source_free(Source *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->text);
    free(s->lines);
    free(s);
}

static size_t line_index(const Source *s, size_t offset)
{
    size_t last = s->last_line;
    if (last < s->nlines && s->lines[last] <= offset &&
        (last + 1 == s->nlines || offset < s->lines[last + 1]))
        return last;
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void source_position(const Source *s, size_t offset, uint32_t *line, uint32_t *col)
{
    if (offset > s->len)
        offset = s->len;
    size_t li = line_index(s, offset);
    ((Source *)s)->last_line = li;
    size_t from = s->lines[li];
    /* A byte order mark that starts the file is not text: the scanner
     * skips it, and columns on the first line count from after it. */
    if (li == 0 && offset >= 3 && s->len >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0)
        from = 3;
    uint32_t c = 1;
    for (size_t i = from; i < offset; i++)
        if (((unsigned char)s->text[i] & 0xC0) != 0x80)
            c++;
    *line = (uint32_t)li + 1;
    *col = c;
}

Span source_span(const Source *s, size_t start, size_t end)
{
    Span sp;
    sp.src = s;
    sp.start = (uint32_t)start;
    sp.end = (uint32_t)end;
    return sp;
}

SpanPos span_pos(const Span *sp)
{
    SpanPos p = {0};
    if (sp->src) {
        source_position(sp->src, sp->start, &p.line, &p.col);
        source_position(sp->src, sp->end, &p.end_line, &p.end_col);
    }
    return p;
}

bool source_same_line(const Source *s, size_t a, size_t b)
{
    if (b > s->len)
        b = s->len;
    return a >= b || !memchr(s->text + a, '\n', b - a);
}

uint32_t span_line(const Span *sp)
{
    uint32_t line = 0, col;
    if (sp->src)
        source_position(sp->src, sp->start, &line, &col);
    return line;
}

const char *source_line(const Source *s, uint32_t line, size_t *len)
{
    if (line == 0 || line > s->nlines) {
        *len = 0;
        return "";
    }
    size_t start = s->lines[line - 1];
    size_t end = line < s->nlines ? s->lines[line] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r')
        end--;
    /* Columns on the first line count from after a byte order mark. */
    if (line == 1 && end >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    *len = end - start;
    return s->text + start;
}

char *source_join(const char *from_file, const char *rel)
{
    const char *slash = strrchr(from_file, '/');
    size_t dir = slash ? (size_t)(slash - from_file) + 1 : 0;
    size_t n = strlen(rel);
    char *out = malloc(dir + n + 1);
    if (!out)
        abort();
    memcpy(out, from_file, dir);
    memcpy(out + dir, rel, n + 1);
    return out;
}
