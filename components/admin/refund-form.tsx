"use client";
import { useActionState, useEffect, useState } from "react";
import { buttonStyles } from "@/components/button-styles";
import { SubmitButton } from "@/components/ui/button";
import { FormError, Notice } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";
import { formatReference } from "@/lib/bookings/reference";
import { formatMoney } from "@/lib/money";
import type { RefundView } from "@/lib/refunds/schemas";

// The organizer's refund of a booking, in two steps: choose the tickets and say why, then
// review what happens — which tickets, how much goes back to the customer's card — and confirm.
// The server decides (lib/refunds refundTickets, the REST route's use case): a ticket refunded
// or checked in meanwhile is refused with a message naming it, and nothing changes.

export type RefundTicket = { id: string; label: string; priceMinor: number; status: "VALID" | "USED" | "VOID" };
type Action = (prev: ActionState<RefundView>, formData: FormData) => Promise<ActionState<RefundView>>;
type Props = { action: Action; eventId: string; reference: string; currency: string; paid: boolean; tickets: RefundTicket[]; open: boolean };

const STATE: Record<RefundTicket["status"], string> = {
  VALID: "Valid",
  USED: "Checked in at the door: cannot be refunded here",
  VOID: "Refunded",
};

export function RefundForm({ action, eventId, reference, currency, paid, tickets, open }: Props) {
  const [state, formAction] = useActionState(action, null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [reviewing, setReviewing] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  useEffect(() => {
    // A refusal sends the organizer back to the choices (kept); a refund starts a fresh form.
    setReviewing(false);
    if (state?.ok) {
      setChosen([]);
      setReason("");
    }
  }, [state]);

  const failed = state && !state.ok ? state : undefined;
  const valid = tickets.filter((t) => t.status === "VALID");
  const picked = tickets.filter((t) => chosen.includes(t.id));
  const total = picked.reduce((n, t) => n + t.priceMinor, 0);
  const money = (minor: number) => formatMoney(minor, currency);
  const whole = picked.length === valid.length;
  const toggle = (id: string, on: boolean) => setChosen((c) => (on ? [...c, id] : c.filter((x) => x !== id)));
  const review = () => {
    const errors: Record<string, string> = {};
    if (picked.length === 0) errors.ticketIds = "Choose at least one ticket";
    if (reason.trim().length < 3) errors.reason = "Say why in a few words (the customer reads it)";
    setLocal(errors);
    if (Object.keys(errors).length === 0) setReviewing(true);
  };
  const fieldError = (name: string) => local[name] ?? failed?.fieldErrors?.[name]?.[0];

  return (
    <section aria-labelledby="refund-title" className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="refund-title" className="text-lg font-semibold">
        Tickets
      </h2>
      {state?.ok && state.message && <Notice>{state.message}</Notice>}
      <FormError message={failed?.formError} />
      <form action={formAction} className="space-y-4" data-testid="refund-form" noValidate>
        <input type="hidden" name="eventId" value={eventId} />
        <input type="hidden" name="reference" value={reference} />
        <fieldset aria-describedby="ticketIds-error" className="space-y-2">
          <legend className="sr-only">Tickets to refund</legend>
          <table className="w-full text-sm">
            <thead className="text-left text-slate-700">
              <tr>
                <th className="w-10 py-1">{open ? <span className="sr-only">Refund</span> : null}</th>
                <th className="py-1">Ticket</th>
                <th className="py-1 text-right">Price</th>
                <th className="py-1 pl-4">State</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((t) => (
                <tr key={t.id} className="border-t border-slate-100" data-testid="staff-ticket">
                  <td className="py-2">
                    {open && t.status === "VALID" && (
                      <input
                        type="checkbox"
                        value={t.id}
                        id={`t-${t.id}`}
                        checked={chosen.includes(t.id)}
                        onChange={(e) => toggle(t.id, e.target.checked)}
                        disabled={reviewing}
                        className="h-4 w-4"
                      />
                    )}
                  </td>
                  <td className="py-2">
                    <label htmlFor={`t-${t.id}`}>{t.label}</label>
                  </td>
                  <td className="py-2 text-right tabular-nums">{t.priceMinor === 0 ? "Free" : money(t.priceMinor)}</td>
                  <td className={`py-2 pl-4 ${t.status === "VALID" ? "text-emerald-800" : "text-slate-600"}`}>{STATE[t.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p id="ticketIds-error" aria-live="polite" className="text-sm text-red-700">
            {fieldError("ticketIds")}
          </p>
        </fieldset>
        {!open ? (
          <p className="text-sm text-slate-700">Nothing left to refund: every ticket of this booking was refunded or checked in.</p>
        ) : (
          <>
            <div hidden={reviewing} className="space-y-3">
              <button type="button" className="text-sm font-semibold text-brand-700 underline" onClick={() => setChosen(whole ? [] : valid.map((t) => t.id))}>
                {whole ? "Clear the choice" : "Choose every valid ticket (the whole booking)"}
              </button>
              <div className="space-y-1">
                <label htmlFor="reason" className="block text-sm font-medium text-slate-800">
                  Reason (the customer reads it in their email and booking)
                </label>
                <textarea
                  id="reason"
                  rows={2}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  aria-invalid={fieldError("reason") ? true : undefined}
                  aria-describedby="reason-error"
                  className="block w-full max-w-xl rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-600"
                />
                <p id="reason-error" aria-live="polite" className="text-sm text-red-700">
                  {fieldError("reason")}
                </p>
              </div>
              <button type="button" className={buttonStyles("secondary")} onClick={review}>
                Review the refund
              </button>
            </div>
            {reviewing && (
              <div
                role="region"
                aria-label="Review the refund"
                className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
                data-testid="refund-review"
              >
                {/* What is sent is exactly what is reviewed here. */}
                <input type="hidden" name="confirm" value="yes" />
                <input type="hidden" name="reason" value={reason} />
                {picked.map((t) => (
                  <input key={t.id} type="hidden" name="ticketIds[]" value={t.id} />
                ))}
                <p className="font-semibold">
                  {whole ? "Refund the whole booking" : `Refund ${picked.length} of ${valid.length} valid tickets`} ({formatReference(reference)}):
                </p>
                <ul className="list-disc pl-5">
                  {picked.map((t) => (
                    <li key={t.id}>
                      {t.label} — {t.priceMinor === 0 ? "free" : money(t.priceMinor)}
                    </li>
                  ))}
                </ul>
                <p className="text-base font-semibold" data-testid="refund-amount">
                  {total === 0
                    ? "Nothing was paid for these tickets, so no money moves."
                    : paid
                      ? `The customer gets ${money(total)} back to the card they paid with.`
                      : `Paid at the box office, not by card: return ${money(total)} to the customer there.`}
                </p>
                <p>Reason the customer reads: “{reason.trim()}”</p>
                <p>The tickets stop working at once, their seats go back on sale, and the customer is emailed. This cannot be undone.</p>
                <div className="flex flex-wrap gap-2">
                  <SubmitButton variant="danger" pendingText="Refunding…">
                    {paid && total > 0 ? `Refund ${money(total)}` : "Cancel these tickets"}
                  </SubmitButton>
                  <button type="button" className={buttonStyles("secondary")} onClick={() => setReviewing(false)}>
                    Back
                  </button>
                </div>
              </div>
            )}
          </>
        )}
      </form>
    </section>
  );
}
