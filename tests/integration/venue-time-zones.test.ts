import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEventBody, sampleVenueBody, signedIn, startApiApp, type Principal } from "@/tests/helpers/api";
import type { App } from "@/tests/helpers/app";
import type { Problem } from "@/tests/helpers/responses";

// Every venue has an IANA time zone (Europe/Berlin unless given), spelled as the zone list spells
// it; an event takes its venue's, or the one given for a custom venue; anything that is not a
// zone is a 400 naming the field. Times travel as UTC instants; the zone says whose clock shows them.

let app: App;
let organizer: Principal;

beforeAll(async () => {
  app = await startApiApp();
  organizer = await signedIn(app, "ORGANIZER");
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

type Venue = { id: string; timeZone: string };
type EventDetail = { id: string; timeZone: string; startsAt: string };

describe("time zones per venue over REST", () => {
  it("a venue's zone: canonical spelling, a default, and a 400 for anything else", async () => {
    const dublin = await organizer.api.post<Venue>("/api/v1/venues", sampleVenueBody({ timeZone: "europe/dublin" }));
    expect(dublin.status, dublin.text).toBe(201);
    expect(dublin.body.timeZone).toBe("Europe/Dublin");
    const plain = await organizer.api.post<Venue>("/api/v1/venues", sampleVenueBody());
    expect(plain.body.timeZone).toBe("Europe/Berlin");
    for (const bad of ["Mars/Olympus", "+01:00", "", 42]) {
      const refused = await organizer.api.post<Problem>("/api/v1/venues", sampleVenueBody({ timeZone: bad }));
      expect(refused.status, String(bad)).toBe(400);
      expect(Object.keys(refused.body.fields ?? {}), String(bad)).toEqual(["timeZone"]);
    }
  });

  it("an event at a registered venue takes its zone; a custom venue gives its own", async () => {
    const venue = await organizer.api.post<Venue & { sections: { id: string }[] }>("/api/v1/venues", sampleVenueBody({ timeZone: "America/New_York" }));
    const { venue: _custom, sections: _sections, ...rest } = sampleEventBody();
    const atVenue = await organizer.api.post<EventDetail>("/api/v1/events", {
      ...rest,
      venueId: venue.body.id,
      sections: venue.body.sections.map((s) => ({ venueSectionId: s.id, priceMinor: 1000 })),
    });
    expect(atVenue.status, atVenue.text).toBe(201);
    expect(atVenue.body.timeZone).toBe("America/New_York");

    const custom = await organizer.api.post<EventDetail>("/api/v1/events", sampleEventBody({ venue: { name: "Tent", address: "", timeZone: "Asia/Kolkata" } }));
    expect(custom.status, custom.text).toBe(201);
    expect(custom.body.timeZone).toBe("Asia/Kolkata");
    const read = await organizer.api.get<EventDetail>(`/api/v1/events/${custom.body.id}`);
    expect(read.body.timeZone).toBe("Asia/Kolkata");

    const refused = await organizer.api.post<Problem>("/api/v1/events", sampleEventBody({ venue: { name: "Tent", address: "", timeZone: "Nowhere/Land" } }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.fields)).toContain("timeZone");
  });
});
