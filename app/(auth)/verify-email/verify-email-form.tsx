"use client";
import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormError, Notice } from "@/components/ui/form";
import { verifyEmailAction } from "../recovery-actions";

export function VerifyEmailForm({ token }: { token: string }) {
  const [state, formAction] = useActionState(verifyEmailAction, null);
  if (state?.ok)
    return (
      <div className="space-y-3">
        <Notice>{state.message}</Notice>
        <Link href="/account" className="font-semibold text-brand-700 underline">
          Go to your account
        </Link>
      </div>
    );
  return (
    <form action={formAction} className="space-y-4">
      <FormError message={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-slate-700">Press the button to confirm that this address is yours.</p>
      <SubmitButton pendingText="Confirming…">Confirm my address</SubmitButton>
    </form>
  );
}
