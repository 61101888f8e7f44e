import { relations, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// Conventions: snake_case columns, uuid keys, money in integer minor units beside a currency
// code, every time a UTC timestamptz. Every inventory-side table carries event_id so the hot
// queries filter by it (and the tables can later be distributed by event_id).

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();

export const userRole = pgEnum("user_role", ["ADMIN", "ORGANIZER", "CUSTOMER"]);
export const sectionKind = pgEnum("section_kind", ["ASSIGNED", "GA"]);
export const eventStatus = pgEnum("event_status", ["UPCOMING", "ON_SALE", "SOLD_OUT", "COMPLETED", "CANCELLED"]);
// BLOCKED: kept off sale by the organizer (house, press, production holds); no claim takes it.
export const inventoryStatus = pgEnum("inventory_status", ["AVAILABLE", "HELD", "SOLD", "BLOCKED"]);
// Physical accessibility of a seat, from the venue layout: a wheelchair space, or a seat beside one.
export const seatAccess = pgEnum("seat_access", ["WHEELCHAIR", "COMPANION"]);
export const reservationStatus = pgEnum("reservation_status", [
  "ACTIVE", // seats held until expires_at
  "PAYMENT", // locked for payment until payment_deadline; the cron does not expire it before then
  "CONFIRMED", // became a booking
  "RELEASED", // released by the customer
  "EXPIRED", // hold ran out
  "FAILED", // checkout failed after a charge and was compensated
]);
export const bookingStatus = pgEnum("booking_status", ["CONFIRMED", "CANCELLED"]);
// How a box-office (staff) booking was paid; web sales have none (they pay through a checkout).
export const boxOfficeMethod = pgEnum("box_office_method", ["CASH", "CARD_AT_DESK", "COMPLIMENTARY", "INVITATION"]);
export const ticketStatus = pgEnum("ticket_status", ["VALID", "USED", "VOID"]);
export const checkoutState = pgEnum("checkout_state", [
  "STARTED", // reservation locked for payment, nothing charged yet
  "CHARGED", // the provider captured the money
  "BOOKED", // booking and tickets written: done
  "DECLINED", // the provider refused: nothing charged, reservation back to ACTIVE
  "REFUNDED", // charged, booking impossible, money returned
]);
export const paymentStatus = pgEnum("payment_status", ["PENDING", "SUCCEEDED", "FAILED", "REFUNDED"]);
export const idempotencyState = pgEnum("idempotency_state", ["IN_FLIGHT", "DONE"]);
export const outboxStatus = pgEnum("outbox_status", [
  "PENDING", // waiting for (another) delivery attempt at next_attempt_at
  "SENT", // the SMTP server accepted it
  "DEAD", // gave up: a permanent refusal, or too many attempts (kept for operators)
  "SKIPPED", // never to be sent (e.g. bookings made before email existed)
]);
export const emailTokenPurpose = pgEnum("email_token_purpose", ["PASSWORD_RESET", "EMAIL_VERIFY"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    // Null for guests (they buy with an email address only) until they claim the account.
    passwordHash: text("password_hash"),
    role: userRole("role").notNull().default("CUSTOMER"),
    // Bumped on role change, password change or reset, or "sign out everywhere": tokens
    // carrying an older value are refused.
    sessionVersion: integer("session_version").notNull().default(1),
    // A guest checkout's user: no password, its own session, one row per guest checkout (so a
    // stranger typing the same address never sees another guest's bookings). Proving the
    // address later (reset or verification email) merges them into one account (lib/accounts).
    guest: boolean("guest").notNull().default(false),
    emailVerifiedAt: ts("email_verified_at"),
    createdAt: createdAt(),
  },
  (t) => [
    // One account per address; guests do not count (several guest checkouts may share one).
    uniqueIndex("users_email_lower_idx")
      .on(sql`lower(${t.email})`)
      .where(sql`NOT ${t.guest}`),
    index("users_guest_email_idx")
      .on(sql`lower(${t.email})`)
      .where(sql`${t.guest}`),
  ],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

// Section layout: for assigned sections the generator's parameters (see lib/venues/layout.ts);
// the concrete seats are generated from it when an event is created.
export type SectionLayout = {
  rows: number;
  seatsPerRow: number;
  rowLabels?: "letters" | "numbers";
  numbering?: "ltr" | "rtl";
  aisles?: number[]; // seat positions (1-based) after which a gap is left
  curve?: number; // 0 = straight rows, up to 1 = strongly curved
  offsetX?: number; // position of the section on the venue map, in seat units
  offsetY?: number;
  rotation?: number; // degrees clockwise: 0 = stage above the section, 90 = to its right, 180 = below, 270 = to its left
  // Seats as "ROW:SEAT" (e.g. "A:1"): wheelchair spaces and the companion seats beside them.
  wheelchair?: string[];
  companion?: string[];
};

/** Where a general-admission section (a standing pitch, a floor) is drawn on the map, in seat units. */
export type MapArea = { x: number; y: number; width: number; height: number };

export const venues = pgTable("venues", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  address: text("address").notNull().default(""),
  // The IANA time zone of the place (lib/time-zone.ts): event times are entered and shown on its clock.
  timeZone: text("time_zone").notNull().default("Europe/Berlin"),
  createdBy: uuid("created_by").references(() => users.id),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});
export type Venue = typeof venues.$inferSelect;

export const venueSections = pgTable(
  "venue_sections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    venueId: uuid("venue_id")
      .notNull()
      .references(() => venues.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: sectionKind("kind").notNull(),
    capacity: integer("capacity").notNull(),
    layout: jsonb("layout").$type<SectionLayout>(),
    area: jsonb("map_area").$type<MapArea>(),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [
    index("venue_sections_venue_idx").on(t.venueId),
    check("venue_sections_capacity_positive", sql`${t.capacity} > 0`),
    check("venue_sections_layout_for_assigned", sql`(${t.kind} = 'GA') = (${t.layout} IS NULL)`),
    check("venue_sections_area_for_ga", sql`${t.area} IS NULL OR ${t.kind} = 'GA'`),
  ],
);
export type VenueSection = typeof venueSections.$inferSelect;

// A run of the same show: events copied from one another (lib/series), grouped for customers.
export const eventSeries = pgTable("event_series", {
  id: uuid("id").primaryKey().defaultRandom(),
  organizerId: uuid("organizer_id")
    .notNull()
    .references(() => users.id),
  title: text("title").notNull(),
  createdAt: createdAt(),
});
export type EventSeries = typeof eventSeries.$inferSelect;

export const events = pgTable(
  "events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizerId: uuid("organizer_id")
      .notNull()
      .references(() => users.id),
    // A registered venue, or null for a custom venue described by venue_name/venue_address.
    venueId: uuid("venue_id").references(() => venues.id),
    // The run of dates this event belongs to (docs/box-office.md), if any.
    seriesId: uuid("series_id").references(() => eventSeries.id, { onDelete: "set null" }),
    venueName: text("venue_name").notNull(),
    venueAddress: text("venue_address").notNull().default(""),
    // The venue's time zone, copied like its name (a custom venue gives its own): every time of
    // the event is shown on this clock, labelled (lib/time-zone.ts, components/zoned-time.tsx).
    timeZone: text("time_zone").notNull().default("Europe/Berlin"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    imageUrl: text("image_url"),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    saleStartsAt: ts("sale_starts_at").notNull(),
    saleEndsAt: ts("sale_ends_at").notNull(),
    status: eventStatus("status").notNull().default("UPCOMING"),
    publishedAt: ts("published_at"), // null = draft, invisible to customers
    holdSeconds: integer("hold_seconds").notNull().default(600),
    maxPerOrder: integer("max_per_order").notNull().default(10),
    // At most this many places per customer for the event, held and bought together, over all
    // their orders (null: no such limit). Guests count by email address (docs/invariants.md).
    maxPerCustomer: integer("max_per_customer"),
    currency: char("currency", { length: 3 }).notNull().default("EUR"),
    capacity: integer("capacity").notNull().default(0),
    // Waiting room (lib/waiting-room); off unless switched on.
    waitingRoom: boolean("waiting_room").notNull().default(false),
    admitPerMinute: integer("admit_per_minute").notNull().default(600),
    // How long an admitted visitor's pass lets them hold seats, and whether admission is paused.
    waitingRoomSessionSeconds: integer("waiting_room_session_seconds").notNull().default(900),
    waitingRoomPaused: boolean("waiting_room_paused").notNull().default(false),
    // Customers may cancel their own bookings until this many hours before the start (null: they
    // cannot), for a fee: a fixed amount per cancellation or a percentage of it (docs/refunds.md).
    customerCancelHours: integer("customer_cancel_hours"),
    customerCancelFeeMinor: integer("customer_cancel_fee_minor").notNull().default(0),
    customerCancelFeePercent: integer("customer_cancel_fee_percent").notNull().default(0),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("events_status_starts_idx").on(t.status, t.startsAt),
    index("events_organizer_idx").on(t.organizerId),
    index("events_series_idx").on(t.seriesId, t.startsAt),
    check("events_ends_after_start", sql`${t.endsAt} >= ${t.startsAt}`),
    check("events_sale_window", sql`${t.saleEndsAt} > ${t.saleStartsAt}`),
    check("events_hold_seconds_range", sql`${t.holdSeconds} BETWEEN 1 AND 3600`),
    check("events_max_per_order_range", sql`${t.maxPerOrder} BETWEEN 1 AND 100`),
    check("events_max_per_customer_range", sql`${t.maxPerCustomer} IS NULL OR ${t.maxPerCustomer} BETWEEN 1 AND 1000`),
    check("events_capacity_nonneg", sql`${t.capacity} >= 0`),
    check("events_admit_rate_positive", sql`${t.admitPerMinute} > 0`),
    check("events_waiting_room_session_range", sql`${t.waitingRoomSessionSeconds} BETWEEN 60 AND 7200`),
    check("events_cancel_hours_range", sql`${t.customerCancelHours} IS NULL OR ${t.customerCancelHours} BETWEEN 0 AND 8760`),
    check(
      "events_cancel_fee",
      sql`${t.customerCancelFeeMinor} >= 0 AND ${t.customerCancelFeePercent} BETWEEN 0 AND 100 AND (${t.customerCancelFeeMinor} = 0 OR ${t.customerCancelFeePercent} = 0)`,
    ),
  ],
);
export type Event = typeof events.$inferSelect;

export const eventSections = pgTable(
  "event_sections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: sectionKind("kind").notNull(),
    capacity: integer("capacity").notNull(),
    priceMinor: integer("price_minor").notNull(),
    color: text("color").notNull().default("#6366f1"),
    layout: jsonb("layout").$type<SectionLayout>(),
    area: jsonb("map_area").$type<MapArea>(),
    sortOrder: integer("sort_order").notNull().default(0),
    // Offered only to customers holding an access code of the event that names this section
    // (docs/promo-codes.md, "Hidden sections"); fixed once the event is published, like the rest.
    hidden: boolean("hidden").notNull().default(false),
  },
  (t) => [
    index("event_sections_event_idx").on(t.eventId),
    check("event_sections_area_for_ga", sql`${t.area} IS NULL OR ${t.kind} = 'GA'`),
    check("event_sections_capacity_positive", sql`${t.capacity} > 0`),
    check("event_sections_price_nonneg", sql`${t.priceMinor} >= 0`),
  ],
);
export type EventSection = typeof eventSections.$inferSelect;

// Price categories of an event (Adult, Child, Concession…), docs/box-office.md. An event without
// any sells each section at its own price (event_sections.price_minor), as one implicit Standard
// type. A type is never deleted once it may have sold (tickets point at it): it is retired.
export const ticketTypes = pgTable(
  "ticket_types",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    note: text("note").notNull().default(""),
    sortOrder: integer("sort_order").notNull().default(0),
    // At most this many live tickets of the type for the event (null: no limit). Enforced at
    // checkout start and at the box office under a lock on this row (lib/ticket-types/limits.ts).
    limitQuantity: integer("limit_quantity"),
    // From this instant the type is offered to no new hold (holds made before keep it).
    retiredAt: ts("retired_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("ticket_types_event_idx").on(t.eventId, t.sortOrder),
    uniqueIndex("ticket_types_live_name_idx")
      .on(t.eventId, sql`lower(${t.name})`)
      .where(sql`${t.retiredAt} IS NULL`),
    check("ticket_types_limit_positive", sql`${t.limitQuantity} IS NULL OR ${t.limitQuantity} > 0`),
  ],
);
export type TicketType = typeof ticketTypes.$inferSelect;

// The price of a ticket type in a section, as immutable versions: a change inserts a row valid
// from now, and a checkout prices each place by the version in force when its hold began
// (docs/box-office.md). price_minor null: the type is not offered in that section from then on.
export const ticketTypePrices = pgTable(
  "ticket_type_prices",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    ticketTypeId: uuid("ticket_type_id")
      .notNull()
      .references(() => ticketTypes.id, { onDelete: "cascade" }),
    sectionId: uuid("section_id")
      .notNull()
      .references(() => eventSections.id, { onDelete: "cascade" }),
    priceMinor: integer("price_minor"),
    validFrom: ts("valid_from").notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [
    index("ticket_type_prices_version_idx").on(t.ticketTypeId, t.sectionId, t.validFrom),
    index("ticket_type_prices_event_idx").on(t.eventId, t.validFrom),
    check("ticket_type_prices_price_nonneg", sql`${t.priceMinor} IS NULL OR ${t.priceMinor} >= 0`),
  ],
);
export type TicketTypePrice = typeof ticketTypePrices.$inferSelect;

// One row per sellable place: an assigned seat, or one general-admission place. Exactly one
// status per row makes conservation (available + held + sold + blocked = capacity) hold by
// construction. A HELD row whose hold_expires_at has passed counts as available (docs/invariants.md, I5).
export const inventory = pgTable(
  "inventory",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sectionId: uuid("section_id")
      .notNull()
      .references(() => eventSections.id, { onDelete: "cascade" }),
    // Position of the row within its event (0..capacity-1): the index used by the compact
    // inventory bitmap that the seat map polls.
    seq: integer("seq").notNull(),
    rowLabel: text("row_label"),
    seatNumber: text("seat_number"),
    x: real("x"),
    y: real("y"),
    status: inventoryStatus("status").notNull().default("AVAILABLE"),
    reservationId: uuid("reservation_id"),
    holdExpiresAt: ts("hold_expires_at"),
    // Fixed at creation from the layout, like the position (the seat layout is immutable).
    access: seatAccess("access"),
    // Why and by whom a BLOCKED place is off sale (docs/box-office.md).
    blockReason: text("block_reason"),
    blockedBy: uuid("blocked_by").references(() => users.id),
    blockedAt: ts("blocked_at"),
  },
  (t) => [
    uniqueIndex("inventory_event_seq_idx").on(t.eventId, t.seq),
    index("inventory_section_status_idx").on(t.eventId, t.sectionId, t.status),
    index("inventory_reservation_idx").on(t.reservationId),
    // "Can any place of this event still be taken?" (the event status, lib/events/lifecycle.ts) is
    // answered from these two: the event's available places, and its holds by expiry. Only the
    // rows in that state are indexed, so the answer never depends on other events' size.
    index("inventory_available_idx")
      .on(t.eventId)
      .where(sql`${t.status} = 'AVAILABLE'`),
    index("inventory_held_expiry_idx")
      .on(t.eventId, t.holdExpiresAt)
      .where(sql`${t.status} = 'HELD'`),
    check(
      "inventory_hold_consistent",
      sql`(${t.status} = 'AVAILABLE' AND ${t.reservationId} IS NULL AND ${t.holdExpiresAt} IS NULL)
       OR (${t.status} = 'HELD' AND ${t.reservationId} IS NOT NULL AND ${t.holdExpiresAt} IS NOT NULL)
       OR (${t.status} = 'SOLD' AND ${t.reservationId} IS NOT NULL)
       OR (${t.status}::text = 'BLOCKED' AND ${t.reservationId} IS NULL AND ${t.holdExpiresAt} IS NULL)`,
    ),
    // Text comparison: an enum value added in a migration cannot be used in the same transaction.
    check("inventory_block_consistent", sql`(${t.status}::text = 'BLOCKED') = (${t.blockReason} IS NOT NULL AND ${t.blockedAt} IS NOT NULL)`),
  ],
);
export type InventoryRow = typeof inventory.$inferSelect;

