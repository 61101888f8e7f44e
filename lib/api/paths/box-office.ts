import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { staffOrderParamsSchema, staffOrderResultSchema, staffOrderSchema } from "@/lib/box-office/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem } from "../schemas";

// Box-office orders (lib/box-office): the event's organizer or an admin sells places at the
// desk to a customer named by email address. See docs/box-office.md.

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
      409: problem(409, ["seat_taken", "sold_out", "conflict"], "A seat is held, sold or kept off sale (`takenSeatIds`), too few GA places are free (`available`), or the event is closed or a draft"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });
}
