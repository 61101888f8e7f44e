import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { bookingReferenceParams, confirmBody, confirmHeaders, myBookingsQuery, ticketQrParams } from "../requests";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { bookingSchema } from "../sales-schemas";
import { problem } from "../schemas";

// Checkout and bookings. Their request schemas come from ../requests.ts, which the routes parse with.

export function registerBookingPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/bookings/confirm",
    tags: ["Bookings"],
    summary: "Pay for a reservation and get the booking with tickets",
    description:
      "Requires an Idempotency-Key header (a new UUID per checkout attempt). Same key and body → the stored response, byte for byte, with `Idempotent-Replayed: true`; same key with another body → 422; still running → 409. Test cards for the mock provider: 4242424242424242 succeeds, 4000000000000002 is declined, 4000000000009995 has insufficient funds, 4000000000000077 is too slow (504), 4000002760003184 asks for 3-D Secure (402 payment_action_required: open `nextAction.url`, answer the challenge, then retry with the same key). For an event with ticket types, `ticketTypes` chooses the type of each place (`inventoryId` of the reservation's items, a `ticketTypeId` from the event's `ticketTypes`); a place left out gets its section's first type. Each place is priced as in force when its hold began.",
    security: bearer,
    request: { headers: confirmHeaders, body: jsonBody(confirmBody) },
    responses: {
      201: ok("The booking", bookingSchema, { Location: z.string().describe("/api/v1/bookings/reference/{reference}") }),
      400: problems.validation(["validation_failed", "idempotency_key_missing"]),
      401: problems.unauthorized(),
      402: problem(
        402,
        ["payment_declined", "payment_action_required"],
        "The card was declined (the seats stay held), or the bank asks for 3-D Secure first: `nextAction` says where (the issuer's page, or Stripe.js with the client secret); afterwards retry with the same key",
      ),
      404: problems.notFound("The reservation"),
      409: problem(
        409,
        ["hold_expired", "reservation_locked", "reservation_closed", "idempotency_in_flight", "sold_out"],
        "The hold expired, a payment for it is running, it is already booked, a request with this key is still running, or too few tickets of a chosen type are left (`sold_out` with `available`: choose another type)",
      ),
      422: problem(422, ["idempotency_key_reused"], "This Idempotency-Key was used with another body"),
      ...bodyProblems(),
      429: problems.rateLimited(),
      503: problems.unavailable(),
      504: problem(504, ["payment_timeout"], "The payment provider did not answer in time; retry with the same key"),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/bookings/reference/{reference}",
    tags: ["Bookings"],
    summary: "A booking by its reference (yours; an event's organizer and admins see their events' bookings)",
    security: bearer,
    request: { params: bookingReferenceParams },
    responses: {
      200: ok("The booking with tickets", bookingSchema),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The booking"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/bookings/reference/{reference}/tickets/{ticketId}/qr",
    tags: ["Bookings"],
    summary: "A ticket's QR code as SVG",
    security: bearer,
    request: { params: ticketQrParams },
    responses: {
      200: { description: "The QR code", content: { "image/svg+xml": { schema: z.string() } } },
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("The ticket"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/bookings/me",
    tags: ["Bookings"],
    summary: "Your bookings: ?when=upcoming (soonest first) or ?when=past (latest first); all by default",
    security: bearer,
    request: { query: myBookingsQuery },
    responses: {
      200: ok("Your bookings", z.strictObject({ items: z.array(bookingSchema) })),
      400: problems.validation(),
      401: problems.unauthorized(),
      503: problems.unavailable(),
    },
  });
}
