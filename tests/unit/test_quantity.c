/* test_quantity.c — quantities: every unit, decimals, dimension errors,
 * overflow, canonical spelling and round trips, checked arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "quantity.h"
#include "strbuf.h"

#define KI ((int64_t)1024)
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Splits text as the lexer would ("2.5Gi" -> "2.5", "Gi") and parses it. */
static bool parse_text(const char *text, QDim d, int64_t *out, const char **why)
{
    char number[128];
    size_t n = strspn(text, "0123456789.");
    assert_true(n < sizeof number);
    memcpy(number, text, n);
    number[n] = '\0';
    return quantity_parse(number, text + n, d, out, why);
}

static int64_t parse_ok(const char *text, QDim d)
{
    int64_t v = -1;
    const char *why = NULL;
    if (!parse_text(text, d, &v, &why))
        fail_msg("%s: unexpected error: %s", text, why);
    return v;
}

/* The error for text must mention expect. */
static void parse_err(const char *text, QDim d, const char *expect)
{
    int64_t v = 12345;
    const char *why = NULL;
    if (parse_text(text, d, &v, &why))
        fail_msg("%s: parsed as %lld, expected an error", text, (long long)v);
    assert_non_null(why);
    if (!strstr(why, expect))
        fail_msg("%s: error \"%s\" does not mention \"%s\"", text, why, expect);
    assert_int_equal(v, 12345); /* out untouched */
}

static char *format(QDim d, int64_t v)
{
    StrBuf b;
    sb_init(&b);
    quantity_format(d, v, &b);
    return sb_take(&b);
}

static void assert_format(QDim d, int64_t v, const char *expect)
{
    char *s = format(d, v);
    if (strcmp(s, expect) != 0)
        fail_msg("format(%d, %lld) = \"%s\", expected \"%s\"", (int)d, (long long)v, s, expect);
    free(s);
}

/* ---- units ---- */

static void test_every_byte_unit(void **state)
{
    (void)state;
    static const struct {
        const char *unit;
        int64_t mult;
    } cases[] = {
        {"", 1},
        {"Ki", KI},
        {"Mi", KI * KI},
        {"Gi", KI * KI * KI},
        {"Ti", KI * KI * KI * KI},
        {"Pi", KI * KI * KI * KI * KI},
        {"Ei", KI * KI * KI * KI * KI * KI},
        {"k", 1000},
        {"M", 1000000},
        {"G", 1000000000},
        {"T", 1000000000000},
        {"P", 1000000000000000},
        {"E", 1000000000000000000},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        char text[32];
        snprintf(text, sizeof text, "1%s", cases[i].unit);
        assert_int_equal(parse_ok(text, Q_BYTES), cases[i].mult);
        snprintf(text, sizeof text, "7%s", cases[i].unit);
        assert_int_equal(parse_ok(text, Q_BYTES), 7 * cases[i].mult);
        snprintf(text, sizeof text, "0%s", cases[i].unit);
        assert_int_equal(parse_ok(text, Q_BYTES), 0);
    }
}

static void test_cpu_units(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2", Q_CPU), 2000);
    assert_int_equal(parse_ok("0", Q_CPU), 0);
    assert_int_equal(parse_ok("32", Q_CPU), 32000);
    assert_int_equal(parse_ok("500m", Q_CPU), 500);
    assert_int_equal(parse_ok("1m", Q_CPU), 1);
    assert_int_equal(parse_ok("0m", Q_CPU), 0);
    assert_int_equal(parse_ok("2500m", Q_CPU), 2500);
}

static void test_duration_units(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1s", Q_DURATION), 1);
    assert_int_equal(parse_ok("1m", Q_DURATION), 60);
    assert_int_equal(parse_ok("1h", Q_DURATION), 3600);
    assert_int_equal(parse_ok("1d", Q_DURATION), 86400);
    assert_int_equal(parse_ok("30d", Q_DURATION), 30 * 86400);
    assert_int_equal(parse_ok("90m", Q_DURATION), 5400);
    assert_int_equal(parse_ok("0s", Q_DURATION), 0);
}

