import { checkHealth } from "@/lib/health";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const health = await checkHealth();
  return json(health, health.status === "down" ? 503 : 200, { "cache-control": "no-store" });
});
