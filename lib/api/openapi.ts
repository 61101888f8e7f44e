import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { problems } from "./openapi-helpers";
import { ROUTE_LIMITS } from "./route-limits";
import { registerAuthPaths } from "./paths/auth";
import { registerBoxOfficePaths } from "./paths/box-office";
import { registerCatalogPaths } from "./paths/catalog";
import { registerBookingPaths } from "./paths/bookings";
import { registerPromoCodePaths } from "./paths/promo-codes";
import { registerQueuePaths } from "./paths/queue";
import { registerRefundPaths } from "./paths/refunds";
import { registerReservationPaths } from "./paths/reservations";
import { registerSystemPaths } from "./paths/system";
import { registerTicketTypePaths } from "./paths/ticket-types";
import { registerWaitlistPaths } from "./paths/waitlist";

// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the route handlers
// parse with (./requests.ts, re-exported by each route's schema.ts), never written by hand. Every
// endpoint is registered from this one list; tests/integration/api-openapi.test.ts fails when a
// route.ts under app/api/v1 is missing here or a documented response differs from a real one.
export const registerPaths = [
  registerAuthPaths,
  registerCatalogPaths,
  registerReservationPaths,
  registerQueuePaths,
  registerWaitlistPaths,
  registerBookingPaths,
  registerRefundPaths,
  registerBoxOfficePaths,
  registerTicketTypePaths,
  registerPromoCodePaths,
  registerSystemPaths,
];

export const API_VERSION = "1.0.0";

function build() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A token from POST /auth/login. Website session cookies are accepted too.",
  });
  // Every endpoint is rate limited (lib/api/limits.ts), so every operation documents its 429
  // (a static one excepted: it runs no handler per request).
  const registerPath = registry.registerPath.bind(registry);
  registry.registerPath = (path) => {
    const limit = ROUTE_LIMITS[`${path.method.toUpperCase()} ${path.path}`];
    return registerPath(limit && "static" in limit ? path : { ...path, responses: { 429: problems.rateLimited(), ...path.responses } });
  };
  for (const register of registerPaths) register(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Tessera API",
      version: API_VERSION,
      description:
        "Ticketing: browse events, hold seats, pay once, get tickets. Errors are RFC 9457 `application/problem+json` with a stable `code` and per-field `fields`. Unknown fields are rejected.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/api/v1" }],
    tags: [
      { name: "Auth" },
      { name: "Events" },
      { name: "Reservations" },
      { name: "Waiting room" },
      { name: "Waiting list" },
      { name: "Bookings" },
      { name: "Refunds" },
      { name: "Box office" },
      { name: "Ticket types" },
      { name: "Promo codes" },
      { name: "Venues" },
      { name: "System" },
    ],
  });
}

let cached: ReturnType<typeof build> | undefined;

export function openApiDocument() {
  cached ??= build();
  return cached;
}
