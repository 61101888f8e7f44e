"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice } from "@/components/ui/form";
import { changeEmailAction, changePasswordAction, claimAccountAction, resendVerificationAction } from "./actions";

// The account page's forms. Passwords are never echoed back; the new address is.

export function ChangePasswordForm() {
  const [state, formAction] = useActionState(changePasswordAction, null);
  const errors = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate aria-labelledby="password-title">
      {state?.ok && <Notice>{state.message}</Notice>}
      <FormError message={errors?.formError} />
      <Field label="Current password" name="currentPassword" errors={errors?.fieldErrors?.currentPassword}>
        <Input name="currentPassword" type="password" autoComplete="current-password" required invalid={!!errors?.fieldErrors?.currentPassword} />
      </Field>
      <Field label="New password" name="newPassword" errors={errors?.fieldErrors?.newPassword} hint="At least 8 characters, with a digit or a symbol.">
        <Input name="newPassword" type="password" autoComplete="new-password" required invalid={!!errors?.fieldErrors?.newPassword} />
      </Field>
      <Field label="New password again" name="confirmPassword" errors={errors?.fieldErrors?.confirmPassword}>
        <Input name="confirmPassword" type="password" autoComplete="new-password" required invalid={!!errors?.fieldErrors?.confirmPassword} />
      </Field>
      <SubmitButton pendingText="Saving…">Change password</SubmitButton>
    </form>
  );
}

export function ChangeEmailForm() {
  const [state, formAction] = useActionState(changeEmailAction, null);
  const errors = state && !state.ok ? state : undefined;
  // Field ids must not clash with the password form on the same page.
  return (
    <form action={formAction} className="space-y-4" noValidate aria-labelledby="email-title">
      {state?.ok && <Notice>{state.message}</Notice>}
      <FormError message={errors?.formError} />
      <Field label="New email address" name="newEmail" errors={errors?.fieldErrors?.newEmail}>
        <Input name="newEmail" type="email" autoComplete="email" required defaultValue={errors?.values?.newEmail} invalid={!!errors?.fieldErrors?.newEmail} />
      </Field>
      <Field label="Current password" name="emailCurrentPassword" errors={errors?.fieldErrors?.currentPassword}>
        <input
          id="emailCurrentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!errors?.fieldErrors?.currentPassword || undefined}
          aria-describedby="emailCurrentPassword-error"
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-600"
        />
      </Field>
      <SubmitButton pendingText="Sending…">Change email</SubmitButton>
    </form>
  );
}

export function OneButtonForm({ kind, label, pendingText }: { kind: "resend" | "claim"; label: string; pendingText: string }) {
  const [state, formAction] = useActionState(kind === "resend" ? resendVerificationAction : claimAccountAction, null);
  return (
    <form action={formAction} className="space-y-3">
      {state?.ok && <Notice>{state.message}</Notice>}
      <FormError message={state && !state.ok ? state.formError : undefined} />
      <SubmitButton variant="secondary" pendingText={pendingText}>
        {label}
      </SubmitButton>
    </form>
  );
}
