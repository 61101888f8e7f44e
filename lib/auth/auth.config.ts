import type { NextAuthConfig } from "next-auth";
import type { Role } from "./roles";

// The database-free part of the Auth.js configuration (no database, no bcrypt). middleware.ts and
// lib/auth/actor.ts read the session cookie themselves (lib/auth/session-cookie.ts) with the same
// lifetime; lib/auth/actor.ts re-checks the user in the database for every action and handler.

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
