import { requireRequestActor } from "@/lib/auth/actor";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { createEvent } from "@/lib/events/create";
import { getEventDetail, listPublicEvents } from "@/lib/events/queries";
import { AppError, orThrow } from "@/lib/errors";
import { json, readJson, readQuery, route } from "@/lib/http";
import { createEventBodySchema, listEventsQuerySchema } from "./schema";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { status, q, page, pageSize } = readQuery(req, listEventsQuerySchema);
  const result = await listPublicEvents({ filter: status, q, page, pageSize });
  return json(result);
});

export const POST = route(async (req) => {
  const actor = await requireRequestActor(req, STAFF_ROLES);
  const input = await readJson(req, createEventBodySchema);
  const { event } = orThrow(await createEvent(actor, input));
  const detail = await getEventDetail(event.id, actor);
  if (!detail) throw new AppError("internal", "The new event could not be read back.");
  return json(detail, 201, { location: `/api/v1/events/${event.id}` });
});
