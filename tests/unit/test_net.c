/* test_net.c — addresses, CIDRs and ranges: strict parsing with reasons,
 * RFC 5952 output, host bits, containment and overlap across families,
 * sizes and address arithmetic at the edges of each family's space. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net.h"
#include "strbuf.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static IpAddr ip(const char *s)
{
    IpAddr a;
    const char *why = NULL;
    if (!ip_parse(s, strlen(s), &a, &why))
        fail_msg("%s: unexpected error: %s", s, why);
    return a;
}

static Cidr cidr(const char *s)
{
    Cidr c;
    const char *why = NULL;
    if (!cidr_parse(s, strlen(s), &c, &why))
        fail_msg("%s: unexpected error: %s", s, why);
    return c;
}

static IpRange range(const char *s)
{
    IpRange r;
    const char *why = NULL;
    if (!iprange_parse(s, strlen(s), &r, &why))
        fail_msg("%s: unexpected error: %s", s, why);
    return r;
}

static void check_why(const char *what, const char *s, const char *why, const char *expect)
{
    if (!why)
        fail_msg("%s %s: no reason given", what, s);
    if (!strstr(why, expect))
        fail_msg("%s %s: error \"%s\" does not mention \"%s\"", what, s, why, expect);
}

static void ip_err(const char *s, const char *expect)
{
    IpAddr a;
    memset(&a, 0x5a, sizeof a);
    const char *why = NULL;
    if (ip_parse(s, strlen(s), &a, &why))
        fail_msg("ip \"%s\" parsed, expected an error", s);
    check_why("ip", s, why, expect);
    assert_int_equal(a.family, 0x5a); /* out untouched */
}

static void cidr_err(const char *s, const char *expect)
{
    Cidr c;
    const char *why = NULL;
    if (cidr_parse(s, strlen(s), &c, &why))
        fail_msg("cidr \"%s\" parsed, expected an error", s);
    check_why("cidr", s, why, expect);
}

static void range_err(const char *s, const char *expect)
{
    IpRange r;
    const char *why = NULL;
    if (iprange_parse(s, strlen(s), &r, &why))
        fail_msg("range \"%s\" parsed, expected an error", s);
    check_why("range", s, why, expect);
}

static void assert_ip_text(IpAddr a, const char *expect)
{
    StrBuf b;
    sb_init(&b);
    ip_format(a, &b);
    if (strcmp(b.data, expect) != 0)
        fail_msg("formatted \"%s\", expected \"%s\"", b.data, expect);
    sb_free(&b);
}

static void assert_cidr_text(Cidr c, const char *expect)
{
    StrBuf b;
    sb_init(&b);
    cidr_format(c, &b);
    if (strcmp(b.data, expect) != 0)
        fail_msg("formatted \"%s\", expected \"%s\"", b.data, expect);
    sb_free(&b);
}

static void assert_range_text(IpRange r, const char *expect)
{
    StrBuf b;
    sb_init(&b);
    iprange_format(r, &b);
    if (strcmp(b.data, expect) != 0)
        fail_msg("formatted \"%s\", expected \"%s\"", b.data, expect);
    sb_free(&b);
}

/* ---- IPv4 ---- */

static void test_v4_parse(void **state)
{
    (void)state;
    IpAddr a = ip("10.1.2.255");
    assert_int_equal(a.family, 4);
    static const uint8_t want[16] = {10, 1, 2, 255};
    assert_memory_equal(a.b, want, 16); /* the tail is zero */
    assert_ip_text(ip("0.0.0.0"), "0.0.0.0");
    assert_ip_text(ip("255.255.255.255"), "255.255.255.255");
    assert_ip_text(ip("192.168.0.1"), "192.168.0.1");
}

static void test_v4_every_octet(void **state)
{
    (void)state;
    for (int o = 0; o < 1000; o++) {
        char text[32];
        snprintf(text, sizeof text, "1.%d.2.3", o);
        IpAddr a;
        const char *why = NULL;
        bool ok = ip_parse(text, strlen(text), &a, &why);
        assert_int_equal(ok, o <= 255);
        if (ok)
            assert_int_equal(a.b[1], o);
        else
            assert_string_equal(why, "IPv4 octet above 255");
        snprintf(text, sizeof text, "1.0%d.2.3", o);
        ip_err(text, "leading zero");
    }
}

