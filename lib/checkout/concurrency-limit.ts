// A per-process concurrency limit for checkouts (FIFO). With a thousand confirms arriving at
// once and a pool of ten connections, every saga would queue each of its ~20 statements behind everybody
// else's: all of them finish together at the very end (p50 = p99 = the whole rush), and the
// process's other queries (browsing, holds) wait behind the rush too. Admitting a few at a time
// (FIFO) keeps the same throughput, finishes customers in arrival order, and leaves the pool
// breathing room.

export function createConcurrencyLimit(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(fn: () => Promise<T>): Promise<T> {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over, active unchanged
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
