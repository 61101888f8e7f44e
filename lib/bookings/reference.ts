import { canonicalCrockford, randomCrockford } from "@/lib/crockford";

// Booking references are read over the phone and typed from paper: 8 characters of Crockford's
// base32 (lib/crockford.ts). 40 random bits; uniqueness is the database's job (bookings.reference
// is unique and the insert retries on a clash). Stored and used in URLs and the REST API in
// canonical form ("J5C1Y1BM"); shown to people everywhere (pages, dashboard, check-in, CSV,
// audit trail, calendar files) as "J5C1-Y1BM" by formatReference. Lookups accept either form and
// forgive case, spaces and look-alikes.

export const REFERENCE_LENGTH = 8;

export function newBookingReference(): string {
  return randomCrockford(REFERENCE_LENGTH);
}

/** Canonical form of what a person typed, or null if it cannot be a reference. */
export function normalizeReference(input: string): string | null {
  return canonicalCrockford(input, REFERENCE_LENGTH);
}

/** The one display form, "J5C1-Y1BM", from either form; anything else is shown as it is. */
export function formatReference(ref: string): string {
  const canonical = normalizeReference(ref);
  return canonical ? `${canonical.slice(0, 4)}-${canonical.slice(4)}` : ref;
}
