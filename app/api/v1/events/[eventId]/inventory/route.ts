import { AppError } from "@/lib/errors";
import { readParams, route } from "@/lib/http";
import { getInventoryEncoded } from "@/lib/inventory";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

// Public and pollable: per-section counts plus the 2-bit seat bitmap. The body is encoded once
// per process per second; If-None-Match answers 304 when nothing changed. Limited per client
// address with the layout (lib/api/limits.ts, policy seatMap).
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const snap = await getInventoryEncoded(eventId);
  if (!snap) throw new AppError("not_found", "This event does not exist.");
  const headers = { etag: snap.etag, "cache-control": "public, max-age=1" };
  if (matches(req.headers.get("if-none-match"), snap.etag)) return new Response(null, { status: 304, headers });
  return new Response(snap.body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
});

// Weak comparison (RFC 9110 §13.1.2): W/"x" and "x" match.
function matches(header: string | null, etag: string) {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === bare;
  });
}
