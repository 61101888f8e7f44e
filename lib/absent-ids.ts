// Ids the primary database said name no row, remembered per process so that a well-formed but
// made-up id asked for again and again costs a Map lookup, not a PostgreSQL read each time.
// Safe because events are created with ids PostgreSQL draws at random (gen_random_uuid): nobody
// can ask for an id before the row exists, except by guessing one of 2^122. Only "no row at all"
// is remembered, never "not published yet" or "not yours", and only from the primary (a replica
// that has not seen a new row yet is asked again on the primary by db/replicas.ts).
// Bounded: the oldest entry goes when the set is full, so a stream of new made-up ids costs one
// read each (limited per client address like every endpoint) and never grows memory.

const MAX_ENTRIES = 10_000;
const KEEP_MS = 10 * 60_000;

type Kind = "event";

const absent = new Map<string, number>(); // kind:id → when it was found absent

/** Whether `id` (canonical, lib/ids.ts) is known to name no row of this kind. */
export function knownAbsent(kind: Kind, id: string): boolean {
  const at = absent.get(`${kind}:${id}`);
  if (at === undefined) return false;
  if (Date.now() - at < KEEP_MS) return true;
  absent.delete(`${kind}:${id}`);
  return false;
}

/** Records that the primary found no row of this kind with this (canonical) id. */
export function rememberAbsent(kind: Kind, id: string): void {
  const key = `${kind}:${id}`;
  absent.delete(key);
  if (absent.size >= MAX_ENTRIES) absent.delete(absent.keys().next().value!);
  absent.set(key, Date.now());
}

/** How many ids are remembered (tests and the memory figures read it). */
export function absentCount(): number {
  return absent.size;
}