export const reservations = pgTable(
  "reservations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    status: reservationStatus("status").notNull().default("ACTIVE"),
    quantity: integer("quantity").notNull().default(0),
    amountMinor: integer("amount_minor").notNull().default(0),
    currency: char("currency", { length: 3 }).notNull(),
    expiresAt: ts("expires_at").notNull(),
    paymentDeadline: ts("payment_deadline"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // One open reservation per customer and event.
    uniqueIndex("reservations_one_open_per_user_idx")
      .on(t.eventId, t.userId)
      .where(sql`${t.status} IN ('ACTIVE', 'PAYMENT')`),
    index("reservations_user_idx").on(t.userId, t.status),
    index("reservations_open_expiry_idx")
      .on(t.expiresAt)
      .where(sql`${t.status} IN ('ACTIVE', 'PAYMENT')`),
    check("reservations_quantity_nonneg", sql`${t.quantity} >= 0`),
    check("reservations_amount_nonneg", sql`${t.amountMinor} >= 0`),
  ],
);
export type Reservation = typeof reservations.$inferSelect;

export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull().unique(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    reservationId: uuid("reservation_id")
      .notNull()
      .unique()
      .references(() => reservations.id),
    status: bookingStatus("status").notNull().default("CONFIRMED"),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    // SHA-256 of the secret in the booking's private link (sent by email; lib/bookings/access.ts):
    // the link shows the tickets without signing in. Null for bookings made before links existed.
    accessKeyHash: text("access_key_hash"),
    // Box-office orders (lib/box-office): how it was paid and which staff member sold it. Both
    // null for web sales, both set for staff orders (docs/box-office.md).
    paymentMethod: boxOfficeMethod("payment_method"),
    soldBy: uuid("sold_by").references(() => users.id),
    createdAt: createdAt(),
    cancelledAt: ts("cancelled_at"),
  },
  (t) => [
    index("bookings_user_idx").on(t.userId, t.createdAt),
    index("bookings_event_idx").on(t.eventId, t.createdAt),
    check("bookings_amount_nonneg", sql`${t.amountMinor} >= 0`),
    check("bookings_box_office_consistent", sql`(${t.paymentMethod} IS NULL) = (${t.soldBy} IS NULL)`),
    // Comps and invitations are free: a price on one would be revenue nobody collected.
    check("bookings_comp_free", sql`${t.paymentMethod} IS NULL OR ${t.paymentMethod} NOT IN ('COMPLIMENTARY', 'INVITATION') OR ${t.amountMinor} = 0`),
  ],
);
export type Booking = typeof bookings.$inferSelect;

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id),
    sectionId: uuid("section_id")
      .notNull()
      .references(() => eventSections.id),
    inventoryId: bigint("inventory_id", { mode: "number" })
      .notNull()
      .references(() => inventory.id),
    // The secret part of the QR payload; the QR also carries an HMAC (lib/tickets).
    code: text("code").notNull().unique(),
    // The code door staff type when a QR code cannot be scanned (lib/tickets/short-code.ts).
    shortCode: text("short_code").notNull(),
    priceMinor: integer("price_minor").notNull(),
    // The ticket type bought (docs/box-office.md); null: the section's own price (no types).
    ticketTypeId: uuid("ticket_type_id").references(() => ticketTypes.id),
    status: ticketStatus("status").notNull().default("VALID"),
    checkedInAt: ts("checked_in_at"),
    checkedInBy: uuid("checked_in_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    // docs/invariants.md, I1: a place is sold at most once. VOID tickets (refunded) do not count.
    uniqueIndex("tickets_one_live_per_place_idx")
      .on(t.inventoryId)
      .where(sql`${t.status} <> 'VOID'`),
    index("tickets_booking_idx").on(t.bookingId),
    index("tickets_event_idx").on(t.eventId),
    index("tickets_live_type_idx")
      .on(t.ticketTypeId)
      .where(sql`${t.ticketTypeId} IS NOT NULL AND ${t.status} <> 'VOID'`),
    uniqueIndex("tickets_event_short_code_idx").on(t.eventId, t.shortCode),
    check("tickets_price_nonneg", sql`${t.priceMinor} >= 0`),
    check("tickets_checkin_consistent", sql`(${t.status} = 'USED') = (${t.checkedInAt} IS NOT NULL)`),
  ],
);
export type Ticket = typeof tickets.$inferSelect;

