import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { authConfig } from "@/lib/auth/auth.config";
import { clientIp } from "@/lib/auth/client-ip";
import { loginSchema } from "@/lib/auth/schemas";
import { authenticate } from "@/lib/auth/users";
import { createGuest } from "./guest";
import { guestSchema } from "./schemas";

// Signing in, for the website (Auth.js): with a password, or as a guest (a passwordless account
// of its own, ./guest.ts). It sits above lib/auth (identity, passwords, sessions) and this folder's
// guest accounts, which is why it lives here and not in lib/auth.

class RateLimitedSignin extends CredentialsSignin {
  code = "rate_limited";
}
class UnavailableSignin extends CredentialsSignin {
  code = "unavailable";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  // A wrong password is an expected outcome, not a server error worth a stack trace.
  logger: {
    error(error) {
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      log.error("auth.error", { name: error.name, message: error.message });
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = loginSchema.safeParse({ email: credentials?.email, password: credentials?.password });
        if (!parsed.success) return null;
        try {
          const user = await authenticate(parsed.data, clientIp(request.headers));
          if (!user) return null;
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (err) {
          throw signInError(err);
        }
      },
    }),
    // Guest checkout: a new passwordless user with its own session (lib/accounts/guest.ts).
    Credentials({
      id: "guest",
      credentials: { email: {}, name: {} },
      async authorize(credentials, request) {
        const parsed = guestSchema.safeParse({ email: credentials?.email, name: credentials?.name });
        if (!parsed.success) return null;
        try {
          const user = await createGuest(parsed.data, clientIp(request.headers));
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (err) {
          throw signInError(err);
        }
      },
    }),
  ],
});

function signInError(err: unknown): unknown {
  if (err instanceof AppError && err.code === "rate_limited") return new RateLimitedSignin();
  if (err instanceof AppError && err.code === "service_unavailable") return new UnavailableSignin();
  return err;
}

export const { GET, POST } = handlers;