static void test_m_follows_the_dimension(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("5m", Q_CPU), 5);
    assert_int_equal(parse_ok("5m", Q_DURATION), 300);
    parse_err("5m", Q_BYTES, "bytes");
}

static void test_unit_dims(void **state)
{
    (void)state;
    assert_int_equal(quantity_unit_dims("m"), QDIM_BIT(Q_CPU) | QDIM_BIT(Q_DURATION));
    static const char *const bytes[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
                                        "k",  "M",  "G",  "T",  "P",  "E"};
    for (size_t i = 0; i < N_OF(bytes); i++)
        assert_int_equal(quantity_unit_dims(bytes[i]), QDIM_BIT(Q_BYTES));
    assert_int_equal(quantity_unit_dims("s"), QDIM_BIT(Q_DURATION));
    assert_int_equal(quantity_unit_dims("h"), QDIM_BIT(Q_DURATION));
    assert_int_equal(quantity_unit_dims("d"), QDIM_BIT(Q_DURATION));
    assert_int_equal(quantity_unit_dims(""), 0);
    assert_int_equal(quantity_unit_dims("GB"), 0);
    assert_int_equal(quantity_unit_dims("K"), 0);
    assert_int_equal(quantity_unit_dims("gi"), 0);
    assert_int_equal(quantity_unit_dims("ms"), 0);
    assert_int_equal(quantity_unit_dims("mi"), 0);
}

/* ---- decimals ---- */

static void test_decimal_bytes(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2.5Gi", Q_BYTES), 5 * KI * KI * KI / 2);
    assert_int_equal(parse_ok("0.5Ki", Q_BYTES), 512);
    assert_int_equal(parse_ok("0.25Ki", Q_BYTES), 256);
    assert_int_equal(parse_ok("0.0009765625Ki", Q_BYTES), 1); /* 1/1024 */
    assert_int_equal(parse_ok("1.5k", Q_BYTES), 1500);
    assert_int_equal(parse_ok("0.001k", Q_BYTES), 1);
    assert_int_equal(parse_ok("1.000000000000000000000000000000Ki", Q_BYTES), 1024);
    assert_int_equal(parse_ok("1.0", Q_BYTES), 1);
    assert_int_equal(parse_ok("007Ki", Q_BYTES), 7 * KI);
    /* 2^-60 has 60 decimal places; times 1Ei it is exactly one byte. */
    assert_int_equal(
        parse_ok("0.000000000000000000867361737988403547205962240695953369140625Ei", Q_BYTES),
        1);
    assert_int_equal(parse_ok("1.5Ei", Q_BYTES), 3 * KI * KI * KI * KI * KI * KI / 2);
    assert_int_equal(parse_ok("0.000000000000000001E", Q_BYTES), 1);
    parse_err("0.3", Q_BYTES, "whole number of bytes");
    parse_err("0.1Ki", Q_BYTES, "whole number of bytes");
    parse_err("0.0001k", Q_BYTES, "whole number of bytes");
    parse_err("0.0000000000000000001E", Q_BYTES, "whole number of bytes");
    parse_err("0.00048828125Ki", Q_BYTES, "whole number of bytes"); /* 1/2048 */
    parse_err("7.99Ei", Q_BYTES, "whole number of bytes");
}

static void test_decimal_cpu(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0.5", Q_CPU), 500);
    assert_int_equal(parse_ok("0.1", Q_CPU), 100);
    assert_int_equal(parse_ok("0.001", Q_CPU), 1);
    assert_int_equal(parse_ok("2.25", Q_CPU), 2250);
    assert_int_equal(parse_ok("1.000000", Q_CPU), 1000);
    assert_int_equal(parse_ok("2.000m", Q_CPU), 2);
    parse_err("1.5m", Q_CPU, "whole number of millicores");
    parse_err("0.0005", Q_CPU, "whole number of millicores");
    parse_err("0.1m", Q_CPU, "whole number of millicores");
}

