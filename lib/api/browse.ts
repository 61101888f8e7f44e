import "server-only";
import { clientAddress } from "@/lib/security/client-address";
import { assertRateLimit, rateLimitHeaders } from "@/lib/rate-limit";

/**
 * The general per-IP API limit for browsing endpoints. It fails open: when Redis cannot answer,
 * browsing goes on (lib/redis logs the warning). Returns RateLimit-* headers when counted.
 */
export async function browseLimit(req: Request, policy: "api" | "seatMap" = "api"): Promise<Record<string, string>> {
  const info = await assertRateLimit(policy, clientAddress(req.headers));
  return info ? rateLimitHeaders(info) : {};
}
