import { addDays, addHours, subDays } from "date-fns";
import { eq, sql } from "drizzle-orm";
import { closeDb, db } from "@/db";
import { events, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { toActor } from "@/lib/auth/users";
import { createEvent } from "@/lib/events/create";
import { refreshEventStatuses } from "@/lib/events/lifecycle";
import type { EventInput } from "@/lib/events/schemas";
import { createVenue } from "@/lib/venues/venues";

// Demo data for `npm run dev` on an empty database. The accounts are documented in the README.
export const DEMO_ACCOUNTS = [
  { email: "admin@tessera.test", password: "admin-pass-1", name: "Ada Admin", role: "ADMIN" as const },
  { email: "organizer@tessera.test", password: "organizer-pass-1", name: "Olly Organizer", role: "ORGANIZER" as const },
  { email: "customer@tessera.test", password: "customer-pass-1", name: "Cleo Customer", role: "CUSTOMER" as const },
];

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
  const [admin, organizer] = created.map(toActor);

  const theatre = await createVenue(admin, {
    name: "Grand Theatre",
    address: "1 Theatre Square, Brightwater",
    sections: [
      { kind: "ASSIGNED", name: "Stalls", layout: { rows: 20, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [8, 22], curve: 0.3, offsetX: 0, offsetY: 4 } },
      { kind: "ASSIGNED", name: "Dress Circle", layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [15], curve: 0.5, offsetX: 0, offsetY: 27 } },
      { kind: "ASSIGNED", name: "Upper Circle", layout: { rows: 10, seatsPerRow: 30, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0.6, offsetX: 0, offsetY: 40 } },
    ],
  });
  const stand = (name: string, offsetX: number, offsetY: number) => ({
    kind: "ASSIGNED" as const,
    name,
    layout: { rows: 25, seatsPerRow: 200, rowLabels: "numbers" as const, numbering: "ltr" as const, aisles: [50, 100, 150], curve: 0, offsetX, offsetY },
  });
  const stadium = await createVenue(admin, {
    name: "Riverside Stadium",
    address: "Stadium Way, Brightwater",
    sections: [
      stand("North Stand", 0, 0),
      stand("East Stand", 0, 30),
      stand("South Stand", 0, 60),
      stand("West Stand", 0, 90),
      { kind: "GA", name: "Pitch (standing)", capacity: 5000 },
    ],
  });

  const now = new Date();
  const prices = (venue: Awaited<ReturnType<typeof createVenue>>, minor: number[]) =>
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
      venue: { name: "Riverside Park", address: "Riverside Park, Brightwater" },
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
      description: "Tickets go on sale next week.",
      venueId: theatre.id,
      sections: await prices(theatre, [5500, 4000, 3000]),
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
      sections: [{ kind: "ASSIGNED", name: "Salon", layout: { rows: 2, seatsPerRow: 6, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0, offsetX: 0, offsetY: 0 }, priceMinor: 2000 }],
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
  const made = [];
  for (const input of list) made.push(await createEvent(organizer, input));
  const cancelled = made.find((e) => e.title.startsWith("Magic Show"))!;
  await db().update(events).set({ status: "CANCELLED" }).where(eq(events.id, cancelled.id));
  await refreshEventStatuses(db());
  log(`seed: ${created.length} users, 2 venues, ${made.length} events`);
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