// ticketTypeId: the type chosen for the place (absent or null: the section's own price).
// priceMinor is what the place costs after a discount code (discountMinor, when one applied).
export type CheckoutItem = { inventoryId: number; sectionId: string; priceMinor: number; ticketTypeId?: string | null; discountMinor?: number };

// The checkout saga: one row per checkout attempt, each step recorded before the next starts.
export const checkouts = pgTable(
  "checkouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reservationId: uuid("reservation_id")
      .notNull()
      .references(() => reservations.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id),
    state: checkoutState("state").notNull().default("STARTED"),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    provider: text("provider").notNull(),
    // Sent to the payment provider as its idempotency key: a retry can never charge twice.
    providerKey: text("provider_key").notNull().unique(),
    providerRef: text("provider_ref"),
    bookingId: uuid("booking_id").references(() => bookings.id),
    // The places paid for and their prices when the checkout started. A late booking step (the
    // hold already released by the cron) re-claims exactly these; the inventory no longer knows.
    items: jsonb("items").$type<CheckoutItem[]>().notNull().default([]),
    // The discount code applied (docs/promo-codes.md): while the checkout is open it counts as a
    // use of the code; a trigger records the redemption when it becomes BOOKED.
    promoCodeId: uuid("promo_code_id").references((): AnyPgColumn => promoCodes.id),
    discountMinor: integer("discount_minor").notNull().default(0),
    failureCode: text("failure_code"),
    deadline: ts("deadline").notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // At most one checkout in progress per reservation.
    uniqueIndex("checkouts_one_open_per_reservation_idx")
      .on(t.reservationId)
      .where(sql`${t.state} IN ('STARTED', 'CHARGED')`),
    // Open checkouts of an event: their places count against ticket-type limits until booked.
    index("checkouts_open_event_idx")
      .on(t.eventId)
      .where(sql`${t.state} IN ('STARTED', 'CHARGED')`),
    // Open checkouts with a code count as its uses until booked (lib/promo-codes).
    index("checkouts_open_promo_idx")
      .on(t.promoCodeId, t.userId)
      .where(sql`${t.state} IN ('STARTED', 'CHARGED') AND ${t.promoCodeId} IS NOT NULL`),
    index("checkouts_stuck_idx")
      .on(t.deadline)
      .where(sql`${t.state} IN ('STARTED', 'CHARGED')`),
    check("checkouts_amount_nonneg", sql`${t.amountMinor} >= 0`),
  ],
);
export type Checkout = typeof checkouts.$inferSelect;

