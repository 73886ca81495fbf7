/* source.h — source files and positions in them.
 *
 * A Source owns the bytes of one file exactly as read (no normalisation),
 * so every span points at what the user wrote. Columns count Unicode
 * scalar values from 1; a tab is one column (renderers expand it). */
#ifndef CROWN_SOURCE_H
#define CROWN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Larger inputs are refused: a site file is hand-written text, and the
 * limit bounds the memory and time any input can cost. */
#define SOURCE_MAX_BYTES ((size_t)16 * 1024 * 1024)

typedef struct Source {
    char *path;        /* as the user named it; "<stdin>" for standard input */
    char *text;        /* the bytes, followed by two NULs for the scanner */
    size_t len;
    size_t *lines;     /* byte offset of each line start */
    size_t nlines;
    unsigned id;       /* set by the caller: diagnostics sort by it */
    /* the line of the last position asked for: data files are read
     * front to back, a span for every field (a cache, written through
     * const by source_position) */
    size_t last_line;
} Source;

/* A place in a source: its byte range only. Every value carries one, so
 * it is kept small; lines and columns are worked out from the source's
 * line index when a diagnostic or a listing needs them (span_pos). */
typedef struct Span {
    const Source *src;
    uint32_t start, end;       /* byte range [start, end) */
} Span;

/* Lines and columns, 1-based: of the first byte, and of the last byte's
 * successor. All zero for a span without a source. */
typedef struct SpanPos {
    uint32_t line, col;
    uint32_t end_line, end_col;
} SpanPos;

typedef enum SourceStatus {
    SOURCE_OK,
    SOURCE_IO_ERROR,   /* message in err: cannot open, is a directory, ... */
    SOURCE_TOO_LARGE,  /* loaded nothing; size in *size_out */
} SourceStatus;

/* Reads path ("-" is standard input). On SOURCE_IO_ERROR, err holds a
 * one-line reason. The returned Source is freed with source_free. */
SourceStatus source_load(const char *path, Source **out, char *err, size_t errlen,
                         size_t *size_out);
/* A Source over a copy of bytes[0..len), for tests and the fuzzer. */
Source *source_from_bytes(const char *path, const char *bytes, size_t len);
void source_free(Source *s);

/* The path of rel taken relative to the directory of from_file (a path
 * as the user named it): "sites/lab/site.crown" + "rosters/a.csv" gives
 * "sites/lab/rosters/a.csv". Malloc'ed; the caller frees it. */
char *source_join(const char *from_file, const char *rel);

/* Line and column of a byte offset (offset may equal len). */
void source_position(const Source *s, size_t offset, uint32_t *line, uint32_t *col);
/* A span covering [start, end). */
Span source_span(const Source *s, size_t start, size_t end);
/* Where sp starts and ends, in lines and columns. */
SpanPos span_pos(const Span *sp);
/* The line sp starts on (0 without a source). */
uint32_t span_line(const Span *sp);
/* Whether offsets a <= b of s are on one line. */
bool source_same_line(const Source *s, size_t a, size_t b);
/* The text of line (1-based) without its line terminator (nor, on line 1,
 * a byte order mark). */
const char *source_line(const Source *s, uint32_t line, size_t *len);

#endif
