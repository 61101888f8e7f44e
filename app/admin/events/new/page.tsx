import type { Metadata } from "next";
import { addHours, startOfHour } from "date-fns";
import { EventForm, type VenueOption } from "@/components/admin/event-form";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { addWallDays, fromWallInput, toWallInput, VENUE_TIME_ZONE_DEFAULT } from "@/lib/time-zone";
import { listVenues } from "@/lib/venues/venues";
import { createEventAction } from "../actions";

export const metadata: Metadata = { title: "New event" };

export default async function NewEventPage() {
  await requirePageActor("/admin/events/new", STAFF_ROLES);
  const venues: VenueOption[] = (await listVenues()).map((v) => ({
    id: v.id,
    name: v.name,
    address: v.address,
    timeZone: v.timeZone,
    sections: v.sections.map((s) => ({ id: s.id, name: s.name, kind: s.kind, capacity: s.capacity })),
  }));
  // Suggested times only (the organizer edits them): a month ahead at 19:00 on the clock of the
  // venue the form starts with (not the server's), sales open now.
  const zone = venues[0]?.timeZone ?? VENUE_TIME_ZONE_DEFAULT;
  const start = fromWallInput(addWallDays(`${toWallInput(new Date(), zone).slice(0, 10)}T19:00`, 30), zone)!;
  const defaults = {
    startsAt: start.toISOString(),
    endsAt: addHours(start, 3).toISOString(),
    saleStartsAt: startOfHour(new Date()).toISOString(),
    saleEndsAt: start.toISOString(),
  };
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">New event</h1>
      <EventForm action={createEventAction} venues={venues} defaults={defaults} />
    </div>
  );
}
