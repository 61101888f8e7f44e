import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import {
  managedTicketTypeListSchema,
  managedTicketTypeSchema,
  ticketTypeInputSchema,
  ticketTypeItemParamsSchema,
  ticketTypeParamsSchema,
} from "@/lib/ticket-types/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem } from "../schemas";

// An event's ticket types (docs/box-office.md): price categories such as Adult, Child and
// Concession, each with a price per section, an optional limit and a note. The event's organizer
// and admins only; customers see the types on GET /events/{eventId} and choose one per place
// when paying (POST /bookings/confirm).

export function registerTicketTypePaths(registry: OpenAPIRegistry) {
  const managed = { security: bearer, tags: ["Ticket types"] };
  const refusals = {
    400: problems.validation(),
    401: problems.unauthorized(),
    403: problems.forbidden(),
    503: problems.unavailable(),
  };

  registry.registerPath({
    ...managed,
    method: "get",
    path: "/events/{eventId}/ticket-types",
    summary: "The event's ticket types, retired ones too, with prices now and what each sold",
    request: { params: ticketTypeParamsSchema },
    responses: { 200: ok("The ticket types", managedTicketTypeListSchema), ...refusals, 404: problems.notFound("The event") },
  });

  registry.registerPath({
    ...managed,
    method: "post",
    path: "/events/{eventId}/ticket-types",
    summary: "Create a ticket type with its price per section",
    description:
      "Prices are in minor units per section of the event (`prices`); a section left out does not offer the type. `limit` caps the live tickets of the type for the event (exact under concurrency). The first type of a section (by `sortOrder`, then name) is the one a place gets when the customer chooses none.",
    request: { params: ticketTypeParamsSchema, body: jsonBody(ticketTypeInputSchema) },
    responses: {
      201: ok("The ticket type", managedTicketTypeSchema),
      ...refusals,
      404: problems.notFound("The event"),
      409: problem(409, ["conflict"], "The event is closed"),
      ...bodyProblems(),
    },
  });

  registry.registerPath({
    ...managed,
    method: "put",
    path: "/events/{eventId}/ticket-types/{typeId}",
    summary: "Change a ticket type (the whole of it)",
    description:
      "Name, note, order and limit change at once. A changed price becomes a new price version for holds made from now on: a seat already held keeps the prices in force when its hold began, and sold tickets never change. A limit below what is already sold or being paid for is refused.",
    request: { params: ticketTypeItemParamsSchema, body: jsonBody(ticketTypeInputSchema) },
    responses: {
      200: ok("The ticket type", managedTicketTypeSchema),
      ...refusals,
      404: problems.notFound("The event or ticket type"),
      409: problem(409, ["conflict"], "The event is closed, or the type is retired"),
      ...bodyProblems(),
    },
  });

  registry.registerPath({
    ...managed,
    method: "post",
    path: "/events/{eventId}/ticket-types/{typeId}/retire",
    summary: "Retire a ticket type",
    description: "Offered to no hold made from now on; holds made before and tickets sold keep it. Retiring a retired type changes nothing.",
    request: { params: ticketTypeItemParamsSchema },
    responses: {
      200: ok("The ticket type", managedTicketTypeSchema),
      ...refusals,
      404: problems.notFound("The event or ticket type"),
      409: problem(409, ["conflict"], "The event is closed"),
    },
  });
}
