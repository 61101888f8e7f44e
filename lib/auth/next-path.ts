/**
 * Where to go after signing in (or continuing as a guest): only a path on this site, never an
 * open redirect — not "//host", not "/\host" (browsers read a backslash as a slash).
 */
export function safeNext(next: unknown): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : "/";
}
