import { addDays, addHours, subDays } from "date-fns";
import { sql } from "drizzle-orm";
import { closeDb, db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { createEvent } from "@/lib/events/create";
import { createVenue } from "@/lib/venues/venues";
import { orThrow } from "@/lib/errors";
import { seed, stadiumVenue } from "@/lib/dev/seed";
import { createUser } from "@/tests/helpers/fixtures";

// Run as a script (npx tsx --conditions=react-server, like `npm run db:seed`, because the seed
// goes through server-only lib code); prints the stadium event's id as its last line.
// The e2e database starts empty. The stadium measurement uses the demo seed's "Stadium Summer
// Concert" (lib/dev/seed.ts). seed() only runs on an empty users table, so when another spec has
// already registered someone, the same stadium (same venue layout and prices) is created here
// instead. An advisory lock keeps the two Playwright workers from doing it twice.

const TITLE = "Stadium Summer Concert";
const LOCK = 727_301;

async function findStadium(): Promise<string | null> {
  const rows = await db().execute<{ id: string }>(sql`select id from events where title = ${TITLE} and published_at is not null order by created_at limit 1`);
  return rows[0]?.id ?? null;
}

export async function ensureStadium(): Promise<string> {
  const existing = await findStadium();
  if (existing) return existing;
  return db().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK})`);
    const again = await findStadium();
    if (again) return again;
    const [{ n }] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from users`);
    if (n === 0) {
      await seed({ log: () => {} });
    } else {
      await createLikeSeed();
    }
    const id = await findStadium();
    if (!id) throw new Error("could not create the stadium event");
    return id;
  });
}

async function createLikeSeed() {
  const admin = toActor(await createUser("ADMIN"));
  const organizer = toActor(await createUser("ORGANIZER"));
  const { venue } = orThrow(await createVenue(admin, stadiumVenue()));
  const ids = await db().execute<{ id: string }>(sql`select id from venue_sections where venue_id = ${venue.id} order by sort_order`);
  const prices = [8900, 7900, 7900, 6900, 5500];
  const now = new Date();
  orThrow(
    await createEvent(organizer, {
      title: TITLE,
      description: "Twenty thousand seats and a standing pitch. The biggest night of the year.",
      venueId: venue.id,
      sections: ids.map((r, i) => ({ venueSectionId: r.id, priceMinor: prices[i] })),
      startsAt: addDays(now, 60),
      endsAt: addHours(addDays(now, 60), 4),
      saleStartsAt: subDays(now, 2),
      saleEndsAt: addDays(now, 60),
      holdMinutes: 10,
      maxPerOrder: 8,
      currency: "EUR",
      publish: true,
    }),
  );
}

ensureStadium()
  .then(async (id) => {
    await closeDb();
    console.log(id);
  })
  .catch(async (err) => {
    console.error(err);
    await closeDb();
    process.exit(1);
  });
