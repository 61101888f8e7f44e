"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";

// "Enter an access code" on the event page before the public sale (docs/promo-codes.md): a valid
// code lets this customer hold places in the presale; lib/promo-codes/access.ts applies the rules.

const schema = z.object({ eventId: z.uuid("Unknown event"), code: z.string().trim().min(1, "Enter the access code").max(40, "At most 40 characters") });

export const unlockPresaleAction = action({ schema }, async (d, actor): Promise<ActionState> => {
  const r = await unlockWithAccessCode(actor, d.eventId, d.code);
  if (!r.ok) return failureState(r);
  revalidatePath(`/events/${d.eventId}`);
  return {
    ok: true,
    message: r.grant.presaleOpen ? "Your access code is accepted: you can choose seats now." : "Your access code is accepted. The presale has not opened yet.",
  };
});
