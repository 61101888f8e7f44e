import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { authConfig } from "@/lib/auth/auth.config";
import { sameOriginRedirect } from "@/lib/auth/next-path";
import { loginSchema } from "@/lib/auth/schemas";
import { authenticate, bumpSessionVersion } from "@/lib/auth/users";
import { clientAddress } from "@/lib/security/client-address";
import { withSafeCallbackUrl } from "@/lib/auth/callback-url";
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
class ProtectedSignin extends CredentialsSignin {
  code = "account_protected";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  callbacks: { ...authConfig.callbacks, redirect: sameOriginRedirect },
  // One sign-out, whichever way it comes (the website's sign-out form, Auth.js's own
  // /api/auth/signout): it revokes every session and API token of the account, so a copy of the
  // cookie kept elsewhere opens nothing afterwards (lib/auth/actor.ts checks the version).
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (userId) await bumpSessionVersion(userId);
    },
  },
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
          const user = await authenticate(parsed.data, clientAddress(request.headers));
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
          const user = await createGuest(parsed.data, clientAddress(request.headers));
          return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (err) {
          throw signInError(err);
        }
      },
    }),
  ],
});

function signInError(err: unknown): unknown {
  if (err instanceof AppError && err.extra.reason === "account_protected") return new ProtectedSignin();
  if (err instanceof AppError && err.code === "rate_limited") return new RateLimitedSignin();
  if (err instanceof AppError && err.code === "service_unavailable") return new UnavailableSignin();
  return err;
}

// Auth.js's routes, given only callback URLs it can read (lib/auth/callback-url.ts).
export const GET = withSafeCallbackUrl(handlers.GET);
export const POST = withSafeCallbackUrl(handlers.POST);