// Money movements as the provider reports them: one CHARGE per checkout, and any number of
// REFUNDs — the compensation of a checkout that could not be booked (refund_id null, at most one),
// or one per refund of a booking's tickets (refund_id, docs/refunds.md). A REFUND row is written
// PENDING before the provider is asked, with the idempotency key the provider gets, so a retry or
// the sweep can only ever repeat the same refund.
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    checkoutId: uuid("checkout_id")
      .notNull()
      .references(() => checkouts.id),
    kind: text("kind", { enum: ["CHARGE", "REFUND"] }).notNull(),
    provider: text("provider").notNull(),
    providerRef: text("provider_ref").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: paymentStatus("status").notNull(),
    // The refund of a booking's tickets this money movement carries out (REFUND rows only).
    refundId: uuid("refund_id").references((): AnyPgColumn => refunds.id),
    // The provider's idempotency key for this movement (REFUND rows): a repeat moves no more money.
    idempotencyKey: text("idempotency_key").unique(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("payments_one_charge_idx")
      .on(t.checkoutId)
      .where(sql`${t.kind} = 'CHARGE'`),
    uniqueIndex("payments_one_compensation_idx")
      .on(t.checkoutId)
      .where(sql`${t.kind} = 'REFUND' AND ${t.refundId} IS NULL`),
    uniqueIndex("payments_one_per_refund_idx")
      .on(t.refundId)
      .where(sql`${t.refundId} IS NOT NULL`),
    index("payments_pending_idx")
      .on(t.createdAt)
      .where(sql`${t.status} = 'PENDING'`),
    check("payments_amount_nonneg", sql`${t.amountMinor} >= 0`),
    check("payments_refund_only", sql`${t.refundId} IS NULL OR ${t.kind} = 'REFUND'`),
  ],
);
export type Payment = typeof payments.$inferSelect;

