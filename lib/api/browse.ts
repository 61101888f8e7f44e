import "server-only";
import { clientIp } from "@/lib/auth/client-ip";
import { assertRateLimit, rateLimitHeaders } from "@/lib/rate-limit";

/**
 * The general per-IP API limit for browsing endpoints. It fails open: when Redis cannot answer,
 * browsing goes on (lib/redis logs the warning). Returns RateLimit-* headers when counted.
 */
export async function browseLimit(req: Request): Promise<Record<string, string>> {
  const info = await assertRateLimit("api", clientIp(req.headers));
  return info ? rateLimitHeaders(info) : {};
}
