import { requireRequestActor } from "@/lib/auth/actor";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { EXPORT_KINDS, exportEventCsv } from "@/lib/dashboard/export";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

// CSV downloads of an event's attendees or bookings. Staff only; another organizer's event is 404.
export const GET = route<{ eventId: string; kind: string }>(async (req, ctx) => {
  const actor = await requireRequestActor(req, STAFF_ROLES);
  const { eventId, kind } = await ctx.params;
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) throw new AppError("not_found", "Export attendees or bookings.");
  const file = await exportEventCsv(actor, eventId, kind as (typeof EXPORT_KINDS)[number]);
  if (!file) throw new AppError("not_found", "No such event.");
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "private, no-store",
    },
  });
});
