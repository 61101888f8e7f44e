import crypto from "node:crypto";
import { runTick } from "@/lib/cron/tick";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

// Called by Vercel Cron (vercel.json) and by the dev server every minute, with
// `Authorization: Bearer $CRON_SECRET`. Safe to call concurrently and repeatedly.
export const GET = route(async (req) => {
  if (!authorized(req.headers.get("authorization"))) {
    throw new AppError("unauthorized", "The cron secret is missing or wrong.", {}, { "WWW-Authenticate": "Bearer" });
  }
  const result = await runTick();
  return json(result, result.ok ? 200 : 500, { "cache-control": "no-store" });
});

// Compare digests so the comparison takes the same time whatever the header's length or content.
function authorized(header: string | null) {
  const digest = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(digest(header ?? ""), digest(`Bearer ${env().CRON_SECRET}`));
}
