import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { VenueForm } from "@/components/admin/venue-form";
import { toEditor } from "@/components/admin/section-model";
import { requirePageActor } from "@/lib/auth/guards";
import { getVenue, mayEditVenue } from "@/lib/venues/venues";
import { updateVenueAction } from "../actions";

export const metadata: Metadata = { title: "Edit venue" };

export default async function EditVenuePage({ params }: { params: Promise<{ venueId: string }> }) {
  const { venueId } = await params;
  const actor = await requirePageActor(`/admin/venues/${venueId}`, ["ADMIN", "ORGANIZER"]);
  const venue = await getVenue(venueId);
  if (!venue) notFound();
  if (!mayEditVenue(actor, venue)) forbidden();
  const sections = venue.sections.map((s, i) =>
    toEditor({ kind: s.kind, name: s.name, capacity: s.capacity, layout: s.layout ?? undefined, area: s.area ?? undefined }, i),
  );
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Edit {venue.name}</h1>
      <p className="text-sm text-slate-700">Events already created on this venue keep their own copy of its sections.</p>
      <VenueForm
        action={updateVenueAction}
        venue={{ id: venue.id, version: venue.version, name: venue.name, address: venue.address, timeZone: venue.timeZone, sections }}
      />
    </div>
  );
}
