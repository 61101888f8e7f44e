import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { blockListSchema, blockParamsSchema, blockRequestSchema, blockResultSchema, unblockRequestSchema, unblockResultSchema } from "@/lib/blocking/schemas";
import { staffOrderParamsSchema, staffOrderResultSchema, staffOrderSchema } from "@/lib/box-office/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem } from "../schemas";

// The organizer's box office over REST (docs/box-office.md): orders at the desk (lib/box-office)
// and house seats kept off sale (lib/blocking). The event's organizer and admins only.

export function registerBoxOfficePaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/box-office/orders",
    tags: ["Box office"],
    summary: "Sell places at the box office (the event's organizer and admins)",
    description:
      "Books assigned seats (`seatIds`) or general-admission places (`sectionId`, `quantity`) for the customer with this email address — their account, or a new guest account — paid in cash, by card at the desk (recorded only: no payment provider is called), or given away (COMPLIMENTARY, INVITATION: every ticket priced 0). Same inventory rules as a web sale: all or nothing, never a place held by someone else. House seats (kept off sale) are sold only when named in `seatIds` with `includeBlocked: true`. The confirmation email is queued like any booking's.",
    security: bearer,
    request: { params: staffOrderParamsSchema, body: jsonBody(staffOrderSchema) },
    responses: {
      201: ok("Sold: the booking, its customer and what was paid", staffOrderResultSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The event"),
      409: problem(
        409,
        ["seat_taken", "sold_out", "conflict"],
        "A seat is held, sold or kept off sale (`takenSeatIds`), too few GA places are free (`available`), or the event is closed or a draft",
      ),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/blocks",
    tags: ["Box office"],
    summary: "Places kept off sale, grouped by section and reason (the event's organizer and admins)",
    security: bearer,
    request: { params: blockParamsSchema },
    responses: {
      200: ok("The blocks, by section and reason", blockListSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The event"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/blocks",
    tags: ["Box office"],
    summary: "Keep places off sale (house, press, production…)",
    description:
      "Assigned seats by id: the free ones of the selection are blocked, and seats someone holds or bought (or already blocked) come back in `skipped` untouched. General admission by number, all or none. No hold can take a blocked place; a box-office order sells one only when asked to (`includeBlocked`).",
    security: bearer,
    request: { params: blockParamsSchema, body: jsonBody(blockRequestSchema) },
    responses: {
      200: ok("How many places were blocked, and which seats were left alone and why", blockResultSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The event"),
      409: problem(409, ["conflict"], "Too few general-admission places are free (`available`), or the event is closed"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/blocks/release",
    tags: ["Box office"],
    summary: "Put places kept off sale back on sale (offered to the waiting list first)",
    security: bearer,
    request: { params: blockParamsSchema, body: jsonBody(unblockRequestSchema) },
    responses: {
      200: ok("How many places went back on sale; seats that are not of this event are in `skipped`", unblockResultSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The event"),
      409: problem(409, ["conflict"], "The event is closed"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });
}
