import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CancellationPolicyForm } from "@/components/admin/cancellation-policy-form";
import { EventForm } from "@/components/admin/event-form";
import { toEditor } from "@/components/admin/section-model";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { majorUnits } from "@/lib/money";
import { getEditableEvent } from "@/lib/events/update";
import { policyOf } from "@/lib/refunds/policy";
import { updateEventAction } from "../../actions";
import { cancellationPolicyAction } from "./policy-actions";

export const metadata: Metadata = { title: "Edit event" };

export default async function EditEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/edit`, STAFF_ROLES);
  const found = await getEditableEvent(actor, eventId);
  if (!found) notFound();
  const { event, sections } = found;
  const currency = event.currency.trim();
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED";
  return (
    <div className="space-y-5">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← Back to the dashboard
      </Link>
      <h1 className="text-2xl font-bold">Edit {event.title}</h1>
      {closed ? (
        <p className="text-slate-700">This event is {event.status.toLowerCase()} and can no longer be changed.</p>
      ) : (
        <>
          <EventForm
            action={updateEventAction}
            event={{
              id: event.id,
              version: event.version,
              title: event.title,
              description: event.description,
              imageUrl: event.imageUrl ?? "",
              startsAt: event.startsAt.toISOString(),
              endsAt: event.endsAt.toISOString(),
              saleStartsAt: event.saleStartsAt.toISOString(),
              saleEndsAt: event.saleEndsAt.toISOString(),
              holdMinutes: Math.round(event.holdSeconds / 60),
              maxPerOrder: event.maxPerOrder,
              maxPerCustomer: event.maxPerCustomer,
              currency,
              published: event.publishedAt !== null,
              customVenue: event.venueId === null,
              venueName: event.venueName,
              venueAddress: event.venueAddress,
              timeZone: event.timeZone,
              sections: sections.map((s, i) =>
                toEditor(
                  {
                    kind: s.kind,
                    name: s.name,
                    capacity: s.capacity,
                    color: s.color,
                    hidden: s.hidden,
                    layout: s.layout ?? undefined,
                    area: s.area ?? undefined,
                  },
                  i,
                  majorUnits(s.priceMinor, currency),
                ),
              ),
            }}
          />
          <CancellationPolicyForm action={cancellationPolicyAction} eventId={event.id} policy={policyOf(event)} />
        </>
      )}
    </div>
  );
}
