import type { NextRequest } from "next/server";
import { AppError, problemResponse } from "@/lib/errors";

// Requests that Next.js would answer with a 500 (or an empty or HTML error) are refused here,
// in the middleware, with the same problem+json as every other refusal: hostile or broken input
// must never look like our failure.

/** The methods the /api/v1 route serving a path answers, or null for none (lib/api/allowed-methods.ts, passed in by middleware.ts so lib/security needs nothing of lib/api). */
export type AllowedMethods = (pathname: string) => string[] | null;

const refuse = (err: AppError, instance: string, headers: Record<string, string> = {}) => problemResponse(err, instance, headers);

/**
 * A form posted to a page from another site (CSRF), with JavaScript (a server action) or without
 * (a plain form carrying the action's id): 403. Next.js refuses both too, but with a 500. Its
 * rule: the Origin's host must be the X-Forwarded-Host (set by the proxy), or else the Host.
 * A server action whose arguments are not a form (every action here takes one) is 400.
 */
export function refusedPagePost(req: NextRequest): Response | null {
  if (req.method !== "POST") return null;
  const { pathname } = req.nextUrl;
  const origin = req.headers.get("origin");
  if (origin !== null) {
    const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host");
    if (originHost(origin) !== host) return refuse(new AppError("forbidden", "Forms of this site can only be sent from this site."), pathname);
  }
  const type = req.headers.get("content-type") ?? "";
  if (req.headers.has("next-action") && !/^multipart\/form-data\b/i.test(type)) {
    return refuse(
      new AppError("validation_failed", "This form could not be read. Reload the page and try again.", { fields: { _: ["Not a form"] } }),
      pathname,
    );
  }
  return null;
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" (sandboxed frames, privacy redirects) or garbage
  }
}

/** /api/v1: a path that is not percent-encoded UTF-8 is 400; a method the route does not serve is 405 with Allow. */
export function refusedApiRequest(req: NextRequest, allowedMethods: AllowedMethods): Response | null {
  const { pathname } = req.nextUrl;
  if (!decodable(pathname)) {
    return refuse(
      new AppError("validation_failed", "The path is not valid: its percent-escapes must encode UTF-8 text.", {
        fields: { path: ["Malformed percent-encoding"] },
      }),
      "/api/v1",
    );
  }
  if (req.method === "OPTIONS") return null; // preflights and Next.js's own OPTIONS answer
  const allow = allowedMethods(pathname);
  if (allow && !allow.includes(req.method)) {
    return refuse(new AppError("method_not_allowed", `${req.method} is not supported here; use ${allow.join(", ")}.`), pathname, { Allow: allow.join(", ") });
  }
  return null;
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
