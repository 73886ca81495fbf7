/* fuzz_check.c — libFuzzer target for the whole check: the input is a site
 * file, checked against the small library in tests/stdlib (typing,
 * evaluation, checks, components). Every input must end in diagnostics or
 * success — never a crash, a hang or a sanitizer report.
 *
 * The site is written to a private directory once per input, because a
 * site is read from disk (imports and data files are relative to it). */
#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

static char site[4096];

static void setup(void)
{
    if (site[0])
        return;
    char dir[] = "/tmp/crownc-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    snprintf(site, sizeof site, "%s/site.crown", dir);
}

/* Below libFuzzer's memory (2 GiB) and time (10 s) limits, which an input
 * the real limits stop later would otherwise cross: reaching these is a
 * diagnostic (E0223, E0224), as it is for crownc at its own. */
static const EvalLimits fuzz_limits = {5000000, 256u << 20, EVAL_DEFAULT_DEPTH};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    FILE *f = fopen(site, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    DiagList diags;
    diag_init(&diags);
    Program p;
    char err[512];
    if (program_load(&p, site, "tests/stdlib", &diags, err, sizeof err)) {
        p.limits = fuzz_limits;
        program_check(&p);
    }
    program_free(&p);
    diag_free(&diags);
    return 0;
}