export const refundKind = pgEnum("refund_kind", [
  "ORGANIZER", // the event's organizer or an admin refunded tickets
  "CUSTOMER", // the customer cancelled under the event's cancellation policy
  "EVENT_CANCELLED", // the whole event was cancelled
]);

// Refunds of a booking's tickets (docs/refunds.md): which tickets, why, who, and the money —
// the tickets' prices, the fee kept (customer cancellations) and the amount returned. The
// tickets turn VOID and their places go back on sale in the same transaction.
export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id),
    checkoutId: uuid("checkout_id").references(() => checkouts.id),
    actorId: uuid("actor_id").references(() => users.id),
    kind: refundKind("kind").notNull(),
    reason: text("reason").notNull(),
    ticketsMinor: integer("tickets_minor").notNull(),
    feeMinor: integer("fee_minor").notNull().default(0),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("refunds_booking_idx").on(t.bookingId, t.createdAt),
    index("refunds_event_idx").on(t.eventId, t.createdAt),
    check("refunds_amounts", sql`${t.feeMinor} >= 0 AND ${t.feeMinor} <= ${t.ticketsMinor} AND ${t.amountMinor} = ${t.ticketsMinor} - ${t.feeMinor}`),
  ],
);
export type Refund = typeof refunds.$inferSelect;

