// CORS for /api/v1 only, from an allowlist (CORS_ORIGINS: comma-separated origins such as
// "https://box-office.example,https://partner.example"). Browsers on other origins may not read
// API responses. No credentials: cross-origin callers authenticate with a bearer token, so the
// website's session cookie is never usable from another site.

export const CORS_METHODS = "GET, POST, DELETE, OPTIONS";
export const CORS_ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match, Queue-Token, Queue-Pass";
export const CORS_EXPOSED_HEADERS = "ETag, Location, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
const MAX_AGE_SECONDS = "600";

export function parseOrigins(raw: string): Set<string> {
  const out = new Set<string>();
  for (const part of raw.split(",")) {
    const value = part.trim();
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.protocol === "http:" || url.protocol === "https:") out.add(url.origin);
    } catch {
      // A malformed entry allows nothing rather than something unintended.
    }
  }
  return out;
}

/** Headers for an actual (non-preflight) API response. */
export function corsHeaders(origin: string | null, allowed: Set<string>): Record<string, string> {
  const headers: Record<string, string> = { Vary: "Origin" };
  if (origin && allowed.has(origin)) {
    headers["Access-Control-Allow-Origin"] = origin;
    headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS;
  }
  return headers;
}

/** The answer to a preflight: 204 with the permissions for an allowed origin, else 403. */
export function preflightResponse(origin: string | null, allowed: Set<string>, path: string): Response {
  if (!origin || !allowed.has(origin)) {
    const body = {
      type: "https://tessera.dev/problems/forbidden",
      title: "Not allowed",
      status: 403,
      code: "forbidden",
      detail: "This origin may not call the API from a browser.",
      instance: path,
    };
    return new Response(JSON.stringify(body), { status: 403, headers: { "content-type": "application/problem+json", Vary: "Origin" } });
  }
  return new Response(null, {
    status: 204,
    headers: {
      Vary: "Origin",
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": CORS_METHODS,
      "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS,
      "Access-Control-Max-Age": MAX_AGE_SECONDS,
    },
  });
}
