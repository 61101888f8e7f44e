import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { DEFAULT_TIME_ZONE } from "@/lib/time-zone";
import { getRoomSettings, type RoomSettings } from "@/lib/waiting-room";
import { QueueLive } from "./queue-live";

// The waiting room page. It renders from cached settings only (no Postgres on a hit) and does
// the rest in the browser: join once, then poll the status endpoint at the pace it asks for.
// When Redis and Postgres are both away it still renders, and the live part keeps retrying.

export const metadata: Metadata = { title: "Waiting room", robots: { index: false } };

type Params = { params: Promise<{ eventId: string }> };

export default async function QueuePage({ params }: Params) {
  const { eventId } = await params;
  let settings: RoomSettings | null = null;
  try {
    settings = await getRoomSettings(eventId);
  } catch {
    settings = null; // the static retry view
  }
  if (settings && !settings.exists) notFound();
  if (settings && (!settings.enabled || Date.now() >= settings.closesAt)) redirect(`/events/${eventId}`);
  return (
    <article className="mx-auto max-w-xl space-y-6 py-6">
      <header className="space-y-1">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Waiting room</p>
        <h1 className="text-2xl font-bold tracking-tight">{settings?.title || "Almost there"}</h1>
        <p className="text-slate-700">
          Many people want tickets right now. To keep it fair and the site fast, we let people in a few at a time. Your place is saved in this browser: you can
          reload or come back to this page later.
        </p>
      </header>
      <QueueLive eventId={eventId} timeZone={settings?.timeZone ?? DEFAULT_TIME_ZONE} />
      <noscript>
        <p className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
          The waiting room needs JavaScript to keep your place and let you in when it is your turn.
        </p>
      </noscript>
    </article>
  );
}
