// Codes people read aloud and type from paper — booking references and the ticket codes used
// at the door — use Crockford's base32 alphabet: digits and capitals without I, L, O and U, so
// nothing looks alike. What a person typed is read forgivingly: case, spaces and dashes do not
// matter, and the look-alikes O→0 and I/L→1 are mapped back. No Node-only imports: client
// components format these codes too.

export const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `length` characters from a cryptographically strong random source. */
export function randomCrockford(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out;
}

/** The canonical form of what a person typed, or null if it is not `length` characters of the alphabet. */
export function canonicalCrockford(input: string, length: number): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (s.length !== length) return null;
  for (const c of s) if (!CROCKFORD.includes(c)) return null;
  return s;
}
