#include "net.h"

#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int family_bits(uint8_t family) { return family == 4 ? 32 : 128; }

/* ---- parsing ---- */

/* Four decimal octets into q. Leading zeros are refused because inet_aton
 * and its heirs read "010" as octal 8: the text would mean different
 * addresses to different tools. */
static bool parse_v4(const char *s, size_t n, uint8_t q[4], const char **why)
{
    size_t i = 0;
    int part = 0;
    for (;;) {
        size_t start = i;
        unsigned val = 0;
        while (i < n && is_digit(s[i])) {
            if (val <= 255)
                val = val * 10 + (unsigned)(s[i] - '0');
            i++;
        }
        if (i == start) {
            *why = i < n && s[i] != '.' ? "unexpected character in IPv4 address"
                                        : "empty part in IPv4 address";
            return false;
        }
        if (i - start > 1 && s[start] == '0') {
            *why = "leading zero in an IPv4 octet";
            return false;
        }
        if (val > 255) {
            *why = "IPv4 octet above 255";
            return false;
        }
        q[part++] = (uint8_t)val;
        if (i == n)
            break;
        if (s[i] != '.') {
            *why = "unexpected character in IPv4 address";
            return false;
        }
        if (part == 4) {
            *why = "an IPv4 address has four parts, this has more";
            return false;
        }
        i++;
    }
    if (part != 4) {
        *why = "an IPv4 address has four parts, this has fewer";
        return false;
    }
    return true;
}

/* One group of hex digits at s[*i], which is not ':'. */
static bool parse_group(const char *s, size_t n, size_t *i, uint16_t *g, const char **why)
{
    size_t start = *i;
    unsigned val = 0;
    while (*i < n && hex_value(s[*i]) >= 0) {
        if (*i - start == 4) {
            *why = "an IPv6 group has at most four hex digits";
            return false;
        }
        val = val * 16 + (unsigned)hex_value(s[*i]);
        (*i)++;
    }
    if (*i == start || (*i < n && s[*i] != ':')) {
        *why = "unexpected character in IPv6 address";
        return false;
    }
    *g = (uint16_t)val;
    return true;
}

/* Groups are collected in order; gap records where `::` stood, and the
 * zeros it stands for are inserted there at the end. */
static bool parse_v6(const char *s, size_t n, uint8_t b[16], const char **why)
{
    uint16_t g[8];
    int ng = 0, gap = -1;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (s[0] == ':') {
        *why = "an IPv6 address cannot start with a single `:`";
        return false;
    }
    if (i < n && s[i] == ':') {
        *why = "`:::` is not valid in an IPv6 address";
        return false;
    }
    while (i < n) {
        const char *colon = memchr(s + i, ':', n - i);
        size_t end = colon ? (size_t)(colon - s) : n;
        if (memchr(s + i, '.', end - i)) {
            uint8_t q[4];
            if (end != n) {
                *why = "an embedded IPv4 address must come last";
                return false;
            }
            if (ng > 6) {
                *why = "too many groups in IPv6 address";
                return false;
            }
            if (!parse_v4(s + i, n - i, q, why))
                return false;
            g[ng++] = (uint16_t)(q[0] << 8 | q[1]);
            g[ng++] = (uint16_t)(q[2] << 8 | q[3]);
            break;
        }
        if (ng == 8) {
            *why = "too many groups in IPv6 address";
            return false;
        }
        if (!parse_group(s, n, &i, &g[ng++], why))
            return false;
        if (i == n)
            break;
        if (i + 1 < n && s[i + 1] == ':') {
            if (i + 2 < n && s[i + 2] == ':') {
                *why = "`:::` is not valid in an IPv6 address";
                return false;
            }
            if (gap >= 0) {
                *why = "`::` may appear only once in an IPv6 address";
                return false;
            }
            gap = ng;
            i += 2;
        } else if (++i == n) {
            *why = "an IPv6 address cannot end with a single `:`";
            return false;
        }
    }
    if (gap < 0 && ng != 8) {
        *why = "too few groups in IPv6 address (8, or fewer with `::`)";
        return false;
    }
    if (gap >= 0 && ng > 7) {
        *why = "too many groups in IPv6 address for `::`";
        return false;
    }
    uint16_t full[8] = {0};
    int tail = gap < 0 ? 0 : ng - gap;
    for (int k = 0; k < ng - tail; k++)
        full[k] = g[k];
    for (int k = 0; k < tail; k++)
        full[8 - tail + k] = g[gap + k];
    for (int k = 0; k < 8; k++) {
        b[2 * k] = (uint8_t)(full[k] >> 8);
        b[2 * k + 1] = (uint8_t)full[k];
    }
    return true;
}

