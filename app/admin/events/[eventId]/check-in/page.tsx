import type { Metadata } from "next";
import { CheckInScanner } from "@/components/admin/check-in-scanner";
import { requireManagedEventPage } from "@/lib/auth/guards";
import { checkInAction } from "../../actions";

export const metadata: Metadata = { title: "Check-in" };

export default async function CheckInPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const { event } = await requireManagedEventPage(`/admin/events/${eventId}/check-in`, eventId);
  return (
    <div className="space-y-5">
      <a href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← Back to the dashboard
      </a>
      <h1 className="text-2xl font-bold">Check-in · {event.title}</h1>
      <CheckInScanner action={checkInAction} eventId={event.id} timeZone={event.timeZone} />
    </div>
  );
}
