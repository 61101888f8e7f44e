"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { joinWaitlist, leaveWaitlist } from "@/lib/waitlist/join";

// Joining and leaving an event's waiting list from the event page. Thin: session and zod
// through action(), then one lib call.

const eventId = z.uuid("This event does not exist");
const joinSchema = z.object({ eventId, quantity: z.string(), sectionId: z.string().optional() });

export const joinWaitlistAction = action({ schema: joinSchema }, async (data, actor): Promise<ActionState> => {
  const r = await joinWaitlist(actor, data.eventId, { quantity: data.quantity, sectionId: data.sectionId });
  if (!r.ok) return failureState(r);
  revalidatePath(`/events/${data.eventId}`);
  // The panel itself says the place in line (waitlist-panel.tsx); the outcome only confirms.
  return { ok: true, message: r.joined ? "You joined the waiting list." : "You are already on the waiting list." };
});

export const leaveWaitlistAction = action({ schema: z.object({ eventId }) }, async (data, actor): Promise<ActionState> => {
  const r = await leaveWaitlist(actor, data.eventId);
  if (!r.ok) return failureState(r);
  revalidatePath(`/events/${data.eventId}`);
  return { ok: true, message: r.left ? "You left the waiting list." : "You were not waiting any more." };
});