static void test_decimal_duration(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1.5h", Q_DURATION), 5400);
    assert_int_equal(parse_ok("0.25m", Q_DURATION), 15);
    assert_int_equal(parse_ok("0.5d", Q_DURATION), 43200);
    assert_int_equal(parse_ok("2.0s", Q_DURATION), 2);
    parse_err("0.5s", Q_DURATION, "whole number of seconds");
    parse_err("0.01m", Q_DURATION, "whole number of seconds");
    parse_err("0.00001d", Q_DURATION, "whole number of seconds");
}

/* ---- errors ---- */

static void test_dimension_errors(void **state)
{
    (void)state;
    parse_err("4Gi", Q_CPU, "cpu");
    parse_err("4k", Q_CPU, "cpu");
    parse_err("4s", Q_CPU, "cpu");
    parse_err("4s", Q_BYTES, "bytes");
    parse_err("4d", Q_BYTES, "bytes");
    parse_err("4Gi", Q_DURATION, "duration");
    parse_err("4M", Q_DURATION, "duration");
    parse_err("4GB", Q_BYTES, "unknown unit");
    parse_err("4ms", Q_DURATION, "unknown unit");
    parse_err("4K", Q_BYTES, "unknown unit");
    parse_err("4gi", Q_BYTES, "unknown unit");
}

static void test_plain_duration_is_an_error(void **state)
{
    (void)state;
    parse_err("30", Q_DURATION, "needs a unit");
    parse_err("0", Q_DURATION, "needs a unit");
    parse_err("1.5", Q_DURATION, "needs a unit");
}

static void test_malformed_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {"", ".", ".5", "5.", "1e3", "-1", "+1", "1.2.3",
                                      " 1", "1 ", "1,5", "0x10", "1..2"};
    for (size_t i = 0; i < N_OF(bad); i++)
        for (QDim d = Q_BYTES; d <= Q_DURATION; d++) {
            int64_t v = 7;
            const char *why = NULL;
            if (quantity_parse(bad[i], "", d, &v, &why) || quantity_parse(bad[i], "s", d, &v, &why))
                fail_msg("\"%s\" parsed as a number", bad[i]);
            assert_string_equal(why, "not a number");
            assert_int_equal(v, 7);
        }
}

static void test_overflow(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("9223372036854775807", Q_BYTES), INT64_MAX);
    parse_err("9223372036854775808", Q_BYTES, "too large");
    parse_err("99999999999999999999999999999999", Q_BYTES, "too large");
    assert_int_equal(parse_ok("7Ei", Q_BYTES), 7 * KI * KI * KI * KI * KI * KI);
    parse_err("8Ei", Q_BYTES, "too large");
    parse_err("16Ei", Q_BYTES, "too large");
    assert_int_equal(parse_ok("7.9375Ei", Q_BYTES), INT64_MAX - (KI * KI * KI * KI * KI * 64 - 1));
    assert_int_equal(parse_ok("9.223372036854775807E", Q_BYTES), INT64_MAX);
    parse_err("9.223372036854775808E", Q_BYTES, "too large");
    parse_err("10E", Q_BYTES, "too large");
    assert_int_equal(parse_ok("8388607Ti", Q_BYTES), 8388607 * KI * KI * KI * KI);
    parse_err("8388608Ti", Q_BYTES, "too large");

    assert_int_equal(parse_ok("9223372036854775807m", Q_CPU), INT64_MAX);
    assert_int_equal(parse_ok("9223372036854775", Q_CPU), 9223372036854775000);
    assert_int_equal(parse_ok("9223372036854775.807", Q_CPU), INT64_MAX);
    parse_err("9223372036854776", Q_CPU, "too large");
    parse_err("9223372036854775.808", Q_CPU, "too large");

    assert_int_equal(parse_ok("106751991167300d", Q_DURATION), 106751991167300 * 86400);
    parse_err("106751991167301d", Q_DURATION, "too large");
    assert_int_equal(parse_ok("9223372036854775807s", Q_DURATION), INT64_MAX);
    parse_err("153722867280912931m", Q_DURATION, "too large");
}