// The tickets of each refund. A ticket is refunded at most once: the unique index on ticket_id
// makes that a database rule, whatever races above it.
export const refundTickets = pgTable(
  "refund_tickets",
  {
    refundId: uuid("refund_id")
      .notNull()
      .references(() => refunds.id),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    priceMinor: integer("price_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.refundId, t.ticketId] }), uniqueIndex("refund_tickets_once_idx").on(t.ticketId)],
);

// The mock provider's own books, kept like a real provider would: one row per idempotency key.
export const mockLedger = pgTable(
  "mock_ledger",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    kind: text("kind", { enum: ["CHARGE", "REFUND"] }).notNull(),
    chargeId: text("charge_id").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    outcome: text("outcome").notNull(), // succeeded | requires_action (SCA card) | canceled | a decline code
    cardLast4: text("card_last4"),
    createdAt: createdAt(),
  },
  (t) => [
    // A charge may be refunded in parts (never more than it took, lib/payments/mock.ts).
    index("mock_ledger_charge_idx").on(t.chargeId, t.kind),
    check("mock_ledger_amount_nonneg", sql`${t.amountMinor} >= 0`),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    key: text("key").notNull(),
    scope: text("scope").notNull(), // e.g. "checkout"
    requestHash: text("request_hash").notNull(),
    state: idempotencyState("state").notNull().default("IN_FLIGHT"),
    // A request that crashed leaves IN_FLIGHT behind; after locked_until another may take over.
    lockedUntil: ts("locked_until").notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope, t.key] }), index("idempotency_expiry_idx").on(t.expiresAt)],
);

