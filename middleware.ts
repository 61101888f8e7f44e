import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig } from "@/lib/auth/auth.config";
import { apiResponse, isApiPath, isDocsPath, pageResponse } from "@/lib/security/middleware";

// First gate for page navigation only: /account and /admin need a session cookie, else a
// redirect to sign in with ?next=. Roles are NOT decided here: pages (lib/auth/guards.ts),
// server actions (lib/actions.ts) and route handlers (lib/auth/actor.ts) check the user and role
// themselves, so a request that slips past this file meets the same rule inside.
const { auth } = NextAuth(authConfig);

const gate = auth((req) => {
  const { pathname, search } = req.nextUrl;
  const needsUser = ["/admin", "/account"].some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (needsUser && !req.auth?.user) {
    const login = new URL("/login", req.nextUrl);
    login.searchParams.set("next", pathname + search);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
});

// Security headers for every response (lib/security): API responses get strict headers, and
// CORS for /api/v1, without passing the page gate (as before); pages get a per-request CSP
// nonce, forwarded to rendering, around the gate's answer.
export default async function middleware(req: NextRequest, event: NextFetchEvent) {
  const { pathname } = req.nextUrl;
  if (isApiPath(pathname)) return apiResponse(req);
  if (isDocsPath(pathname)) return pageResponse(req, () => NextResponse.next());
  return pageResponse(req, async () => (await gate(req, event as never)) ?? NextResponse.next());
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
  // The Node.js runtime (stable since Next.js 15.5) runs this file in the server's own context.
  // The default edge runtime runs it in a sandbox with its own Request/Response objects, which
  // costs every request, API calls included (see bench/README: S0 before/after).
  runtime: "nodejs",
};
