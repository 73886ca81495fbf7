/* prefault.h — fresh memory made ready on the second core.
 *
 * On the machines crownc is measured on, the first write to a page costs
 * the kernel (and the hypervisor below it) far more than the write: for
 * a site of twenty thousand people, zeroing the arena's fresh pages was
 * up to a third of `check`. The arena hands every large block it takes
 * from the system to prefault_range, and one background thread faults
 * the block's pages in ahead of the allocations that will use them, so
 * that the evaluation mostly finds them ready. It never reads or writes
 * the memory (Linux's MADV_POPULATE_WRITE), so it cannot race with the
 * evaluation; where the system lacks that, or a thread cannot be
 * started, nothing happens and the evaluation faults the pages itself. */
#ifndef CROWN_PREFAULT_H
#define CROWN_PREFAULT_H

#include <stddef.h>

/* Asks for [p, p + n) to be faulted in, soon. Cheap; never fails. */
void prefault_range(void *p, size_t n);

#endif
