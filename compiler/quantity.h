/* quantity.h — dimensioned quantities: bytes, cpu and durations.
 *
 * A quantity is an exact integer in its dimension's base unit: bytes are
 * bytes, cpu is millicores, a duration is seconds. Integers, not floats,
 * because "2.5Gi" must mean exactly 2684354560 bytes and output must be
 * byte-identical from run to run; a value that is not a whole number of
 * base units ("1.5m" of cpu) is an error rather than a rounding.
 *
 * Every operation that could exceed int64_t reports it instead of
 * overflowing. */
#ifndef CROWN_QUANTITY_H
#define CROWN_QUANTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

typedef enum QDim { Q_BYTES, Q_CPU, Q_DURATION } QDim;

/* Bits of the mask returned by quantity_unit_dims. */
#define QDIM_BIT(d) (1 << (d))

/* Reads number (digits with an optional decimal part, as the lexer gives
 * them: "2", "2.5") with unit (the suffix as written, "" for none) as a
 * quantity of dimension want, in base units.
 *
 *   bytes     "" = bytes, Ki Mi Gi Ti Pi Ei (powers of 1024),
 *             k M G T P E (powers of 1000)
 *   cpu       "" = whole cores (0.5 = 500m), m = millicores
 *   duration  s m h d; a plain number is an error, since nothing says
 *             whether 30 is seconds or days
 *
 * `m` is millicores for Q_CPU and minutes for Q_DURATION. On failure
 * returns false and sets *why to a short static phrase: a unit of another
 * dimension or no unit at all, a fraction of a base unit, a value beyond
 * int64_t, or a malformed number. */
bool quantity_parse(const char *number, const char *unit, QDim want, int64_t *out,
                    const char **why);

/* The dimensions unit can belong to, as QDIM_BIT flags: "m" gives
 * cpu|duration, "Gi" bytes, "" and unknown suffixes 0 (a plain number is
 * not a quantity by itself). A result with more than one bit means only
 * the expected type can decide. */
int quantity_unit_dims(const char *unit);

/* Appends v in canonical Kubernetes spelling, which quantity_parse reads
 * back to v (for v >= 0; a negative value is "-" then the spelling of its
 * magnitude):
 *
 *   bytes     the largest binary suffix that divides exactly (1536Mi,
 *             4Gi, 1000Ki), unless the largest decimal one that does
 *             gives fewer digits (1500k, 1T rather than 976562500Ki);
 *             else plain (1000001)
 *   cpu       whole cores plain ("2"), else millicores ("500m")
 *   duration  largest of d h m s that divides exactly (5400 -> "90m",
 *             86400 -> "1d"); zero is "0s" */
void quantity_format(QDim d, int64_t v, StrBuf *out);

/* Checked arithmetic on base units (also usable for any int64_t): store
 * the result and return true, or return false on overflow, leaving *out
 * untouched. quantity_mul scales a quantity by a plain integer. */
bool quantity_add(int64_t a, int64_t b, int64_t *out);
bool quantity_sub(int64_t a, int64_t b, int64_t *out);
bool quantity_mul(int64_t a, int64_t k, int64_t *out);

#endif
