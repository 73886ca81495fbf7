/* strbuf.h — a growable byte buffer on the heap.
 *
 * Used for output that outlives no arena: rendered diagnostics, formatted
 * source. The buffer is always NUL-terminated; data may contain NULs. */
#ifndef CROWN_STRBUF_H
#define CROWN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct StrBuf {
    char *data;
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *b);
void sb_free(StrBuf *b);
void sb_reset(StrBuf *b);
void sb_putn(StrBuf *b, const char *s, size_t n);
void sb_puts(StrBuf *b, const char *s);
void sb_putc(StrBuf *b, char c);
void sb_repeat(StrBuf *b, char c, size_t n);
/* n in decimal: what printf's %u would write, without printf. */
void sb_putu(StrBuf *b, unsigned long long n);
void sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* Removes trailing spaces and tabs. */
void sb_rtrim(StrBuf *b);
/* Hands the buffer to the caller (free() it); b is left empty. */
char *sb_take(StrBuf *b);

#endif
