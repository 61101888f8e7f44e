import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { blockPlaces, unblockPlaces } from "@/lib/blocking/block";
import { confirmCheckout } from "@/lib/checkout";
import { releaseExpiredHolds } from "@/lib/cron/release-expired";
import { holdSeats, releaseReservation } from "@/lib/holds";
import { joinWaitlist, leaveWaitlist } from "@/lib/waitlist/join";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { renderMail } from "@/lib/mail/templates";
import { getMyWaitlistEntry, listWaitlist } from "@/lib/waitlist/read";
import { createTestEvent, createUser, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

// The waiting list of a sold-out event, in-process against real PostgreSQL and Redis: joining,
// offers in list order as places come back, lapsed offers passed on, and racing offerers.

const customer = async () => toActor(await createUser("CUSTOMER"));

type OfferMail = { recipient: string; dedupe_key: string; payload: Record<string, unknown> };

/** The waiting-list offer emails of an event in the outbox, in the order they were written. */
async function offerMails(eventId: string): Promise<OfferMail[]> {
  return [
    ...(await db().execute<OfferMail>(sql`
      SELECT recipient, dedupe_key, payload FROM email_outbox WHERE kind = 'waitlist_offer' AND payload->>'eventId' = ${eventId} ORDER BY id`)),
  ];
}

/** Ends a reservation's hold now, as time would (database clock). */
async function runOut(reservationId: string) {
  await db().execute(sql`UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = ${reservationId}`);
  await db().execute(sql`UPDATE inventory SET hold_expires_at = now() - interval '1 second' WHERE reservation_id = ${reservationId} AND status = 'HELD'`);
}

async function soldOutEvent(capacity = 4) {
  const made = await createTestEvent({ sections: [seats(1, capacity)] });
  const buyer = await customer();
  const r = await hold(buyer, made.event.id, { seatIds: made.places.map((p) => p.id) });
  return { ...made, buyer, reservation: r };
}

describe("joining a waiting list", () => {
  it("is refused while places are on sale, then open once sold out, in order of joining, once per customer", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 2)] });
    const [a, b] = [await customer(), await customer()];
    expect(await joinWaitlist(a, event.id, { quantity: 1 })).toMatchObject({ ok: false, code: "conflict", available: 2 });
    await hold(await customer(), event.id, { seatIds: places.map((p) => p.id) });
    const ja = await joinWaitlist(a, event.id, { quantity: 2 });
    expect(ja).toMatchObject({ ok: true, joined: true, entry: { status: "WAITING", position: 1, quantity: 2 } });
    expect(await joinWaitlist(b, event.id, { quantity: 1 })).toMatchObject({ ok: true, entry: { position: 2 } });
    expect(await joinWaitlist(a, event.id, { quantity: 1 })).toMatchObject({ ok: true, joined: false, entry: { position: 1, quantity: 2 } });
    expect(await joinWaitlist(b, event.id, { quantity: 11 })).toMatchObject({ ok: false, code: "limit_exceeded" });
    expect(await leaveWaitlist(a, event.id)).toEqual({ ok: true, left: true });
    expect(await getMyWaitlistEntry(b, event.id)).toMatchObject({ status: "WAITING", position: 1 });
    expect(await getMyWaitlistEntry(a, event.id)).toMatchObject({ status: "LEFT", position: null });
  });
});

