/* fuzz_front.c — libFuzzer target for the front end.
 *
 * Every input must parse without a crash, a hang or a sanitizer report.
 * An input that parses cleanly must also satisfy the formatter's two
 * promises: the formatted text parses to the same tree, and formatting it
 * again changes nothing. A broken promise aborts, so libFuzzer keeps the
 * input as a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "parse.h"

static void format(const Source *src, const ParseOutput *p, StrBuf *out)
{
    sb_init(out);
    fmt_file(src, p, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Source *src = source_from_bytes("<fuzz>", (const char *)data, size);
    Arena ar;
    arena_init(&ar);
    DiagList diags;
    diag_init(&diags);
    ParseOutput p = parse_source(src, &ar, &diags);
    if (diags.errors == 0) {
        StrBuf once;
        format(src, &p, &once);
        Source *src2 = source_from_bytes("<fuzz-fmt>", once.data ? once.data : "", once.len);
        DiagList d2;
        diag_init(&d2);
        ParseOutput p2 = parse_source(src2, &ar, &d2);
        if (d2.errors != 0 || !ast_equal(p.root, p2.root))
            abort(); /* formatting changed the meaning */
        StrBuf twice;
        format(src2, &p2, &twice);
        if (twice.len != once.len || memcmp(twice.data, once.data, once.len) != 0)
            abort(); /* formatting is not idempotent */
        sb_free(&twice);
        diag_free(&d2);
        source_free(src2);
        sb_free(&once);
    }
    diag_free(&diags);
    arena_free(&ar);
    source_free(src);
    return 0;
}
