"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, type ActionState } from "@/lib/actions";
import { cancelOwnBooking } from "@/lib/refunds/refund";

const cancelSchema = z.object({
  reference: z.string().min(1).max(40),
  confirm: z.literal("yes", { message: "Tick the box to confirm you want to cancel" }),
});

/** The customer cancels their own booking under the event's cancellation policy (lib/refunds). */
export const cancelBookingAction = action({ schema: cancelSchema }, async ({ reference }, actor): Promise<ActionState> => {
  const r = await cancelOwnBooking(actor, reference);
  if (!r.ok) return { ok: false, code: r.code, formError: r.message };
  revalidatePath(`/bookings/${r.refund.reference}`);
  // The cancel form goes away with the booking's cancellation: the page says it instead.
  redirect(`/bookings/${r.refund.reference}?cancelled=1`);
});
