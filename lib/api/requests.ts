import { z } from "zod";
import { loginSchema, registerSchema } from "@/lib/auth/schemas";
import { confirmInputSchema, idempotencyKeySchema } from "@/lib/checkout/schemas";
import { EVENT_FILTERS } from "@/lib/events/queries";
import { eventInputSchema } from "@/lib/events/schemas";
import { holdRequestSchema } from "@/lib/holds/schemas";
import { venueInputSchema } from "@/lib/venues/schemas";

// The request shapes of the REST API (/api/v1): path, query, header and body schemas. Each route
// handler parses with them (its schema.ts beside route.ts re-exports the ones it uses) and the
// OpenAPI document registers them (./paths), so the spec is the code. Bodies are the domain's
// own schemas, the same the website's forms are turned into. Ids in paths are read in their one
// spelling (lowercase, lib/ids.ts), so every spelling PostgreSQL accepts is the same resource to
// every cache, key and comparison behind the route.

const eventId = z.uuid("Not a valid event id").toLowerCase();

/** /events/{eventId}/… (inventory, seats, queue, reservations). */
export const eventPathParams = z.object({ eventId });

// Auth. The same schemas the website's sign-in and sign-up forms parse with.
export const loginBody = loginSchema;
export const registerBody = registerSchema;

// Catalog.
export const listEventsQuery = z.strictObject({
  status: z.enum(EVENT_FILTERS).optional().describe("on_sale: buyable now; upcoming: not started; past: ended; free: every section costs 0"),
  q: z.string().trim().max(100, "Use at most 100 characters").optional().describe("Words in the title or venue name"),
  page: z.coerce.number().int("Use a whole number").min(1, "Pages start at 1").max(10_000).default(1),
  pageSize: z.coerce.number().int("Use a whole number").min(1).max(100, "At most 100 per page").default(12),
});
/** Either a registered venue (venueId + a price per venue section) or a custom venue with inline sections. */
export const createEventBody = eventInputSchema;
export const eventDetailParams = z.strictObject({ eventId: z.uuid("Use an event id (UUID)").toLowerCase() });
/** The venue list takes no filters yet; anything sent is refused rather than silently ignored. */
export const listVenuesQuery = z.strictObject({});
/** A venue with its section templates (assigned seating generated from rows × seats, or GA). */
export const createVenueBody = venueInputSchema;
export const venueParams = z.strictObject({ venueId: z.uuid("Use a venue id (UUID)").toLowerCase() });

// Reservations (holds). { "seatIds": [101, 102] } for assigned seats, or { "sectionId": "…",
// "quantity": 2 } for GA.
export const holdBody = holdRequestSchema;
export const reservationParams = z.object({ eventId, reservationId: z.uuid("Not a valid reservation id").toLowerCase() });
export const userReservationsParams = z.object({ eventId, userId: z.uuid("Not a valid user id").toLowerCase() });

// Checkout and bookings. { "reservationId": "…", "payment": { "method": "mock", "card": { "number":
// "4242 4242 4242 4242", "expMonth": 12, "expYear": 2030, "cvc": "123" } } } — or { "method":
// "stripe", "paymentMethodId": "pm_…" } with PAYMENT_PROVIDER=stripe, or { "method": "free" }.
export const confirmBody = confirmInputSchema;
export const confirmHeaders = z.object({ "idempotency-key": idempotencyKeySchema });
export const myBookingsQuery = z.strictObject({ when: z.enum(["upcoming", "past"], { message: 'Use "upcoming" or "past"' }).optional() });
/** A booking reference as people type it: "7KQ2M9XD", "7kq2-m9xd" (case, dashes and look-alikes forgiven). */
const reference = z.string().min(1).max(32, "A booking reference is 8 characters");
export const bookingReferenceParams = z.object({ reference });
export const ticketQrParams = z.object({ reference, ticketId: z.uuid("Not a valid ticket id").toLowerCase() });

// The waiting room's join and status take no body and no query: the visitor token comes from the
// tq_v_<eventId> cookie or the Queue-Token header (API clients keep it from the join reply).
