import { claimsFromRequest } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { canonicalUuid } from "@/lib/ids";
import { readParams, route } from "@/lib/http";
import { getSeatLayoutEncoded } from "@/lib/inventory";
import { hasHiddenSections, layoutView, sectionsToCut } from "@/lib/inventory/visible";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

// A public read: a token that does not verify gets the anonymous view, never a 401.
const anonymous = () => null;

// The seat layout never changes after an event is published: cache it hard, revalidate by ETag.
// An event with hidden sections answers each caller the view it may see (lib/inventory/visible.ts):
// private, and revalidated each time (a grant entered since changes the view).
// Limited per client address with the live availability (lib/api/limits.ts, policy seatMap).
export const GET = route<{ eventId: string }>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const full = await getSeatLayoutEncoded(eventId);
  if (!full) throw new AppError("not_found", "This event does not exist.");
  const cut = await sectionsToCut(canonicalUuid(eventId)!, full.layout, () => claimsFromRequest(req).catch(anonymous));
  const layout = layoutView(full, cut);
  const headers: Record<string, string> = hasHiddenSections(full.layout)
    ? { etag: layout.etag, "cache-control": "private, no-cache", vary: "Cookie, Authorization" }
    : { etag: layout.etag, "cache-control": "public, max-age=3600" };
  if (req.headers.get("if-none-match") === layout.etag) return new Response(null, { status: 304, headers });
  return new Response(layout.body, { status: 200, headers: { ...headers, "content-type": "application/json" } });
});
