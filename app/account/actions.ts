"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { changePassword, requestEmailChange } from "@/lib/accounts/change";
import { requestPasswordReset } from "@/lib/accounts/reset";
import { changeEmailSchema, changePasswordSchema } from "@/lib/accounts/schemas";
import { resendVerification } from "@/lib/accounts/verify";
import { action, failureState, type ActionState } from "@/lib/actions";
import { signIn } from "@/lib/accounts/sign-in";
import { clientAddress } from "@/lib/security/client-address";

// The account page's forms: change password, change email, confirm the address again, and (for
// a guest) claim the account. Each: session and zod through action(), then one lib call.

export const changePasswordAction = action({ schema: changePasswordSchema }, async ({ currentPassword, newPassword }, actor): Promise<ActionState> => {
  const result = await changePassword(actor, { currentPassword, newPassword });
  if (!result.ok) return failureState(result);
  // Every session was signed out, this one too: sign this browser in again with the new password.
  try {
    await signIn("credentials", { email: actor.email, password: newPassword, redirect: false });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
  }
  return { ok: true, message: "Your password was changed. Every other device and API token was signed out." };
});

export const changeEmailAction = action({ schema: changeEmailSchema }, async ({ newEmail, currentPassword }, actor): Promise<ActionState> => {
  const result = await requestEmailChange(actor, { newEmail, currentPassword });
  if (!result.ok) return { ...failureState(result), values: { newEmail } };
  return {
    ok: true,
    message: `We sent a link to ${newEmail}. Your address changes when you open it (within 48 hours); until then we keep writing to ${actor.email}.`,
  };
});

export const resendVerificationAction = action({ schema: z.object({}) }, async (_data, actor): Promise<ActionState> => {
  const result = await resendVerification(actor);
  if (!result.ok) return failureState(result);
  return { ok: true, message: `We sent a new confirmation link to ${actor.email}.` };
});

/** A guest claims the account: the same emailed link as a password reset, to the guest's address. */
export const claimAccountAction = action({ schema: z.object({}) }, async (_data, actor): Promise<ActionState> => {
  await requestPasswordReset({ email: actor.email.toLowerCase() }, clientAddress(await headers()));
  return { ok: true, message: `We sent a link to ${actor.email}. Open it to choose a password; your tickets will be in your account.` };
});
