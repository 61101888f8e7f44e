"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { formatReference } from "@/lib/bookings/reference";
import { createStaffOrder, type StaffOrderOutcome } from "@/lib/box-office/order";
import { BOX_OFFICE_METHODS, METHOD_LABELS } from "@/lib/box-office/schemas";
import { formatMoney } from "@/lib/money";

// Selling at the box office from the organizer area. action() checks the session and the staff
// role; lib/box-office checks that this organizer runs the event and applies the inventory rules.
// The seats form sends a type per seat in `seatTypes[]`, in the order of `seatIds[]` ("" = the
// order's type).

const common = {
  eventId: z.uuid("Unknown event"),
  email: z.string().max(254),
  name: z.string().max(120).optional(),
  method: z.enum(BOX_OFFICE_METHODS, { message: "Choose how the customer pays" }),
  note: z.string().max(200).optional(),
  ticketTypeId: z.union([z.uuid("Pick a ticket type"), z.literal("")]).optional(),
  promoCode: z.string().max(200).optional(),
};
const seatsSchema = z.object({
  ...common,
  "seatIds[]": z.array(z.coerce.number().int().positive()).min(1, "Select at least one seat on the map").max(100),
  "seatTypes[]": z
    .array(z.union([z.uuid("Pick a ticket type"), z.literal("")]))
    .max(100)
    .optional(),
  includeBlocked: z.literal("on").optional(),
});
const gaSchema = z.object({ ...common, sectionId: z.uuid("Pick a section"), quantity: z.coerce.number({ message: "Enter a number" }) });

type Data = z.infer<typeof seatsSchema> | z.infer<typeof gaSchema>;
const customer = (d: Data) => ({ email: d.email, ...(d.name?.trim() ? { name: d.name } : {}) });
const note = (d: Data) => ({
  ...(d.note?.trim() ? { note: d.note } : {}),
  ...(d.ticketTypeId ? { ticketTypeId: d.ticketTypeId } : {}),
  ...(d.promoCode?.trim() ? { promoCode: d.promoCode } : {}),
});

function answer(eventId: string, r: StaffOrderOutcome): ActionState {
  if (!r.ok) {
    // The lib names its fields customer.email / seatIds; the form's are email / seatIds[].
    const fields = Object.fromEntries(
      Object.entries(r.fields ?? {}).map(([k, v]) => [k === "customer.email" ? "email" : k === "customer.name" ? "name" : k, v]),
    );
    if (fields.ticketTypes) fields["seatTypes[]"] = fields.ticketTypes;
    return failureState({ ...r, fields });
  }
  revalidatePath(`/admin/events/${eventId}/box-office`);
  revalidatePath(`/admin/events/${eventId}`);
  const paid = r.amountMinor > 0 ? `${formatMoney(r.amountMinor, r.currency)} ${METHOD_LABELS[r.method].toLowerCase()}` : METHOD_LABELS[r.method].toLowerCase();
  const who = r.newGuest ? `${r.customerEmail} (new guest account)` : r.customerEmail;
  const promo = r.promo ? ` Code ${r.promo.code}: ${formatMoney(r.promo.discountMinor, r.currency)} off.` : "";
  return {
    ok: true,
    message: `Booking ${formatReference(r.reference)}: ${r.places} place${r.places === 1 ? "" : "s"} for ${who}, ${paid}.${promo} The tickets are on their way by email.`,
  };
}

export const boxOfficeSeatsAction = action({ schema: seatsSchema, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState> => {
  const seatIds = data["seatIds[]"];
  const perSeat = (data["seatTypes[]"] ?? []).flatMap((t, i) => (t && seatIds[i] ? [{ inventoryId: seatIds[i], ticketTypeId: t }] : []));
  const r = await createStaffOrder(actor, data.eventId, {
    customer: customer(data),
    method: data.method,
    ...note(data),
    ...(perSeat.length ? { ticketTypes: perSeat } : {}),
    seatIds,
    includeBlocked: data.includeBlocked === "on",
  });
  return answer(data.eventId, r);
});

export const boxOfficeGaAction = action({ schema: gaSchema, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState> => {
  const r = await createStaffOrder(actor, data.eventId, {
    customer: customer(data),
    method: data.method,
    ...note(data),
    sectionId: data.sectionId,
    quantity: data.quantity,
  });
  return answer(data.eventId, r);
});
