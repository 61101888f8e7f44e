import crypto from "node:crypto";
import { addDays, addHours, subDays } from "date-fns";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { issueApiToken } from "@/lib/auth/tokens";
import { toActor } from "@/lib/auth/users";
import { createEvent } from "@/lib/events/create";
import { orThrow } from "@/lib/errors";
import type { CustomSectionInput } from "@/lib/events/schemas";
import { runIntegrityChecks, sectionCounts } from "@/lib/integrity/checks";

// Bench data: customers with bearer tokens, and events made through the same lib/ code as the
// product (so the inventory rows are exactly what production would have).

export type Customer = { id: string; token: string };

let passwordHash: string | undefined;

export async function createCustomers(n: number, opts: { tokens?: boolean } = {}): Promise<Customer[]> {
  passwordHash ??= await hashPassword("bench-pass-1");
  // In chunks: one insert carries at most 65,535 parameters (S10's full ramp wants ~40,000 customers).
  const rows: (typeof users.$inferSelect)[] = [];
  for (let from = 0; from < n; from += 5_000) {
    const count = Math.min(5_000, n - from);
    const values = Array.from({ length: count }, (_, k) => ({
      email: `bench-${crypto.randomUUID()}-${from + k}@example.test`,
      name: `Bench ${from + k}`,
      passwordHash: passwordHash!,
    }));
    rows.push(...(await db().insert(users).values(values).returning()));
  }
  if (opts.tokens === false) return rows.map((u) => ({ id: u.id, token: "" }));
  return Promise.all(rows.map(async (u) => ({ id: u.id, token: (await issueApiToken(u)).token })));
}

async function organizerActor() {
  const [u] = await db()
    .insert(users)
    .values({
      email: `bench-org-${crypto.randomUUID()}@example.test`,
      name: "Bench organizer",
      role: "ORGANIZER",
      passwordHash: passwordHash ?? (await hashPassword("bench-pass-1")),
    })
    .returning();
  return toActor(u);
}

export async function createBenchEvent(title: string, section: CustomSectionInput, maxPerOrder = 10) {
  const now = new Date();
  const { event } = orThrow(
    await createEvent(await organizerActor(), {
      title,
      description: "bench",
      venue: { name: "Bench Arena", address: "" },
      sections: [section],
      startsAt: addDays(now, 30),
      endsAt: addHours(addDays(now, 30), 3),
      saleStartsAt: subDays(now, 1),
      saleEndsAt: addDays(now, 30),
      holdMinutes: 10,
      maxPerOrder,
      currency: "EUR",
      publish: true,
    }),
  );
  const [s] = await db().execute<{ id: string }>(sql`select id from event_sections where event_id = ${event.id}`);
  return { eventId: event.id, sectionId: s.id, capacity: event.capacity };
}

/** An assigned block with an even number of seats per row, so seat pairs never span rows. */
export function seatBlock(totalSeats: number, priceMinor = 5000): CustomSectionInput {
  const seatsPerRow = 100;
  return {
    kind: "ASSIGNED",
    name: "Block",
    priceMinor,
    layout: { rows: Math.ceil(totalSeats / seatsPerRow), seatsPerRow, rowLabels: "numbers", numbering: "ltr", aisles: [], curve: 0, offsetX: 0, offsetY: 0 },
  };
}

export function gaSection(capacity: number, priceMinor = 3000): CustomSectionInput {
  return { kind: "GA", name: "Floor", capacity, priceMinor };
}

export type InvariantReport = {
  ok: boolean;
  violations: Record<string, number>;
  counts: { capacity: number; available: number; held: number; sold: number };
  charges: number;
  refunds: number;
  bookings: number;
  sweptCheckouts?: number; // left between steps by a timed-out provider call and finished by the sweep first
};

/**
 * Checkouts of the event still between steps (on a slow machine a provider call may pass its
 * timeout, leaving the checkout to the sweep): run the sweep, as the cron tick does every minute
 * in production, until none is left, so the invariants are read after the saga's safety net.
 */
async function settleCheckouts(eventId: string): Promise<number> {
  const { sweepStuckCheckouts } = await import("@/lib/checkout");
  const open = async () =>
    (
      await db().execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM checkouts WHERE event_id = ${eventId} AND state IN ('STARTED', 'CHARGED')`)
    )[0].n;
  let swept = 0;
  const deadline = Date.now() + 120_000;
  for (let n = await open(); n > 0 && Date.now() < deadline; n = await open()) {
    await new Promise((r) => setTimeout(r, 1_000));
    swept += (await sweepStuckCheckouts({ limit: 500 })).examined;
  }
  return swept;
}

/** I1, I2, I7 (docs/invariants.md) and the money checks for one event, straight from the database. */
export async function checkInvariants(eventId: string): Promise<InvariantReport> {
  const swept = await settleCheckouts(eventId);
  const checks = await runIntegrityChecks(db(), eventId);
  const counts = (await sectionCounts(db(), eventId)).reduce(
    (a, s) => ({ capacity: a.capacity + s.capacity, available: a.available + s.available, held: a.held + s.held, sold: a.sold + s.sold }),
    { capacity: 0, available: 0, held: 0, sold: 0 },
  );
  const [money] = await db().execute<{ charges: number; refunds: number; bookings: number }>(sql`
    select
      (select count(*)::int from payments p join checkouts c on c.id = p.checkout_id where c.event_id = ${eventId} and p.kind = 'CHARGE' and p.status = 'SUCCEEDED') as charges,
      (select count(*)::int from payments p join checkouts c on c.id = p.checkout_id where c.event_id = ${eventId} and p.kind = 'REFUND' and p.status = 'SUCCEEDED') as refunds,
      (select count(*)::int from bookings b where b.event_id = ${eventId} and b.status = 'CONFIRMED') as bookings`);
  const violations = Object.fromEntries(checks.filter((c) => c.violations > 0).map((c) => [c.name, c.violations]));
  const blocked = (await sectionCounts(db(), eventId)).reduce((n, s) => n + s.blocked, 0);
  const conserved = counts.available + counts.held + counts.sold + blocked === counts.capacity;
  if (!conserved) violations.conservation = 1;
  return { ok: Object.keys(violations).length === 0, violations, counts, ...money, sweptCheckouts: swept };
}