export const waitlistStatus = pgEnum("waitlist_status", [
  "WAITING", // in line
  "OFFERED", // places are held for them (reservation_id) until the offer's reservation ends
  "CLAIMED", // they paid: the offer became a booking
  "LAPSED", // the offer ran out or was released: the places went to the next in line
  "LEFT", // they left the list
]);

// The waiting list of a sold-out event (docs/box-office.md): people in order of joining; places
// that come back are offered in that order by holding them for the person offered.
export const waitlistEntries = pgTable(
  "waitlist_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Position in line: a sequence, so order is the order of joining even within one instant.
    position: bigint("position", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sectionId: uuid("section_id").references(() => eventSections.id, { onDelete: "cascade" }), // null: any section
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    quantity: integer("quantity").notNull(),
    status: waitlistStatus("status").notNull().default("WAITING"),
    reservationId: uuid("reservation_id").references(() => reservations.id),
    offeredAt: ts("offered_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // One place in line per customer and event; an offer is made at most once per entry.
    uniqueIndex("waitlist_one_live_per_user_idx")
      .on(t.eventId, t.userId)
      .where(sql`${t.status} IN ('WAITING', 'OFFERED')`),
    uniqueIndex("waitlist_one_entry_per_offer_idx").on(t.reservationId),
    index("waitlist_line_idx").on(t.eventId, t.status, t.position),
    check("waitlist_quantity_range", sql`${t.quantity} BETWEEN 1 AND 100`),
    check("waitlist_offer_consistent", sql`(${t.status} IN ('WAITING', 'LEFT')) = (${t.reservationId} IS NULL)`),
  ],
);
export type WaitlistEntry = typeof waitlistEntries.$inferSelect;

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid("actor_id").references(() => users.id),
    action: text("action").notNull(), // role.change | event.cancel | booking.refund | ...
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt)],
);

// Single-use tokens sent by email: password reset and address verification. Only a SHA-256 of
// the token is stored; the token itself travels encrypted in the outbox until it is sent.
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: emailTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    // The address the token proves: the account's address, or the new one of an email change.
    email: text("email").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("email_tokens_user_idx").on(t.userId, t.purpose)],
);
export type EmailToken = typeof emailTokens.$inferSelect;

// The transactional outbox: a message is written in the same transaction (or statement) as the
// change that causes it, and delivered later by lib/mail/worker.ts over SMTP. A worker claims
// due rows with FOR UPDATE SKIP LOCKED and a lease (lease_until, lease_token); only the holder
// of the current lease may mark a row SENT. See docs/operations.md (Email).
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").notNull(), // booking_confirmed | event_cancelled | password_reset | ... (lib/mail/templates)
    recipient: text("recipient").notNull(),
    // What the template needs to render (ids, amounts); never a secret.
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    // Secrets the message carries (a reset token, a private link), AES-GCM encrypted with a key
    // derived from AUTH_SECRET; cleared once the message is sent or given up.
    secret: text("secret"),
    // At most one message per cause (e.g. booking_confirmed:<booking id>).
    dedupeKey: text("dedupe_key").unique(),
    status: outboxStatus("status").notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    leaseUntil: ts("lease_until"),
    leaseToken: uuid("lease_token"),
    // Fixed at the first attempt and reused by every retry, so a receiver can drop a duplicate.
    messageId: text("message_id"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("email_outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'PENDING'`),
    check("email_outbox_attempts_nonneg", sql`${t.attempts} >= 0`),
  ],
);
export type OutboxMessage = typeof emailOutbox.$inferSelect;

