"use client";
import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";
import { resetPasswordAction } from "../recovery-actions";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, formAction] = useActionState(resetPasswordAction, null);
  const errors = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={errors?.formError} />
      {errors?.code === "not_found" && (
        <p className="text-sm">
          <Link href="/forgot-password" className="font-semibold text-brand-700 underline">
            Ask for a new link
          </Link>
        </p>
      )}
      <input type="hidden" name="token" value={token} />
      <Field label="New password" name="password" errors={errors?.fieldErrors?.password} hint="At least 8 characters, with a digit or a symbol.">
        <Input name="password" type="password" autoComplete="new-password" required invalid={!!errors?.fieldErrors?.password} />
      </Field>
      <Field label="New password again" name="confirmPassword" errors={errors?.fieldErrors?.confirmPassword}>
        <Input name="confirmPassword" type="password" autoComplete="new-password" required invalid={!!errors?.fieldErrors?.confirmPassword} />
      </Field>
      <SubmitButton pendingText="Saving…">Save and sign in</SubmitButton>
    </form>
  );
}
