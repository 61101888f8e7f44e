import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { holdSeats, releaseReservation } from "@/lib/holds";
import { joinWaitlist } from "@/lib/waitlist/join";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { getMyWaitlistEntry } from "@/lib/waitlist/read";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { buy, hold } from "@/tests/helpers/purchase";

// Waiting-list offers and the per-customer limit (events.max_per_customer): an offer counts the
// customer's places under the same lock and with the same function as a hold
// (lib/waitlist/offer.ts, lib/holds/customer-limit.ts). It holds only as many places as they may
// still have; someone with none left is passed over and keeps their place in line. In-process
// against real PostgreSQL and Redis; the race fires a hold of the customer and the offerer at once.

const LIMIT = 2;
const customer = async () => toActor(await createUser("CUSTOMER"));

/** Places of the event the customer holds (open, unexpired) or bought. */
async function placesOf(eventId: string, userId: string): Promise<number> {
  const [row] = await db().execute<{ n: number }>(sql`
    SELECT (SELECT coalesce(sum(quantity), 0) FROM reservations WHERE event_id = ${eventId} AND user_id = ${userId}
              AND (status = 'PAYMENT' OR (status = 'ACTIVE' AND expires_at > now())))::int
         + (SELECT count(*) FROM tickets t JOIN bookings b ON b.id = t.booking_id
              WHERE b.event_id = ${eventId} AND b.user_id = ${userId} AND t.status <> 'VOID')::int AS n`);
  return row.n;
}

/**
 * An event with at most 2 places per customer and `capacity` seats: `a` buys `bought` of them,
 * someone else holds the rest (sold out; the limit is set after that), `a` then `b` join the list for 2 each, and the other
 * customer gives their hold back: the rest are free for the offer.
 */
async function lineAtLimit(capacity: number, bought: number) {
  const { event, places } = await createTestEvent({ sections: [seats(1, capacity)] });
  const [a, b] = [await customer(), await customer()];
  await buy(a, event.id, { seatIds: places.slice(0, bought).map((p) => p.id) });
  const other = await customer();
  const held = await hold(other, event.id, { seatIds: places.slice(bought).map((p) => p.id) });
  // The limit comes in now, after the other customer took more than it allows.
  await db().execute(sql`UPDATE events SET max_per_customer = ${LIMIT} WHERE id = ${event.id}`);
  expect((await joinWaitlist(a, event.id, { quantity: 2 })).ok).toBe(true);
  expect((await joinWaitlist(b, event.id, { quantity: 2 })).ok).toBe(true);
  expect(await releaseReservation(other, event.id, held.id)).toEqual({ ok: true });
  return { event, places, a, b };
}

async function offerOf(who: Actor, eventId: string) {
  return (await getMyWaitlistEntry(who, eventId))!;
}

describe("waiting-list offers within the per-customer limit", () => {
  it("offers only as many places as the customer may still have, and says so", async () => {
    const { event, a, b } = await lineAtLimit(4, 1); // a has 1 of 2: one more at most
    expect(await offerWaitingLists({ eventId: event.id })).toMatchObject({ offered: 2 });
    const ea = await offerOf(a, event.id);
    expect(ea).toMatchObject({ status: "OFFERED", quantity: 2, offer: { quantity: 1 } });
    expect(await offerOf(b, event.id)).toMatchObject({ status: "OFFERED", offer: { quantity: 2 } });
    expect(await placesOf(event.id, a.id)).toBe(LIMIT);
    const [mail] = await db().execute<{ payload: { quantity: number } }>(
      sql`SELECT payload FROM email_outbox WHERE kind = 'waitlist_offer' AND payload->>'reservationId' = ${ea.offer!.reservationId}`,
    );
    expect(mail.payload.quantity).toBe(1);
    await expectIntegrity(event.id);
  });

  it("passes over a customer at their limit: they keep their place in line and hold nobody back", async () => {
    const { event, a, b } = await lineAtLimit(4, 2); // a has 2 of 2
    expect(await offerWaitingLists({ eventId: event.id })).toMatchObject({ offered: 1 });
    expect(await offerOf(a, event.id)).toMatchObject({ status: "WAITING", position: 1, offer: null });
    expect(await offerOf(b, event.id)).toMatchObject({ status: "OFFERED", offer: { quantity: 2 } });
    expect(await placesOf(event.id, a.id)).toBe(LIMIT);
    await expectIntegrity(event.id);
  });

  it("a customer's hold racing the offer: never past the limit, whichever comes first", async () => {
    const rounds = 10;
    const outcomes: string[] = [];
    for (let i = 0; i < rounds; i++) {
      // a has 1 of 2; seats 2–4 are free. a holds seat 4 while the offerer offers a 1 and b 2.
      const { event, places, a, b } = await lineAtLimit(4, 1);
      // Stagger the starts by -4…4 ms (negative: the hold starts later) so that the two meet at
      // different steps; in some rounds the hold wins, in others the offer.
      const delay = (i % 5) * 2 - 4;
      const after = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
      const [report, held] = await Promise.all([
        after(delay).then(() => offerWaitingLists({ eventId: event.id })),
        after(-delay).then(() => holdSeats(a, event.id, { seatIds: [places[3].id] })),
      ]);
      const ea = await offerOf(a, event.id);
      expect(await placesOf(event.id, a.id), `round ${i}: ${JSON.stringify({ report, held: held.ok || held.code, ea })}`).toBe(LIMIT);
      if (held.ok) {
        // The hold came first: a reached the limit and was passed over; b got the places.
        expect(ea).toMatchObject({ status: "WAITING", offer: null });
        expect(await offerOf(b, event.id)).toMatchObject({ status: "OFFERED", offer: { quantity: 2 } });
        outcomes.push("hold first");
      } else {
        // The offer came first: a was offered the one place left to them, the hold refused.
        expect(ea).toMatchObject({ status: "OFFERED", offer: { quantity: 1 } });
        expect(["limit_exceeded", "seat_taken"]).toContain(held.code);
        outcomes.push(`offer first (${held.code})`);
      }
      await expectIntegrity(event.id);
    }
    console.log(`RACE waitlist-customer-limit: ${JSON.stringify(outcomes)}`);
  }, 120_000);
});
