import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { eventPathParams } from "../requests";
import { ok, problems } from "../openapi-helpers";

// The waiting room (lib/waiting-room): join the line, poll your place, receive the admission pass
// that POST /events/{eventId}/reservations requires while the room is on.

const datetime = z.iso.datetime({ offset: true });

export const queuePlaceSchema = z
  .strictObject({
    eventId: z.uuid(),
    eventTitle: z.string(),
    state: z
      .enum(["off", "not_in_line", "waiting", "admitted", "expired"])
      .describe(
        "off: no waiting room now, hold directly · not_in_line: POST to join · waiting · admitted: `pass` is yours · expired: your session ended, POST to queue again",
      ),
    position: z.number().int().nullable().describe("1 = next in line; 0 once admitted; null before the opening draw or when not in line"),
    aheadOfYou: z.number().int().nullable(),
    waiting: z.number().int().describe("People in line not admitted yet"),
    admitted: z.number().int().describe("People admitted so far"),
    opensAt: datetime.describe("Sale start: everyone who joined before it is ordered by a random draw at this instant"),
    opened: z.boolean(),
    paused: z.boolean().describe("The organizer paused admission: positions hold, no estimate"),
    admitPerMinute: z.number().int(),
    estimatedWaitSeconds: z.number().int().nullable(),
    progress: z.number().min(0).max(1),
    pollAfterMs: z.number().int().describe("Ask again after this long (0: no need)"),
    pass: z.string().nullable().describe("Admission pass: send as the `Queue-Pass` header (browsers get it as a cookie)"),
    passExpiresAt: datetime.nullable(),
    eventUrl: z.string(),
    queueUrl: z.string(),
    serverTime: datetime,
    visitorToken: z.string().nullable().describe("Your place in line: send as the `Queue-Token` header to keep it (browsers get it as a cookie)"),
  })
  .meta({ id: "QueuePlace" });

const tokenHeader = z.object({ "queue-token": z.string().optional().describe("The visitorToken of an earlier reply (or the tq_v_<eventId> cookie)") });

export function registerQueuePaths(registry: OpenAPIRegistry) {
  registry.registerPath({
    method: "post",
    path: "/events/{eventId}/queue",
    tags: ["Waiting room"],
    summary: "Join the event's waiting room (idempotent: a known Queue-Token keeps its place)",
    description:
      "Everyone who joins before the sale opens is ordered by a random draw at the opening; later arrivals join the end in arrival order. Admission runs at the organizer's rate. No account needed; no body. When the event has no active room the reply is `state: off`. New places are limited per client address and event (60 a minute by default, RATE_LIMIT_QUEUE_JOIN); a known Queue-Token is never limited.",
    request: { params: eventPathParams, headers: tokenHeader },
    responses: {
      200: ok("Your place in line", queuePlaceSchema),
      400: problems.validation(),
      404: problems.notFound("The event"),
      429: problems.rateLimited(),
      503: problems.unavailable("The waiting room cannot be reached; nobody is admitted meanwhile. Retry after Retry-After seconds"),
    },
  });

  registry.registerPath({
    method: "get",
    path: "/events/{eventId}/queue",
    tags: ["Waiting room"],
    summary: "Your place in line; once it is your turn, the admission pass",
    description: "Poll no more often than `pollAfterMs`. Position only moves forward.",
    request: { params: eventPathParams, headers: tokenHeader },
    responses: {
      200: ok("Your place in line (state not_in_line without a valid Queue-Token)", queuePlaceSchema),
      400: problems.validation(),
      404: problems.notFound("The event"),
      503: problems.unavailable("The waiting room cannot be reached; nobody is admitted meanwhile. Retry after Retry-After seconds"),
    },
  });
}
