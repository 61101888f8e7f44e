import type { Metadata } from "next";
import { VenueForm } from "@/components/admin/venue-form";
import { requirePageActor } from "@/lib/auth/guards";
import { createVenueAction } from "../actions";

export const metadata: Metadata = { title: "New venue" };

export default async function NewVenuePage() {
  await requirePageActor("/admin/venues/new", ["ADMIN", "ORGANIZER"]);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">New venue</h1>
      <p className="text-sm text-slate-700">
        Sections are templates: each event on this venue copies them when it is created, so later edits never change existing events.
      </p>
      <VenueForm action={createVenueAction} />
    </div>
  );
}
