import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { publicTicketTypeSchema } from "@/lib/ticket-types/schemas";
import { cancellationPolicyViewSchema } from "@/lib/refunds/schemas";

// Response shapes of the REST API, as zod schemas. They exist for the OpenAPI document (the
// request schemas are the ones the handlers parse with); strict objects, so the spec promises
// exactly these fields and the conformance test catches any field that leaks out.

const datetime = z.iso.datetime({ offset: true });
const uuid = z.uuid();

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const problemSchema = z
  .object({
    type: z.string().describe("A URI naming the kind of problem"),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(ERROR_CODES).describe("Stable machine-readable code: switch on this, not on the text"),
    detail: z.string().describe("Human-readable explanation for this occurrence"),
    instance: z.string().optional().describe("The request path"),
    fields: z.record(z.string(), z.array(z.string())).optional().describe("Per-field reasons, keyed by dotted path; `_` is the whole input"),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 9457 problem details. Some codes carry extra members, e.g. takenSeatIds or retryAfter." });

/** A problem response limited to the codes an endpoint can really answer with for `status`. */
export function problem(status: number, codes: readonly ErrorCode[], description: string) {
  const wrong = codes.filter((c) => ERROR_STATUS[c] !== status);
  if (wrong.length) throw new Error(`codes ${wrong.join(", ")} do not answer ${status}`);
  return {
    description,
    content: {
      "application/problem+json": {
        schema: z.intersection(problemSchema, z.object({ status: z.literal(status), code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) })),
      },
    },
  };
}

export const roleSchema = z.enum(["ADMIN", "ORGANIZER", "CUSTOMER"]);

export const publicUserSchema = z.strictObject({ id: uuid, email: z.string(), name: z.string(), role: roleSchema, createdAt: datetime }).meta({ id: "User" });

export const tokenResponseSchema = z
  .strictObject({
    token: z.string().describe("Send as `Authorization: Bearer <token>`"),
    expiresAt: datetime,
    user: publicUserSchema,
  })
  .meta({ id: "Token" });

export const eventStatusSchema = z.enum(["UPCOMING", "ON_SALE", "SOLD_OUT", "COMPLETED", "CANCELLED"]);

const summaryShape = {
  id: uuid,
  title: z.string(),
  imageUrl: z.string().nullable(),
  startsAt: datetime,
  endsAt: datetime,
  saleStartsAt: datetime,
  saleEndsAt: datetime,
  status: eventStatusSchema,
  venueName: z.string(),
  venueAddress: z.string(),
  timeZone: z.string().describe('IANA time zone of the venue, e.g. "Europe/Berlin": the event\'s times are on its clock'),
  currency: z.string().length(3),
  minPriceMinor: z.number().int().describe("Cheapest section, in minor units (cents)"),
  maxPriceMinor: z.number().int(),
  capacity: z.number().int(),
  seriesId: uuid.nullable().describe("The run of dates this event belongs to; lists show one event per series"),
  seriesDates: z.number().int().describe("Published dates of the series that have not ended (1 for a single event)"),
};

export const eventSummarySchema = z.strictObject(summaryShape).meta({ id: "EventSummary" });

export const eventSectionSchema = z.strictObject({
  id: uuid,
  name: z.string(),
  kind: z.enum(["ASSIGNED", "GA"]),
  capacity: z.number().int(),
  priceMinor: z.number().int(),
  color: z.string(),
  hidden: z
    .boolean()
    .describe("Offered only to customers holding an access code of the event that names it (and to its organizer and admins); absent for everyone else"),
});

/** An event's customer cancellation policy (lib/refunds/policy.ts), shown before buying. */
export const cancellationPolicyView = cancellationPolicyViewSchema.meta({ id: "CancellationPolicy" });

export const eventDetailSchema = z
  .strictObject({
    ...summaryShape,
    description: z.string(),
    holdSeconds: z.number().int(),
    maxPerOrder: z.number().int(),
    maxPerCustomer: z.number().int().nullable().describe("At most this many places per customer over all their orders, held and bought; null: no such limit"),
    organizerId: uuid,
    venueId: uuid.nullable(),
    publishedAt: datetime.nullable().describe("null while the event is a draft (visible to its organizer and admins only)"),
    waitingRoom: z.boolean(),
    version: z.number().int(),
    sections: z.array(eventSectionSchema),
    ticketTypes: z
      .array(publicTicketTypeSchema)
      .describe(
        "Price categories (Adult, Child, …) offered now, each with its price per section; empty when every section sells at its own price. Choose one per place when paying (`ticketTypes` of POST /bookings/confirm).",
      ),
    cancellationPolicy: cancellationPolicyView.describe("Whether and until when customers may cancel their bookings, and the fee kept"),
  })
  .meta({ id: "EventDetail" });

/** The pagination envelope of every list that pages. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    total: z.number().int().min(0),
    totalPages: z.number().int().min(1),
  });
}

export const layoutViewSchema = z.strictObject({
  rows: z.number().int(),
  seatsPerRow: z.number().int(),
  rowLabels: z.enum(["letters", "numbers"]).optional(),
  numbering: z.enum(["ltr", "rtl"]).optional(),
  aisles: z.array(z.number().int()).optional(),
  curve: z.number().optional(),
  offsetX: z.number().optional(),
  offsetY: z.number().optional(),
  rotation: z.number().optional(),
});

export const mapAreaViewSchema = z
  .strictObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
  .describe("Where a GA section is drawn on the seat map: a rectangle in seat units (top-left corner, size)");

export const venueSchema = z
  .strictObject({
    id: uuid,
    name: z.string(),
    address: z.string(),
    timeZone: z.string().describe('IANA time zone of the venue, e.g. "Europe/Berlin": event times there are entered and shown on its clock'),
    version: z.number().int(),
    createdAt: datetime,
    updatedAt: datetime,
    capacity: z.number().int(),
    sections: z.array(
      z.strictObject({
        id: uuid,
        name: z.string(),
        kind: z.enum(["ASSIGNED", "GA"]),
        capacity: z.number().int(),
        layout: layoutViewSchema.nullable().describe("Seat generator parameters for ASSIGNED sections; null for GA"),
        area: mapAreaViewSchema.nullable().describe("GA sections drawn on the map; null otherwise"),
        sortOrder: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Venue" });

export const venueListSchema = z.strictObject({ items: z.array(venueSchema) });

export const healthSchema = z
  .strictObject({
    status: z.enum(["ok", "degraded", "down"]),
    database: z.strictObject({ status: z.enum(["up", "down"]), latencyMs: z.number().optional() }),
    redis: z.strictObject({ status: z.enum(["up", "down", "not_configured"]), transport: z.string(), latencyMs: z.number().optional() }),
    // Read replicas, when configured: "lagging" and "down" ones are skipped (reads go to the primary).
    replicas: z.array(z.strictObject({ replica: z.string(), status: z.enum(["up", "lagging", "down", "unknown"]), lagMs: z.number().nullable() })).optional(),
  })
  .meta({ id: "Health" });
