import { canonicalCrockford, randomCrockford } from "@/lib/crockford";

// The code the door can type: 9 characters of Crockford's base32 (lib/crockford.ts), printed in
// groups of three ("K7Q-2M9-XDP") on the ticket, the print view and the attendee CSV, and
// accepted at check-in however it is typed. Unique per event (tickets_event_short_code_idx;
// booking retries on the rare clash). 45 random bits: guessing a valid code for an event of
// 20,000 tickets takes about 1.8 billion tries, and only door staff of that event can check in.
// Its length (9) tells it apart from a booking reference (8) typed by mistake.

export const SHORT_CODE_LENGTH = 9;

export function newShortCode(): string {
  return randomCrockford(SHORT_CODE_LENGTH);
}

export function normalizeShortCode(input: string): string | null {
  return canonicalCrockford(input, SHORT_CODE_LENGTH);
}

export function formatShortCode(code: string): string {
  const c = normalizeShortCode(code);
  return c ? `${c.slice(0, 3)}-${c.slice(3, 6)}-${c.slice(6)}` : code;
}
