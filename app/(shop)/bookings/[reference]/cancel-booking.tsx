"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FormError } from "@/components/ui/form";
import { cancelBookingAction } from "./cancel-actions";

/**
 * "Cancel booking" for the booking's customer, shown while the event's policy allows it: what
 * they get back and until when is said before they press (quoted by the server, lib/refunds).
 */
export function CancelBooking({ reference, summary }: { reference: string; summary: string }) {
  const [state, formAction] = useActionState(cancelBookingAction, null);
  return (
    <form action={formAction} className="space-y-3" data-testid="cancel-booking">
      <FormError message={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="reference" value={reference} />
      <p className="text-sm text-slate-800">{summary}</p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="confirm" value="yes" required className="h-4 w-4" />I want to cancel this booking; my tickets stop working at once.
      </label>
      <SubmitButton pendingText="Cancelling…" variant="danger">
        Cancel booking
      </SubmitButton>
    </form>
  );
}
