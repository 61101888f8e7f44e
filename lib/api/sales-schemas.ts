import { z } from "zod";
import { mapAreaViewSchema } from "./schemas";

// Response shapes of the selling endpoints (reservations, bookings, inventory, seat layout),
// mirroring the lib types they serialise (ReservationView in lib/holds, BookingView in
// lib/bookings, InventorySnapshot and SeatLayout in lib/inventory). The conformance test checks
// real responses against them.

const datetime = z.iso.datetime({ offset: true });
const uuid = z.uuid();

export const reservationItemSchema = z.strictObject({
  inventoryId: z.number().int().describe("The seat id used in seatIds"),
  seq: z.number().int(),
  sectionId: uuid,
  sectionName: z.string(),
  rowLabel: z.string().nullable(),
  seatNumber: z.string().nullable(),
  priceMinor: z.number().int(),
});

export const reservationSchema = z
  .strictObject({
    id: uuid,
    eventId: uuid,
    status: z.enum(["ACTIVE", "PAYMENT", "CONFIRMED", "RELEASED", "EXPIRED", "FAILED"]),
    expiresAt: datetime.describe("The hold lapses at this instant (database clock)"),
    paymentDeadline: datetime.nullable(),
    quantity: z.number().int(),
    amountMinor: z.number().int(),
    currency: z.string().length(3),
    items: z.array(reservationItemSchema),
  })
  .meta({ id: "Reservation" });

export const ticketSchema = z.strictObject({
  id: uuid,
  sectionName: z.string(),
  rowLabel: z.string().nullable(),
  seatNumber: z.string().nullable(),
  priceMinor: z.number().int(),
  ticketTypeId: uuid.nullable().describe("The ticket type bought; null when the event has no types for the section (its own price)"),
  ticketTypeName: z.string().nullable().describe("Its name (Adult, Child, …), as the ticket shows it"),
  status: z.enum(["VALID", "USED", "VOID"]),
  qrPayload: z.string().describe("Signed payload shown as the ticket's QR code"),
  shortCode: z
    .string()
    .describe("The code door staff type when the QR code cannot be scanned: 9 characters, printed as XXX-XXX-XXX; check-in accepts any case and separators"),
});

export const bookingRefundSchema = z
  .strictObject({
    id: uuid,
    kind: z.enum(["ORGANIZER", "CUSTOMER", "EVENT_CANCELLED"]).describe("Refunded by the organizer, cancelled by the customer, or the event was cancelled"),
    reason: z.string(),
    createdAt: datetime,
    ticketIds: z.array(uuid).describe("The tickets refunded (now VOID)"),
    ticketsMinor: z.number().int().describe("Their prices together"),
    feeMinor: z.number().int().describe("The cancellation fee kept"),
    amountMinor: z.number().int().describe("Paid back: ticketsMinor − feeMinor"),
    status: z.enum(["REFUNDED", "PENDING", "NONE"]).describe("REFUNDED: done; PENDING: on its way; NONE: nothing to pay back"),
  })
  .meta({ id: "BookingRefund" });

export const bookingSchema = z
  .strictObject({
    id: uuid,
    reference: z.string(),
    eventId: uuid,
    eventTitle: z.string(),
    startsAt: datetime,
    venueName: z.string(),
    timeZone: z.string().describe("IANA time zone of the venue: the start is on its clock"),
    status: z.enum(["CONFIRMED", "CANCELLED"]),
    amountMinor: z.number().int(),
    currency: z.string().length(3),
    createdAt: datetime,
    tickets: z.array(ticketSchema),
    refunds: z.array(bookingRefundSchema).describe("Refunds of some or all tickets, oldest first"),
    promo: z
      .strictObject({ code: z.string(), discountMinor: z.number().int().describe("Taken off the tickets' prices; amountMinor is after it") })
      .nullable()
      .describe("The discount code the booking was paid with (`promoCode` at confirm), or null"),
  })
  .meta({ id: "Booking" });

const sectionKind = z.enum(["ASSIGNED", "GA"]);

export const inventorySnapshotSchema = z
  .strictObject({
    eventId: uuid,
    status: z.string(),
    etag: z.string(),
    generatedAt: datetime,
    sections: z.array(
      z.strictObject({
        id: uuid,
        name: z.string(),
        kind: sectionKind,
        capacity: z.number().int(),
        priceMinor: z.number().int(),
        color: z.string(),
        available: z.number().int(),
        held: z.number().int(),
        sold: z.number().int(),
        blocked: z.number().int().describe("Places the organizer keeps off sale (house, press, production)"),
      }),
    ),
    seats: z
      .strictObject({ encoding: z.literal("2bit-base64"), count: z.number().int(), data: z.string() })
      .describe("State of seat seq i = (bytes[i >> 2] >> ((i & 3) * 2)) & 3: 0 available, 1 held, 2 sold, 3 not on sale (blocked)"),
  })
  .meta({ id: "InventorySnapshot" });

export const seatLayoutSchema = z
  .strictObject({
    sections: z.array(
      z.strictObject({
        id: uuid,
        name: z.string(),
        kind: sectionKind,
        color: z.string(),
        priceMinor: z.number().int(),
        capacity: z.number().int(),
        firstSeq: z.number().int(),
        count: z.number().int(),
        area: mapAreaViewSchema.nullable(),
        hidden: z.literal(true).optional().describe("A hidden section this caller may see (an access code naming it)"),
      }),
    ),
    ids: z
      .array(z.number().int())
      .describe(
        "Seat ids (inventory ids), indexed by position: the seq for a caller who sees every section; hidden sections this caller may not see are left out and the places after them move up (match reservation items by inventoryId)",
      ),
    x: z.array(z.number().nullable()),
    y: z.array(z.number().nullable()),
    rows: z.array(z.string().nullable()),
    numbers: z.array(z.string().nullable()),
    access: z.array(z.number().int().min(0).max(2)).describe("Accessibility per seq: 0 none, 1 wheelchair space, 2 companion seat"),
  })
  .meta({ id: "SeatLayout" });
