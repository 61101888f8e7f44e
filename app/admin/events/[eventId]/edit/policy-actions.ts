"use server";

import { revalidatePath } from "next/cache";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { currencyDigits, priceToMinor } from "@/lib/money";
import { getCancellationPolicy, setCancellationPolicy } from "@/lib/refunds/policy";
import { cancellationPolicyFormSchema } from "@/lib/refunds/schemas";

// The cancellation policy part of the event's edit page: the same use case as
// PUT /api/v1/events/{eventId}/cancellation-policy (docs/refunds.md). The form speaks in hours
// and the event's currency; the use case in whole hours and minor units.

const invalid = (fieldErrors: Record<string, string[]>): ActionState => ({
  ok: false,
  code: "validation_failed",
  formError: "Please correct the highlighted fields.",
  fieldErrors,
});

export const cancellationPolicyAction = action({ schema: cancellationPolicyFormSchema, roles: STAFF_ROLES }, async (form, actor): Promise<ActionState> => {
  const current = await getCancellationPolicy(actor, form.eventId);
  if (!current) return { ok: false, code: "not_found", formError: "This event does not exist or is not yours." };
  const allowed = form.allowed === "yes";
  const hoursText = form.hoursBefore.trim();
  const hoursBefore = hoursText === "" ? null : /^\d{1,5}$/.test(hoursText) ? Number(hoursText) : NaN;
  if (allowed && Number.isNaN(hoursBefore)) return invalid({ hoursBefore: ["Enter a whole number of hours, like 48"] });
  let feeMinor = 0;
  let feePercent = 0;
  if (allowed && form.feeKind === "fixed") {
    const minor = priceToMinor(form.feeAmount, currencyDigits(current.currency));
    if (minor === null) return invalid({ feeAmount: [`Enter an amount in ${current.currency}, like 2.50`] });
    feeMinor = minor;
  }
  if (allowed && form.feeKind === "percent") {
    if (!/^\d{1,3}$/.test(form.feePercent.trim())) return invalid({ feePercent: ["Enter a whole percentage from 0 to 100"] });
    feePercent = Number(form.feePercent.trim());
  }
  const r = await setCancellationPolicy(actor, form.eventId, { allowed, hoursBefore: allowed ? hoursBefore : null, feeMinor, feePercent });
  if (!r.ok) {
    const state = failureState(r);
    const f = state.fieldErrors;
    return f?.feeMinor ? { ...state, fieldErrors: { ...f, feeAmount: f.feeMinor } } : state;
  }
  revalidatePath(`/admin/events/${form.eventId}`);
  revalidatePath(`/events/${form.eventId}`);
  return { ok: true, message: "Cancellation policy saved. It applies to cancellations from now on." };
});
