"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { createRun } from "@/lib/series/run";

// Adding dates to a show: copies of the event at other start times (lib/series). action()
// checks the session and the staff role; createRun checks that this organizer runs the event.

const schema = z.object({
  eventId: z.uuid("Unknown event"),
  "dates[]": z.array(z.string()).min(1, "Add at least one date"),
  publish: z.string().optional(),
});

export const createRunAction = action({ schema, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState> => {
  const dates = data["dates[]"].filter((d) => d.trim() !== "");
  const r = await createRun(actor, data.eventId, { dates, publish: data.publish === "on" });
  if (!r.ok) return failureState(r);
  revalidatePath(`/admin/events/${data.eventId}/dates`);
  revalidatePath("/admin");
  const n = r.events.length;
  return { ok: true, message: `${n} date${n === 1 ? "" : "s"} added${data.publish === "on" ? " and published" : " as drafts"}.` };
});
