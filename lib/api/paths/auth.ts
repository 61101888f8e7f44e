import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { loginBody, registerBody } from "../requests";
import { bearer, bodyProblems, jsonBody, ok, problems } from "../openapi-helpers";
import { problem, publicUserSchema, tokenResponseSchema } from "../schemas";

export function registerAuthPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/auth/register",
    tags: ["Auth"],
    summary: "Create a customer account",
    description: "Rate limited per IP. Without Redis the limit cannot be counted, so sign-up refuses with 503 rather than open the door.",
    request: { body: jsonBody(registerBody) },
    responses: {
      201: ok("The new user (never the password hash)", publicUserSchema),
      400: problems.validation(),
      409: problem(409, ["email_taken"], "An account with this email exists; `fields.email` says so"),
      ...bodyProblems(),
      429: problems.rateLimited(),
      503: problems.unavailable("Redis or the database is unreachable: sign-up fails closed"),
    },
  });

  registry.registerPath({
    method: "post",
    path: "/auth/login",
    tags: ["Auth"],
    summary: "Exchange email and password for a bearer token",
    description:
      "Wrong credentials answer 401 without saying which part was wrong. Limited per IP and per account before any password check; fails closed (503) when Redis is unreachable.",
    request: { body: jsonBody(loginBody) },
    responses: {
      200: ok("A signed token (12 hours) and the user", tokenResponseSchema),
      400: problems.validation(),
      401: problem(401, ["invalid_credentials"], "The email or password is incorrect"),
      ...bodyProblems(),
      429: problems.rateLimited(),
      503: problems.unavailable("Redis or the database is unreachable: sign-in fails closed"),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/auth/profile",
    tags: ["Auth"],
    summary: "The signed-in user, with role",
    security: bearer,
    responses: {
      200: ok("The caller", publicUserSchema),
      401: problems.unauthorized(),
      503: problems.unavailable(),
    },
  });
}
