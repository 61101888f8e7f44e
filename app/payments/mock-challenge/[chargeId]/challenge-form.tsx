"use client";
import { useActionState } from "react";
import { FormError } from "@/components/ui/form";
import { answerChallengeAction } from "./actions";

/** Approve or cancel: two buttons of one form, so the answer is whichever was pressed. */
export function ChallengeForm({ chargeId, returnPath }: { chargeId: string; returnPath: string }) {
  const [state, formAction, pending] = useActionState(answerChallengeAction, null);
  return (
    <form action={formAction} className="space-y-3" data-testid="challenge-form">
      <FormError message={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="chargeId" value={chargeId} />
      <input type="hidden" name="returnPath" value={returnPath} />
      <div className="flex flex-wrap gap-3">
        <button
          type="submit"
          name="answer"
          value="approve"
          disabled={pending}
          className="rounded-md bg-indigo-700 px-4 py-2 font-semibold text-white hover:bg-indigo-800 disabled:opacity-60"
        >
          Approve payment
        </button>
        <button
          type="submit"
          name="answer"
          value="cancel"
          disabled={pending}
          className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100 disabled:opacity-60"
        >
          Cancel
        </button>
      </div>
      <p className="text-xs text-slate-700">After you answer you go back to the shop, which finishes your order.</p>
    </form>
  );
}
