import { requireRequestActor } from "@/lib/auth/actor";
import { listMyBookings } from "@/lib/bookings";
import { json, readQuery, route } from "@/lib/http";
import { querySchema } from "./schema";

export const dynamic = "force-dynamic";

/** The caller's bookings: ?when=upcoming (soonest first) or ?when=past (latest first); all by default. */
export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const { when } = readQuery(req, querySchema);
  const items = await listMyBookings(actor, { when });
  return json({ items }, 200, { "cache-control": "no-store" });
});
