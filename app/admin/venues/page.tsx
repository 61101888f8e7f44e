import type { Metadata } from "next";
import Link from "next/link";
import { Notice } from "@/components/ui/form";
import { linkButton } from "@/components/admin/link-button";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { listVenues, mayEditVenue } from "@/lib/venues/venues";

export const metadata: Metadata = { title: "Venues" };

export default async function VenuesPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  const actor = await requirePageActor("/admin/venues", STAFF_ROLES);
  const { saved } = await searchParams;
  const venues = await listVenues();
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Venues</h1>
        <Link href="/admin/venues/new" className={linkButton()}>
          New venue
        </Link>
      </div>
      {saved && venues.some((v) => v.id === saved) && <Notice>Venue saved.</Notice>}
      <p className="text-sm text-slate-700">
        Any venue can be picked when you create an event.{" "}
        {actor.role === "ADMIN" ? "As an admin you can edit every venue." : "You can edit the venues you created; admins can edit all of them."}
      </p>
      {venues.length === 0 ? (
        <p className="text-slate-700">No venues yet.</p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2">
          {venues.map((v) => (
            <li key={v.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex items-start justify-between gap-2">
                <div>
                  <h2 className="font-semibold">{v.name}</h2>
                  <p className="text-sm text-slate-600">{v.address}</p>
                </div>
                {mayEditVenue(actor, v) && (
                  <Link href={`/admin/venues/${v.id}`} className="text-sm font-semibold text-brand-700 underline" aria-label={`Edit ${v.name}`}>
                    Edit
                  </Link>
                )}
              </div>
              <p className="mt-2 text-sm text-slate-700">
                {v.sections.map((s) => `${s.name} (${s.capacity.toLocaleString("en")}${s.kind === "GA" ? " standing" : " seats"})`).join(" · ")}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
