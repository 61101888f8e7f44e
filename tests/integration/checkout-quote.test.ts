import { describe, expect, it } from "vitest";
import { orThrow } from "@/lib/errors";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { quoteCheckout } from "@/lib/checkout/quote";
import { createPromoCode } from "@/lib/promo-codes/manage";
import { createTicketType } from "@/lib/ticket-types/manage";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { expectIntegrity } from "@/tests/helpers/integrity";
import { hold } from "@/tests/helpers/purchase";
import { newKey, pay } from "@/tests/helpers/payments";

// The checkout page's quote (lib/checkout/quote.ts): the server prices the order for the ticket
// types chosen and a discount code, with the same SQL the checkout's start charges with
// (lib/checkout/pricing.ts, lib/promo-codes/apply.ts). The page only shows this answer, so the
// quote must equal what paying charges, place by place.

async function typedEvent() {
  const made = await createTestEvent({ sections: [seats(1, 6, 4000, "Stalls")] });
  const staff = toActor(made.organizer);
  const stalls = made.sections[0];
  const adult = orThrow(await createTicketType(staff, made.event.id, { name: "Adult", sortOrder: 0, prices: [{ sectionId: stalls.id, priceMinor: 4000 }] }));
  const child = orThrow(await createTicketType(staff, made.event.id, { name: "Child", sortOrder: 1, prices: [{ sectionId: stalls.id, priceMinor: 2000 }] }));
  return { ...made, staff, adult: adult.ticketType, child: child.ticketType };
}

describe("the checkout quote", () => {
  it("equals what paying charges: types chosen, a fixed code for one type spread over its places in order", async () => {
    const { event, places, staff, adult, child } = await typedEvent();
    orThrow(await createPromoCode(staff, event.id, { code: "KIDS30", kind: "FIXED", amount: 3000, ticketTypeIds: [child.id] }));
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: places.slice(0, 3).map((p) => p.id) });
    const ids = r.items.map((i) => i.inventoryId);

    // Default types, no code: every place its first type (Adult).
    expect(await quoteCheckout(buyer, r.id)).toMatchObject({ ok: true, quote: { totalMinor: 12000, discountMinor: 0, promo: null } });
    // All Adult with a code for children: the code is known but takes nothing off.
    expect(await quoteCheckout(buyer, r.id, { promoCode: "kids30" })).toMatchObject({
      ok: true,
      quote: { totalMinor: 12000, discountMinor: 0, promo: { code: "KIDS30", applies: false } },
    });

    const ticketTypes = [
      { inventoryId: ids[0], ticketTypeId: adult.id },
      { inventoryId: ids[1], ticketTypeId: child.id },
      { inventoryId: ids[2], ticketTypeId: child.id },
    ];
    const quoted = orThrow(await quoteCheckout(buyer, r.id, { ticketTypes, promoCode: "KIDS30" })).quote;
    expect(quoted.lines).toEqual([
      { inventoryId: ids[0], ticketTypeId: adult.id, priceMinor: 4000, discountMinor: 0 },
      { inventoryId: ids[1], ticketTypeId: child.id, priceMinor: 2000, discountMinor: 2000 },
      { inventoryId: ids[2], ticketTypeId: child.id, priceMinor: 2000, discountMinor: 1000 },
    ]);
    expect(quoted).toMatchObject({ discountMinor: 3000, totalMinor: 5000, promo: { code: "KIDS30", applies: true } });

    const paid = await confirmCheckout(buyer, { reservationId: r.id, payment: pay("success"), ticketTypes, promoCode: "KIDS30" }, newKey());
    if (!paid.ok) throw new Error(paid.message);
    expect(paid.booking.amountMinor).toBe(quoted.totalMinor);
    expect(paid.booking.tickets.map((t) => t.priceMinor)).toEqual(quoted.lines.map((l) => l.priceMinor - l.discountMinor));
    await expectIntegrity(event.id);
  });

  it("answers only the reservation's owner, refuses unknown codes and types a place is not offered as", async () => {
    const { event, places, adult } = await typedEvent();
    const buyer = toActor(await createUser());
    const r = await hold(buyer, event.id, { seatIds: [places[0].id] });
    expect(await quoteCheckout(toActor(await createUser()), r.id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await quoteCheckout(buyer, "not-a-uuid")).toMatchObject({ ok: false, code: "not_found" });
    expect(await quoteCheckout(buyer, r.id, { promoCode: "NOPE" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { promoCode: [expect.stringMatching(/do not know the code NOPE/)] },
    });
    const elsewhere = await typedEvent(); // a type of another event
    expect(await quoteCheckout(buyer, r.id, { ticketTypes: [{ inventoryId: r.items[0].inventoryId, ticketTypeId: elsewhere.adult.id }] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fields: { ticketTypes: expect.any(Array) },
    });
    expect(await quoteCheckout(buyer, r.id, { ticketTypes: [{ inventoryId: r.items[0].inventoryId, ticketTypeId: adult.id }] })).toMatchObject({
      ok: true,
      quote: { totalMinor: 4000 },
    });
  });
});
