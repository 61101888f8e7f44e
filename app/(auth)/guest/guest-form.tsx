"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/form";
import { guestAction } from "../recovery-actions";

export function GuestForm({ next }: { next: string }) {
  const [state, formAction] = useActionState(guestAction, null);
  const errors = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={errors?.formError} />
      <input type="hidden" name="next" value={next} />
      <Field label="Email" name="email" errors={errors?.fieldErrors?.email} hint="Your tickets are sent here.">
        <Input name="email" type="email" autoComplete="email" required defaultValue={errors?.values?.email} invalid={!!errors?.fieldErrors?.email} />
      </Field>
      <Field label="Name" name="name" errors={errors?.fieldErrors?.name}>
        <Input name="name" autoComplete="name" required defaultValue={errors?.values?.name} invalid={!!errors?.fieldErrors?.name} />
      </Field>
      <SubmitButton pendingText="Continuing…">Continue as a guest</SubmitButton>
    </form>
  );
}
