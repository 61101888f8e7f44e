import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CancelEventForm } from "@/components/admin/cancel-event-form";
import { formatMoney } from "@/lib/money";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { cancelEventAction } from "../../actions";

export const metadata: Metadata = { title: "Cancel event" };

// The confirmation step before a cancellation: what will happen, in numbers, and a checkbox.
export default async function CancelEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/cancel`, STAFF_ROLES);
  const d = await getEventDashboard(actor, eventId);
  if (!d) notFound();
  const closed = d.event.status === "CANCELLED" || d.event.status === "COMPLETED";
  return (
    <div className="mx-auto max-w-xl space-y-5">
      <Link href={`/admin/events/${d.event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← Back to the dashboard
      </Link>
      <h1 className="text-2xl font-bold">Cancel {d.event.title}?</h1>
      {closed ? (
        <p className="text-slate-700">This event is already {d.event.status.toLowerCase()}.</p>
      ) : (
        <>
          <div className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-semibold">This cannot be undone.</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>The event stops selling at once and shows as cancelled.</li>
              <li>
                {d.totals.bookings} booking{d.totals.bookings === 1 ? "" : "s"} ({d.totals.sold} tickets) will be cancelled and{" "}
                {formatMoney(d.totals.revenueMinor, d.event.currency)} refunded to the customers.
              </li>
              <li>Every ticket becomes void; the cancellation and each refund are recorded in the audit trail.</li>
            </ul>
          </div>
          <CancelEventForm action={cancelEventAction} eventId={d.event.id} bookings={d.totals.bookings} />
        </>
      )}
    </div>
  );
}
