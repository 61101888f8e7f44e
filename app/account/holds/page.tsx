import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { buttonStyles } from "@/components/button-styles";
import { placeLabel } from "@/lib/seatmap/labels";
import { formatMoney } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { Countdown } from "@/components/shop/countdown";
import { actorFromSession } from "@/lib/auth/actor";
import { databaseNow } from "@/lib/clock";
import { getEventDetail } from "@/lib/events/queries";
import { listReservations } from "@/lib/holds";
import { ReleaseForm } from "./release-form";

export const metadata: Metadata = { title: "My active holds" };

export default async function MyHolds() {
  const actor = await actorFromSession();
  if (!actor) redirect("/login?next=/account/holds");
  const holds = await listReservations(actor);
  const events = new Map(
    (await Promise.all([...new Set(holds.map((h) => h.eventId))].map((id) => getEventDetail(id, actor)))).filter((e) => e !== null).map((e) => [e.id, e]),
  );
  const serverNow = await databaseNow();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">My active holds</h1>
        <Link href="/account/bookings" className="text-sm font-semibold text-brand-700 underline">
          My bookings
        </Link>
      </div>
      <p className="text-slate-700">Seats held for you and not yet paid. Each hold ends by itself when its time runs out.</p>
      {holds.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">You have no seats on hold.</p>
          <p className="mt-1 text-sm text-slate-700">
            <Link href="/" className="font-semibold text-brand-700 underline">
              Browse events
            </Link>
          </p>
        </div>
      ) : (
        <ul className="space-y-4" data-testid="hold-list">
          {holds.map((h) => {
            const e = events.get(h.eventId);
            const ends = h.status === "PAYMENT" && h.paymentDeadline ? h.paymentDeadline : h.expiresAt;
            return (
              <li key={h.id} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h2 className="text-lg font-semibold">
                      <Link href={`/events/${h.eventId}`} className="hover:underline">
                        {e?.title ?? "Event"}
                      </Link>
                    </h2>
                    {e && (
                      <p className="text-sm text-slate-700">
                        <ZonedTime iso={e.startsAt} timeZone={e.timeZone} /> · {e.venueName}
                      </p>
                    )}
                  </div>
                  <p className="text-sm text-slate-700">
                    {h.status === "PAYMENT" ? "Payment in progress · " : "Held for "}
                    <Countdown expiresAt={ends} serverNow={serverNow} refreshOnExpire className="text-lg font-bold text-slate-900" />
                  </p>
                </div>
                <ul className="mt-3 text-sm text-slate-800">
                  {h.items.map((i) => (
                    <li key={i.inventoryId}>
                      {placeLabel(i)} — {formatMoney(i.priceMinor, h.currency)}
                    </li>
                  ))}
                </ul>
                <div className="mt-4 flex flex-wrap items-center gap-3">
                  <Link href={`/checkout/${h.id}`} className={buttonStyles("primary")}>
                    Checkout · {formatMoney(h.amountMinor, h.currency)}
                  </Link>
                  {h.status === "ACTIVE" && <ReleaseForm eventId={h.eventId} reservationId={h.id} />}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
