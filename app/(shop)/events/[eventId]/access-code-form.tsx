"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice } from "@/components/ui/form";

// The access-code form on the event page (docs/promo-codes.md): before the public sale it unlocks
// the presale; while on sale, on an event with hidden sections, the sections a code names. The
// action comes in as a prop from the page.

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function AccessCodeForm({ action, eventId, purpose }: { action: Action; eventId: string; purpose: "presale" | "sections" }) {
  const [state, formAction] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form
      action={formAction}
      className="max-w-md space-y-2 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
      noValidate
      data-testid="access-code-form"
    >
      {state?.ok && state.message && <Notice>{state.message}</Notice>}
      <FormError message={failed?.fieldErrors?.code ? undefined : failed?.formError} />
      <input type="hidden" name="eventId" value={eventId} />
      <Field
        label={purpose === "presale" ? "Have an access code for the presale?" : "Have an access code?"}
        name="access-code"
        errors={failed?.fieldErrors?.code}
      >
        <Input id="access-code" name="code" autoComplete="off" defaultValue={failed?.values?.code ?? ""} invalid={!!failed?.fieldErrors?.code} />
      </Field>
      <SubmitButton pendingText="Checking…" variant="secondary">
        {purpose === "presale" ? "Unlock presale" : "Unlock"}
      </SubmitButton>
    </form>
  );
}
