import { env } from "@/lib/env";
import { AppError, type Failure } from "@/lib/errors";
import { QUEUE_TTL_SECONDS } from "./defaults";
import type { QueueView } from "./queue";

// Where the waiting room's tokens travel. Browsers carry them in HttpOnly cookies, one pair per
// event; API clients send them as headers (Queue-Token, Queue-Pass) from the join/status replies.

export const VISITOR_HEADER = "queue-token";
export const PASS_HEADER = "queue-pass";

export const visitorCookie = (eventId: string) => `tq_v_${eventId}`;
export const passCookie = (eventId: string) => `tq_p_${eventId}`;

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeCookie(part.slice(i + 1).trim());
  }
  return null;
}

// A cookie the client mangled (a lone "%", bytes that are not UTF-8) is no token at all: the
// signature check then refuses it like any forgery, instead of the request failing with a 500.
function decodeCookie(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function visitorTokenFrom(req: Request, eventId: string): string | null {
  return req.headers.get(VISITOR_HEADER) ?? readCookie(req, visitorCookie(eventId));
}

export function passFrom(req: Request, eventId: string): string | null {
  return req.headers.get(PASS_HEADER) ?? readCookie(req, passCookie(eventId));
}

function secure(req: Request): boolean {
  const base = env().PUBLIC_BASE_URL;
  return base ? base.startsWith("https:") : new URL(req.url).protocol === "https:";
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, whole site (the event page and the hold action read it). */
export function setCookie(req: Request, name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax${secure(req) ? "; Secure" : ""}`;
}

/** The join/status reply: the place as JSON, the tokens as cookies for browsers. */
export function queueResponse(req: Request, eventId: string, view: QueueView, visitorToken: string | null, opts: { setVisitor: boolean }): Response {
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (opts.setVisitor && visitorToken) headers.append("set-cookie", setCookie(req, visitorCookie(eventId), visitorToken, QUEUE_TTL_SECONDS));
  if (view.pass && view.passExpiresAt) {
    headers.append("set-cookie", setCookie(req, passCookie(eventId), view.pass, (Date.parse(view.passExpiresAt) - Date.parse(view.serverTime)) / 1000));
  }
  return new Response(JSON.stringify({ ...view, visitorToken }), { status: 200, headers });
}

/** A failed join/status as an HTTP problem; an outage says when to retry and keeps the visitor's token. */
export function queueProblem(req: Request, eventId: string, failure: Failure): AppError {
  if (failure.code !== "service_unavailable") return AppError.from(failure);
  const token = typeof failure.visitorToken === "string" ? failure.visitorToken : null;
  const headers: Record<string, string> = { "Retry-After": "5" };
  if (token) headers["Set-Cookie"] = setCookie(req, visitorCookie(eventId), token, QUEUE_TTL_SECONDS);
  return new AppError("service_unavailable", failure.message, { retryAfter: 5, ...(token ? { visitorToken: token } : {}) }, headers);
}
