import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "@/db/schema";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { getEventDetail, listPublicEvents } from "@/lib/events/queries";
import { holdSeats } from "@/lib/holds";
import { placeHold } from "@/lib/holds/place-hold";
import { getInventoryEncoded, getSeatLayoutEncoded } from "@/lib/inventory";
import { SNAPSHOT_TTL_MS } from "@/lib/inventory/snapshot";
import { layoutView, sectionsToCut, snapshotView } from "@/lib/inventory/visible";
import { unlockWithAccessCode } from "@/lib/promo-codes/access";
import { createPromoCode, deactivatePromoCode } from "@/lib/promo-codes/manage";
import { decodeStates } from "@/lib/seatmap/bitmap";
import type { InventorySnapshot, SeatLayout } from "@/lib/seatmap/types";
import { joinWaitlist } from "@/lib/waitlist/join";
import { offerWaitingLists } from "@/lib/waitlist/offer";
import { ApiClient, signedIn, startApiApp } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import { createTestEvent, createUsers, ga, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { newKey, pay } from "@/tests/helpers/payments";
import { buy } from "@/tests/helpers/purchase";
import { sleep } from "@/tests/helpers/wait";

// Hidden sections (docs/promo-codes.md, "Hidden sections"): a section marked hidden exists only
// for customers holding an access code of the event that names it, and for its organizer and
// admins. Every public read (event detail, seat layout, inventory, price list) and every hold
// (one-statement and step by step, website and REST) is checked without and with the grant.
// Real PostgreSQL, Redis and (for REST) a real `next start`.

async function hiddenEvent(organizer?: User) {
  const made = await createTestEvent({
    organizer,
    sections: [seats(2, 5, 2000, "Stalls"), { ...seats(1, 4, 9000, "Patrons"), hidden: true }, { ...ga(6, 5000, "Lounge"), hidden: true }],
  });
  const staff = toActor(made.organizer);
  const [stalls, patrons, lounge] = made.sections;
  const code = async (code: string, sectionIds: string[] | null) => {
    const r = await createPromoCode(staff, made.event.id, { code, kind: "ACCESS", sectionIds });
    if (!r.ok) throw new Error(`${r.code} ${r.message}`);
    return r.promoCode;
  };
  const hiddenSeats = made.places.filter((p) => p.sectionId === patrons.id).map((p) => p.id);
  return { ...made, staff, stalls, patrons, lounge, code, hiddenSeats };
}

const claims = (u: User) => ({ userId: u.id, sessionVersion: u.sessionVersion, source: "bearer" as const });

async function viewOf(eventId: string, userId: string | null) {
  const layout = (await getSeatLayoutEncoded(eventId))!;
  const snap = (await getInventoryEncoded(eventId))!;
  const cut = await sectionsToCut(eventId, layout.layout, async () => (userId ? { userId } : null));
  return { layout: layoutView(layout, cut).layout, snapshot: snapshotView(snap, layout.layout, cut).snapshot };
}

describe("hidden sections", () => {
  it("do not exist for a customer without the grant: detail, price list, layout, inventory", async () => {
    const { event, stalls, patrons, lounge, code, hiddenSeats, staff } = await hiddenEvent();
    await code("PATRONS", [patrons.id, lounge.id]);
    const [customer] = await createUsers(1);
    for (const viewer of [null, toActor(customer)]) {
      const detail = (await getEventDetail(event.id, viewer))!;
      expect(detail.sections.map((s) => s.name)).toEqual(["Stalls"]);
      expect([detail.minPriceMinor, detail.maxPriceMinor, detail.capacity]).toEqual([2000, 2000, 10]);
      const v = await viewOf(event.id, viewer?.id ?? null);
      expect(v.layout.sections.map((s) => [s.name, s.firstSeq, s.count])).toEqual([["Stalls", 0, 10]]);
      expect(v.layout.ids).toHaveLength(10);
      expect(v.layout.ids.some((id) => hiddenSeats.includes(id))).toBe(false);
      expect(v.snapshot.sections.map((s) => s.id)).toEqual([stalls.id]);
      expect(v.snapshot.seats.count).toBe(10);
      expect(JSON.stringify(v)).not.toContain(patrons.id);
      expect(JSON.stringify(v)).not.toContain("Lounge");
    }
    // Lists: the price range and capacity of the public sections only.
    const listed = (await listPublicEvents({ q: event.title })).items.find((e) => e.id === event.id)!;
    expect([listed.minPriceMinor, listed.maxPriceMinor, listed.capacity]).toEqual([2000, 2000, 10]);
    // The organizer sees every section, marked (event detail and dashboard).
    expect((await getEventDashboard(staff, event.id))!.sections.map((s) => [s.name, s.hidden])).toEqual([
      ["Stalls", false],
      ["Patrons", true],
      ["Lounge", true],
    ]);
    const mine = (await getEventDetail(event.id, staff))!;
    expect(mine.sections.map((s) => [s.name, s.hidden])).toEqual([
      ["Stalls", false],
      ["Patrons", true],
      ["Lounge", true],
    ]);
  });

  it("a customer who entered a code naming them sees them and holds there; a code naming no section unlocks none", async () => {
    const { event, patrons, lounge, code, hiddenSeats } = await hiddenEvent();
    await code("PATRONS", [patrons.id]);
    await code("PLAIN", null);
    const [fan, plain] = await createUsers(2);
    expect(await unlockWithAccessCode(toActor(plain), event.id, "plain")).toMatchObject({ ok: true });
    expect((await getEventDetail(event.id, toActor(plain)))!.sections.map((s) => s.name)).toEqual(["Stalls"]);

    expect(await unlockWithAccessCode(toActor(fan), event.id, "patrons")).toMatchObject({ ok: true });
    const detail = (await getEventDetail(event.id, toActor(fan)))!;
    expect(detail.sections.map((s) => [s.name, s.hidden])).toEqual([
      ["Stalls", false],
      ["Patrons", true],
    ]);
    expect(detail.maxPriceMinor).toBe(9000);
    const v = await viewOf(event.id, fan.id);
    expect(v.layout.sections.map((s) => [s.name, s.firstSeq, s.count, s.hidden ?? false])).toEqual([
      ["Stalls", 0, 10, false],
      ["Patrons", 10, 4, true],
    ]);
    expect(v.layout.ids.slice(10)).toEqual(hiddenSeats);
    expect(v.snapshot.seats.count).toBe(14);

    // The one-statement hold (the REST and website path) takes a hidden seat for the fan.
    const held = await placeHold(claims(fan), event.id, { seatIds: [hiddenSeats[0]] }, null);
    expect(held).toMatchObject({ ok: true, reservation: { amountMinor: 9000 } });
    // Adding to the open reservation takes the step-by-step path: allowed too.
    expect(await holdSeats(toActor(fan), event.id, { seatIds: [hiddenSeats[1]] })).toMatchObject({ ok: true, reservation: { quantity: 2 } });
    // Lounge (GA) is hidden and not named by the code: it does not exist for the fan either.
    expect(await placeHold(claims(fan), event.id, { sectionId: lounge.id, quantity: 1 }, null)).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { sectionId: ["Unknown section"] },
    });
    if (!held.ok) return;
    const paid = await confirmCheckout(toActor(fan), { reservationId: held.reservation.id, payment: pay("success") }, newKey());
    expect(paid).toMatchObject({ ok: true, booking: { amountMinor: 18000 } });
    // Sold seats show in the fan's view, at their place in it (once the 1 s snapshot is renewed).
    await sleep(SNAPSHOT_TTL_MS + 100);
    const after = await viewOf(event.id, fan.id);
    expect(Array.from(decodeStates(after.snapshot.seats.data, after.snapshot.seats.count).slice(10, 12))).toEqual([2, 2]);
    await expectIntegrity(event.id);
  });

  it("a hold on a hidden seat without the grant answers exactly as a seat that does not exist (400, nothing leaked)", async () => {
    const { event, patrons, lounge, code, hiddenSeats, places } = await hiddenEvent();
    await code("PATRONS", [patrons.id, lounge.id]);
    const [customer] = await createUsers(1);
    const guessed = await placeHold(claims(customer), event.id, { seatIds: [places[0].id, hiddenSeats[2]] }, null);
    expect(guessed).toMatchObject({ ok: false, code: "validation_failed", fields: { seatIds: [`Unknown seats: ${hiddenSeats[2]}`] } });
    const madeUp = await placeHold(claims(customer), event.id, { seatIds: [places[0].id, 9_000_000_000] }, null);
    expect(madeUp).toMatchObject({ ok: false, code: "validation_failed", fields: { seatIds: ["Unknown seats: 9000000000"] } });
    expect(guessed.ok === false && guessed.message).toBe(madeUp.ok === false && madeUp.message);
    // The step-by-step path (adding to an open reservation) refuses the same way.
    expect(await holdSeats(toActor(customer), event.id, { seatIds: [places[1].id] })).toMatchObject({ ok: true });
    expect(await holdSeats(toActor(customer), event.id, { seatIds: [hiddenSeats[0]] })).toMatchObject({
      ok: false,
      fields: { seatIds: [`Unknown seats: ${hiddenSeats[0]}`] },
    });
    expect(await placeHold(claims(customer), event.id, { sectionId: lounge.id, quantity: 1 }, null)).toMatchObject({
      ok: false,
      fields: { sectionId: ["Unknown section"] },
    });
    // The waiting list does not know the section either.
    expect(await joinWaitlist(toActor(customer), event.id, { quantity: 1, sectionId: lounge.id })).toMatchObject({
      ok: false,
      fields: { sectionId: ["Unknown section"] },
    });
    await expectIntegrity(event.id);
  });

  it("a deactivated code hides the sections again; the organizer still sees and holds them", async () => {
    const { event, patrons, code, hiddenSeats, staff } = await hiddenEvent();
    const c = await code("PATRONS", [patrons.id]);
    const [fan] = await createUsers(1);
    await unlockWithAccessCode(toActor(fan), event.id, "PATRONS");
    expect((await viewOf(event.id, fan.id)).layout.ids).toHaveLength(14);
    await deactivatePromoCode(staff, event.id, c.id);
    expect((await viewOf(event.id, fan.id)).layout.ids).toHaveLength(10);
    expect(await placeHold(claims(fan), event.id, { seatIds: [hiddenSeats[0]] }, null)).toMatchObject({ ok: false, code: "validation_failed" });
    expect((await viewOf(event.id, staff.id)).layout.ids).toHaveLength(20);
    expect(await holdSeats(staff, event.id, { seatIds: [hiddenSeats[0]] })).toMatchObject({ ok: true });
    await expectIntegrity(event.id);
  });
});

