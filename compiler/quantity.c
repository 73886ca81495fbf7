#include "quantity.h"

#include <inttypes.h>
#include <string.h>

/* A suffix and how many base units of its dimension it stands for. */
typedef struct Unit {
    const char *name;
    QDim dim;
    int64_t mult;
} Unit;

#define KI ((int64_t)1024)
#define K1 ((int64_t)1000)

/* Largest first within each kind: quantity_format takes the first that
 * divides exactly, and binary before decimal. */
static const Unit units[] = {
    {"Ei", Q_BYTES, KI * KI * KI * KI * KI * KI},
    {"Pi", Q_BYTES, KI * KI * KI * KI * KI},
    {"Ti", Q_BYTES, KI * KI * KI * KI},
    {"Gi", Q_BYTES, KI * KI * KI},
    {"Mi", Q_BYTES, KI * KI},
    {"Ki", Q_BYTES, KI},
    {"E", Q_BYTES, K1 * K1 * K1 * K1 * K1 * K1},
    {"P", Q_BYTES, K1 * K1 * K1 * K1 * K1},
    {"T", Q_BYTES, K1 * K1 * K1 * K1},
    {"G", Q_BYTES, K1 * K1 * K1},
    {"M", Q_BYTES, K1 * K1},
    {"k", Q_BYTES, K1},
    {"m", Q_CPU, 1},
    {"d", Q_DURATION, 86400},
    {"h", Q_DURATION, 3600},
    {"m", Q_DURATION, 60},
    {"s", Q_DURATION, 1},
};
#define NUNITS (sizeof units / sizeof units[0])

static const char *const wrong_unit[] = {
    [Q_BYTES] = "not a unit of bytes (Ki Mi Gi Ti Pi Ei, k M G T P E)",
    [Q_CPU] = "cpu is written in cores (2, 0.5) or millicores (500m)",
    [Q_DURATION] = "not a unit of duration (s m h d)",
};

static const char *const not_whole[] = {
    [Q_BYTES] = "not a whole number of bytes",
    [Q_CPU] = "not a whole number of millicores",
    [Q_DURATION] = "not a whole number of seconds",
};

int quantity_unit_dims(const char *unit)
{
    int dims = 0;
    for (size_t i = 0; i < NUNITS; i++)
        if (strcmp(units[i].name, unit) == 0)
            dims |= QDIM_BIT(units[i].dim);
    return dims;
}

/* The multiplier of unit in dimension d, or 0 if it has none there. */
static int64_t multiplier(const char *unit, QDim d)
{
    if (unit[0] == '\0')
        return d == Q_BYTES ? 1 : d == Q_CPU ? 1000 : 0;
    for (size_t i = 0; i < NUNITS; i++)
        if (units[i].dim == d && strcmp(units[i].name, unit) == 0)
            return units[i].mult;
    return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Multiplies the decimal fraction 0.frac[0..n) by mult, which is at most
 * about 1.2e18, from the last digit to the first as in long multiplication.
 * Each step is below 10 * mult, so it fits in uint64_t. The result is whole
 * only if every digit left behind the point is zero. */
static bool fraction_times(const char *frac, size_t n, int64_t mult, int64_t *out)
{
    uint64_t carry = 0;
    bool whole = true;
    for (size_t i = n; i-- > 0;) {
        uint64_t t = (uint64_t)(frac[i] - '0') * (uint64_t)mult + carry;
        if (t % 10 != 0)
            whole = false;
        carry = t / 10;
    }
    *out = (int64_t)carry; /* carry < mult */
    return whole;
}

bool quantity_parse(const char *number, const char *unit, QDim want, int64_t *out,
                    const char **why)
{
    size_t ilen = 0;
    while (is_digit(number[ilen]))
        ilen++;
    const char *frac = NULL;
    size_t flen = 0;
    if (number[ilen] == '.') {
        frac = number + ilen + 1;
        while (is_digit(frac[flen]))
            flen++;
    }
    if (ilen == 0 || (frac && flen == 0) || (frac ? frac[flen] : number[ilen]) != '\0') {
        *why = "not a number";
        return false;
    }

    int64_t mult = multiplier(unit, want);
    if (mult == 0) {
        *why = want == Q_DURATION && unit[0] == '\0' ? "a duration needs a unit: s, m, h or d"
               : quantity_unit_dims(unit)            ? wrong_unit[want]
                                                     : "unknown unit";
        return false;
    }

    int64_t whole = 0;
    for (size_t i = 0; i < ilen; i++) {
        int digit = number[i] - '0';
        if (whole > (INT64_MAX - digit) / 10) {
            *why = "too large";
            return false;
        }
        whole = whole * 10 + digit;
    }
    int64_t part = 0;
    if (frac && !fraction_times(frac, flen, mult, &part)) {
        *why = not_whole[want];
        return false;
    }
    if (!quantity_mul(whole, mult, &whole) || !quantity_add(whole, part, &whole)) {
        *why = "too large";
        return false;
    }
    *out = whole;
    return true;
}

static int digits(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

void quantity_format(QDim d, int64_t v, StrBuf *out)
{
    if (v < 0)
        sb_putc(out, '-');
    /* The magnitude as unsigned, so that INT64_MIN has one too. */
    uint64_t m = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    if (d == Q_CPU) {
        if (m % 1000 == 0)
            sb_printf(out, "%" PRIu64, m / 1000);
        else
            sb_printf(out, "%" PRIu64 "m", m);
        return;
    }
    const Unit *best = NULL;
    if (m != 0)
        for (size_t i = 0; i < NUNITS; i++) {
            const Unit *u = &units[i];
            if (u->dim != d || m % (uint64_t)u->mult != 0)
                continue;
            /* Bytes: a decimal suffix wins only with a shorter number, so
             * 10^12 is "1T" but 1024000 is "1000Ki". */
            if (!best || digits(m / (uint64_t)u->mult) < digits(m / (uint64_t)best->mult))
                best = u;
            if (d == Q_DURATION)
                break;
        }
    if (best)
        sb_printf(out, "%" PRIu64 "%s", m / (uint64_t)best->mult, best->name);
    else
        sb_printf(out, "%" PRIu64 "%s", m, d == Q_DURATION ? "s" : "");
}

bool quantity_add(int64_t a, int64_t b, int64_t *out)
{
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
        return false;
    *out = a + b;
    return true;
}

bool quantity_sub(int64_t a, int64_t b, int64_t *out)
{
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b))
        return false;
    *out = a - b;
    return true;
}

bool quantity_mul(int64_t a, int64_t k, int64_t *out)
{
    bool over;
    if (a == 0 || k == 0)
        over = false;
    else if (a > 0)
        over = k > 0 ? a > INT64_MAX / k : k < INT64_MIN / a;
    else
        over = k > 0 ? a < INT64_MIN / k : a < INT64_MAX / k;
    if (over)
        return false;
    *out = a * k;
    return true;
}
