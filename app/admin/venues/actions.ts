"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { action, failureState, type ActionState } from "@/lib/actions";
import { updateVenue } from "@/lib/venues/update";
import { createVenue } from "@/lib/venues/venues";
import { createVenueFormSchema, updateVenueFormSchema } from "./form-schema";

// Organizers and admins create venues; the creator and admins edit them (lib/venues).

export const createVenueAction = action({ schema: createVenueFormSchema, roles: ["ADMIN", "ORGANIZER"] }, async (input, actor): Promise<ActionState> => {
  const r = await createVenue(actor, input);
  if (!r.ok) return failureState(r);
  revalidatePath("/admin/venues");
  redirect(`/admin/venues?saved=${r.venue.id}`);
});

export const updateVenueAction = action(
  { schema: updateVenueFormSchema, roles: ["ADMIN", "ORGANIZER"] },
  async ({ venueId, version, input }, actor): Promise<ActionState> => {
    const r = await updateVenue(actor, venueId, input, version);
    if (!r.ok) return failureState(r);
    revalidatePath("/admin/venues");
    redirect(`/admin/venues?saved=${venueId}`);
  },
);
