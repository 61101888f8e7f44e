// Ids arrive from URLs, bodies, cookies and webhooks; a malformed one must read as "not found" and
// never reach PostgreSQL as an invalid uuid (which would be a 500). The one check for every id.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * The one spelling of a uuid (lowercase, as PostgreSQL writes it), or null when it is not one.
 * PostgreSQL reads "ABC…" and "abc…" as the same id; a Redis key, a cache key or a comparison in
 * JavaScript would not. So an id from outside becomes a key only in this form: otherwise a hold
 * and its release could touch different keys, and a cache could be missed on purpose.
 */
export function canonicalUuid(value: unknown): string | null {
  return isUuid(value) ? value.toLowerCase() : null;
}
