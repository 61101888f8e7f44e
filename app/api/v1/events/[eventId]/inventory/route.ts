import { claimsFromRequest } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { readParams, route } from "@/lib/http";
import { getInventoryEncoded, getSeatLayoutEncoded } from "@/lib/inventory";
import { hasHiddenSections, sectionsToCut, snapshotView } from "@/lib/inventory/visible";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

// A public read: a token that does not verify gets the anonymous view, never a 401.
const anonymous = () => null;

// Public and pollable: per-section counts plus the 2-bit seat bitmap. The body is encoded once
// per process per second; If-None-Match answers 304 when nothing changed. Limited per client
// address with the layout (lib/api/limits.ts, policy seatMap). An event with hidden sections
// answers each caller the view it may see (lib/inventory/visible.ts), privately.
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const [full, layout] = await Promise.all([getInventoryEncoded(eventId), getSeatLayoutEncoded(eventId)]);
  if (!full || !layout) throw new AppError("not_found", "This event does not exist.");
  const cut = await sectionsToCut(full.snapshot.eventId, layout.layout, () => claimsFromRequest(req).catch(anonymous));
  const snap = snapshotView(full, layout.layout, cut);
  const headers: Record<string, string> = hasHiddenSections(layout.layout)
    ? { etag: snap.etag, "cache-control": "private, max-age=1", vary: "Cookie, Authorization" }
    : { etag: snap.etag, "cache-control": "public, max-age=1" };
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
