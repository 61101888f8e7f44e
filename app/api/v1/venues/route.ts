import { requireRequestActor } from "@/lib/auth/actor";
import { venueView } from "@/lib/api/views";
import { AppError, orThrow } from "@/lib/errors";
import { json, readJson, readQuery, route } from "@/lib/http";
import { createVenue, getVenue, listVenues } from "@/lib/venues/venues";
import { createVenueBodySchema, listVenuesQuerySchema } from "./schema";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  readQuery(req, listVenuesQuerySchema);
  const venues = await listVenues();
  return json({ items: venues.map(venueView) });
});

export const POST = route(async (req) => {
  const actor = await requireRequestActor(req, ["ADMIN", "ORGANIZER"]);
  const input = await readJson(req, createVenueBodySchema);
  const { venue: created } = orThrow(await createVenue(actor, input));
  const venue = await getVenue(created.id);
  if (!venue) throw new AppError("internal", "The new venue could not be read back.");
  return json(venueView(venue), 201, { location: `/api/v1/venues/${venue.id}` });
});
