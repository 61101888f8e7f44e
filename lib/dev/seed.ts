import { addDays, addHours, subDays } from "date-fns";
import { sql } from "drizzle-orm";
import { closeDb, db } from "@/db";
import { users, type Event } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { toActor } from "@/lib/auth/users";
import { createEvent } from "@/lib/events/create";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { createTicketType } from "@/lib/ticket-types/manage";
import { refreshEventStatuses } from "@/lib/inventory/event-status";
import type { EventInput } from "@/lib/events/schemas";
import type { VenueInput } from "@/lib/venues/schemas";
import { createVenue } from "@/lib/venues/venues";
import { orThrow } from "@/lib/errors";
import { confirmCheckout } from "@/lib/checkout";
import { blockPlaces } from "@/lib/blocking/block";
import { cancelEvent } from "@/lib/events/cancel";
import { holdSeats } from "@/lib/holds";
import type { Actor } from "@/lib/auth/roles";

// Demo data for `npm run dev` on an empty database. The accounts are documented in the README.
export const DEMO_ACCOUNTS = [
  { email: "admin@tessera.test", password: "admin-pass-1", name: "Ada Admin", role: "ADMIN" as const },
  { email: "organizer@tessera.test", password: "organizer-pass-1", name: "Olly Organizer", role: "ORGANIZER" as const },
  { email: "customer@tessera.test", password: "customer-pass-1", name: "Cleo Customer", role: "CUSTOMER" as const },
];

/**
 * The demo stadium: 20,000 seats in four stands facing a standing pitch of 202 × 160 seat units,
 * each stand turned towards it (the long ones along its sides, the ends closing the bowl).
 */
export function stadiumVenue(): VenueInput {
  const stand = (name: string, offsetX: number, offsetY: number, rotation: number) => ({
    kind: "ASSIGNED" as const,
    name,
    layout: {
      rows: 25,
      seatsPerRow: 200,
      rowLabels: "numbers" as const,
      numbering: "ltr" as const,
      aisles: [50, 100, 150],
      curve: 0,
      offsetX,
      offsetY,
      rotation,
    },
  });
  return {
    name: "Riverside Stadium",
    address: "Stadium Way, Brightwater",
    sections: [
      stand("North Stand", 0, -27, 180),
      stand("East Stand", 205, -21, 270),
      stand("South Stand", 0, 163, 0),
      stand("West Stand", -27, -21, 90),
      { kind: "GA", name: "Pitch (standing)", capacity: 5000, area: { x: 0, y: 0, width: 202, height: 160 } },
    ],
  };
}

