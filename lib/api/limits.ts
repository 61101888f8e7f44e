import "server-only";
import { assertRateLimit, rateLimitHeaders, type PolicyName } from "@/lib/rate-limit";
import { clientAddress } from "@/lib/security/client-address";
import { routeTemplate } from "./allowed-methods";

// Every /api/v1 endpoint is rate limited. Most are counted here, by route() in lib/http.ts, per
// client address before the handler runs; a few count a policy of their own inside their use
// case (per account, per customer, per event), where a second count here would cost the hot
// path a Redis round trip for nothing. This table names every endpoint and which of the two
// applies; tests/security/route-limits.test.ts walks app/api/v1 and holds the table complete,
// and shows every endpoint answering 429 past its limit. Limits fail open when Redis cannot
// answer, except the credential policies (lib/rate-limit.ts).

export type RouteLimit =
  | { policy: PolicyName } // counted per client address by route()
  | { own: string }; // counted inside the use case: which policy, per what

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
  "GET /openapi.json": API,
};

/** The limit of the endpoint serving this request; an undocumented path (answered 404) counts as `api`. */
export function routeLimit(method: string, pathname: string): RouteLimit {
  const template = routeTemplate(pathname);
  const m = method === "HEAD" ? "GET" : method;
  return (template && ROUTE_LIMITS[`${m} ${template}`]) || API;
}

/**
 * Counts this request against its endpoint's per-address policy (nothing for endpoints that
 * count their own). Throws the 429 when over; returns the RateLimit-* headers when counted.
 */
export async function limitRequest(req: Request): Promise<Record<string, string>> {
  const { pathname } = new URL(req.url);
  if (!pathname.startsWith("/api/v1/")) return {};
  const limit = routeLimit(req.method, pathname);
  if (!("policy" in limit)) return {};
  const info = await assertRateLimit(limit.policy, clientAddress(req.headers));
  return info ? rateLimitHeaders(info) : {};
}
