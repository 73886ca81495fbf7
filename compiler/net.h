/* net.h — IPv4 and IPv6 addresses, CIDR blocks and address ranges.
 *
 * Values for the `ip`, `cidr` and `iprange` types: parsed strictly (a
 * site file is no place for "010.0.0.1", which some tools read as octal),
 * printed canonically (RFC 5952 for IPv6) and compared exactly. Addresses
 * of different families never contain, overlap or equal one another; an
 * IPv4-mapped IPv6 address (::ffff:10.0.0.1) is IPv6.
 *
 * Parsers take a pointer and a length (the text need not be NUL-terminated)
 * and on failure set *why to a short static phrase naming the problem. */
#ifndef CROWN_NET_H
#define CROWN_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* family is 4 or 6. The address is big-endian in b: all 16 bytes for IPv6,
 * the first 4 for IPv4 with the other 12 always zero, so that two equal
 * addresses are equal byte for byte. */
typedef struct IpAddr {
    uint8_t family;
    uint8_t b[16];
} IpAddr;

/* A network: net has no bits set past prefix (0..32 or 0..128). */
typedef struct Cidr {
    IpAddr net;
    uint8_t prefix;
} Cidr;

/* Every address from first to last inclusive; same family, first <= last. */
typedef struct IpRange {
    IpAddr first, last;
} IpRange;

/* A dotted quad (four decimal octets, each 0..255 without leading zeros)
 * or an IPv6 address (one to four hex digits a group, `::` once at most,
 * an optional dotted quad as the last 32 bits). Zone ids ("fe80::1%eth0")
 * are refused: they name an interface of one host, not an address. */
bool ip_parse(const char *s, size_t n, IpAddr *out, const char **why);

/* "ADDRESS/PREFIX". A network with host bits set ("10.0.0.1/24") is an
 * error, "host bits set", but then out holds the network with those bits
 * cleared, so that the caller can suggest it ("did you mean 10.0.0.0/24?")
 * with cidr_format; on every other failure out->net.family is 0. */
bool cidr_parse(const char *s, size_t n, Cidr *out, const char **why);

/* "FIRST-LAST" (spaces around the dash allowed; both ends of one family,
 * first <= last), or a CIDR, which stands for all of its addresses, as
 * MetalLB pools accept both. A CIDR's errors are cidr_parse's: call it on
 * the same text for the corrected network. */
bool iprange_parse(const char *s, size_t n, IpRange *out, const char **why);

/* Canonical text appended to out. IPv6 per RFC 5952: lowercase, no leading
 * zeros, the longest run of two or more zero groups (the first of equals)
 * as `::`, and IPv4-mapped addresses as ::ffff:a.b.c.d. A range is always
 * "FIRST-LAST", even when it is exactly a CIDR. */
void ip_format(IpAddr a, StrBuf *out);
void cidr_format(Cidr c, StrBuf *out);
void iprange_format(IpRange r, StrBuf *out);

/* Orders all IPv4 addresses before all IPv6 ones, then by value:
 * negative, zero or positive like strcmp. */
int ip_compare(IpAddr a, IpAddr b);
bool ip_equal(IpAddr a, IpAddr b);

/* Clears the host bits of c->net. */
void cidr_mask(Cidr *c);
IpRange cidr_to_range(Cidr c);

bool cidr_contains_ip(Cidr c, IpAddr a);
/* Whether every address of inner is in outer. */
bool cidr_contains_cidr(Cidr outer, Cidr inner);
bool cidr_overlaps(Cidr a, Cidr b);
bool range_contains_ip(IpRange r, IpAddr a);
bool range_contains_range(IpRange outer, IpRange inner);
bool range_overlaps(IpRange a, IpRange b);

/* Number of addresses in r, saturating at UINT64_MAX: an IPv6 /64 or
 * larger reports UINT64_MAX. */
uint64_t range_size(IpRange r);

/* The address delta places after (or, negative, before) a. Returns false,
 * leaving *out untouched, if that falls outside the family's space (below
 * 0.0.0.0 or ::, above 255.255.255.255 or ffff:...:ffff). */
bool ip_add(IpAddr a, int64_t delta, IpAddr *out);

#endif