export async function seed({ log = console.log }: { log?: (m: string) => void } = {}) {
  const [{ n }] = await db().execute<{ n: number }>(sql`select count(*)::int as n from users`);
  if (n > 0) {
    log("seed: database already has users, skipping");
    return;
  }
  const created = [];
  for (const a of DEMO_ACCOUNTS) {
    const [u] = await db()
      .insert(users)
      .values({ email: a.email, name: a.name, role: a.role, passwordHash: await hashPassword(a.password) })
      .returning();
    created.push(u);
  }
  const [admin, organizer, customer] = created.map(toActor);

  const { venue: theatre } = orThrow(
    await createVenue(admin, {
      name: "Grand Theatre",
      address: "1 Theatre Square, Brightwater",
      sections: [
        {
          kind: "ASSIGNED",
          name: "Stalls",
          layout: {
            rows: 20,
            seatsPerRow: 30,
            rowLabels: "letters",
            numbering: "ltr",
            aisles: [8, 22],
            curve: 0.3,
            offsetX: 0,
            offsetY: 4,
            wheelchair: ["T:1", "T:2", "T:29", "T:30"],
            companion: ["T:3", "T:28"],
          },
        },
        {
          kind: "ASSIGNED",
          name: "Dress Circle",
          layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [15], curve: 0.5, offsetX: 0, offsetY: 27 },
        },
        {
          kind: "ASSIGNED",
          name: "Upper Circle",
          layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0.6, offsetX: 0, offsetY: 40 },
        },
      ],
    }),
  );
  const { venue: stadium } = orThrow(await createVenue(admin, stadiumVenue()));

  const now = new Date();
  const prices = (venue: { id: string }, minor: number[]) =>
    createVenueSections(venue.id).then((ids) => ids.map((id, i) => ({ venueSectionId: id, priceMinor: minor[i % minor.length] })));

  const base = { description: "", holdMinutes: 10, maxPerOrder: 10, currency: "EUR", publish: true };
  const list: EventInput[] = [
    {
      ...base,
      title: "Hamlet — opening night",
      description: "Shakespeare's tragedy in a new staging. Running time 3 hours with one interval.",
      venueId: theatre.id,
      sections: await prices(theatre, [6500, 4500, 2500]),
      startsAt: addDays(now, 30),
      endsAt: addHours(addDays(now, 30), 3),
      saleStartsAt: subDays(now, 1),
      saleEndsAt: addDays(now, 30),
    },
    {
      ...base,
      title: "Stadium Summer Concert",
      description: "Twenty thousand seats and a standing pitch. The biggest night of the year.",
      venueId: stadium.id,
      sections: await prices(stadium, [8900, 7900, 7900, 6900, 5500]),
      startsAt: addDays(now, 60),
      endsAt: addHours(addDays(now, 60), 4),
      saleStartsAt: subDays(now, 2),
      saleEndsAt: addDays(now, 60),
      maxPerOrder: 8,
    },
    {
      ...base,
      title: "Riverside Open-Air Festival",
      description: "General admission, first come first served on the lawn.",
      venue: { name: "Riverside Park", address: "Embankment Road, Brightwater" },
      sections: [{ kind: "GA", name: "Lawn", capacity: 2000, priceMinor: 3500 }],
      startsAt: addDays(now, 20),
      endsAt: addHours(addDays(now, 20), 8),
      saleStartsAt: subDays(now, 3),
      saleEndsAt: addDays(now, 20),
    },
    {
      ...base,
      title: "Community Open Day",
      description: "A free afternoon of music and workshops. Free tickets, still reserved so we know you're coming.",
      venue: { name: "Town Hall", address: "Market Street 3, Brightwater" },
      sections: [{ kind: "GA", name: "Main Hall", capacity: 300, priceMinor: 0 }],
      startsAt: addDays(now, 10),
      endsAt: addHours(addDays(now, 10), 5),
      saleStartsAt: subDays(now, 1),
      saleEndsAt: addDays(now, 10),
    },
    {
      ...base,
      title: "Jazz Quartet — Winter Tour",
      description: "Tickets go on sale next week. Members of the jazz club have the Dress Circle to themselves.",
      venueId: theatre.id,
      // The Dress Circle is hidden: only holders of the MEMBERS access code see and buy it (below).
      sections: (await prices(theatre, [5500, 4000, 3000])).map((s, i) => (i === 1 ? { ...s, hidden: true } : s)),
      startsAt: addDays(now, 45),
      endsAt: addHours(addDays(now, 45), 2),
      saleStartsAt: addDays(now, 7),
      saleEndsAt: addDays(now, 45),
    },
    {
      ...base,
      title: "Chamber Recital (sold out)",
      description: "An intimate evening of chamber music.",
      venue: { name: "The Little Room", address: "Back Lane 9, Brightwater" },
      sections: [
        {
          kind: "ASSIGNED",
          name: "Salon",
          layout: { rows: 2, seatsPerRow: 6, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0, offsetX: 0, offsetY: 0 },
          priceMinor: 2000,
        },
      ],
      startsAt: addDays(now, 5),
      endsAt: addHours(addDays(now, 5), 2),
      saleStartsAt: subDays(now, 10),
      saleEndsAt: addDays(now, 5),
    },
    {
      ...base,
      title: "Spring Gala (past)",
      description: "Last season's gala.",
      venueId: theatre.id,
      sections: await prices(theatre, [5000, 4000, 3000]),
      startsAt: subDays(now, 60),
      endsAt: addHours(subDays(now, 60), 3),
      saleStartsAt: subDays(now, 120),
      saleEndsAt: subDays(now, 60),
    },
    {
      ...base,
      title: "Magic Show (cancelled)",
      description: "Cancelled by the organizer. All tickets were refunded.",
      venue: { name: "Town Hall", address: "Market Street 3, Brightwater" },
      sections: [{ kind: "GA", name: "Main Hall", capacity: 200, priceMinor: 1500 }],
      startsAt: addDays(now, 15),
      endsAt: addHours(addDays(now, 15), 2),
      saleStartsAt: subDays(now, 5),
      saleEndsAt: addDays(now, 15),
    },
  ];
  const made: Event[] = [];
  for (const input of list) made.push(orThrow(await createEvent(organizer, input)).event);
  // Real bookings made through the product's own hold and checkout code (the mock provider's
  // success card), so the demo data obeys every invariant: the chamber recital sells out and the
  // demo customer has tickets to show.
  const byTitle = (prefix: string) => made.find((e) => e.title.startsWith(prefix))!;
  const recital = byTitle("Chamber Recital");
  const recitalSeats = await db().execute<{ id: number }>(sql`select id from inventory where event_id = ${recital.id} order by seq`);
  const fans = [];
  for (let i = 0; i < 3; i++) {
    const [u] = await db()
      .insert(users)
      .values({ email: `fan${i + 1}@tessera.test`, name: `Demo Fan ${i + 1}`, role: "CUSTOMER", passwordHash: await hashPassword(`fan-pass-${i + 1}`) })
      .returning();
    fans.push(toActor(u));
  }
  const ids = recitalSeats.map((r) => Number(r.id));
  for (const [i, fan] of fans.entries()) await buy(fan, recital.id, { seatIds: ids.slice(i * 4, i * 4 + 4) });
  const hamlet = byTitle("Hamlet");
  // Ticket types for the opening night (docs/box-office.md): Adult at each section's price, Child
  // at exactly half, Concession (at most 50, ID required) at 70 %, to the cent (€65 → €32.50).
  const hamletSections = await db().execute<{ id: string; price_minor: number }>(
    sql`select id, price_minor from event_sections where event_id = ${hamlet.id} order by sort_order`,
  );
  const priced = (share: number) => hamletSections.map((s) => ({ sectionId: s.id, priceMinor: Math.round(s.price_minor * share) }));
  for (const type of [
    { name: "Adult", sortOrder: 0, prices: priced(1) },
    { name: "Child", note: "Under 14", sortOrder: 1, prices: priced(0.5) },
    { name: "Concession", note: "ID required: students, seniors, jobseekers", sortOrder: 2, limit: 50, prices: priced(0.7) },
  ]) {
    const made = await createTicketType(organizer, hamlet.id, type);
    if (!made.ok) throw new Error(`seed: ticket type failed: ${made.message}`);
  }
  // A discount code for the opening night (docs/promo-codes.md): 20 % off, 100 uses, 2 per customer.
  const promo = await createPromoCode(organizer, hamlet.id, { code: "OPENING20", kind: "PERCENT", amount: 20, maxUses: 100, maxUsesPerCustomer: 2 });
  if (!promo.ok) throw new Error(`seed: promo code failed: ${promo.message}`);
  // The Jazz Quartet's presale: customers who enter JAZZFANS may buy before the public sale.
  const jazz = byTitle("Jazz Quartet");
  const access = await createPromoCode(organizer, jazz.id, { code: "JAZZFANS", kind: "ACCESS" });
  if (!access.ok) throw new Error(`seed: access code failed: ${access.message}`);
  // MEMBERS names the hidden Dress Circle: it unlocks the presale and shows that section too.
  const [circle] = await db().execute<{ id: string }>(sql`select id from event_sections where event_id = ${jazz.id} and name = 'Dress Circle'`);
  const members = await createPromoCode(organizer, jazz.id, { code: "MEMBERS", kind: "ACCESS", sectionIds: [circle.id] });
  if (!members.ok) throw new Error(`seed: access code failed: ${members.message}`);
  const stalls = await db().execute<{ id: number }>(sql`select id from inventory where event_id = ${hamlet.id} order by seq limit 2 offset 70`);
  await buy(customer, hamlet.id, { seatIds: stalls.map((r) => Number(r.id)) });
  // House seats for the opening night: row A, seats 14–17 kept off sale.
  const house = await db().execute<{ id: number }>(sql`select id from inventory where event_id = ${hamlet.id} order by seq limit 4 offset 13`);
  const blocked = await blockPlaces(organizer, hamlet.id, { seatIds: house.map((r) => Number(r.id)), reason: "House" });
  if (!blocked.ok) throw new Error(`seed: blocking house seats failed: ${blocked.message}`);
  const openDay = byTitle("Community Open Day");
  const [hall] = await db().execute<{ id: string }>(sql`select id from event_sections where event_id = ${openDay.id}`);
  await buy(customer, openDay.id, { sectionId: hall.id, quantity: 2 });

  const cancelled = await cancelEvent(organizer, byTitle("Magic Show").id);
  if (!cancelled.ok) throw new Error(`seed: cancel failed: ${cancelled.message}`);
  await refreshEventStatuses(db());
  log(`seed: ${created.length + fans.length} users, 2 venues, ${made.length} events, 5 bookings`);
}

async function buy(actor: Actor, eventId: string, req: { seatIds: number[] } | { sectionId: string; quantity: number }) {
  const held = await holdSeats(actor, eventId, req);
  if (!held.ok) throw new Error(`seed: hold failed: ${held.message}`);
  const free = held.reservation.amountMinor === 0;
  const payment = free
    ? ({ method: "free" } as const)
    : ({ method: "mock", card: { number: "4242424242424242", expMonth: 12, expYear: 2035, cvc: "123" } } as const);
  const paid = await confirmCheckout(actor, { reservationId: held.reservation.id, payment }, crypto.randomUUID());
  if (!paid.ok) throw new Error(`seed: checkout failed: ${paid.message}`);
}

async function createVenueSections(venueId: string): Promise<string[]> {
  const rows = await db().execute<{ id: string }>(sql`select id from venue_sections where venue_id = ${venueId} order by sort_order`);
  return rows.map((r) => r.id);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  seed()
    .then(() => closeDb())
    .catch(async (err) => {
      console.error(err);
      await closeDb();
      process.exit(1);
    });
}
