"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";
import { loginAction } from "../actions";

export function LoginForm({ next }: { next: string }) {
  const [state, formAction] = useActionState(loginAction, null);
  const errors = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={errors?.formError} />
      <input type="hidden" name="next" value={next} />
      <Field label="Email" name="email" errors={errors?.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={errors?.values?.email} invalid={!!errors?.fieldErrors?.email} />
      </Field>
      <Field label="Password" name="password" errors={errors?.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required invalid={!!errors?.fieldErrors?.password} />
      </Field>
      <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
