import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ok } from "../openapi-helpers";
import { healthSchema } from "../schemas";

export function registerSystemPaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "get",
    path: "/health",
    tags: ["System"],
    summary: "Database and Redis status",
    description: "`degraded` while Redis is unreachable (selling goes on through PostgreSQL); 503 `down` while the database is unreachable.",
    responses: {
      200: ok("Up (ok or degraded)", healthSchema),
      503: ok("The database is unreachable", healthSchema),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/openapi.json",
    tags: ["System"],
    summary: "This document (OpenAPI 3.1, generated from the handlers' zod schemas)",
    responses: {
      200: ok(
        "The OpenAPI document",
        z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
      ),
    },
  });
}
