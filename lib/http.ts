import "server-only";
import { z } from "zod";
import { AppError, describeCause, isDatabaseUnavailable, parseOrThrow, problemResponse } from "@/lib/errors";
import { limitRequest } from "@/lib/api/limits";
import { log } from "@/lib/log";

// Helpers for route handlers: one wrapper that turns every thrown error into problem+json,
// and body/query/params parsing that answers 400/413/415 with field-level reasons.

const MAX_BODY_BYTES = 64 * 1024;

type Ctx<P> = { params: Promise<P> };

// Every /api/v1 request is counted against its endpoint's rate limit first (lib/api/limits.ts),
// before anything is parsed or read; the RateLimit-* headers go on the answer.
export function route<P = Record<string, string>>(handler: (req: Request, ctx: Ctx<P>) => Promise<Response>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    const instance = new URL(req.url).pathname;
    try {
      const limitHeaders = await limitRequest(req);
      const res = await handler(req, ctx);
      return withHeaders(res, limitHeaders);
    } catch (err) {
      return errorResponse(err, instance);
    }
  };
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [k, v] of Object.entries(headers)) if (!res.headers.has(k)) res.headers.set(k, v);
    return res;
  } catch {
    // Immutable headers (a response passed through from fetch): a copy takes them.
    const copy = new Response(res.body, res);
    for (const [k, v] of Object.entries(headers)) if (!copy.headers.has(k)) copy.headers.set(k, v);
    return copy;
  }
}

export function errorResponse(err: unknown, instance?: string): Response {
  if (err instanceof AppError) return problemResponse(err, instance);
  if (isDatabaseUnavailable(err)) {
    log.error("db.unavailable", { instance, error: String(err) });
    return problemResponse(
      new AppError("service_unavailable", "The service is briefly unavailable. Nothing was changed; please retry.", {}, { "Retry-After": "2" }),
      instance,
    );
  }
  log.error("request.failed", { instance, error: err instanceof Error ? err.stack : String(err), cause: describeCause(err) });
  return problemResponse(new AppError("internal", "Something went wrong on our side. Nothing was changed; please retry."), instance);
}

export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as application/json.");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readLimited(req, MAX_BODY_BYTES);
  let data: unknown;
  try {
    data = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new AppError("validation_failed", "The body is not valid JSON.", { fields: { _: ["Malformed JSON"] } });
  }
  rejectNul(data, "body");
  return parseOrThrow(schema, data, "body");
}

// PostgreSQL text cannot hold U+0000: refuse it at the edge as bad input instead of letting the
// database turn it into a 500. Iterative, so deeply nested bodies cannot overflow the stack.
function rejectNul(data: unknown, where: string) {
  const stack: [unknown, string][] = [[data, ""]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) {
        throw new AppError("validation_failed", `Invalid ${where}: text may not contain NUL characters.`, {
          fields: { [path || "_"]: ["Text may not contain NUL characters"] },
        });
      }
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        const key = path ? `${path}.${k}` : k;
        stack.push([k, key], [v, key]);
      }
    }
  }
}

async function readLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge() {
  return new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`);
}

export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  rejectNul(params, "query");
  return parseOrThrow(schema, params, "query");
}

export async function readParams<S extends z.ZodType, P>(ctx: Ctx<P>, schema: S): Promise<z.output<S>> {
  const params = await ctx.params;
  rejectNul(params, "path");
  return parseOrThrow(schema, params, "path");
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json", ...headers } });
}
