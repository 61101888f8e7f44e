import { requireRequestActor } from "@/lib/auth/actor";
import { getBookingByReference } from "@/lib/bookings";
import { AppError } from "@/lib/errors";
import { readParams, route } from "@/lib/http";
import { qrSvg } from "@/lib/tickets";
import { paramsSchema } from "./schema";

export const dynamic = "force-dynamic";

/** A ticket's QR code (SVG). Only for those who may see the booking; anything else is 404. */
export const GET = route<{ reference: string; ticketId: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req);
  const { reference, ticketId } = await readParams(ctx, paramsSchema);
  const ticket = (await getBookingByReference(actor, reference))?.tickets.find((t) => t.id === ticketId);
  if (!ticket) throw new AppError("not_found", "No such ticket.");
  return new Response(await qrSvg(ticket.qrPayload), {
    status: 200,
    headers: { "content-type": "image/svg+xml", "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
  });
});
