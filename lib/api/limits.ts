import "server-only";
import { assertRateLimit, rateLimitHeaders } from "@/lib/rate-limit";
import { clientAddress } from "@/lib/security/client-address";
import { routeTemplate } from "./allowed-methods";
import { ROUTE_LIMITS, type RouteLimit } from "./route-limits";

export { ROUTE_LIMITS, type RouteLimit };

// Every /api/v1 endpoint is rate limited. Most are counted here, by route() in lib/http.ts, per
// client address before the handler runs; a few count a policy of their own inside their use
// case (per account, per customer, per event), where a second count here would cost the hot
// path a Redis round trip for nothing. This table names every endpoint and which of the two
// applies; tests/security/route-limits.test.ts walks app/api/v1 and holds the table complete,
// and shows every endpoint answering 429 past its limit. Limits fail open when Redis cannot
// answer, except the credential policies (lib/rate-limit.ts). The one exception, the OpenAPI
// document, is static: built once, it never runs a handler per request.

/** The limit of the endpoint serving this request; an undocumented path (answered 404) counts as `api`. */
export function routeLimit(method: string, pathname: string): RouteLimit {
  const template = routeTemplate(pathname);
  const m = method === "HEAD" ? "GET" : method;
  return (template && ROUTE_LIMITS[`${m} ${template}`]) || { policy: "api" };
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
