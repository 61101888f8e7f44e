import type { PolicyName } from "@/lib/rate-limit";

// Which rate limit each /api/v1 endpoint counts (lib/api/limits.ts applies it; the OpenAPI
// document, lib/api/openapi.ts, documents a 429 for each one that can answer it).

export type RouteLimit =
  | { policy: PolicyName } // counted per client address by route()
  | { own: string } // counted inside the use case: which policy, per what
  | { static: string }; // built once (force-static) and served from Next.js's cache: no handler runs per request

const API = { policy: "api" } as const;
const SEAT_MAP = { policy: "seatMap" } as const;

export const ROUTE_LIMITS: Record<string, RouteLimit> = {
  "POST /auth/login": { own: "loginIp, loginAccountAddress, loginAccount (lib/auth/sign-in-limits.ts)" },
  "POST /auth/register": { own: "register, per client address (lib/auth/users.ts)" },
  "GET /auth/profile": API,
  "GET /events": API,
  "POST /events": API,
  "GET /events/{eventId}": API,
  "GET /events/{eventId}/inventory": SEAT_MAP,
  "GET /events/{eventId}/seats": SEAT_MAP,
  "POST /events/{eventId}/reservations": { own: "reservation, per customer, inside the hold's one Redis script (lib/holds/place-hold.ts)" },
  "GET /events/{eventId}/reservations": API,
  "GET /events/{eventId}/reservations/me": API,
  "GET /events/{eventId}/reservations/{reservationId}": API,
  "DELETE /events/{eventId}/reservations/{reservationId}": API,
  "GET /events/{eventId}/reservations/user/{userId}": API,
  "POST /events/{eventId}/queue": { own: "queueJoin, per client address and event, for new places (lib/waiting-room/queue.ts)" },
  "GET /events/{eventId}/queue": { policy: "queuePoll" },
  "GET /events/{eventId}/waitlist": API,
  "POST /events/{eventId}/waitlist": API,
  "GET /events/{eventId}/waitlist/me": API,
  "DELETE /events/{eventId}/waitlist/me": API,
  "GET /events/{eventId}/blocks": API,
  "POST /events/{eventId}/blocks": API,
  "POST /events/{eventId}/blocks/release": API,
  "POST /events/{eventId}/box-office/orders": API,
  "GET /events/{eventId}/ticket-types": API,
  "POST /events/{eventId}/ticket-types": API,
  "PUT /events/{eventId}/ticket-types/{typeId}": API,
  "POST /events/{eventId}/ticket-types/{typeId}/retire": API,
  "GET /events/{eventId}/promo-codes": API,
  "POST /events/{eventId}/access": API,
  "POST /events/{eventId}/promo-codes": API,
  "POST /events/{eventId}/promo-codes/{codeId}/deactivate": API,
  "GET /events/{eventId}/cancellation-policy": API,
  "PUT /events/{eventId}/cancellation-policy": API,
  "POST /bookings/confirm": { own: "confirm, per customer (lib/checkout/pay.ts)" },
  "GET /bookings/me": API,
  "GET /bookings/reference/{reference}": API,
  "GET /bookings/reference/{reference}/cancel": API,
  "POST /bookings/reference/{reference}/cancel": API,
  "POST /bookings/reference/{reference}/refunds": API,
  "GET /bookings/reference/{reference}/tickets/{ticketId}/qr": API,
  "GET /venues": API,
  "POST /venues": API,
  "GET /venues/{venueId}": API,
  "GET /health": API,
  "GET /openapi.json": { static: "the OpenAPI document is generated once at build time (force-static) and served from the cache" },
};
