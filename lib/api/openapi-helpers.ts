import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { problem } from "./schemas";

// Small builders so each path registration reads like the endpoint's contract.

export function jsonBody(schema: z.ZodType, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function ok(description: string, schema: z.ZodType, headers?: Record<string, z.ZodType>) {
  return { description, content: { "application/json": { schema } }, ...(headers ? { headers: z.object(headers) } : {}) };
}

const rateLimitHeaders = {
  "Retry-After": z.string().describe("Seconds to wait before trying again"),
  "RateLimit-Limit": z.string(),
  "RateLimit-Remaining": z.string(),
  "RateLimit-Reset": z.string().describe("Seconds until the window resets"),
};

/** The problem responses shared by endpoints; pick the ones an endpoint really answers. */
export const problems = {
  validation: (codes: ErrorCode[] = ["validation_failed"]) => problem(400, codes, "Invalid input: `fields` names each wrong field (body, query or path)"),
  unauthorized: () => problem(401, ["unauthorized"], "No valid bearer token (or website session)"),
  forbidden: () => problem(403, ["forbidden"], "Signed in, but this role may not do this"),
  notFound: (what: string) => problem(404, ["not_found"], `${what} does not exist or is not yours`),
  tooLarge: () => problem(413, ["payload_too_large"], "The body is larger than 64 KiB"),
  mediaType: () => problem(415, ["unsupported_media_type"], "The body must be sent as application/json"),
  rateLimited: () => ({
    ...problem(429, ["rate_limited"], "Too many requests; retry after `Retry-After` seconds"),
    headers: z.object(rateLimitHeaders),
  }),
  unavailable: (why = "The database (or, for sign-in, Redis) is briefly unreachable; nothing was changed") => ({
    ...problem(503, ["service_unavailable"], why),
    headers: z.object({ "Retry-After": z.string() }),
  }),
};

/** 413 and 415 for every endpoint that reads a JSON body. */
export function bodyProblems() {
  return { 413: problems.tooLarge(), 415: problems.mediaType() };
}

export const bearer = [{ bearerAuth: [] as string[] }];
