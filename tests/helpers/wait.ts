// Waiting in tests: a pause, a poll until something holds, and a wait for a wall-clock instant.
// (Deadlines judged by the database clock have their own: waitUntilDbTime in db-state.ts.)

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Polls `fn` until it returns something truthy and returns that, or fails after `timeoutMs`
 * naming `what`. A poll that throws counts as "not yet"; the last error is in the failure.
 */
export async function eventually<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    const v = await fn().catch((err) => {
      lastError = err;
      return null;
    });
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    await sleep(everyMs);
  }
}

/** Waits until the wall clock reaches `epochMs` (no wait if it already has). */
export async function sleepUntil(epochMs: number) {
  await sleep(epochMs - Date.now());
}
