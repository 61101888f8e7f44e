import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { corsHeaders, parseOrigins, preflightResponse } from "./cors";
import { API_CSP, createNonce, pageCsp } from "./csp";
import { apiSecurityHeaders, pageSecurityHeaders, setHeaders } from "./headers";
import { refusedApiRequest, refusedPagePost, type AllowedMethods } from "./odd-requests";

// The security half of middleware.ts (which runs on the Node.js runtime). API responses, errors
// included, get strict headers and CORS; pages get a per-request CSP nonce that Next.js reads
// from the forwarded request headers and stamps on its scripts.

let origins: { raw: string; set: Set<string> } | undefined;

function allowedOrigins(): Set<string> {
  const raw = env().CORS_ORIGINS;
  if (origins?.raw !== raw) origins = { raw, set: parseOrigins(raw) };
  return origins.set;
}

const production = () => env().NODE_ENV === "production";

export function isApiPath(pathname: string) {
  return pathname.startsWith("/api/") && !isDocsPath(pathname);
}

export function isDocsPath(pathname: string) {
  return pathname === "/api/docs" || pathname.startsWith("/api/docs/");
}

export function apiResponse(req: NextRequest, allowedMethods: AllowedMethods): Response {
  const { pathname } = req.nextUrl;
  const isV1 = pathname.startsWith("/api/v1/");
  const origin = req.headers.get("origin");
  const res =
    isV1 && req.method === "OPTIONS" && req.headers.has("access-control-request-method")
      ? preflightResponse(origin, allowedOrigins(), pathname)
      : (isV1 && refusedApiRequest(req, allowedMethods)) || NextResponse.next();
  setHeaders(res, apiSecurityHeaders(API_CSP, production()));
  if (isV1 && res.status !== 204 && res.status !== 403) setHeaders(res, corsHeaders(origin, allowedOrigins()));
  return res;
}

/** Runs `next` (middleware.ts's session check, or a plain pass-through) with a nonce forwarded to rendering. */
export async function pageResponse(req: NextRequest, next: () => Promise<Response> | Response): Promise<Response> {
  const nonce = createNonce();
  const csp = pageCsp(nonce, { dev: env().NODE_ENV === "development", stripe: STRIPE_PAGE.test(req.nextUrl.pathname) && env().PAYMENT_PROVIDER === "stripe" });
  const refused = refusedPagePost(req);
  if (refused) {
    setHeaders(refused, pageSecurityHeaders(csp, production()));
    return refused;
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const res = forwardRequestHeaders(await next(), requestHeaders);
  setHeaders(res, pageSecurityHeaders(csp, production()));
  // The door check-in page reads ticket QR codes with the camera; every other page keeps it off.
  if (CHECK_IN_PAGE.test(req.nextUrl.pathname)) res.headers.set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), browsing-topics=()");
  return res;
}

const CHECK_IN_PAGE = /^\/admin\/events\/[^/]+\/check-in\/?$/;
// The one page that shows Stripe's Payment Element (docs/payments.md).
const STRIPE_PAGE = /^\/checkout\/[^/]+\/?$/;

// The session check answers NextResponse.next() or .rewrite() without request headers; rebuild the same
// answer with the nonce headers forwarded, keeping its cookies and other headers. Redirects
// render nothing and pass through unchanged.
function forwardRequestHeaders(res: Response, request: Headers): Response {
  const rewrite = res.headers.get("x-middleware-rewrite");
  let out: NextResponse;
  if (res.headers.get("x-middleware-next") === "1") out = NextResponse.next({ request: { headers: request } });
  else if (rewrite) out = NextResponse.rewrite(rewrite, { status: res.status, request: { headers: request } });
  else return res;
  res.headers.forEach((value, key) => {
    if (!key.startsWith("x-middleware-") && key !== "set-cookie") out.headers.set(key, value);
  });
  for (const cookie of res.headers.getSetCookie()) out.headers.append("set-cookie", cookie);
  return out;
}
