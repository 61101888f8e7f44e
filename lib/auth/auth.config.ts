import type { NextAuthConfig } from "next-auth";
import type { Role } from "./roles";

// The database-free part of the Auth.js configuration, used by middleware.ts (no database, no
// bcrypt, so the cookie check stays cheap on every navigation).
// It only knows what the signed session cookie says; lib/auth/actor.ts re-checks the user in the
// database for every action and handler.

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
    sv: number;
  }
}

export const SESSION_MAX_AGE = 60 * 60 * 24 * 7;

export const authConfig = {
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub as string;
      session.user.role = token.role as Role;
      session.sv = token.sv as number;
      return session;
    },
  },
} satisfies NextAuthConfig;
