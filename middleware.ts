import { NextResponse, type NextRequest } from "next/server";
import { allowedMethods } from "@/lib/api/allowed-methods";
import { SESSION_MAX_AGE } from "@/lib/auth/auth.config";
import { readSession, renewedToken, sessionCookieName } from "@/lib/auth/session-cookie";
import { apiResponse, isApiPath, isDocsPath, pageResponse } from "@/lib/security/middleware";
import { untilBodyArrived } from "@/lib/security/request-body";

// A first check for page navigation only: /account and /admin need a session cookie, else a
// redirect to sign in with ?next=. Roles are NOT decided here: pages (lib/auth/guards.ts),
// server actions (lib/actions.ts) and route handlers (lib/auth/actor.ts) check the user and role
// themselves, so a request that slips past this file meets the same rule inside.
//
// The cookie is only decoded here (lib/auth/session-cookie.ts, ~20 µs), never re-encrypted on
// every request as Auth.js's own middleware does (~1.4 ms): a session is renewed — a fresh cookie
// valid for SESSION_MAX_AGE again — on the first page request a day after it was issued, so an
// active customer stays signed in and an idle one is signed out after SESSION_MAX_AGE.
async function sessionCheck(req: NextRequest): Promise<Response> {
  const { pathname, search } = req.nextUrl;
  const session = readSession(req.cookies, req.headers);
  const needsUser = ["/admin", "/account"].some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (needsUser && !session) {
    const login = new URL("/login", req.nextUrl);
    login.searchParams.set("next", pathname + search);
    return NextResponse.redirect(login);
  }
  const res = NextResponse.next();
  if (session) {
    const name = sessionCookieName(req.headers);
    const token = await renewedToken(session, name, SESSION_MAX_AGE);
    if (token) res.cookies.set(name, token, { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-"), maxAge: SESSION_MAX_AGE });
  }
  return res;
}

// Security headers for every response (lib/security): API responses get strict headers, and
// CORS for /api/v1, without passing the session check; pages get a per-request CSP nonce,
// forwarded to rendering, around the session check's answer.
export default async function middleware(req: NextRequest) {
  await untilBodyArrived(req); // before anything else: see lib/security/request-body.ts
  const { pathname } = req.nextUrl;
  if (isApiPath(pathname)) return apiResponse(req, allowedMethods);
  if (isDocsPath(pathname)) return pageResponse(req, () => NextResponse.next());
  return pageResponse(req, () => sessionCheck(req));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
  // The Node.js runtime (stable since Next.js 15.5) runs this file in the server's own context.
  // The default edge runtime runs it in a sandbox with its own Request/Response objects, which
  // costs every request, API calls included (see bench/README: S0 before/after).
  runtime: "nodejs",
};
