"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { action, claimsAction, failureState, type ActionState, type FailureMessages } from "@/lib/actions";
import type { Claims } from "@/lib/auth/actor";
import { databaseNow } from "@/lib/clock";
import { releaseReservation } from "@/lib/holds";
import { placeHold } from "@/lib/holds/place-hold";
import type { HoldRequest, ReservationView } from "@/lib/holds/types";
import { passFromCookies } from "@/lib/waiting-room/cookies";

// Hold and release from the event page. Thin: the session through claimsAction()/action(), the form's fields
// reshaped into the hold request, then lib/holds/place-hold.ts (request check, waiting-room
// admission, rate limit, hold — the same guards as the REST API) and the outcome as page state.

export type HoldResult = { reservation: ReservationView; serverNow: string };

const seatHoldForm = z.object({ eventId: z.string(), "seatIds[]": z.array(z.string()) });
const gaHoldForm = z.object({ eventId: z.string(), sectionId: z.string(), quantity: z.string() });
const releaseForm = z.object({ eventId: z.uuid("This event does not exist"), reservationId: z.uuid("Unknown reservation") });

// The page's wording (people, not API clients, read these).
const HOLD_MESSAGES: FailureMessages = {
  seat_taken: "Sorry — someone else just took a seat you picked. The map is updated; please choose again.",
  sold_out: (f) => (f.available > 0 ? `Only ${f.available} left in this section. Choose fewer tickets.` : "This section has just sold out."),
  sale_not_open: "Tickets for this event are not on sale right now.",
  reservation_locked: "Your order for this event is being paid right now. Finish or wait for that payment before adding seats.",
  not_found: "This event is not available any more.",
};

async function hold(caller: Claims, eventId: string, request: HoldRequest): Promise<ActionState<HoldResult>> {
  const result = await placeHold(caller, eventId, request, await passFromCookies(eventId));
  // The hold's own statement tells the database clock on the usual path (the countdown starts from it).
  if (result.ok) return { ok: true, data: { reservation: result.reservation, serverNow: result.serverNow ?? (await databaseNow()) } };
  if (result.code === "queue_required") redirect(result.queueUrl); // not admitted yet: to the line
  return failureState(result, HOLD_MESSAGES);
}

// The caller is checked in the hold's own statement (lib/holds/place-hold.ts), hence claimsAction.
export const holdSeatsAction = claimsAction({ schema: seatHoldForm }, async (data, caller) =>
  hold(caller, data.eventId, { seatIds: data["seatIds[]"].map(Number) }),
);

export const holdGeneralAdmissionAction = claimsAction({ schema: gaHoldForm }, async (data, caller) =>
  hold(caller, data.eventId, { sectionId: data.sectionId, quantity: Number(data.quantity) }),
);

export const releaseAction = action({ schema: releaseForm }, async (data, actor): Promise<ActionState> => {
  const result = await releaseReservation(actor, data.eventId, data.reservationId);
  if (!result.ok) return failureState(result, { not_found: "This hold has already ended." });
  return { ok: true, message: "Your seats were released." };
});
