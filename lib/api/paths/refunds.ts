import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { cancellationPolicySchema, cancellationQuoteSchema, refundRequestSchema, refundViewSchema } from "@/lib/refunds/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { bookingReferenceParams as referenceParams, eventPathParams as eventParams } from "../requests";
import { cancellationPolicyView as policyView, problem } from "../schemas";

// Refunds per booking (lib/refunds, docs/refunds.md): the organizer refunds tickets; the
// customer cancels under the event's cancellation policy.

const refundView = refundViewSchema.meta({ id: "Refund" });

export function registerRefundPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/bookings/reference/{reference}/refunds",
    tags: ["Refunds"],
    summary: "Refund a booking, whole or some of its tickets (the event's organizer or an admin)",
    description:
      "The tickets turn VOID and their places go back on sale at once; the customer sees the refund on the booking and gets an email. Each ticket is refunded at most once: a refund naming a ticket already refunded answers 409 and changes nothing. `status` PENDING means the payment provider has not confirmed yet; it is retried until it has.",
    security: bearer,
    request: { params: referenceParams, body: jsonBody(refundRequestSchema) },
    responses: {
      201: ok("The refund", refundView),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The booking"),
      409: problem(409, ["conflict"], "Already refunded (the tickets are named), or checked in at the door"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/bookings/reference/{reference}/cancel",
    tags: ["Refunds"],
    summary: "Whether you may cancel your booking now, until when, and what you would get back",
    security: bearer,
    request: { params: referenceParams },
    responses: {
      200: ok("The event's policy applied to your booking now", cancellationQuoteSchema.meta({ id: "CancellationQuote" })),
      400: problems.validation(),
      401: problems.unauthorized(),
      404: problems.notFound("Your booking"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/bookings/reference/{reference}/cancel",
    tags: ["Refunds"],
    summary: "Cancel your whole booking under the event's cancellation policy (its customer only)",
    description: "Every ticket still valid is cancelled and refunded, minus the policy's fee.",
    security: bearer,
    request: { params: referenceParams },
    responses: {
      200: ok("The refund", refundView),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problem(403, ["forbidden"], "Not your booking: organizers refund tickets instead"),
      404: problems.notFound("The booking"),
      409: problem(409, ["cancellation_closed"], "The event does not allow it, or no longer (the deadline passed, already cancelled)"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/cancellation-policy",
    tags: ["Refunds"],
    summary: "Until when customers may cancel their bookings of this event, and for what fee",
    request: { params: eventParams },
    responses: {
      200: ok("The policy", policyView),
      400: problems.validation(),
      404: problems.notFound("The event"),
      503: problems.unavailable(),
    },
  });

  registry.registerPath({
    method: "put",
    path: "/events/{eventId}/cancellation-policy",
    tags: ["Refunds"],
    summary: "Set the event's customer cancellation policy (its organizer or an admin)",
    description: "Applies to cancellations from now on. A fee is either fixed (`feeMinor`) or a percentage (`feePercent`), never more than the tickets cost.",
    security: bearer,
    request: { params: eventParams, body: jsonBody(cancellationPolicySchema) },
    responses: {
      200: ok("The policy now in force", policyView),
      400: problems.validation(),
      401: problems.unauthorized(),
      403: problems.forbidden(),
      404: problems.notFound("The event"),
      ...bodyProblems(),
      503: problems.unavailable(),
    },
  });
}
