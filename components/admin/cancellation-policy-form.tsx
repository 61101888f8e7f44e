"use client";
import { useActionState, useState } from "react";
import { buttonStyles } from "@/components/button-styles";
import { Field, FormError, Input, Notice } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";
import type { CancellationPolicy } from "@/lib/refunds/schemas";
import { majorUnits } from "@/lib/money";
import { keepInputs } from "./keep-inputs";

// The event's customer cancellation policy (lib/refunds/policy.ts), on the event's edit page:
// whether customers may cancel their own bookings, until how many hours before the start, and
// the fee kept — a fixed amount or a percentage of the tickets' price, not both. Saved on its
// own (the same use case as PUT /api/v1/events/{id}/cancellation-policy).

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;
type FeeKind = "none" | "fixed" | "percent";

export function CancellationPolicyForm({ action, eventId, policy }: { action: Action; eventId: string; policy: CancellationPolicy }) {
  const [state, formAction, pending] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  const fe = failed?.fieldErrors ?? {};
  const v = failed?.values;
  const [allowed, setAllowed] = useState(v?.allowed ?? (policy.allowed ? "yes" : "no"));
  const [feeKind, setFeeKind] = useState<FeeKind>((v?.feeKind as FeeKind) ?? (policy.feePercent > 0 ? "percent" : policy.feeMinor > 0 ? "fixed" : "none"));
  return (
    <section aria-labelledby="policy-title" className="space-y-3 rounded-xl border border-slate-200 bg-white p-5" data-testid="cancellation-policy">
      <h2 id="policy-title" className="text-lg font-semibold">
        Customer cancellations
      </h2>
      <p className="max-w-prose text-sm text-slate-700">
        Whether customers may cancel their own bookings from their booking page and get their money back. Customers see this on the event page, at checkout and
        on their booking. A change applies to cancellations from now on.
      </p>
      {state?.ok && <Notice>{state.message}</Notice>}
      <FormError message={failed?.formError} />
      <form action={formAction} onSubmit={keepInputs(formAction)} className="space-y-4" noValidate>
        <input type="hidden" name="eventId" value={eventId} />
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">May customers cancel?</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="allowed" value="no" checked={allowed === "no"} onChange={() => setAllowed("no")} />
            No: customers contact the organizer
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="allowed" value="yes" checked={allowed === "yes"} onChange={() => setAllowed("yes")} />
            Yes, until some hours before the start
          </label>
        </fieldset>
        {allowed === "yes" && (
          <div className="grid max-w-xl gap-4 sm:grid-cols-2">
            <Field label="Until how many hours before the start" name="hoursBefore" errors={fe.hoursBefore} hint="0 means until the event starts">
              <Input
                name="hoursBefore"
                inputMode="numeric"
                defaultValue={v?.hoursBefore ?? (policy.hoursBefore === null ? "48" : String(policy.hoursBefore))}
                invalid={!!fe.hoursBefore}
              />
            </Field>
            <fieldset className="space-y-1 sm:col-span-2">
              <legend className="text-sm font-medium text-slate-800">Cancellation fee (kept by you)</legend>
              {(["none", "fixed", "percent"] as const).map((k) => (
                <label key={k} className="flex items-center gap-2 text-sm">
                  <input type="radio" name="feeKind" value={k} checked={feeKind === k} onChange={() => setFeeKind(k)} />
                  {k === "none"
                    ? "No fee: the whole price goes back"
                    : k === "fixed"
                      ? `A fixed amount per cancellation (${policy.currency})`
                      : "A percentage of the tickets' price"}
                </label>
              ))}
            </fieldset>
            {feeKind === "fixed" && (
              <Field label={`Fee in ${policy.currency}`} name="feeAmount" errors={fe.feeAmount}>
                <Input
                  name="feeAmount"
                  inputMode="decimal"
                  defaultValue={v?.feeAmount ?? (policy.feeMinor > 0 ? majorUnits(policy.feeMinor, policy.currency) : "")}
                  invalid={!!fe.feeAmount}
                />
              </Field>
            )}
            {feeKind === "percent" && (
              <Field label="Fee in percent" name="feePercent" errors={fe.feePercent}>
                <Input
                  name="feePercent"
                  inputMode="numeric"
                  defaultValue={v?.feePercent ?? (policy.feePercent > 0 ? String(policy.feePercent) : "")}
                  invalid={!!fe.feePercent}
                />
              </Field>
            )}
          </div>
        )}
        <button type="submit" className={buttonStyles("secondary")} disabled={pending} aria-disabled={pending}>
          {pending ? "Saving…" : "Save cancellation policy"}
        </button>
      </form>
    </section>
  );
}
