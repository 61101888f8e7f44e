import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { joinWaitlistSchema, staffWaitlistSchema, waitlistEntrySchema, waitlistParamsSchema } from "@/lib/waitlist/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem } from "../schemas";

// The waiting list of a sold-out event (lib/waitlist): join, see your place and your offer,
// leave; the organizer reads the whole list. Not to be confused with the waiting room (queue),
// which meters visitors before a sale opens.

export function registerWaitlistPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/waitlist",
    tags: ["Waiting list"],
    summary: "Join a sold-out event's waiting list (once per customer and event)",
    description:
      "Open while the event (or the chosen section) has nothing left to hold. When places come back they are offered in order of joining: the places are held for you in a new reservation (see `offer`) for 30 minutes; pay for it with POST /bookings/confirm, or it goes to the next in line. Joining again answers your current entry with 200.",
    security: bearer,
    request: { params: waitlistParamsSchema, body: jsonBody(joinWaitlistSchema) },
    responses: {
      201: ok("You joined: your entry and place in line", waitlistEntrySchema),
      200: ok("You were already in line: your entry", waitlistEntrySchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The event"),
      409: problem(409, ["conflict", "sale_not_open"], "Places are still on sale (`available`), or sales have not started or have ended"),
      422: problem(422, ["limit_exceeded"], "More places than the event's max per order"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/waitlist",
    tags: ["Waiting list"],
    summary: "The event's waiting list in order (its organizer and admins)",
    security: bearer,
    request: { params: waitlistParamsSchema },
    responses: {
      200: ok("People still in line or offered first, in order of joining; then the settled entries", staffWaitlistSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The event"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/waitlist/me",
    tags: ["Waiting list"],
    summary: "Your place on the waiting list, and your offer when places are held for you",
    security: bearer,
    request: { params: waitlistParamsSchema },
    responses: {
      200: ok("Your latest entry", waitlistEntrySchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("Your entry"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "delete",
    path: "/events/{eventId}/waitlist/me",
    tags: ["Waiting list"],
    summary: "Leave the waiting list (idempotent); an offer already made is given back by releasing its reservation",
    security: bearer,
    request: { params: waitlistParamsSchema },
    responses: {
      204: { description: "You are not waiting any more" },
      400: problems.validation(),
      401: problems.unauthorized(),
      503: problems.unavailable(),
    },
  });
}
