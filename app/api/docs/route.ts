import { headers } from "next/headers";
import { API_VERSION } from "@/lib/api/openapi";

// Human-readable API docs: Swagger UI from the swagger-ui-dist package, served from our own
// origin (no CDN) under the site's nonce-based CSP. Middleware generates the nonce; the page is
// rendered per request so the nonce is fresh.
export const dynamic = "force-dynamic";

function escapeAttr(s: string) {
  return s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function GET() {
  const nonce = escapeAttr((await headers()).get("x-nonce") ?? "");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tessera API ${API_VERSION} — reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/docs.css">
</head>
<body>
<header class="tessera-docs-header"><a href="/">Tessera</a> · REST API v1 · <a href="/api/v1/openapi.json">openapi.json</a></header>
<main id="swagger-ui"><noscript>This reference needs JavaScript. The raw OpenAPI document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript></main>
<script nonce="${nonce}" src="/api/docs/swagger-ui-bundle.js"></script>
<script nonce="${nonce}" src="/api/docs/docs-init.js"></script>
</body>
</html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