describe("hidden sections and the waiting list", () => {
  it("free hidden places count only for those who may see them, and are offered only to them", async () => {
    const made = await createTestEvent({ sections: [seats(1, 2, 2000, "Stalls"), { ...ga(2, 5000, "Box"), hidden: true }] });
    const [stalls, box] = made.sections;
    const staff = toActor(made.organizer);
    expect(await createPromoCode(staff, made.event.id, { code: "BOX", kind: "ACCESS", sectionIds: [box.id] })).toMatchObject({ ok: true });
    const [buyer, plain, fan] = await createUsers(3);
    await buy(buyer, made.event.id, { seatIds: made.places.filter((p) => p.sectionId === stalls.id).map((p) => p.id) });
    // Sold out for everyone who cannot see the box: they may join the line for "any section".
    expect(await joinWaitlist(toActor(plain), made.event.id, { quantity: 1 })).toMatchObject({ ok: true });
    // The fan sees two free places in the box: no line for them.
    expect(await unlockWithAccessCode(toActor(fan), made.event.id, "box")).toMatchObject({ ok: true });
    expect(await joinWaitlist(toActor(fan), made.event.id, { quantity: 1 })).toMatchObject({ ok: false, code: "conflict", available: 2 });
    // The box's free places are not offered to the one in line without the grant.
    expect(await offerWaitingLists({ eventId: made.event.id })).toMatchObject({ offered: 0 });
    await expectIntegrity(made.event.id);
  });
});

