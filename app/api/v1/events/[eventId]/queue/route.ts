import { clientAddress } from "@/lib/security/client-address";
import { readParams, route } from "@/lib/http";
import { joinQueue, queueStatus } from "@/lib/waiting-room";
import { queueProblem, queueResponse, visitorTokenFrom } from "@/lib/waiting-room/http";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

type Params = { eventId: string };

// The waiting room's line. Anonymous on purpose: a place in line belongs to a browser (signed
// cookie) or an API client (Queue-Token header), not to an account, and these two calls must stay
// cheap (no session lookup, no Postgres). The pass that admission hands out is bound to the
// first account that holds seats with it (lib/waiting-room/admission.ts).

/** Take a place in line (idempotent: the same token keeps its place; new places are limited per IP). */
export const POST = route<Params>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const r = await joinQueue(eventId, visitorTokenFrom(req, eventId), clientAddress(req.headers));
  if (!r.ok) throw queueProblem(req, eventId, r);
  return queueResponse(req, eventId, r.view, r.visitorToken, { setVisitor: true });
});

/** Where you are in line: position, estimated wait, and the admission pass once it is your turn. */
export const GET = route<Params>(async (req, ctx) => {
  const { eventId } = await readParams(ctx, paramsSchema);
  const r = await queueStatus(eventId, visitorTokenFrom(req, eventId));
  if (!r.ok) throw queueProblem(req, eventId, r);
  return queueResponse(req, eventId, r.view, r.visitorToken, { setVisitor: false });
});
