import { AppError } from "@/lib/errors";
import { readParams, route } from "@/lib/http";
import { getSeatLayoutEncoded } from "@/lib/inventory";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

// The seat layout never changes after an event is created: cache it hard, revalidate by ETag.
// Limited per client address with the live availability (lib/api/limits.ts, policy seatMap).
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const layout = await getSeatLayoutEncoded(eventId);
  if (!layout) throw new AppError("not_found", "This event does not exist.");
  const headers = { etag: layout.etag, "cache-control": "public, max-age=3600" };
  if (req.headers.get("if-none-match") === layout.etag) return new Response(null, { status: 304, headers });
  return new Response(layout.body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
});
