"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { fail } from "@/lib/errors";
import { getEventDetail } from "@/lib/events/queries";
import { currencyDigits, priceToMinor } from "@/lib/money";
import { createPromoCode, deactivatePromoCode, type PromoCodeOutcome } from "@/lib/promo-codes/manage";

// Discount codes from the organizer area (docs/promo-codes.md). action() checks the session and
// the staff role; lib/promo-codes checks that this organizer runs the event and applies the rules.
// The form takes a fixed discount in major units (25.00); its validity dates are typed on the
// venue's clock and arrive as ISO instants (components/admin/datetime-field.tsx), as the lib takes them.

const formSchema = z.object({
  eventId: z.uuid("Unknown event"),
  code: z.string().max(200),
  kind: z.enum(["PERCENT", "FIXED", "ACCESS"], { message: "Choose a percentage, a fixed amount or presale access" }),
  amount: z.string().max(20),
  validFrom: z.string().max(40).optional(),
  validUntil: z.string().max(40).optional(),
  maxUses: z.string().max(10).optional(),
  maxUsesPerCustomer: z.string().max(10).optional(),
  "sectionIds[]": z.array(z.uuid("Unknown section")).max(100).optional(),
});

function answer(eventId: string, r: PromoCodeOutcome, done: string): ActionState {
  if (!r.ok) return failureState(r);
  revalidatePath(`/admin/events/${eventId}/promo-codes`);
  revalidatePath(`/admin/events/${eventId}`);
  return { ok: true, message: `${r.promoCode.code}: ${done}.` };
}

export const createPromoCodeAction = action({ schema: formSchema, roles: STAFF_ROLES }, async (d, actor): Promise<ActionState> => {
  const event = await getEventDetail(d.eventId, actor);
  if (!event) return failureState(fail("not_found", "This event does not exist or is not yours."));
  const fields: Record<string, string[]> = {};
  const amount =
    d.kind === "ACCESS"
      ? 0
      : d.kind === "FIXED"
        ? priceToMinor(d.amount, currencyDigits(event.currency))
        : /^\d{1,3}$/.test(d.amount.trim())
          ? Number(d.amount.trim())
          : null;
  if (amount === null) fields.amount = [d.kind === "FIXED" ? "Enter an amount, e.g. 5.00" : "Enter a percentage from 1 to 100"];
  const whole = (text: string | undefined, field: string): number | null => {
    if (!text?.trim()) return null;
    if (/^\d{1,7}$/.test(text.trim())) return Number(text.trim());
    fields[field] = ["Use a whole number"];
    return null;
  };
  const instant = (text: string | undefined, field: string): string | null => {
    if (!text?.trim()) return null;
    if (z.iso.datetime({ offset: true }).safeParse(text.trim()).success) return new Date(text.trim()).toISOString();
    fields[field] = ["A date and time on the venue's clock"];
    return null;
  };
  const request = {
    code: d.code,
    kind: d.kind,
    amount: amount ?? 0,
    validFrom: instant(d.validFrom, "validFrom"),
    validUntil: instant(d.validUntil, "validUntil"),
    maxUses: whole(d.maxUses, "maxUses"),
    maxUsesPerCustomer: whole(d.maxUsesPerCustomer, "maxUsesPerCustomer"),
    sectionIds: d["sectionIds[]"] ?? null,
  };
  if (Object.keys(fields).length) return { ok: false, code: "validation_failed", formError: "Please correct the highlighted fields.", fieldErrors: fields };
  const r = await createPromoCode(actor, d.eventId, request);
  if (!r.ok && r.fields?.sectionIds) r.fields["sectionIds[]"] = r.fields.sectionIds;
  return answer(d.eventId, r, "created");
});

const deactivateSchema = z.object({ eventId: z.uuid("Unknown event"), codeId: z.uuid("Unknown code") });

export const deactivatePromoCodeAction = action({ schema: deactivateSchema, roles: STAFF_ROLES }, async (d, actor): Promise<ActionState> => {
  return answer(d.eventId, await deactivatePromoCode(actor, d.eventId, d.codeId), "deactivated: no new checkout may use it");
});
