"use server";

import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { failureState, publicAction, type ActionState } from "@/lib/actions";
import { signIn, signOut } from "@/lib/accounts/sign-in";
import { clientAddress } from "@/lib/security/client-address";
import { safeNext } from "@/lib/auth/next-path";
import { loginSchema, registerSchema } from "@/lib/auth/schemas";
import { registerUser } from "@/lib/auth/users";
import { z } from "zod";

const SIGN_IN_MESSAGES: Record<string, string> = {
  rate_limited: "Too many sign-in attempts. Wait a minute and try again.",
  unavailable: "Sign-in is briefly unavailable. Please try again in a moment.",
  account_protected:
    "This account is protected after many failed sign-ins from elsewhere. Sign in from a device or network you have used before, or reset your password.",
};

async function signInOrMessage(email: string, password: string): Promise<string | null> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return null;
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code ?? "";
      return SIGN_IN_MESSAGES[code] ?? "That email and password do not match an account.";
    }
    throw err;
  }
}

export const loginAction = publicAction(
  { schema: loginSchema.extend({ next: z.string().optional() }).strip() },
  async ({ email, password, next }): Promise<ActionState> => {
    const message = await signInOrMessage(email, password);
    if (message) return { ok: false, formError: message, values: { email, next: next ?? "" } };
    redirect(safeNext(next));
  },
);

export const registerAction = publicAction(
  { schema: registerSchema.extend({ next: z.string().optional() }).strip() },
  async ({ email, password, name, next }): Promise<ActionState> => {
    const ip = clientAddress(await headers());
    const result = await registerUser({ email, password, name }, ip);
    if (!result.ok) return { ...failureState(result), values: { email, name } };
    const message = await signInOrMessage(email, password);
    if (message) return { ok: false, formError: message, values: { email, name } };
    redirect(safeNext(next));
  },
);

/** Signing out revokes every session and API token of the account (lib/auth/auth.ts, events.signOut). */
export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