static void test_v4_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s, *why;
    } cases[] = {
        {"", "empty"},
        {"010.0.0.1", "leading zero"},
        {"1.2.3.04", "leading zero"},
        {"00.0.0.0", "leading zero"},
        {"256.0.0.0", "above 255"},
        {"1.2.3.999999999999999999999", "above 255"},
        {"1.2.3", "fewer"},
        {"1", "fewer"},
        {"1.2.3.4.5", "more"},
        {"1..2.3", "empty part"},
        {"1.2.3.4.", "more"},
        {"1.2.3.", "empty part"},
        {".1.2.3", "not an IP address"},
        {"1.2.3.a", "unexpected character"},
        {"1.2.3.4 ", "unexpected character"},
        {" 1.2.3.4", "not an IP address"},
        {"-1.0.0.0", "not an IP address"},
        {"1.2.-3.4", "unexpected character"},
        {"0x1.2.3.4", "unexpected character"},
        {"localhost", "not an IP address"},
        {"10.0.0.1/24", "prefix length"},
        {"1.2.3.4%eth0", "zone"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        ip_err(cases[i].s, cases[i].why);
}

static void test_length_is_respected(void **state)
{
    (void)state;
    const char *s = "10.0.0.1xyz";
    IpAddr a;
    const char *why = NULL;
    assert_true(ip_parse(s, 8, &a, &why));
    assert_ip_text(a, "10.0.0.1");
    assert_false(ip_parse(s, 7, &a, &why)); /* "10.0.0." */
    const char *v6 = "2001:db8::/64 trailing";
    assert_true(ip_parse(v6, 10, &a, &why));
    assert_ip_text(a, "2001:db8::");
    Cidr c;
    assert_true(cidr_parse(v6, 13, &c, &why));
    assert_cidr_text(c, "2001:db8::/64");
    assert_false(cidr_parse(v6, 12, &c, &why)); /* "/6": host bits */
    const char *r = "10.0.0.1-10.0.0.9-";
    IpRange rr;
    assert_true(iprange_parse(r, 17, &rr, &why));
    assert_range_text(rr, "10.0.0.1-10.0.0.9");
}

/* ---- IPv6 ---- */

static void test_v6_canonical(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"::", "::"},
        {"0:0:0:0:0:0:0:0", "::"},
        {"::1", "::1"},
        {"0:0:0:0:0:0:0:1", "::1"},
        {"1::", "1::"},
        {"1:0:0:0:0:0:0:0", "1::"},
        {"2001:db8::1", "2001:db8::1"},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
        {"2001:DB8::ABCD", "2001:db8::abcd"},
        /* RFC 5952 section 4 */
        {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
        {"2001:db8::0:1", "2001:db8::1"},
        {"2001:db8:0:0:0::1", "2001:db8::1"},
        {"2001:db8:0000:0:1::1", "2001:db8::1:0:0:1"},
        {"2001:db8::0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"},
        {"2001:db8:aaaa:bbbb:cccc:dddd:0:1", "2001:db8:aaaa:bbbb:cccc:dddd:0:1"},
        {"1:2:3:4:5:6::8", "1:2:3:4:5:6:0:8"},
        {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
        {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
        {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
        {"1:0:0:0:2:0:0:0", "1::2:0:0:0"},
        {"0:0:1:0:0:0:0:0", "0:0:1::"},
        {"fe80::1", "fe80::1"},
        {"FFFF:ffff:FFFF:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        /* embedded and mapped IPv4 */
        {"::ffff:10.0.0.1", "::ffff:10.0.0.1"},
        {"::ffff:a00:1", "::ffff:10.0.0.1"},
        {"0:0:0:0:0:ffff:10.0.0.1", "::ffff:10.0.0.1"},
        {"::ffff:0.0.0.0", "::ffff:0.0.0.0"},
        {"::10.0.0.1", "::a00:1"},
        {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
        {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
        {"::1:ffff:10.0.0.1", "::1:ffff:a00:1"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        IpAddr a = ip(cases[i].in);
        assert_int_equal(a.family, 6);
        assert_ip_text(a, cases[i].out);
        assert_true(ip_equal(ip(cases[i].out), a));
    }
}

static void test_v6_bytes(void **state)
{
    (void)state;
    IpAddr a = ip("2001:db8::ff00:42:8329");
    static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0,    0,    0,
                                     0,    0,    0xff, 0,    0, 0x42, 0x83, 0x29};
    assert_memory_equal(a.b, want, 16);
    IpAddr m = ip("::ffff:10.0.0.1");
    static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
    assert_memory_equal(m.b, mapped, 16);
    /* A mapped address is IPv6, never equal to its IPv4 counterpart. */
    assert_false(ip_equal(m, ip("10.0.0.1")));
}

static void test_v6_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s, *why;
    } cases[] = {
        {":::", ":::"},
        {"1:::2", ":::"},
        {"::::", ":::"},
        {"1::2:::", ":::"},
        {"::1::", "only once"},
        {"1::2::3", "only once"},
        {":", "single `:`"},
        {":1::", "start with a single"},
        {":1:2:3:4:5:6:7:8", "start with a single"},
        {"1::2:", "end with a single"},
        {"1:", "end with a single"},
        {"1:2:3:4:5:6:7", "too few"},
        {"1:2", "too few"},
        {"1:2:3:4:5:6:7:8:9", "too many"},
        {"1:2:3:4:5:6:7:8::", "too many"},
        {"::1:2:3:4:5:6:7:8", "too many"},
        {"1:2:3:4:5:6:7::8", "too many"},
        {"1:2:3:4::5:6:7:8", "too many"},
        {"1:2:3:4:5:6:7:1.2.3.4", "too many"},
        {"1:2:3:4:5:6::1.2.3.4", "too many"},
        {"1:2:3:4:5:1.2.3.4", "too few"},
        {"12345::", "four hex digits"},
        {"::00000", "four hex digits"},
        {"g::", "unexpected character"},
        {"1:2:3:4:5:6:7:8 ", "unexpected character"},
        {"1:-2::", "unexpected character"},
        {"::1.2.3", "fewer"},
        {"::1.2.3.4:5", "must come last"},
        {"::1.2.3.4.5", "more"},
        {"::ffff:010.0.0.1", "leading zero"},
        {"::ffff:10.0.0.256", "above 255"},
        {"::ffff:1.2.3.4x", "unexpected character"},
        {"fe80::1%eth0", "zone"},
        {"fe80::1%1", "zone"},
        {"::/64", "prefix length"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        ip_err(cases[i].s, cases[i].why);
}

/* Deterministic pseudo-random addresses, with zero groups likely, so that
 * compression is exercised: format, parse, compare, format again. */
static uint64_t next(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed >> 16;
}

static void test_random_round_trips(void **state)
{
    (void)state;
    uint64_t seed = 7;
    for (int i = 0; i < 5000; i++) {
        IpAddr a;
        memset(&a, 0, sizeof a);
        a.family = i % 3 == 0 ? 4 : 6;
        int n = a.family == 4 ? 4 : 16;
        for (int k = 0; k < n; k += 2) {
            uint64_t r = next(&seed);
            bool zero = r % 3 == 0;
            a.b[k] = zero ? 0 : (uint8_t)(r >> 8);
            a.b[k + 1] = zero ? 0 : (uint8_t)(r >> 16);
        }
        StrBuf b;
        sb_init(&b);
        ip_format(a, &b);
        IpAddr back;
        const char *why = NULL;
        if (!ip_parse(b.data, b.len, &back, &why))
            fail_msg("\"%s\" does not parse: %s", b.data, why);
        assert_true(ip_equal(a, back));
        assert_memory_equal(&a, &back, sizeof a);
        assert_ip_text(back, b.data);
        /* RFC 5952: lowercase, and never ":::". */
        assert_null(strstr(b.data, ":::"));
        for (size_t k = 0; k < b.len; k++)
            assert_false(b.data[k] >= 'A' && b.data[k] <= 'F');
        sb_free(&b);
    }
}

/* ---- CIDR ---- */

static void test_cidr_parse(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "10.0.0.0/24", "0.0.0.0/0",     "1.2.3.4/32",   "10.0.0.128/25", "172.16.0.0/12",
        "::/0",        "::1/128",       "2001:db8::/32", "fe80::/10",    "::ffff:10.0.0.0/104",
        "10.96.0.0/12", "2001:db8:0:1::/64",
    };
    for (size_t i = 0; i < N_OF(ok); i++)
        assert_cidr_text(cidr(ok[i]), ok[i]);
    assert_cidr_text(cidr("2001:DB8:0:0::/64"), "2001:db8::/64");
    Cidr c = cidr("10.1.0.0/16");
    assert_int_equal(c.prefix, 16);
    assert_int_equal(c.net.family, 4);
}

static void test_cidr_host_bits(void **state)
{
    (void)state;
    static const struct {
        const char *in, *fix;
    } cases[] = {
        {"10.0.0.1/24", "10.0.0.0/24"},
        {"10.0.0.129/25", "10.0.0.128/25"},
        {"1.2.3.4/0", "0.0.0.0/0"},
        {"10.10.0.11/8", "10.0.0.0/8"},
        {"255.255.255.255/31", "255.255.255.254/31"},
        {"2001:db8::1/64", "2001:db8::/64"},
        {"::1/0", "::/0"},
        {"ffff::1/127", "ffff::/127"},
        {"2001:db8:ffff::/33", "2001:db8:8000::/33"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        Cidr c;
        const char *why = NULL;
        assert_false(cidr_parse(cases[i].in, strlen(cases[i].in), &c, &why));
        assert_string_equal(why, "host bits set");
        assert_cidr_text(c, cases[i].fix);
    }
}

/* Every prefix length of an all-ones address: only the full length has
 * no host bits, and the suggested network has exactly prefix ones. */
static void test_cidr_every_prefix(void **state)
{
    (void)state;
    static const char *const all[] = {"255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"};
    for (int f = 0; f < 2; f++) {
        int bits = f == 0 ? 32 : 128;
        for (int p = 0; p <= bits; p++) {
            char text[64];
            snprintf(text, sizeof text, "%s/%d", all[f], p);
            Cidr c;
            const char *why = NULL;
            bool ok = cidr_parse(text, strlen(text), &c, &why);
            assert_int_equal(ok, p == bits);
            assert_int_equal(c.prefix, p);
            for (int k = 0; k < bits; k++) {
                int bit = c.net.b[k / 8] >> (7 - k % 8) & 1;
                assert_int_equal(bit, k < p);
            }
            IpRange r = cidr_to_range(c);
            assert_true(ip_equal(r.last, ip(all[f])));
            assert_true(ip_equal(r.first, c.net));
            uint64_t size = range_size(r);
            int host = bits - p;
            assert_true(size == (host >= 64 ? UINT64_MAX : (uint64_t)1 << host));
        }
    }
}

static void test_cidr_errors(void **state)
{
    (void)state;
    static const struct {
        const char *s, *why;
    } cases[] = {
        {"10.0.0.0", "needs a prefix length"},
        {"10.0.0.0/", "missing prefix length"},
        {"10.0.0.0/33", "at most 32"},
        {"10.0.0.0/99999999999999999999", "at most 32"},
        {"::/129", "at most 128"},
        {"::/1000", "at most 128"},
        {"10.0.0.0/024", "leading zero"},
        {"10.0.0.0/00", "leading zero"},
        {"10.0.0.0/2x", "not a number"},
        {"10.0.0.0/-1", "not a number"},
        {"10.0.0.0/ 24", "not a number"},
        {"10.0.0.0/24/24", "not a number"},
        {"2001:db8::/+64", "not a number"},
        {"010.0.0.0/8", "leading zero"},
        {"/24", "empty"},
        {"10.0.0/24", "fewer"},
        {"fe80::%eth0/64", "zone"},
        {"", "needs a prefix length"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        cidr_err(cases[i].s, cases[i].why);
        Cidr c;
        const char *why = NULL;
        assert_false(cidr_parse(cases[i].s, strlen(cases[i].s), &c, &why));
        assert_int_equal(c.net.family, 0); /* no suggestion */
    }
}

static void test_cidr_mask(void **state)
{
    (void)state;
    Cidr c = {ip("192.168.77.200"), 20};
    cidr_mask(&c);
    assert_cidr_text(c, "192.168.64.0/20");
    Cidr d = {ip("2001:db8:1234:5678::1"), 44};
    cidr_mask(&d);
    assert_cidr_text(d, "2001:db8:1230::/44");
}

/* ---- containment and overlap ---- */

static void test_cidr_contains(void **state)
{
    (void)state;
    Cidr net = cidr("10.0.0.0/24");
    assert_true(cidr_contains_ip(net, ip("10.0.0.0")));
    assert_true(cidr_contains_ip(net, ip("10.0.0.255")));
    assert_false(cidr_contains_ip(net, ip("10.0.1.0")));
    assert_false(cidr_contains_ip(net, ip("9.255.255.255")));
    assert_true(cidr_contains_ip(cidr("0.0.0.0/0"), ip("255.255.255.255")));
    assert_true(cidr_contains_ip(cidr("1.2.3.4/32"), ip("1.2.3.4")));
    assert_false(cidr_contains_ip(cidr("1.2.3.4/32"), ip("1.2.3.5")));
    assert_true(cidr_contains_ip(cidr("::/0"), ip("::ffff:10.0.0.1")));
    assert_true(cidr_contains_ip(cidr("::ffff:0.0.0.0/96"), ip("::ffff:10.0.0.1")));
    assert_true(cidr_contains_ip(cidr("2001:db8::/32"), ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
    assert_false(cidr_contains_ip(cidr("2001:db8::/32"), ip("2001:db9::")));
    assert_true(cidr_contains_ip(cidr("::1/128"), ip("::1")));
    /* Families never mix, not even through the mapped block or /0. */
    assert_false(cidr_contains_ip(cidr("0.0.0.0/0"), ip("::ffff:10.0.0.1")));
    assert_false(cidr_contains_ip(cidr("0.0.0.0/0"), ip("::")));
    assert_false(cidr_contains_ip(cidr("::/0"), ip("10.0.0.1")));
    assert_false(cidr_contains_ip(cidr("::ffff:0.0.0.0/96"), ip("10.0.0.1")));

    assert_true(cidr_contains_cidr(cidr("10.0.0.0/8"), cidr("10.1.0.0/16")));
    assert_false(cidr_contains_cidr(cidr("10.1.0.0/16"), cidr("10.0.0.0/8")));
    assert_true(cidr_contains_cidr(cidr("10.0.0.0/8"), cidr("10.0.0.0/8")));
    assert_true(cidr_contains_cidr(cidr("10.0.0.0/8"), cidr("10.255.255.255/32")));
    assert_false(cidr_contains_cidr(cidr("10.0.0.0/8"), cidr("11.0.0.0/32")));
    assert_true(cidr_contains_cidr(cidr("0.0.0.0/0"), cidr("0.0.0.0/0")));
    assert_false(cidr_contains_cidr(cidr("0.0.0.0/0"), cidr("::/128")));
    assert_false(cidr_contains_cidr(cidr("::/0"), cidr("0.0.0.0/32")));
    assert_true(cidr_contains_cidr(cidr("fe80::/10"), cidr("febf::/16")));
    assert_false(cidr_contains_cidr(cidr("fe80::/10"), cidr("fec0::/16")));
}

static void test_cidr_overlaps(void **state)
{
    (void)state;
    assert_true(cidr_overlaps(cidr("10.0.0.0/8"), cidr("10.1.0.0/16")));
    assert_true(cidr_overlaps(cidr("10.1.0.0/16"), cidr("10.0.0.0/8")));
    assert_false(cidr_overlaps(cidr("10.0.0.0/24"), cidr("10.0.1.0/24")));
    assert_true(cidr_overlaps(cidr("10.96.0.0/12"), cidr("10.100.0.0/16")));
    assert_false(cidr_overlaps(cidr("10.96.0.0/12"), cidr("10.112.0.0/12")));
    assert_false(cidr_overlaps(cidr("172.16.0.0/16"), cidr("10.10.0.0/24")));
    assert_true(cidr_overlaps(cidr("0.0.0.0/0"), cidr("1.2.3.4/32")));
    assert_false(cidr_overlaps(cidr("0.0.0.0/0"), cidr("::/0")));
    assert_false(cidr_overlaps(cidr("::/0"), cidr("0.0.0.0/0")));
    assert_false(cidr_overlaps(cidr("::ffff:0.0.0.0/96"), cidr("10.0.0.0/8")));
    assert_true(cidr_overlaps(cidr("2001:db8::/32"), cidr("2001:db8:1::/48")));
    assert_false(cidr_overlaps(cidr("2001:db8::/48"), cidr("2001:db8:1::/48")));
}

static void test_ranges(void **state)
{
    (void)state;
    IpRange r = range("10.0.0.1-10.0.0.9");
    assert_range_text(r, "10.0.0.1-10.0.0.9");
    assert_int_equal(range_size(r), 9);
    assert_range_text(range("10.0.0.1 - 10.0.0.9"), "10.0.0.1-10.0.0.9");
    assert_range_text(range("10.0.0.1  -10.0.0.9"), "10.0.0.1-10.0.0.9");
    IpRange c = range("10.0.0.0/28");
    assert_range_text(c, "10.0.0.0-10.0.0.15");
    assert_int_equal(range_size(c), 16);
    assert_int_equal(range_size(range("10.0.0.5-10.0.0.5")), 1);
    assert_int_equal(range_size(range("0.0.0.0/0")), (uint64_t)1 << 32);
    assert_int_equal(range_size(range("0.0.0.0-255.255.255.255")), (uint64_t)1 << 32);
    assert_int_equal(range_size(range("::1-::ff")), 255);
    assert_int_equal(range_size(range("2001:db8::-2001:db8::ffff")), 65536);
    assert_range_text(range("2001:DB8::-2001:db8::FFFF"), "2001:db8::-2001:db8::ffff");
    assert_int_equal(range_size(range("::/65")), (uint64_t)1 << 63);
    assert_int_equal(range_size(range("::/64")), UINT64_MAX);
    assert_int_equal(range_size(range("::/0")), UINT64_MAX);
    assert_int_equal(range_size(range("::-::ffff:ffff:ffff:fffe")), UINT64_MAX);
    assert_int_equal(range_size(range("::-::ffff:ffff:ffff:ffff")), UINT64_MAX);
    /* The borrow from the high half. */
    assert_int_equal(range_size(range("::ffff:ffff:ffff:ffff-0:0:0:1::")), 2);
    assert_int_equal(range_size(range("::ffff:ffff:ffff:fff0-0:0:0:1::f")), 32);
    assert_int_equal(range_size(range("1::-1:0:0:1::")), UINT64_MAX);
}

static void test_range_errors(void **state)
{
    (void)state;
    range_err("10.0.0.9-10.0.0.1", "ends before it starts");
    range_err("::2-::1", "ends before it starts");
    range_err("10.0.0.1-::1", "mix IPv4 and IPv6");
    range_err("::1-10.0.0.1", "mix IPv4 and IPv6");
    range_err("10.0.0.1", "FIRST-LAST or a CIDR");
    range_err("", "FIRST-LAST or a CIDR");
    range_err("10.0.0.1-", "empty");
    range_err("-10.0.0.1", "empty");
    range_err("10.0.0.1-10.0.0.2-10.0.0.3", "unexpected character");
    range_err("10.0.0.1/28", "host bits set");
    range_err("10.0.0.0/33", "at most 32");
    range_err("10.0.0.300-10.0.0.301", "above 255");
    range_err("10.0.0.0/24-10.0.1.0/24", "prefix length");
}

static void test_range_relations(void **state)
{
    (void)state;
    IpRange pool = range("10.10.0.200-10.10.0.220");
    assert_true(range_contains_ip(pool, ip("10.10.0.200")));
    assert_true(range_contains_ip(pool, ip("10.10.0.220")));
    assert_false(range_contains_ip(pool, ip("10.10.0.199")));
    assert_false(range_contains_ip(pool, ip("10.10.0.221")));
    assert_false(range_contains_ip(pool, ip("::ffff:10.10.0.210")));
    assert_false(range_contains_ip(range("::/0"), ip("10.10.0.210")));

    assert_true(range_contains_range(range("10.10.0.0/24"), pool));
    assert_false(range_contains_range(pool, range("10.10.0.0/24")));
    assert_true(range_contains_range(pool, pool));
    assert_false(range_contains_range(range("::/0"), pool));

    assert_true(range_overlaps(pool, range("10.10.0.220-10.10.0.230")));
    assert_true(range_overlaps(range("10.10.0.190-10.10.0.200"), pool));
    assert_false(range_overlaps(pool, range("10.10.0.221-10.10.0.230")));
    assert_false(range_overlaps(range("10.10.0.0-10.10.0.199"), pool));
    assert_true(range_overlaps(pool, range("10.10.0.0/24")));
    assert_true(range_overlaps(range("10.10.0.205-10.10.0.206"), pool));
    assert_false(range_overlaps(range("0.0.0.0/0"), range("::/0")));
    assert_false(range_overlaps(range("::ffff:0.0.0.0/96"), range("0.0.0.0/0")));

    IpRange r = cidr_to_range(cidr("10.0.0.0/30"));
    assert_range_text(r, "10.0.0.0-10.0.0.3");
    assert_range_text(cidr_to_range(cidr("2001:db8::/126")), "2001:db8::-2001:db8::3");
    assert_range_text(cidr_to_range(cidr("::/0")), "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_compare(void **state)
{
    (void)state;
    assert_true(ip_compare(ip("10.0.0.1"), ip("10.0.0.2")) < 0);
    assert_true(ip_compare(ip("10.0.0.2"), ip("10.0.0.1")) > 0);
    assert_true(ip_compare(ip("9.255.255.255"), ip("10.0.0.0")) < 0);
    assert_int_equal(ip_compare(ip("10.0.0.1"), ip("10.0.0.1")), 0);
    assert_true(ip_compare(ip("255.255.255.255"), ip("::")) < 0);
    assert_true(ip_compare(ip("::"), ip("0.0.0.0")) > 0);
    assert_true(ip_compare(ip("::1"), ip("::2")) < 0);
    assert_true(ip_compare(ip("1::"), ip("::ffff:ffff")) > 0);
    assert_true(ip_equal(ip("2001:db8::1"), ip("2001:0DB8:0:0:0:0:0:1")));
    assert_false(ip_equal(ip("::"), ip("0.0.0.0")));
}

/* ---- arithmetic ---- */

static void assert_add(const char *from, int64_t delta, const char *to)
{
    IpAddr r;
    if (!ip_add(ip(from), delta, &r))
        fail_msg("%s + %lld failed", from, (long long)delta);
    assert_ip_text(r, to);
}

static void assert_add_fails(const char *from, int64_t delta)
{
    IpAddr r;
    memset(&r, 0x5a, sizeof r);
    if (ip_add(ip(from), delta, &r))
        fail_msg("%s + %lld succeeded", from, (long long)delta);
    assert_int_equal(r.family, 0x5a);
}

static void test_ip_add(void **state)
{
    (void)state;
    assert_add("10.0.0.1", 0, "10.0.0.1");
    assert_add("10.0.0.1", 9, "10.0.0.10");
    assert_add("10.0.0.255", 1, "10.0.1.0");
    assert_add("10.0.1.0", -1, "10.0.0.255");
    assert_add("0.0.0.0", 4294967295, "255.255.255.255");
    assert_add("255.255.255.255", -4294967295, "0.0.0.0");
    assert_add("255.255.255.254", 1, "255.255.255.255");
    assert_add("0.0.0.1", -1, "0.0.0.0");
    assert_add_fails("255.255.255.255", 1);
    assert_add_fails("0.0.0.0", -1);
    assert_add_fails("0.0.0.0", 4294967296);
    assert_add_fails("255.255.255.255", -4294967296);
    assert_add_fails("10.0.0.0", INT64_MAX);
    assert_add_fails("10.0.0.0", INT64_MIN);

    assert_add("::", 1, "::1");
    assert_add("::ffff:ffff:ffff:ffff", 1, "0:0:0:1::");
    assert_add("0:0:0:1::", -1, "::ffff:ffff:ffff:ffff");
    assert_add("::", INT64_MAX, "::7fff:ffff:ffff:ffff");
    assert_add("1::", INT64_MIN, "0:ffff:ffff:ffff:8000::");
    assert_add("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 1,
               "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_add("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", INT64_MIN,
               "ffff:ffff:ffff:ffff:7fff:ffff:ffff:ffff");
    assert_add("::ffff:10.0.0.255", 1, "::ffff:10.0.1.0");
    assert_add("2001:db8::", -1, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_add_fails("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1);
    assert_add_fails("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0", INT64_MAX);
    assert_add_fails("::", -1);
    assert_add_fails("::7fff:ffff:ffff:ffff", INT64_MIN);

    /* The IPv4 tail stays zero, so results compare equal to parsed text. */
    IpAddr r;
    assert_true(ip_add(ip("10.0.0.1"), 255, &r));
    const IpAddr want = {4, {10, 0, 1, 0}};
    assert_memory_equal(&r, &want, sizeof r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v4_parse),
        cmocka_unit_test(test_v4_every_octet),
        cmocka_unit_test(test_v4_errors),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_v6_canonical),
        cmocka_unit_test(test_v6_bytes),
        cmocka_unit_test(test_v6_errors),
        cmocka_unit_test(test_random_round_trips),
        cmocka_unit_test(test_cidr_parse),
        cmocka_unit_test(test_cidr_host_bits),
        cmocka_unit_test(test_cidr_every_prefix),
        cmocka_unit_test(test_cidr_errors),
        cmocka_unit_test(test_cidr_mask),
        cmocka_unit_test(test_cidr_contains),
        cmocka_unit_test(test_cidr_overlaps),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_range_relations),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_ip_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
