import { z } from "zod";

// Joining a waiting list: how many places, and optionally which section (none: any section).
// Shared by the REST route and the event page's form.

export const joinWaitlistSchema = z.strictObject({
  quantity: z.coerce.number({ message: "Enter a number" }).int("Use a whole number").min(1, "At least 1").max(100, "At most 100"),
  sectionId: z
    .uuid("Pick a section")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export type JoinWaitlistInput = z.input<typeof joinWaitlistSchema>;

/** How long an offer holds the places for the person offered before they go to the next in line. */
export const OFFER_SECONDS = 30 * 60;

const datetime = z.iso.datetime({ offset: true });

/** A waiting-list entry as the REST API shows it (lib/waitlist/read.ts MyWaitlistEntry). */
export const waitlistEntrySchema = z
  .strictObject({
    id: z.uuid(),
    eventId: z.uuid(),
    sectionId: z.uuid().nullable().describe("null: any section"),
    sectionName: z.string().nullable(),
    quantity: z.number().int(),
    status: z
      .enum(["WAITING", "OFFERED", "CLAIMED", "LAPSED", "LEFT"])
      .describe("WAITING in line · OFFERED: places held for you (`offer`) · CLAIMED: you paid · LAPSED: the offer ran out · LEFT"),
    position: z.number().int().nullable().describe("1 = next to be offered; null unless WAITING"),
    offer: z
      .strictObject({
        reservationId: z.uuid(),
        expiresAt: datetime,
        quantity: z.number().int().describe("Places held: fewer than asked for when the event's per-customer limit leaves you fewer"),
      })
      .nullable()
      .describe("The reservation holding your places: pay for it with POST /bookings/confirm before expiresAt"),
    joinedAt: datetime,
  })
  .meta({ id: "WaitlistEntry" });

export const staffWaitlistSchema = z
  .strictObject({
    entries: z.array(
      waitlistEntrySchema.extend({ customerName: z.string(), customerEmail: z.string(), offeredAt: datetime.nullable() }).meta({ id: "WaitlistRow" }),
    ),
  })
  .meta({ id: "Waitlist" });

export const waitlistParamsSchema = z.object({ eventId: z.uuid("Not a valid event id") });
