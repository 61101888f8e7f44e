"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice } from "@/components/ui/form";
import { forgotPasswordAction } from "../recovery-actions";

export function ForgotPasswordForm() {
  const [state, formAction] = useActionState(forgotPasswordAction, null);
  const errors = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state?.ok && <Notice>{state.message}</Notice>}
      <FormError message={errors?.formError} />
      <Field label="Email" name="email" errors={errors?.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={errors?.values?.email} invalid={!!errors?.fieldErrors?.email} />
      </Field>
      <SubmitButton pendingText="Sending…">Send me a link</SubmitButton>
    </form>
  );
}
