"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { requestPasswordReset, resetPassword } from "@/lib/accounts/reset";
import { forgotPasswordSchema, guestSchema, resetPasswordSchema } from "@/lib/accounts/schemas";
import { verifyEmail } from "@/lib/accounts/verify";
import { failureState, publicAction, type ActionState } from "@/lib/actions";
import { signIn } from "@/lib/accounts/sign-in";
import { trustSignInAddress } from "@/lib/auth/sign-in-limits";
import { clientAddress } from "@/lib/security/client-address";
import { safeNext } from "@/lib/auth/next-path";

// Forgot password, reset password, confirm an address, and continue as a guest: forms for
// visitors who are not signed in. Thin: zod through publicAction, then one lib call.

export const forgotPasswordAction = publicAction({ schema: forgotPasswordSchema }, async ({ email }): Promise<ActionState> => {
  await requestPasswordReset({ email }, clientAddress(await headers()));
  // The same answer whether or not the address has an account.
  return {
    ok: true,
    message: `If ${email} belongs to an account or a guest order, we have sent it a link to choose a password. The link works for 60 minutes. Nothing arrived? Check your spam folder, or try again in a few minutes.`,
  };
});

export const resetPasswordAction = publicAction({ schema: resetPasswordSchema }, async ({ token, password }): Promise<ActionState> => {
  const result = await resetPassword(token, password);
  if (!result.ok) return failureState(result);
  // The emailed link proves the owner: this address may sign in past the account's guessing
  // ceiling from now on (lib/auth/sign-in-limits.ts), so a stranger's guessing cannot keep them out.
  await trustSignInAddress(result.email, clientAddress(await headers()));
  try {
    await signIn("credentials", { email: result.email, password, redirect: false });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    redirect("/login?reset=1"); // the password is set; signing in can wait (e.g. a sign-in limit)
  }
  redirect(`/account?reset=1${result.claimed ? `&claimed=${result.claimed}` : ""}`);
});

export const verifyEmailAction = publicAction({ schema: z.strictObject({ token: z.string().max(100) }) }, async ({ token }): Promise<ActionState> => {
  const result = await verifyEmail(token);
  if (!result.ok) return failureState(result);
  const claimed = result.claimed
    ? ` ${result.claimed} booking${result.claimed === 1 ? "" : "s"} made as a guest with this address ${result.claimed === 1 ? "is" : "are"} now in My bookings.`
    : "";
  return { ok: true, message: `${result.changed ? `Your email address is now ${result.email}.` : "Thank you: your email address is confirmed."}${claimed}` };
});

export const guestAction = publicAction(
  { schema: guestSchema.extend({ next: z.string().max(2000).optional() }).strip() },
  async ({ email, name, next }): Promise<ActionState> => {
    // The guest provider (lib/accounts/sign-in.ts) creates the guest user and its session.
    try {
      await signIn("guest", { email, name, redirect: false });
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      const code = (err as AuthError & { code?: string }).code;
      const formError =
        code === "rate_limited"
          ? "Too many guest checkouts from here. Wait a while, or sign in."
          : "We could not start your guest checkout. Please try again in a moment.";
      return { ok: false, code: code === "rate_limited" ? "rate_limited" : "service_unavailable", formError, values: { email, name, next: next ?? "" } };
    }
    redirect(safeNext(next));
  },
);
