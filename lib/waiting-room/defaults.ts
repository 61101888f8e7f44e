import { env } from "@/lib/env";

// The waiting room's fixed numbers, in one place. Pure: createEvent and the UI import it.

/** A new event gets a waiting room when it has more places than WAITING_ROOM_DEFAULT_CAPACITY. */
export function defaultWaitingRoom(capacity: number): boolean {
  return capacity > env().WAITING_ROOM_DEFAULT_CAPACITY;
}

/** The event page sends visitors to the queue from this long before the sale opens. */
export const EARLY_JOIN_MS = 60 * 60_000;

/** After the line has emptied, this many seconds' worth of admissions pass straight through. */
export const BURST_SECONDS = 10;

/** Queue keys live this long after the last arrival (a closed tab comes back to the same place). */
export const QUEUE_TTL_SECONDS = 3 * 86_400;

/** Room settings are cached in Redis this long, and in each process for LOCAL_CACHE_MS. */
export const SETTINGS_TTL_SECONDS = 30;
export const LOCAL_CACHE_MS = 2_000;

export const LIMITS = {
  admitPerMinute: { min: 1, max: 100_000 },
  sessionMinutes: { min: 1, max: 120 },
};
