import { venueView } from "@/lib/api/views";
import { AppError } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { getVenue } from "@/lib/venues/venues";
import { venueParamsSchema } from "./schema";

export const dynamic = "force-dynamic";

export const GET = route<{ venueId: string }>(async (req, ctx) => {
  const { venueId } = await readParams(ctx, venueParamsSchema);
  const venue = await getVenue(venueId);
  if (!venue) throw new AppError("not_found", "No such venue.");
  return json(venueView(venue));
});
