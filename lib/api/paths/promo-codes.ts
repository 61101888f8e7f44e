import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import {
  managedPromoCodeListSchema,
  managedPromoCodeSchema,
  promoCodeInputSchema,
  promoCodeItemParamsSchema,
  promoCodeParamsSchema,
} from "@/lib/promo-codes/schemas";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem } from "../schemas";

// An event's discount codes (docs/promo-codes.md). The event's organizer and admins only;
// customers send a code as `promoCode` with POST /bookings/confirm.

export function registerPromoCodePaths(registry: OpenAPIRegistry) {
  const managed = { security: bearer, tags: ["Promo codes"] };
  const refusals = {
    400: problems.validation(),
    401: problems.unauthorized(),
    403: problems.forbidden(),
    503: problems.unavailable(),
  };

  registry.registerPath({
    ...managed,
    method: "get",
    path: "/events/{eventId}/promo-codes",
    summary: "The event's discount codes with their use counts",
    request: { params: promoCodeParamsSchema },
    responses: { 200: ok("The codes", managedPromoCodeListSchema), ...refusals, 404: problems.notFound("The event") },
  });

  registry.registerPath({
    ...managed,
    method: "post",
    path: "/events/{eventId}/promo-codes",
    summary: "Create a discount code",
    description:
      "`code` is unique per event whatever its case. `PERCENT` takes `amount` percent off each eligible place; `FIXED` takes `amount` minor units off the order's eligible places. `maxUses` and `maxUsesPerCustomer` are exact under concurrency: a checkout being paid with the code counts as a use until it fails. `sectionIds` / `ticketTypeIds` restrict the places it applies to (null: all).",
    request: { params: promoCodeParamsSchema, body: jsonBody(promoCodeInputSchema) },
    responses: {
      201: ok("The code", managedPromoCodeSchema),
      ...refusals,
      404: problems.notFound("The event"),
      409: problem(409, ["conflict"], "The event is closed"),
      ...bodyProblems(),
    },
  });

  registry.registerPath({
    ...managed,
    method: "post",
    path: "/events/{eventId}/promo-codes/{codeId}/deactivate",
    summary: "Deactivate a discount code",
    description: "No new checkout may use it; bookings made with it keep their discount. Deactivating twice changes nothing.",
    request: { params: promoCodeItemParamsSchema },
    responses: { 200: ok("The code", managedPromoCodeSchema), ...refusals, 404: problems.notFound("The event or code") },
  });
}
