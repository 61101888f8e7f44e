import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db";
import { peekToken } from "@/lib/accounts/tokens";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** Opened from the reset email. The token is checked here and used up only when the form is sent. */
export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token } = await searchParams;
  const live = typeof token === "string" && (await peekToken(db(), token, "PASSWORD_RESET"));
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Choose a new password</h1>
      {live ? (
        <>
          <p className="text-sm text-slate-700">Choosing a new password signs you out everywhere else, and signs you in here.</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="reset-link-invalid">
          This link has expired or was already used.{" "}
          <Link href="/forgot-password" className="font-semibold underline">
            Ask for a new one
          </Link>
          .
        </div>
      )}
    </div>
  );
}
