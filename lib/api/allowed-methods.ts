import { openApiDocument } from "./openapi";

// Which methods each /api/v1 route answers, read from the OpenAPI document (which a test holds
// equal to the route handlers' exports). The middleware uses it to answer an unsupported method
// with 405 problem+json and an Allow header, like every other API error: Next.js itself answers
// those with an empty 405 and no Allow. HEAD comes with GET and OPTIONS with every route, as
// Next.js serves both on its own.

type Route = { template: string; segments: (string | null)[]; allow: string[] };

const ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
let table: Route[] | undefined;

function routes(): Route[] {
  table ??= Object.entries(openApiDocument().paths ?? {}).map(([template, item]) => {
    const methods = new Set(Object.keys(item ?? {}).map((m) => m.toUpperCase()));
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return {
      template,
      segments: template
        .split("/")
        .filter(Boolean)
        .map((s) => (/^\{.+\}$/.test(s) ? null : s)),
      allow: ORDER.filter((m) => methods.has(m)),
    };
  });
  return table;
}

// Next.js prefers a static segment to a dynamic one at the first place two routes differ
// (/events/{eventId}/reservations/me over /events/{eventId}/reservations/{reservationId}).
function moreSpecific(a: Route, b: Route): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    if ((a.segments[i] === null) !== (b.segments[i] === null)) return a.segments[i] !== null;
  }
  return false;
}

/** The methods of the /api/v1 route serving `pathname`, or null when no documented route does. */
export function allowedMethods(pathname: string): string[] | null {
  return matchRoute(pathname)?.allow ?? null;
}

/** The documented template (e.g. "/events/{eventId}/seats") of the /api/v1 route serving `pathname`. */
export function routeTemplate(pathname: string): string | null {
  return matchRoute(pathname)?.template ?? null;
}

function matchRoute(pathname: string): Route | null {
  const parts = pathname
    .replace(/^\/api\/v1/, "")
    .split("/")
    .filter(Boolean);
  let best: Route | null = null;
  for (const r of routes()) {
    if (r.segments.length !== parts.length || !r.segments.every((s, i) => s === null || s === parts[i])) continue;
    if (!best || moreSpecific(r, best)) best = r;
  }
  return best;
}
