import { requireRequestActor } from "@/lib/auth/actor";
import { getBookingByReference } from "@/lib/bookings";
import { AppError } from "@/lib/errors";
import { json, readParams, route } from "@/lib/http";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

/** A booking with its tickets. Someone else's booking answers 404, exactly like a missing one. */
export const GET = route<{ reference: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { reference } = await readParams(ctx, paramsSchema);
  const booking = await getBookingByReference(actor, reference);
  if (!booking) throw new AppError("not_found", "No such booking.");
  return json(booking, 200, { "cache-control": "no-store" });
});
