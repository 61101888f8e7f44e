import { NextRequest } from "next/server";
import { sameOriginRedirect } from "./next-path";

// Auth.js checks the callbackUrl it is given (the query parameter and its callback-url cookie)
// before any callback of ours runs, and answers one it cannot parse ("http://[", "%zz") with a
// 500. Its routes get a same-origin callbackUrl instead (lib/auth/next-path.ts), and a malformed
// cookie is dropped, so odd input is never our failure and never leaves the site.

type Handler = (req: NextRequest) => Promise<Response>;

const CALLBACK_COOKIE = /^(__Secure-)?authjs\.callback-url$/;

function safeCookieValue(raw: string, origin: string): boolean {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return false;
  }
  return sameOriginRedirect({ url: value, baseUrl: origin }) === value;
}

function sanitized(req: NextRequest): NextRequest {
  const url = new URL(req.url);
  let changed = false;
  const given = url.searchParams.get("callbackUrl");
  if (given !== null) {
    const safe = sameOriginRedirect({ url: given, baseUrl: url.origin });
    if (safe !== given) {
      url.searchParams.set("callbackUrl", safe);
      changed = true;
    }
  }
  const headers = new Headers(req.headers);
  const cookie = req.headers.get("cookie");
  if (cookie) {
    const parts = cookie.split(";").filter((part) => {
      const i = part.indexOf("=");
      const name = (i < 0 ? part : part.slice(0, i)).trim();
      return !CALLBACK_COOKIE.test(name) || safeCookieValue(part.slice(i + 1).trim(), url.origin);
    });
    if (parts.length !== cookie.split(";").length) {
      headers.set("cookie", parts.join(";"));
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
