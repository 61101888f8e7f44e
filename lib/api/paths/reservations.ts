import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { eventPathParams, holdBody, reservationParams, userReservationsParams } from "../requests";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { inventorySnapshotSchema, reservationSchema, seatLayoutSchema } from "../sales-schemas";
import { problem } from "../schemas";

// Live inventory, seat layout and reservations (holds). Their request schemas come from
// ../requests.ts, which the routes parse with.

const etag = { ETag: z.string() };

export function registerReservationPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/inventory",
    tags: ["Events"],
    summary: "Live availability: per-section counts and a 2-bit-per-seat bitmap",
    description:
      "Cached for about a second. Send the ETag back as If-None-Match to get 304 when nothing changed. Limited per client address together with the seat layout (`RATE_LIMIT_SEAT_MAP`). An event with hidden sections answers each caller the sections it may see (an access code naming them, or managing the event), with a private Cache-Control; positions in the bitmap follow that view.",
    request: { params: eventPathParams },
    responses: {
      200: ok("The snapshot", inventorySnapshotSchema, etag),
      304: { description: "Not modified since the ETag you sent" },
      400: problems.validation(),
      404: problems.notFound("The event"),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/seats",
    tags: ["Events"],
    summary: "The seat layout (immutable after the event is created)",
    description:
      "Limited per client address together with live availability (`RATE_LIMIT_SEAT_MAP`). An event with hidden sections answers each caller the sections it may see (an access code naming them, or managing the event), privately and revalidated each time; positions follow that view (match reservation items by inventoryId).",
    request: { params: eventPathParams },
    responses: {
      200: ok("Seat ids, positions and labels indexed by seq", seatLayoutSchema, etag),
      304: { description: "Not modified since the ETag you sent" },
      400: problems.validation(),
      404: problems.notFound("The event"),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/reservations",
    tags: ["Reservations"],
    summary: "Hold seats ({seatIds}) or general-admission places ({sectionId, quantity})",
    description:
      "A new hold on an event where you already hold seats adds to that reservation (keeping its expiry), up to the event's max per order. 409 seat_taken lists `takenSeatIds`. Seat ids are the `ids` of /seats. While the event's waiting room is on, send the admission pass from GET /events/{eventId}/queue as `Queue-Pass` (browsers: its cookie); without one the answer is 403 queue_required with `queueUrl` and `joinUrl`.",
    security: bearer,
    request: {
      params: eventPathParams,
      body: jsonBody(holdBody),
      headers: z.object({ "queue-pass": z.string().optional().describe("Admission pass (events with an active waiting room)") }),
    },
    responses: {
      201: ok("The reservation with expiresAt", reservationSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problem(
        403,
        ["queue_required"],
        "The event's waiting room is on and no valid admission pass came with the request (missing, forged, for another event, expired, or used by another account)",
      ),
      404: problems.notFound("The event"),
      409: problem(
        409,
        ["seat_taken", "sold_out", "sale_not_open", "reservation_locked"],
        "The seats are taken (see takenSeatIds), sold out, the sale is not open, or your reservation is in payment",
      ),
      422: problem(422, ["limit_exceeded"], "More than the event allows per order"),
      ...bodyProblems(),
      429: problems.rateLimited(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/reservations",
    tags: ["Reservations"],
    summary: "Your open reservations for this event (at most one)",
    security: bearer,
    request: { params: eventPathParams },
    responses: {
      200: ok("Open (active or in payment) reservations", z.strictObject({ reservations: z.array(reservationSchema) })),
      400: problems.validation(),
      401: problems.unauthorized(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/reservations/me",
    tags: ["Reservations"],
    summary: "Your open reservation for this event",
    security: bearer,
    request: { params: eventPathParams },
    responses: {
      200: ok("The open reservation", reservationSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("An open reservation"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/reservations/user/{userId}",
    tags: ["Reservations"],
    summary: "A user's open reservation for this event (your own id, or anyone's for an admin)",
    security: bearer,
    request: { params: userReservationsParams },
    responses: {
      200: ok("The open reservation", reservationSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("An open reservation of this user"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/reservations/{reservationId}",
    tags: ["Reservations"],
    summary: "One of your reservations (any status)",
    security: bearer,
    request: { params: reservationParams },
    responses: {
      200: ok("The reservation", reservationSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The reservation"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "delete",
    path: "/events/{eventId}/reservations/{reservationId}",
    tags: ["Reservations"],
    summary: "Release a reservation: every seat returns at once (idempotent)",
    security: bearer,
    request: { params: reservationParams },
    responses: {
      204: { description: "Released (or already released)" },
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The reservation"),
      409: problem(409, ["reservation_locked", "reservation_closed"], "The reservation is in payment, or already became a booking"),
      503: problems.unavailable(),
    },
  });
}