describe("offers as places come back", () => {
  it("offers returned places in list order by holding them for the person offered; paying claims the offer", async () => {
    const { event, places, reservation } = await soldOutEvent(4);
    const [a, b, c] = [await customer(), await customer(), await customer()];
    await joinWaitlist(a, event.id, { quantity: 3 });
    await joinWaitlist(b, event.id, { quantity: 1 });
    await joinWaitlist(c, event.id, { quantity: 1 });
    expect(await offerWaitingLists({ eventId: event.id })).toMatchObject({ offered: 0 });

    await runOut(reservation.id);
    await releaseExpiredHolds();
    const report = await offerWaitingLists({ eventId: event.id });
    expect(report).toMatchObject({ offered: 2 }); // a gets 3, b gets 1, c waits
    const ea = (await getMyWaitlistEntry(a, event.id))!;
    expect(ea).toMatchObject({ status: "OFFERED", offer: { reservationId: expect.any(String) } });
    expect(await getMyWaitlistEntry(c, event.id)).toMatchObject({ status: "WAITING", position: 1 });
    const [held] = await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM inventory WHERE reservation_id = ${ea.offer!.reservationId} AND status = 'HELD'`,
    );
    expect(held.n).toBe(3);
    // Nobody else can take them meanwhile.
    expect(await holdSeats(await customer(), event.id, { seatIds: [places[0].id] })).toMatchObject({ ok: false, code: "seat_taken" });

    // a pays for the offer like any hold.
    const paid = await confirmCheckout(a, { reservationId: ea.offer!.reservationId, payment: pay() }, newKey());
    expect(paid.ok).toBe(true);
    await offerWaitingLists({ eventId: event.id });
    expect(await getMyWaitlistEntry(a, event.id)).toMatchObject({ status: "CLAIMED" });
    const staff = (await listWaitlist(toActor((await db().query.users.findFirst({ where: (u, { eq }) => eq(u.id, event.organizerId) }))!), event.id))!;
    // Live entries first, in line order (b's offer, then c), then the settled ones.
    expect(staff.map((s) => s.status)).toEqual(["OFFERED", "WAITING", "CLAIMED"]);
    await expectIntegrity(event.id);
  });

  it("writes one email per offer, with the claim link and the deadline, in HTML and text", async () => {
    const { event, reservation } = await soldOutEvent(2);
    const a = await customer();
    await joinWaitlist(a, event.id, { quantity: 2 });
    await runOut(reservation.id);
    expect(await offerWaitingLists({ eventId: event.id })).toMatchObject({ offered: 1 });
    const offer = (await getMyWaitlistEntry(a, event.id))!.offer!;
    const mails = await offerMails(event.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: a.email, payload: { reservationId: offer.reservationId, expiresAt: offer.expiresAt, quantity: 2 } });
    // Another pass (the cron tick, a refund, released house seats) writes nothing more.
    await offerWaitingLists({ eventId: event.id });
    expect(await offerMails(event.id)).toHaveLength(1);

    const m = await renderMail("waitlist_offer", mails[0].payload, {});
    const link = `/checkout/${offer.reservationId}`;
    expect(m.subject).toContain(event.title);
    expect(m.text).toContain(link);
    expect(m.html).toContain(link);
    const deadline = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(new Date(offer.expiresAt));
    expect(m.text).toContain(`Pay before`);
    expect(m.text).toContain(`${deadline} UTC`);
    expect(m.html).toContain(`${deadline} UTC`);
    expect(m.text).toMatch(/2 places/);
  });

  it("an offer that runs out, or is released, goes to the next in line", async () => {
    const { event, reservation } = await soldOutEvent(1);
    const [a, b] = [await customer(), await customer()];
    await joinWaitlist(a, event.id, { quantity: 1 });
    await joinWaitlist(b, event.id, { quantity: 1 });
    await runOut(reservation.id);
    await offerWaitingLists({ eventId: event.id });
    const offerA = (await getMyWaitlistEntry(a, event.id))!.offer!;
    expect(offerA).toBeTruthy();
    await runOut(offerA.reservationId); // a never paid
    const r = await offerWaitingLists({ eventId: event.id });
    expect(r).toMatchObject({ lapsed: 1, offered: 1 });
    expect(await getMyWaitlistEntry(a, event.id)).toMatchObject({ status: "LAPSED" });
    const offerB = (await getMyWaitlistEntry(b, event.id))!.offer!;
    expect(offerB).toBeTruthy();
    expect(await releaseReservation(b, event.id, offerB.reservationId)).toEqual({ ok: true });
    expect(await offerWaitingLists({ eventId: event.id })).toMatchObject({ lapsed: 1, offered: 0 });
    await expectIntegrity(event.id);
  });

  it("keeps list order per section: someone waiting for more places holds back those behind them for that section only", async () => {
    const { event, sections } = await createTestEvent({ sections: [ga(3, 1000, "Floor"), ga(2, 1000, "Balcony")] });
    const [floor, balcony] = sections.map((s) => s.id);
    const buyer = await customer();
    const hf = await hold(buyer, event.id, { sectionId: floor, quantity: 3 });
    const other = await customer();
    const hb = await hold(other, event.id, { sectionId: balcony, quantity: 2 });
    const [a, b, c] = [await customer(), await customer(), await customer()];
    await joinWaitlist(a, event.id, { quantity: 3, sectionId: floor });
    await joinWaitlist(b, event.id, { quantity: 1, sectionId: floor });
    await joinWaitlist(c, event.id, { quantity: 1, sectionId: balcony });
    await runOut(hb.id);
    await runOut(hf.id);
    await releaseExpiredHolds();
    // Only 1 Floor place comes back before the rest: simulate by keeping 2 of them blocked.
    const staff = toActor((await db().query.users.findFirst({ where: (u, { eq }) => eq(u.id, event.organizerId) }))!);
    await blockPlaces(staff, event.id, { sectionId: floor, quantity: 2, reason: "House" });
    await offerWaitingLists({ eventId: event.id });
    expect(await getMyWaitlistEntry(a, event.id)).toMatchObject({ status: "WAITING" }); // wants 3, 1 is free
    expect(await getMyWaitlistEntry(b, event.id)).toMatchObject({ status: "WAITING" }); // behind a for Floor
    expect(await getMyWaitlistEntry(c, event.id)).toMatchObject({ status: "OFFERED" }); // Balcony is another line
    // Giving the house places back offers them at once: a gets all 3.
    expect(await unblockPlaces(staff, event.id, { sectionId: floor, quantity: 2 })).toMatchObject({ ok: true, released: 2 });
    expect(await getMyWaitlistEntry(a, event.id)).toMatchObject({ status: "OFFERED" });
    expect(await getMyWaitlistEntry(b, event.id)).toMatchObject({ status: "WAITING", position: 1 });
    await expectIntegrity(event.id);
  });
});

describe("racing offerers", () => {
  it("six offerers and a crowd of customers at once: every place goes to one reservation, every entry is offered (and emailed) at most once, in order", async () => {
    const { event, places, reservation } = await soldOutEvent(10);
    const line = (await createUsers(8)).map(toActor);
    for (const u of line) expect((await joinWaitlist(u, event.id, { quantity: 2 })).ok).toBe(true);
    await runOut(reservation.id);
    const crowd = (await createUsers(10)).map(toActor);
    const [reports, holds] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => offerWaitingLists({ eventId: event.id }))),
      Promise.all(crowd.map((c, i) => holdSeats(c, event.id, { seatIds: [places[9 - (i % 5)].id] }))),
    ]);
    const publicWins = holds.filter((h) => h.ok).length;
    // Offerers that found another one at work skipped the event; one more pass offers what is left.
    const last = await offerWaitingLists({ eventId: event.id });
    const offered = [...reports, last].reduce((n, r) => n + r.offered, 0);
    console.log(`RACE waitlist-offers: ${offered} offers, ${publicWins} places taken by the crowd, reports ${JSON.stringify(reports)}`);
    const entries = await db().execute<{ status: string; reservation_id: string | null; held: number }>(sql`
      SELECT w.status, w.reservation_id, (SELECT count(*)::int FROM inventory i WHERE i.reservation_id = w.reservation_id AND i.status = 'HELD') AS held
      FROM waitlist_entries w WHERE w.event_id = ${event.id} ORDER BY w.position`);
    // In order: the offered ones are exactly the first `offered` of the line, each holding its 2 places.
    expect(entries.map((e) => e.status)).toEqual([...Array(offered).fill("OFFERED"), ...Array(8 - offered).fill("WAITING")]);
    for (const e of entries.filter((x) => x.status === "OFFERED")) expect(e.held).toBe(2);
    expect(new Set(entries.filter((x) => x.reservation_id).map((x) => x.reservation_id)).size).toBe(offered);
    // Every place went to one reservation; nobody left waiting while 2 places were free.
    const [counts] = await db().execute<{ held: number; free: number }>(sql`
      SELECT count(*) FILTER (WHERE status = 'HELD' AND hold_expires_at > now())::int AS held,
        count(*) FILTER (WHERE status = 'AVAILABLE' OR (status = 'HELD' AND hold_expires_at <= now()))::int AS free
      FROM inventory WHERE event_id = ${event.id}`);
    expect(counts.held).toBe(offered * 2 + publicWins);
    if (offered < 8) expect(counts.free).toBeLessThan(2);
    expect(offered).toBeGreaterThan(0);
    // One email per offer, written with it: as many messages as offers, one per entry, each
    // naming the reservation that entry holds.
    const mails = await offerMails(event.id);
    expect(mails).toHaveLength(offered);
    const holding = new Map(
      (
        await db().execute<{ id: string; reservation_id: string }>(
          sql`SELECT id, reservation_id FROM waitlist_entries WHERE event_id = ${event.id} AND status = 'OFFERED'`,
        )
      ).map((e) => [e.id, e.reservation_id]),
    );
    for (const m of mails) expect(m.payload.reservationId).toBe(holding.get(String(m.payload.entryId)));
    expect(new Set(mails.map((m) => m.dedupe_key)).size).toBe(offered);
    await expectIntegrity(event.id);
  });
});
