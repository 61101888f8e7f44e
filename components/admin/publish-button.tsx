"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormError } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

// Publishing redirects back to the dashboard with a notice; only a refusal shows here.
export function PublishButton({ action, eventId }: { action: Action; eventId: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="eventId" value={eventId} />
      <FormError message={state && !state.ok ? state.formError : undefined} />
      <SubmitButton pendingText="Publishing…">Publish</SubmitButton>
    </form>
  );
}
