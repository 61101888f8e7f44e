"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { blockPlaces, unblockPlaces, type SkippedSeat } from "@/lib/blocking/block";
import { blockReasonSchema } from "@/lib/blocking/schemas";

// Keeping places off sale and giving them back, from the house seats page. action() checks the
// session and the staff role; lib/blocking checks that this organizer runs the event.

const eventId = z.uuid("Unknown event");
const seatIds = z.array(z.coerce.number().int().positive()).min(1, "Select at least one seat on the map").max(2000);
const quantity = z.coerce.number({ message: "Enter a number" }).int("Use a whole number").min(1, "At least 1");

const seatsSchema = z.object({ eventId, "seatIds[]": seatIds, reason: blockReasonSchema.optional(), intent: z.enum(["block", "unblock"]) });
const gaSchema = z.object({
  eventId,
  sectionId: z.uuid("Pick a section"),
  quantity,
  reason: blockReasonSchema.optional(),
  intent: z.enum(["block", "unblock"]),
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function skippedNote(skipped: SkippedSeat[]): string {
  if (skipped.length === 0) return "";
  const busy = skipped.filter((s) => s.state === "held" || s.state === "sold");
  const already = skipped.filter((s) => s.state === "blocked");
  const parts: string[] = [];
  if (busy.length) parts.push(` Not blocked because someone holds or bought them: ${busy.map((s) => s.label).join("; ")}. Block them once they are free.`);
  if (already.length) parts.push(` Already off sale: ${already.map((s) => s.label).join("; ")}.`);
  return parts.join("");
}

function done(id: string, message: string): ActionState {
  revalidatePath(`/admin/events/${id}/seats`);
  revalidatePath(`/admin/events/${id}`);
  return { ok: true, message };
}

export const houseSeatsAction = action({ schema: seatsSchema, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState> => {
  if (data.intent === "block") {
    if (!data.reason)
      return { ok: false, code: "validation_failed", formError: "Say why these seats are kept off sale.", fieldErrors: { reason: ["Choose a reason"] } };
    const r = await blockPlaces(actor, data.eventId, { seatIds: data["seatIds[]"], reason: data.reason });
    if (!r.ok) return failureState(r);
    return done(data.eventId, `${plural(r.blocked, "seat")} kept off sale (${data.reason}).${skippedNote(r.skipped)}`);
  }
  const r = await unblockPlaces(actor, data.eventId, { seatIds: data["seatIds[]"] });
  if (!r.ok) return failureState(r);
  return done(data.eventId, r.released ? `${plural(r.released, "seat")} back on sale.` : "None of those seats was off sale: nothing changed.");
});

export const houseGaAction = action({ schema: gaSchema, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState> => {
  if (data.intent === "block") {
    if (!data.reason)
      return { ok: false, code: "validation_failed", formError: "Say why these places are kept off sale.", fieldErrors: { reason: ["Choose a reason"] } };
    const r = await blockPlaces(actor, data.eventId, { sectionId: data.sectionId, quantity: data.quantity, reason: data.reason });
    if (!r.ok) return failureState(r);
    return done(data.eventId, `${plural(r.blocked, "place")} kept off sale (${data.reason}).`);
  }
  const r = await unblockPlaces(actor, data.eventId, { sectionId: data.sectionId, quantity: data.quantity });
  if (!r.ok) return failureState(r);
  return done(data.eventId, r.released ? `${plural(r.released, "place")} back on sale.` : "No place of that section was off sale: nothing changed.");
});
