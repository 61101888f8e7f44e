import { NextRequest } from "next/server";

// Auth.js checks the callbackUrl it is given (the query parameter and its callback-url cookie)
// before any callback of ours runs, and answers one it cannot parse as an http(s) URL
// ("http://[", "%zz") with a 500 (InvalidCallbackUrl). Its routes get "/" in place of such a
// parameter, and such a cookie is dropped, so odd input is never our failure. Where a readable
// callbackUrl may lead is decided by the redirect callback (lib/auth/next-path.ts
// sameOriginRedirect): only to this site.

type Handler = (req: NextRequest) => Promise<Response>;

const CALLBACK_COOKIE = /^(__Secure-)?authjs\.callback-url$/;

/** Auth.js's own test (@auth/core assertConfig): an absolute http(s) URL, or a path. */
function readable(value: string, origin: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

function readableCookie(raw: string, origin: string): boolean {
  try {
    return readable(decodeURIComponent(raw), origin);
  } catch {
    return false; // not even percent-decodable
  }
}

function sanitized(req: NextRequest): NextRequest {
  const url = new URL(req.url);
  let changed = false;
  const given = url.searchParams.get("callbackUrl");
  if (given !== null && given !== "" && !readable(given, url.origin)) {
    url.searchParams.set("callbackUrl", "/");
    changed = true;
  }
  const headers = new Headers(req.headers);
  const cookie = req.headers.get("cookie");
  if (cookie) {
    const parts = cookie.split(";");
    const kept = parts.filter((part) => {
      const i = part.indexOf("=");
      const name = (i < 0 ? part : part.slice(0, i)).trim();
      return !CALLBACK_COOKIE.test(name) || (i > 0 && readableCookie(part.slice(i + 1).trim(), url.origin));
    });
    if (kept.length !== parts.length) {
      headers.set("cookie", kept.join(";"));
      changed = true;
    }
  }
  if (!changed) return req;
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : req.body;
  // A streamed body needs duplex "half" (Node's fetch), which the type does not list.
  const init = { method: req.method, headers, body, ...(body ? { duplex: "half" } : {}) };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

/** Auth.js's route handler, given only callback URLs it can read. */
export function withSafeCallbackUrl(handler: Handler): Handler {
  return (req) => handler(sanitized(req));
}