export const usersRelations = relations(users, ({ many }) => ({
  events: many(events),
  reservations: many(reservations),
  bookings: many(bookings),
}));
export const venuesRelations = relations(venues, ({ many }) => ({ sections: many(venueSections) }));
export const venueSectionsRelations = relations(venueSections, ({ one }) => ({
  venue: one(venues, { fields: [venueSections.venueId], references: [venues.id] }),
}));
export const eventsRelations = relations(events, ({ one, many }) => ({
  organizer: one(users, { fields: [events.organizerId], references: [users.id] }),
  venue: one(venues, { fields: [events.venueId], references: [venues.id] }),
  sections: many(eventSections),
  bookings: many(bookings),
}));
export const eventSectionsRelations = relations(eventSections, ({ one }) => ({
  event: one(events, { fields: [eventSections.eventId], references: [events.id] }),
}));
export const reservationsRelations = relations(reservations, ({ one }) => ({
  event: one(events, { fields: [reservations.eventId], references: [events.id] }),
  user: one(users, { fields: [reservations.userId], references: [users.id] }),
}));
export const bookingsRelations = relations(bookings, ({ one, many }) => ({
  event: one(events, { fields: [bookings.eventId], references: [events.id] }),
  user: one(users, { fields: [bookings.userId], references: [users.id] }),
  tickets: many(tickets),
}));
export const ticketsRelations = relations(tickets, ({ one }) => ({
  booking: one(bookings, { fields: [tickets.bookingId], references: [bookings.id] }),
  section: one(eventSections, { fields: [tickets.sectionId], references: [eventSections.id] }),
}));

// Discount codes per event (docs/promo-codes.md, lib/promo-codes). The code text is unique per
// event whatever its case; customers type it in any case. Uses are counted exactly under a lock
// on the code's row at checkout start: redemptions (booked) plus checkouts still open with it.
// ACCESS: no discount; unlocks the presale for customers who enter it (access_grants).
export const promoKind = pgEnum("promo_kind", ["PERCENT", "FIXED", "ACCESS"]);
export const promoCodes = pgTable(
  "promo_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    kind: promoKind("kind").notNull(),
    // PERCENT: 1–100; FIXED: minor units of the event's currency off the eligible places; ACCESS: 0.
    amount: integer("amount").notNull(),
    validFrom: ts("valid_from"),
    validUntil: ts("valid_until"),
    maxUses: integer("max_uses"),
    maxUsesPerCustomer: integer("max_uses_per_customer"),
    // Null: every section / every ticket type.
    sectionIds: uuid("section_ids").array(),
    ticketTypeIds: uuid("ticket_type_ids").array(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("promo_codes_event_code_idx").on(t.eventId, sql`lower(${t.code})`),
    check(
      // As text: the migration that adds ACCESS to the enum cannot use the new value in its transaction.
      "promo_codes_amount_valid",
      sql`CASE ${t.kind}::text WHEN 'ACCESS' THEN ${t.amount} = 0 WHEN 'PERCENT' THEN ${t.amount} BETWEEN 1 AND 100 ELSE ${t.amount} > 0 END`,
    ),
    check("promo_codes_limits_positive", sql`(${t.maxUses} IS NULL OR ${t.maxUses} > 0) AND (${t.maxUsesPerCustomer} IS NULL OR ${t.maxUsesPerCustomer} > 0)`),
  ],
);
export type PromoCode = typeof promoCodes.$inferSelect;

// One row per booking made with a code, written by a trigger when its checkout becomes BOOKED.
export const promoRedemptions = pgTable(
  "promo_redemptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    codeId: uuid("code_id")
      .notNull()
      .references(() => promoCodes.id),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    bookingId: uuid("booking_id")
      .notNull()
      .unique()
      .references(() => bookings.id),
    discountMinor: integer("discount_minor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("promo_redemptions_code_idx").on(t.codeId, t.userId)],
);
export type PromoRedemption = typeof promoRedemptions.$inferSelect;

// Customers who entered an access code (kind ACCESS, docs/promo-codes.md): while the code is valid
// they may hold places before the public sale opens. One row per code and customer.
export const accessGrants = pgTable(
  "access_grants",
  {
    codeId: uuid("code_id")
      .notNull()
      .references(() => promoCodes.id),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.codeId, t.userId] }), index("access_grants_event_user_idx").on(t.eventId, t.userId)],
);