bool ip_parse(const char *s, size_t n, IpAddr *out, const char **why)
{
    IpAddr a;
    memset(&a, 0, sizeof a);
    if (n == 0) {
        *why = "empty address";
        return false;
    }
    if (memchr(s, '%', n)) {
        *why = "zone ids (%...) are not allowed in an address";
        return false;
    }
    if (memchr(s, '/', n)) {
        *why = "a prefix length (/N) is not part of an address";
        return false;
    }
    if (memchr(s, ':', n)) {
        a.family = 6;
        if (!parse_v6(s, n, a.b, why))
            return false;
    } else {
        a.family = 4;
        if (!is_digit(s[0])) {
            *why = "not an IP address";
            return false;
        }
        if (!parse_v4(s, n, a.b, why))
            return false;
    }
    *out = a;
    return true;
}

/* The prefix length after the slash: decimal, no leading zeros. */
static bool parse_prefix(const char *s, size_t n, int max, uint8_t *out, const char **why)
{
    if (n == 0) {
        *why = "missing prefix length after `/`";
        return false;
    }
    int val = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            *why = "the prefix length is not a number";
            return false;
        }
        if (val <= 128)
            val = val * 10 + (s[i] - '0');
    }
    if (n > 1 && s[0] == '0') {
        *why = "leading zero in prefix length";
        return false;
    }
    if (val > max) {
        *why = max == 32 ? "an IPv4 prefix length is at most 32"
                         : "an IPv6 prefix length is at most 128";
        return false;
    }
    *out = (uint8_t)val;
    return true;
}

bool cidr_parse(const char *s, size_t n, Cidr *out, const char **why)
{
    memset(out, 0, sizeof *out);
    const char *slash = memchr(s, '/', n);
    if (!slash) {
        *why = "a CIDR needs a prefix length, as in 10.0.0.0/24";
        return false;
    }
    size_t alen = (size_t)(slash - s);
    Cidr c;
    if (!ip_parse(s, alen, &c.net, why) ||
        !parse_prefix(slash + 1, n - alen - 1, family_bits(c.net.family), &c.prefix, why))
        return false;
    Cidr masked = c;
    cidr_mask(&masked);
    *out = masked;
    if (!ip_equal(masked.net, c.net)) {
        *why = "host bits set";
        return false;
    }
    return true;
}

bool iprange_parse(const char *s, size_t n, IpRange *out, const char **why)
{
    const char *dash = memchr(s, '-', n);
    if (!dash) {
        Cidr c;
        if (!memchr(s, '/', n)) {
            *why = "a range is FIRST-LAST or a CIDR (one address: ADDRESS/32 or /128)";
            return false;
        }
        if (!cidr_parse(s, n, &c, why))
            return false;
        *out = cidr_to_range(c);
        return true;
    }
    size_t llen = (size_t)(dash - s), rstart = llen + 1;
    while (llen > 0 && s[llen - 1] == ' ')
        llen--;
    while (rstart < n && s[rstart] == ' ')
        rstart++;
    IpRange r;
    if (!ip_parse(s, llen, &r.first, why) || !ip_parse(s + rstart, n - rstart, &r.last, why))
        return false;
    if (r.first.family != r.last.family) {
        *why = "a range cannot mix IPv4 and IPv6";
        return false;
    }
    if (ip_compare(r.first, r.last) > 0) {
        *why = "the range ends before it starts";
        return false;
    }
    *out = r;
    return true;
}

/* ---- formatting ---- */

static void format_v6(const uint8_t *b, StrBuf *out)
{
    uint16_t g[8];
    for (int k = 0; k < 8; k++)
        g[k] = (uint16_t)(b[2 * k] << 8 | b[2 * k + 1]);
    if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
        sb_printf(out, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return;
    }
    /* RFC 5952 4.2: compress the longest run of zero groups, the first
     * if several tie, and never a lone zero group. */
    int best = -1, bestlen = 1;
    for (int k = 0; k < 8;) {
        int j = k;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - k > bestlen) {
            best = k;
            bestlen = j - k;
        }
        k = j > k ? j : k + 1;
    }
    for (int k = 0; k < 8; k++) {
        if (k == best) {
            sb_puts(out, "::");
            k += bestlen - 1;
            continue;
        }
        if (k > 0 && k != best + bestlen)
            sb_putc(out, ':');
        sb_printf(out, "%x", g[k]);
    }
}

void ip_format(IpAddr a, StrBuf *out)
{
    if (a.family == 4)
        sb_printf(out, "%u.%u.%u.%u", a.b[0], a.b[1], a.b[2], a.b[3]);
    else
        format_v6(a.b, out);
}

void cidr_format(Cidr c, StrBuf *out)
{
    ip_format(c.net, out);
    sb_printf(out, "/%u", c.prefix);
}

