/* utf8.h — UTF-8 decoding, the one definition crownc uses wherever text
 * from a file must be checked (data files) or shown (diagnostics). */
#ifndef CROWN_UTF8_H
#define CROWN_UTF8_H

#include <stddef.h>

/* The code point of the sequence at s[0..n) (n >= 1) and its length in
 * *len; -1 with *len 1 for a byte that starts no valid sequence (overlong
 * forms, surrogates and code points past U+10FFFF are invalid). */
long utf8_decode(const unsigned char *s, size_t n, size_t *len);
/* The offset of the first byte of s[0..n) that is not valid UTF-8, or n
 * when all of it is. */
size_t utf8_invalid_at(const char *s, size_t n);

#endif
