import { describe, expect, it } from "vitest";
import { createEventFormSchema, updateEventFormSchema } from "@/app/admin/events/form-schema";
import { currencyDigits, priceToMinor } from "@/lib/money";
import { createVenueFormSchema, updateVenueFormSchema } from "@/app/admin/venues/form-schema";
import { fieldErrors } from "@/lib/errors";

// The organizer forms arrive flat (text fields, JSON sections, typed prices): these are the
// adapters that reshape them into the domain inputs, and the field paths their errors carry.

const times = {
  startsAt: "2030-05-01T18:00:00.000Z",
  endsAt: "2030-05-01T21:00:00.000Z",
  saleStartsAt: "2030-04-01T08:00:00.000Z",
  saleEndsAt: "2030-05-01T18:00:00.000Z",
};
const base = { title: "Show", description: "", imageUrl: "", holdMinutes: "10", maxPerOrder: "4", currency: "eur", ...times };
const errorsOf = (r: { success: boolean; error?: unknown }) => (r.success ? {} : fieldErrors(r.error as never));

describe("typed prices", () => {
  it("become minor units in the currency's own decimals, or null", () => {
    expect(priceToMinor("12.5", 2)).toBe(1250);
    expect(priceToMinor("12,50", 2)).toBe(1250);
    expect(priceToMinor(" 7 ", 2)).toBe(700);
    expect(priceToMinor("0", 2)).toBe(0);
    expect(priceToMinor("1200", currencyDigits("JPY"))).toBe(1200);
    for (const bad of ["", "1.234", "-3", "1e3", "abc", "12.5.0", null]) expect(priceToMinor(bad, 2)).toBeNull();
  });
});

describe("createEventFormSchema", () => {
  it("registered venue: prices per venue section, publish checkbox", () => {
    const venueSectionId = "0b1c2d3e-0000-4000-8000-000000000001";
    const r = createEventFormSchema.safeParse({
      ...base,
      venueMode: "registered",
      venueId: "0b1c2d3e-0000-4000-8000-000000000000",
      sections: JSON.stringify([{ venueSectionId, price: "25" }]),
      publish: "on",
    });
    expect(r.success && r.data).toMatchObject({
      venueId: "0b1c2d3e-0000-4000-8000-000000000000",
      sections: [{ venueSectionId, priceMinor: 2500 }],
      publish: true,
      currency: "EUR",
      maxPerOrder: 4,
    });
  });

  it("per-customer limit: empty is none, a number is the limit, anything else an error beside the field", () => {
    const form = (maxPerCustomer: string) =>
      createEventFormSchema.safeParse({
        ...base,
        maxPerCustomer,
        venueMode: "custom",
        venueName: "Cellar",
        sections: JSON.stringify([{ kind: "GA", name: "Floor", price: "10", capacity: "50" }]),
      });
    const none = form("");
    expect(none.success && none.data.maxPerCustomer).toBeNull();
    const four = form(" 4 ");
    expect(four.success && four.data.maxPerCustomer).toBe(4);
    for (const bad of ["0", "1001", "2.5", "many"]) expect(Object.keys(errorsOf(form(bad))), bad).toEqual(["maxPerCustomer"]);
  });

  it("custom venue: inline sections; errors carry field paths, time rules included", () => {
    const ok = createEventFormSchema.safeParse({
      ...base,
      venueMode: "custom",
      venueName: "Cellar",
      venueAddress: "",
      sections: JSON.stringify([{ kind: "ASSIGNED", name: "Stalls", price: "10", color: "#123456", layout: { rows: "2", seatsPerRow: "3", aisles: [] } }]),
    });
    expect(ok.success && ok.data).toMatchObject({
      venue: { name: "Cellar" },
      sections: [{ kind: "ASSIGNED", priceMinor: 1000, layout: { rows: 2, seatsPerRow: 3, curve: 0 } }],
      publish: false,
    });

    const bad = createEventFormSchema.safeParse({
      ...base,
      title: "",
      saleEndsAt: "2030-06-01T00:00:00.000Z",
      venueMode: "custom",
      venueName: "",
      sections: JSON.stringify([{ kind: "GA", name: "Floor", price: "x", capacity: "0" }]),
    });
    expect(Object.keys(errorsOf(bad)).sort()).toEqual(["saleEndsAt", "sections.0.capacity", "sections.0.priceMinor", "title", "venue.name"]);
    expect(errorsOf(createEventFormSchema.safeParse({ ...base, venueMode: "custom", venueName: "x", sections: "not json" }))).toHaveProperty("sections");
  });
});

describe("updateEventFormSchema", () => {
  it("sends sections and venue only when the form had them", () => {
    const id = "0b1c2d3e-0000-4000-8000-000000000009";
    const r = updateEventFormSchema.safeParse({ ...base, eventId: id, version: "3" });
    expect(r.success && r.data).toMatchObject({ eventId: id, input: { version: 3, title: "Show" } });
    expect(r.success && r.data.input.sections).toBeUndefined();
    expect(r.success && r.data.input.venue).toBeUndefined();
    const bad = updateEventFormSchema.safeParse({ ...base, eventId: "nope", version: "0", endsAt: "2030-04-01T00:00:00.000Z" });
    expect(Object.keys(errorsOf(bad)).sort()).toEqual(["endsAt", "saleEndsAt", "version", "_"].sort());
  });
});

describe("venue forms", () => {
  it("parse the section editor's JSON and report nested paths", () => {
    const sections = JSON.stringify([{ kind: "ASSIGNED", name: "A", layout: { rows: "2", seatsPerRow: "2", aisles: ["x"] } }]);
    expect(Object.keys(errorsOf(createVenueFormSchema.safeParse({ name: "V", address: "", sections })))).toEqual(["sections.0.layout.aisles.0"]);
    const r = updateVenueFormSchema.safeParse({
      venueId: "0b1c2d3e-0000-4000-8000-000000000009",
      version: "2",
      name: "V",
      address: "",
      sections: JSON.stringify([{ kind: "GA", name: "Floor", capacity: "9" }]),
    });
    expect(r.success && r.data).toMatchObject({ version: 2, input: { name: "V", sections: [{ kind: "GA", capacity: 9 }] } });
  });
});
