"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { releaseReservation } from "@/lib/holds";

const schema = z.object({ eventId: z.uuid("Unknown event"), reservationId: z.uuid("Unknown reservation") });

export const releaseHoldAction = action({ schema }, async ({ eventId, reservationId }, actor): Promise<ActionState> => {
  const result = await releaseReservation(actor, eventId, reservationId);
  revalidatePath("/account/holds");
  if (!result.ok) return failureState(result, { not_found: "This hold has already ended." });
  return { ok: true, message: "Released. The seats are available to others again." };
});
