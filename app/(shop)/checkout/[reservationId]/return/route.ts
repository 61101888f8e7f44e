import { actorFromRequest } from "@/lib/auth/actor";
import { pathAfterResume, resumeAfterAction } from "@/lib/checkout/resume";
import { route } from "@/lib/http";
import { isUuid } from "@/lib/ids";

export const dynamic = "force-dynamic";

// Where the customer lands after a 3-D Secure challenge (the issuer's redirect, Stripe's
// return_url, or the mock provider's challenge page). It asks the provider how the payment ended,
// books or records the decline (lib/checkout/resume.ts), and sends the customer on: to the
// tickets, or back to the checkout page, which says what happened and what to do next.
export const GET = route<{ reservationId: string }>(async (req, ctx) => {
  const { reservationId } = await ctx.params;
  const url = new URL(req.url);
  // A relative Location: the browser stays on the host it used (behind a proxy, or 127.0.0.1 vs
  // localhost, the request's own URL may name another one, whose cookies the browser lacks).
  const to = (path: string) => new Response(null, { status: 303, headers: { location: path, "cache-control": "no-store" } });
  const actor = await actorFromRequest(req);
  if (!actor) return to(`/login?next=${encodeURIComponent(url.pathname)}`);
  if (!isUuid(reservationId)) return to("/");
  return to(pathAfterResume(reservationId, await resumeAfterAction(actor, reservationId)));
});