describe("hidden sections over REST", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApiApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("event detail, seats and inventory leave them out until the caller enters the code; a hold then succeeds", async () => {
    const { event, patrons, code, hiddenSeats, places } = await hiddenEvent();
    await code("PATRONS", [patrons.id]);
    const anon = new ApiClient(app.url);
    const customer = await signedIn(app);
    for (const who of [anon, customer.api]) {
      const detail = await who.get<{ sections: { id: string }[] }>(`/api/v1/events/${event.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.sections).toHaveLength(1);
      for (const path of ["seats", "inventory"]) {
        const r = await who.get(`/api/v1/events/${event.id}/${path}`);
        expect(r.status).toBe(200);
        expect(r.text).not.toContain(patrons.id);
        expect(r.headers.get("cache-control")).toMatch(/^private/);
      }
      const layout = await who.get<SeatLayout>(`/api/v1/events/${event.id}/seats`);
      expect(layout.body.ids).toHaveLength(10);
    }
    // A token that does not verify reads the public view (no 401 on a public read).
    const forged = await anon.get<SeatLayout>(`/api/v1/events/${event.id}/seats`, { token: "not-a-token" });
    expect([forged.status, forged.body.ids.length]).toEqual([200, 10]);
    const refused = await customer.api.post(`/api/v1/events/${event.id}/reservations`, { seatIds: [hiddenSeats[0]] });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`Unknown seats: ${hiddenSeats[0]}`);

    expect((await customer.api.post(`/api/v1/events/${event.id}/access`, { code: "patrons" })).status).toBe(200);
    const layout = await customer.api.get<SeatLayout>(`/api/v1/events/${event.id}/seats`);
    expect(layout.body.ids).toHaveLength(14);
    const inv = await customer.api.get<InventorySnapshot>(`/api/v1/events/${event.id}/inventory`);
    expect(inv.body.seats.count).toBe(14);
    expect(inv.body.sections.map((s) => s.id)).toContain(patrons.id);
    // Each view has its own ETag: the anonymous one does not revalidate the fan's.
    const anonInv = await anon.get<InventorySnapshot>(`/api/v1/events/${event.id}/inventory`);
    expect(anonInv.headers.get("etag")).not.toBe(inv.headers.get("etag"));
    const held = await customer.api.post(`/api/v1/events/${event.id}/reservations`, { seatIds: [hiddenSeats[0], places[0].id] });
    expect(held.status).toBe(201);
  });

  it("an event without hidden sections answers as before: public caching, the cached body", async () => {
    const { event } = await createTestEvent({ sections: [seats(1, 4)] });
    const r = await new ApiClient(app.url).get(`/api/v1/events/${event.id}/inventory`);
    expect(r.headers.get("cache-control")).toBe("public, max-age=1");
    const l = await new ApiClient(app.url).get(`/api/v1/events/${event.id}/seats`);
    expect(l.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(l.headers.get("etag")).toBe(`"layout-${event.id}"`);
  });
});