/* ---- canonical spelling ---- */

static void test_format_bytes(void **state)
{
    (void)state;
    assert_format(Q_BYTES, 0, "0");
    assert_format(Q_BYTES, 1, "1");
    assert_format(Q_BYTES, 1023, "1023");
    assert_format(Q_BYTES, 1024, "1Ki");
    assert_format(Q_BYTES, 1536, "1536");
    assert_format(Q_BYTES, 1536 * KI * KI, "1536Mi");
    assert_format(Q_BYTES, 4 * KI * KI * KI, "4Gi");
    assert_format(Q_BYTES, 1000, "1k");
    assert_format(Q_BYTES, 1500, "1500");
    assert_format(Q_BYTES, 1500000, "1500k");
    assert_format(Q_BYTES, 2000, "2k");
    assert_format(Q_BYTES, 1024000, "1000Ki"); /* binary wins over 1024k */
    assert_format(Q_BYTES, 1000000, "1M");
    assert_format(Q_BYTES, 1000000000000000000, "1E");
    assert_format(Q_BYTES, KI * KI * KI * KI * KI * KI, "1Ei");
    assert_format(Q_BYTES, 7 * KI * KI * KI * KI * KI * KI, "7Ei");
    assert_format(Q_BYTES, KI * KI * KI * KI, "1Ti");
    assert_format(Q_BYTES, KI * KI * KI * KI * KI, "1Pi");
    assert_format(Q_BYTES, 1000000000000, "1T");
    assert_format(Q_BYTES, 1000000000000000, "1P");
    assert_format(Q_BYTES, 1000000000, "1G");
    /* Divisible by 1024 too, but the decimal spelling is shorter. */
    assert_format(Q_BYTES, 2000000000000, "2T");
    assert_format(Q_BYTES, 5 * (int64_t)1000000000000000000, "5E");
    assert_format(Q_BYTES, 1024 * (int64_t)1000000000000000, "1024P");
    assert_format(Q_BYTES, 3 * KI * 1000000, "3072M");
    assert_format(Q_BYTES, 3 * KI * 1000, "3000Ki");
    assert_format(Q_BYTES, INT64_MAX, "9223372036854775807");
    assert_format(Q_BYTES, -1024, "-1Ki");
    assert_format(Q_BYTES, INT64_MIN, "-8Ei");
    assert_format(Q_BYTES, -1, "-1");
}

static void test_format_cpu(void **state)
{
    (void)state;
    assert_format(Q_CPU, 0, "0");
    assert_format(Q_CPU, 1, "1m");
    assert_format(Q_CPU, 500, "500m");
    assert_format(Q_CPU, 1000, "1");
    assert_format(Q_CPU, 2000, "2");
    assert_format(Q_CPU, 1500, "1500m");
    assert_format(Q_CPU, 32000, "32");
    assert_format(Q_CPU, -500, "-500m");
    assert_format(Q_CPU, -3000, "-3");
    assert_format(Q_CPU, INT64_MAX, "9223372036854775807m");
    assert_format(Q_CPU, INT64_MIN, "-9223372036854775808m");
}

static void test_format_duration(void **state)
{
    (void)state;
    assert_format(Q_DURATION, 0, "0s");
    assert_format(Q_DURATION, 1, "1s");
    assert_format(Q_DURATION, 59, "59s");
    assert_format(Q_DURATION, 60, "1m");
    assert_format(Q_DURATION, 90, "90s");
    assert_format(Q_DURATION, 5400, "90m");
    assert_format(Q_DURATION, 3600, "1h");
    assert_format(Q_DURATION, 90000, "25h");
    assert_format(Q_DURATION, 86400, "1d");
    assert_format(Q_DURATION, 30 * 86400, "30d");
    assert_format(Q_DURATION, 86401, "86401s");
    assert_format(Q_DURATION, -60, "-1m");
    assert_format(Q_DURATION, INT64_MAX, "9223372036854775807s");
}

