"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormError } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;

export function CancelEventForm({ action, eventId, bookings }: { action: Action; eventId: string; bookings: number }) {
  const [state, formAction] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormError message={failed?.formError} />
      <input type="hidden" name="eventId" value={eventId} />
      <div className="space-y-1">
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="confirm"
            value="yes"
            className="mt-1"
            aria-describedby="confirm-error"
            aria-invalid={failed?.fieldErrors?.confirm ? true : undefined}
          />
          <span>
            Yes, cancel this event and refund {bookings} booking{bookings === 1 ? "" : "s"}.
          </span>
        </label>
        <p id="confirm-error" aria-live="polite" className="text-sm text-red-700">
          {failed?.fieldErrors?.confirm?.[0]}
        </p>
      </div>
      <SubmitButton variant="danger" pendingText="Cancelling and refunding…">
        Cancel event and refund everyone
      </SubmitButton>
    </form>
  );
}
