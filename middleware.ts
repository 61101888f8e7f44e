import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/auth.config";

// First gate for page navigation only: /account and /admin need a session cookie, else a
// redirect to sign in with ?next=. Roles are NOT decided here: pages (lib/auth/guards.ts),
// server actions (lib/actions.ts) and route handlers (lib/auth/actor.ts) check the user and role
// themselves, so a request that slips past this file meets the same rule inside.
const { auth } = NextAuth(authConfig);

export default auth((req) => {
  const { pathname, search } = req.nextUrl;
  const needsUser = ["/admin", "/account"].some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (needsUser && !req.auth?.user) {
    const login = new URL("/login", req.nextUrl);
    login.searchParams.set("next", pathname + search);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
