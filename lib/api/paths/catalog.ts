import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { createEventBody, createVenueBody, eventDetailParams, listEventsQuery, listVenuesQuery, venueParams } from "../requests";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { eventDetailSchema, eventSummarySchema, paginated, venueListSchema, venueSchema } from "../schemas";

// Events and venues: public browsing (per-IP limit that fails open) and staff creation.

export function registerCatalogPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "get",
    path: "/events",
    tags: ["Events"],
    summary: "Published events, paginated",
    request: { query: listEventsQuery },
    responses: {
      200: ok("One page of events", paginated(eventSummarySchema)),
      400: problems.validation(),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/events",
    tags: ["Events"],
    summary: "Create an event (ORGANIZER or ADMIN)",
    description:
      "Give a registered `venueId` with a price for each of its sections, or a custom `venue` with inline `sections`. Set `publish: true` to make it visible.",
    security: bearer,
    request: { body: jsonBody(createEventBody) },
    responses: {
      201: ok("The created event", eventDetailSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}",
    tags: ["Events"],
    summary: "One event with its sections",
    description: "Drafts are visible to their organizer and admins only; everyone else gets 404.",
    request: { params: eventDetailParams },
    responses: {
      200: ok("The event", eventDetailSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The event"),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/venues",
    tags: ["Venues"],
    summary: "Registered venues with their section templates",
    request: { query: listVenuesQuery },
    responses: {
      200: ok("All venues", venueListSchema),
      400: problems.validation(),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/venues",
    tags: ["Venues"],
    summary: "Register a venue with section templates (ORGANIZER or ADMIN)",
    security: bearer,
    request: { body: jsonBody(createVenueBody) },
    responses: {
      201: ok("The created venue", venueSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/venues/{venueId}",
    tags: ["Venues"],
    summary: "One venue",
    request: { params: venueParams },
    responses: {
      200: ok("The venue", venueSchema),
      400: problems.validation(),
      404: problems.notFound("The venue"),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });
}
