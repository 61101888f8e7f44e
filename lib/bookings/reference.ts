// Booking references are read over the phone and typed from paper: 8 characters of Crockford's
// base32 (no I, L, O, U). 40 random bits; uniqueness is the database's job (bookings.reference
// is unique and the insert retries on a clash). Stored and used in URLs and the REST API in
// canonical form ("J5C1Y1BM"); shown to people everywhere (pages, dashboard, check-in, CSV,
// audit trail, calendar files) as "J5C1-Y1BM" by formatReference. Lookups accept either form and
// forgive case, spaces and the look-alikes O→0, I/L→1.
// No Node-only imports: client components format references too.

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const REFERENCE_LENGTH = 8;

export function newBookingReference(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(REFERENCE_LENGTH));
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

/** The one display form, "J5C1-Y1BM", from either form; anything else is shown as it is. */
export function formatReference(ref: string): string {
  const canonical = normalizeReference(ref);
  return canonical ? `${canonical.slice(0, 4)}-${canonical.slice(4)}` : ref;
}
