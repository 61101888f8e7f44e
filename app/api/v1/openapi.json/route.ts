import { openApiDocument } from "@/lib/api/openapi";
import { json, route } from "@/lib/http";

// Generated at build time from the zod schemas (lib/api/openapi.ts); identical for every caller.
export const dynamic = "force-static";

export const GET = route(async () => json(openApiDocument(), 200, { "cache-control": "public, max-age=300" }));
