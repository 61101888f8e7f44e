"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";
import { registerAction } from "../actions";

export function RegisterForm({ next }: { next: string }) {
  const [state, formAction] = useActionState(registerAction, null);
  const errors = state && !state.ok ? state : undefined;
  const fe = errors?.fieldErrors;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={errors?.formError} />
      <input type="hidden" name="next" value={next} />
      <Field label="Name" name="name" errors={fe?.name}>
        <Input name="name" autoComplete="name" required defaultValue={errors?.values?.name} invalid={!!fe?.name} />
      </Field>
      <Field label="Email" name="email" errors={fe?.email}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={errors?.values?.email} invalid={!!fe?.email} />
      </Field>
      <Field label="Password" name="password" errors={fe?.password} hint="At least 8 characters, with a digit or symbol.">
        <Input name="password" type="password" autoComplete="new-password" required invalid={!!fe?.password} />
      </Field>
      <SubmitButton pendingText="Creating account…">Create account</SubmitButton>
    </form>
  );
}
