// Ids arrive from URLs, bodies, cookies and webhooks; a malformed one must read as "not found" and
// never reach PostgreSQL as an invalid uuid (which would be a 500). The one check for every id.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