/* Text in, canonical text out. */
static void test_canonical_spelling(void **state)
{
    (void)state;
    static const struct {
        QDim d;
        const char *in, *out;
    } cases[] = {
        {Q_BYTES, "4Gi", "4Gi"},        {Q_BYTES, "1536Mi", "1536Mi"},
        {Q_BYTES, "2.5Gi", "2560Mi"},   {Q_BYTES, "1024Mi", "1Gi"},
        {Q_BYTES, "1024", "1Ki"},       {Q_BYTES, "1000k", "1M"},
        {Q_BYTES, "1500k", "1500k"},    {Q_BYTES, "1.5M", "1500k"},
        {Q_BYTES, "0.5Gi", "512Mi"},    {Q_BYTES, "1048576k", "1000Mi"},
        {Q_BYTES, "0Gi", "0"},          {Q_BYTES, "7Ei", "7Ei"},
        {Q_BYTES, "4096Pi", "4Ei"},     {Q_BYTES, "1000000000000000000", "1E"},
        {Q_BYTES, "1.5Ei", "1536Pi"},   {Q_BYTES, "20Gi", "20Gi"},
        {Q_CPU, "500m", "500m"},        {Q_CPU, "0.5", "500m"},
        {Q_CPU, "2000m", "2"},          {Q_CPU, "2", "2"},
        {Q_CPU, "1.25", "1250m"},       {Q_CPU, "0m", "0"},
        {Q_DURATION, "30d", "30d"},     {Q_DURATION, "60m", "1h"},
        {Q_DURATION, "1.5h", "90m"},    {Q_DURATION, "120s", "2m"},
        {Q_DURATION, "24h", "1d"},      {Q_DURATION, "0.5d", "12h"},
        {Q_DURATION, "0d", "0s"},       {Q_DURATION, "90s", "90s"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        assert_format(cases[i].d, parse_ok(cases[i].in, cases[i].d), cases[i].out);
}

/* Deterministic pseudo-random values (a 64-bit LCG), so a failure
 * reproduces. */
static uint64_t next(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed;
}

static void round_trip(QDim d, int64_t v)
{
    char *s = format(d, v);
    int64_t back = -1;
    const char *why = NULL;
    if (!parse_text(s, d, &back, &why))
        fail_msg("\"%s\" (from %lld) does not parse: %s", s, (long long)v, why);
    if (back != v)
        fail_msg("\"%s\" parses to %lld, not %lld", s, (long long)back, (long long)v);
    /* Canonical text is a fixed point. */
    char *again = format(d, back);
    assert_string_equal(again, s);
    free(again);
    free(s);
}

static void test_round_trips(void **state)
{
    (void)state;
    static const int64_t fixed[] = {0,          1,          2,          59,         60,
                                    999,        1000,       1001,       1023,       1024,
                                    1025,       1536,       3600,       86400,      86399,
                                    1000000,    1048576,    1500000,    INT64_MAX,  INT64_MAX - 1,
                                    INT64_MAX / 1000 * 1000, INT64_MAX / 60 * 60,
                                    INT64_MAX / 86400 * 86400, (int64_t)1 << 62};
    uint64_t seed = 42;
    for (QDim d = Q_BYTES; d <= Q_DURATION; d++) {
        for (size_t i = 0; i < N_OF(fixed); i++)
            round_trip(d, fixed[i]);
        for (int i = 0; i < 2000; i++) {
            uint64_t r = next(&seed);
            /* Mix sizes and multiples of interesting units. */
            int64_t v = (int64_t)((r >> 1) >> (r & 63));
            static const int64_t mults[] = {1, 60, 1000, 1024, 3600, 86400, 1000000, 1048576};
            int64_t m = mults[(r >> 8) % N_OF(mults)];
            if (v <= INT64_MAX / m)
                v *= m;
            round_trip(d, v);
        }
    }
}

/* ---- arithmetic ---- */

static void test_add_sub(void **state)
{
    (void)state;
    int64_t r = 0;
    assert_true(quantity_add(512 * KI * KI, KI * KI * KI, &r));
    assert_format(Q_BYTES, r, "1536Mi");
    assert_true(quantity_add(INT64_MAX - 1, 1, &r));
    assert_int_equal(r, INT64_MAX);
    r = 77;
    assert_false(quantity_add(INT64_MAX, 1, &r));
    assert_false(quantity_add(1, INT64_MAX, &r));
    assert_false(quantity_add(INT64_MIN, -1, &r));
    assert_int_equal(r, 77);
    assert_true(quantity_add(INT64_MIN, INT64_MAX, &r));
    assert_int_equal(r, -1);
    assert_true(quantity_add(-5, 3, &r));
    assert_int_equal(r, -2);

    assert_true(quantity_sub(2000, 500, &r));
    assert_format(Q_CPU, r, "1500m");
    assert_true(quantity_sub(0, INT64_MAX, &r));
    assert_int_equal(r, -INT64_MAX);
    r = 77;
    assert_false(quantity_sub(-2, INT64_MAX, &r));
    assert_false(quantity_sub(0, INT64_MIN, &r));
    assert_false(quantity_sub(INT64_MAX, -1, &r));
    assert_int_equal(r, 77);
    assert_true(quantity_sub(-1, INT64_MIN, &r));
    assert_int_equal(r, INT64_MAX);
    assert_true(quantity_sub(INT64_MIN, -1, &r));
    assert_int_equal(r, INT64_MIN + 1);
}

static void test_mul(void **state)
{
    (void)state;
    int64_t r = 0;
    assert_true(quantity_mul(4 * KI * KI * KI, 3, &r));
    assert_format(Q_BYTES, r, "12Gi");
    assert_true(quantity_mul(0, INT64_MIN, &r));
    assert_int_equal(r, 0);
    assert_true(quantity_mul(INT64_MIN, 1, &r));
    assert_int_equal(r, INT64_MIN);
    assert_true(quantity_mul(-1, INT64_MAX, &r));
    assert_int_equal(r, -INT64_MAX);
    assert_true(quantity_mul(-1, -INT64_MAX, &r));
    assert_int_equal(r, INT64_MAX);
    assert_true(quantity_mul((int64_t)1 << 62, -2, &r));
    assert_int_equal(r, INT64_MIN);
    r = 77;
    assert_false(quantity_mul(INT64_MIN, -1, &r));
    assert_false(quantity_mul(-1, INT64_MIN, &r));
    assert_false(quantity_mul((int64_t)1 << 62, 2, &r));
    assert_false(quantity_mul(-((int64_t)1 << 62), -2, &r));
    assert_false(quantity_mul(INT64_MAX, INT64_MAX, &r));
    assert_false(quantity_mul(INT64_MIN, INT64_MIN, &r));
    assert_false(quantity_mul(3037000500, 3037000500, &r));
    assert_false(quantity_mul(-3037000500, 3037000500, &r));
    assert_int_equal(r, 77);
    assert_true(quantity_mul(3037000499, 3037000499, &r));
    assert_int_equal(r, 9223372030926249001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_unit),
        cmocka_unit_test(test_cpu_units),
        cmocka_unit_test(test_duration_units),
        cmocka_unit_test(test_m_follows_the_dimension),
        cmocka_unit_test(test_unit_dims),
        cmocka_unit_test(test_decimal_bytes),
        cmocka_unit_test(test_decimal_cpu),
        cmocka_unit_test(test_decimal_duration),
        cmocka_unit_test(test_dimension_errors),
        cmocka_unit_test(test_plain_duration_is_an_error),
        cmocka_unit_test(test_malformed_numbers),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_format_bytes),
        cmocka_unit_test(test_format_cpu),
        cmocka_unit_test(test_format_duration),
        cmocka_unit_test(test_canonical_spelling),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