void iprange_format(IpRange r, StrBuf *out)
{
    ip_format(r.first, out);
    sb_putc(out, '-');
    ip_format(r.last, out);
}

/* ---- comparison and containment ---- */

int ip_compare(IpAddr a, IpAddr b)
{
    if (a.family != b.family)
        return a.family < b.family ? -1 : 1;
    return memcmp(a.b, b.b, sizeof a.b);
}

bool ip_equal(IpAddr a, IpAddr b) { return ip_compare(a, b) == 0; }

/* Sets the bits past prefix to one (fill) or zero. */
static void set_host_bits(IpAddr *a, int prefix, bool fill)
{
    int bytes = family_bits(a->family) / 8;
    for (int k = 0; k < bytes; k++) {
        int keep = prefix - 8 * k; /* network bits in this byte */
        if (keep >= 8)
            continue;
        uint8_t host = keep <= 0 ? 0xff : (uint8_t)(0xffu >> keep);
        a->b[k] = fill ? (uint8_t)(a->b[k] | host) : (uint8_t)(a->b[k] & ~host);
    }
}

void cidr_mask(Cidr *c) { set_host_bits(&c->net, c->prefix, false); }

IpRange cidr_to_range(Cidr c)
{
    IpRange r = {c.net, c.net};
    set_host_bits(&r.first, c.prefix, false);
    set_host_bits(&r.last, c.prefix, true);
    return r;
}

bool cidr_contains_ip(Cidr c, IpAddr a) { return range_contains_ip(cidr_to_range(c), a); }

bool cidr_contains_cidr(Cidr outer, Cidr inner)
{
    return range_contains_range(cidr_to_range(outer), cidr_to_range(inner));
}

bool cidr_overlaps(Cidr a, Cidr b) { return range_overlaps(cidr_to_range(a), cidr_to_range(b)); }

bool range_contains_ip(IpRange r, IpAddr a)
{
    return a.family == r.first.family && ip_compare(r.first, a) <= 0 &&
           ip_compare(a, r.last) <= 0;
}

bool range_contains_range(IpRange outer, IpRange inner)
{
    return outer.first.family == inner.first.family &&
           ip_compare(outer.first, inner.first) <= 0 && ip_compare(inner.last, outer.last) <= 0;
}

bool range_overlaps(IpRange a, IpRange b)
{
    return a.first.family == b.first.family && ip_compare(a.first, b.last) <= 0 &&
           ip_compare(b.first, a.last) <= 0;
}

/* ---- arithmetic, on the address as a 128-bit number hi:lo ---- */

static void to_u128(IpAddr a, uint64_t *hi, uint64_t *lo)
{
    *hi = *lo = 0;
    if (a.family == 4) {
        for (int k = 0; k < 4; k++)
            *lo = *lo << 8 | a.b[k];
        return;
    }
    for (int k = 0; k < 8; k++) {
        *hi = *hi << 8 | a.b[k];
        *lo = *lo << 8 | a.b[k + 8];
    }
}

static IpAddr from_u128(uint8_t family, uint64_t hi, uint64_t lo)
{
    IpAddr a;
    memset(&a, 0, sizeof a);
    a.family = family;
    if (family == 4) {
        for (int k = 3; k >= 0; k--, lo >>= 8)
            a.b[k] = (uint8_t)lo;
        return a;
    }
    for (int k = 7; k >= 0; k--, hi >>= 8, lo >>= 8) {
        a.b[k] = (uint8_t)hi;
        a.b[k + 8] = (uint8_t)lo;
    }
    return a;
}

uint64_t range_size(IpRange r)
{
    if (r.first.family != r.last.family || ip_compare(r.first, r.last) > 0)
        return 0;
    uint64_t fhi, flo, lhi, llo;
    to_u128(r.first, &fhi, &flo);
    to_u128(r.last, &lhi, &llo);
    uint64_t dhi = lhi - fhi - (llo < flo), dlo = llo - flo;
    if (dhi != 0 || dlo == UINT64_MAX)
        return UINT64_MAX;
    return dlo + 1;
}

bool ip_add(IpAddr a, int64_t delta, IpAddr *out)
{
    uint64_t hi, lo;
    to_u128(a, &hi, &lo);
    if (delta >= 0) {
        uint64_t d = (uint64_t)delta;
        uint64_t sum = lo + d;
        if (sum < lo) {
            if (hi == UINT64_MAX)
                return false;
            hi++;
        }
        lo = sum;
    } else {
        uint64_t d = (uint64_t)(-(delta + 1)) + 1;
        if (lo < d) {
            if (hi == 0)
                return false;
            hi--;
        }
        lo -= d;
    }
    if (a.family == 4 && (hi != 0 || lo > UINT32_MAX))
        return false;
    *out = from_u128(a.family, hi, lo);
    return true;
}
