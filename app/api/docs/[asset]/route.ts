import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";

// Static files of the docs page: Swagger UI from node_modules (allowlisted names only, so no path
// can be smuggled in) and two tiny files of our own.
export const dynamic = "force-static";

const VENDOR: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

// Kept out of the HTML so the page needs no inline script or style at all.
const OWN: Record<string, [string, string]> = {
  "docs-init.js": [
    "text/javascript; charset=utf-8",
    `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null, persistAuthorization: false, defaultModelsExpandDepth: 0 });\n`,
  ],
  "docs.css": [
    "text/css; charset=utf-8",
    `body { margin: 0; font-family: system-ui, sans-serif; }\n.tessera-docs-header { padding: 12px 20px; border-bottom: 1px solid #e2e8f0; font-size: 14px; }\n.tessera-docs-header a { color: #4338ca; }\n`,
  ],
};

const cache = new Map<string, string>();

export function generateStaticParams() {
  return [...Object.keys(VENDOR), ...Object.keys(OWN)].map((asset) => ({ asset }));
}

export const GET = route<{ asset: string }>(async (_req, ctx) => {
  const { asset } = await ctx.params;
  const own = OWN[asset];
  if (own) return new Response(own[1], { headers: { "content-type": own[0], "cache-control": "public, max-age=3600" } });
  const type = VENDOR[asset];
  if (!type) throw new AppError("not_found", "No such file.");
  let body = cache.get(asset);
  if (body === undefined) {
    body = await fs.readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", asset), "utf8");
    cache.set(asset, body);
  }
  return new Response(body, { headers: { "content-type": type, "cache-control": "public, max-age=3600" } });
});
