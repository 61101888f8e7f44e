"use server";

import { z } from "zod";
import { action, type ActionState } from "@/lib/actions";
import type { Actor } from "@/lib/auth/roles";
import { databaseNow } from "@/lib/clock";
import type { Failure } from "@/lib/errors";
import { holdSeats, releaseReservation } from "@/lib/holds";
import type { HoldRequest, ReservationView } from "@/lib/holds/types";
import { redirect } from "next/navigation";
import { assertRateLimit } from "@/lib/rate-limit";
import { checkActionAdmission } from "@/lib/waiting-room/gate";

// Hold and release from the event page. Thin: session and zod through action(), then one lib
// call. Every hold goes through hold() below, which checks the waiting room's admission pass
// and the rate limit before holding.

export type HoldResult = { reservation: ReservationView; serverNow: string };

const eventId = z.uuid("This event does not exist");
const count = (label: string) => z.coerce.number({ message: `${label} must be a number` }).int(`${label} must be a whole number`);

const seatHoldSchema = z.object({
  eventId,
  "seatIds[]": z.array(count("Seat").positive()).min(1, "Pick at least one seat").max(100, "Pick at most 100 seats"),
});

const gaHoldSchema = z.object({
  eventId,
  sectionId: z.uuid("Pick a section"),
  quantity: count("Quantity").min(1, "Choose at least 1 ticket").max(100, "Choose at most 100 tickets"),
});

const releaseSchema = z.object({ eventId, reservationId: z.uuid("Unknown reservation") });

const MESSAGES: Partial<Record<string, string>> = {
  seat_taken: "Sorry — someone else just took a seat you picked. The map is updated; please choose again.",
  sale_not_open: "Tickets for this event are not on sale right now.",
  reservation_locked: "Your order for this event is being paid right now. Finish or wait for that payment before adding seats.",
  not_found: "This event is not available any more.",
  rate_limited: "You are going a little fast. Wait a few seconds and try again.",
};

function failed(result: Failure): ActionState<HoldResult> {
  const formError = MESSAGES[result.code] ?? result.message;
  if (result.code === "seat_taken") {
    // The taken seat ids travel as the seatIds field's errors; the page turns them into names.
    const taken = Array.isArray(result.takenSeatIds) ? (result.takenSeatIds as number[]) : [];
    return { ok: false, code: result.code, formError, fieldErrors: { seatIds: taken.map(String) } };
  }
  if (result.code === "sold_out" && typeof result.available === "number") {
    const left = result.available;
    return {
      ok: false,
      code: result.code,
      formError: left > 0 ? `Only ${left} left in this section. Choose fewer tickets.` : "This section has just sold out.",
    };
  }
  return { ok: false, code: result.code, formError, fieldErrors: result.fields };
}

async function hold(actor: Actor, id: string, req: HoldRequest): Promise<ActionState<HoldResult>> {
  // While the event's waiting room is on, only admitted customers (a valid pass) get to hold.
  const admission = await checkActionAdmission(id, actor.id);
  if (!admission.ok) redirect(admission.queueUrl);
  await assertRateLimit("reservation", actor.id); // the same limit as the REST API's holds
  const result = await holdSeats(actor, id, req);
  if (!result.ok) return failed(result);
  return { ok: true, data: { reservation: result.reservation, serverNow: await databaseNow() } };
}

export const holdSeatsAction = action({ schema: seatHoldSchema }, async (data, actor) => hold(actor, data.eventId, { seatIds: data["seatIds[]"] }));

export const holdGeneralAdmissionAction = action({ schema: gaHoldSchema }, async (data, actor) =>
  hold(actor, data.eventId, { sectionId: data.sectionId, quantity: data.quantity }),
);

export const releaseAction = action({ schema: releaseSchema }, async (data, actor): Promise<ActionState> => {
  const result = await releaseReservation(actor, data.eventId, data.reservationId);
  if (!result.ok) {
    return { ok: false, code: result.code, formError: result.code === "not_found" ? "This hold has already ended." : result.message };
  }
  return { ok: true, message: "Your seats were released." };
});
