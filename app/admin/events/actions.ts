"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { checkInTicket, type CheckInOutcome } from "@/lib/checkin";
import { cancelEvent } from "@/lib/events/cancel";
import { createEvent } from "@/lib/events/create";
import { publishEvent, updateEvent } from "@/lib/events/update";
import { createEventFormSchema, updateEventFormSchema } from "./form-schema";

// Server actions of the organizer area's events. Each is a public endpoint: action() checks
// the session and the staff role; the lib/ function then checks that this organizer owns the
// event (another organizer's event is "not found").

const eventIdSchema = z.object({ eventId: z.uuid("Unknown event") });

export const createEventAction = action({ schema: createEventFormSchema, roles: STAFF_ROLES }, async (input, actor): Promise<ActionState> => {
  const r = await createEvent(actor, input);
  if (!r.ok) return failureState(r);
  revalidatePath("/admin");
  redirect(`/admin/events/${r.event.id}?created=1`);
});

export const updateEventAction = action({ schema: updateEventFormSchema, roles: STAFF_ROLES }, async ({ eventId, input }, actor): Promise<ActionState> => {
  const r = await updateEvent(actor, eventId, input);
  if (!r.ok) return failureState(r);
  revalidatePath(`/admin/events/${eventId}`);
  redirect(`/admin/events/${eventId}?saved=1`);
});

export const publishEventAction = action({ schema: eventIdSchema, roles: STAFF_ROLES }, async ({ eventId }, actor): Promise<ActionState> => {
  const r = await publishEvent(actor, eventId);
  if (!r.ok) return failureState(r);
  revalidatePath(`/admin/events/${eventId}`);
  redirect(`/admin/events/${eventId}?published=1`);
});

export const cancelEventAction = action(
  { schema: eventIdSchema.extend({ confirm: z.literal("yes", { message: "Tick the box to confirm the cancellation" }) }), roles: STAFF_ROLES },
  async ({ eventId }, actor): Promise<ActionState> => {
    const r = await cancelEvent(actor, eventId);
    if (!r.ok) return failureState(r);
    revalidatePath(`/admin/events/${eventId}`);
    redirect(`/admin/events/${eventId}?cancelled=${r.bookingsCancelled}`);
  },
);

export const checkInAction = action(
  { schema: eventIdSchema.extend({ code: z.string().max(300, "That is too long for a ticket code") }), roles: STAFF_ROLES },
  async ({ eventId, code }, actor): Promise<ActionState<CheckInOutcome>> => {
    const r = await checkInTicket(actor, eventId, code);
    if (!r.ok) return failureState(r);
    return { ok: true, data: r };
  },
);
