"use client";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { releaseHoldAction } from "./actions";

export function ReleaseForm({ eventId, reservationId }: { eventId: string; reservationId: string }) {
  const [state, formAction] = useActionState(releaseHoldAction, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="eventId" value={eventId} />
      <input type="hidden" name="reservationId" value={reservationId} />
      <SubmitButton variant="secondary" pendingText="Releasing…">
        Release
      </SubmitButton>
      <span role="status" className="text-sm text-slate-700">
        {state?.ok ? state.message : state?.formError}
      </span>
    </form>
  );
}
