import crypto from "node:crypto";

// Booking references are read over the phone and typed from paper: 8 characters of Crockford's
// base32 (no I, L, O, U), shown as "XXXX-XXXX". 40 random bits; uniqueness is the database's
// job (bookings.reference is unique and the insert retries on a clash). Lookups forgive case,
// separators and the look-alikes O→0, I/L→1.

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const REFERENCE_LENGTH = 8;

export function newBookingReference(): string {
  const bytes = crypto.randomBytes(REFERENCE_LENGTH);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** Canonical form of what a person typed, or null if it cannot be a reference. */
export function normalizeReference(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (s.length !== REFERENCE_LENGTH) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return s;
}

export function formatReference(ref: string): string {
  return `${ref.slice(0, 4)}-${ref.slice(4)}`;
}
