"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice } from "@/components/ui/form";

// The presale's access-code form on the event page (docs/promo-codes.md). The action comes in as
// a prop from the page.

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function AccessCodeForm({ action, eventId }: { action: Action; eventId: string }) {
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
      <Field label="Have an access code for the presale?" name="access-code" errors={failed?.fieldErrors?.code}>
        <Input id="access-code" name="code" autoComplete="off" defaultValue={failed?.values?.code ?? ""} invalid={!!failed?.fieldErrors?.code} />
      </Field>
      <SubmitButton pendingText="Checking…" variant="secondary">
        Unlock presale
      </SubmitButton>
    </form>
  );
}
