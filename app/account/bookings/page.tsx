import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { formatMoney } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { actorFromSession } from "@/lib/auth/actor";
import { formatReference, listMyBookings } from "@/lib/bookings";

export const metadata: Metadata = { title: "My bookings" };

type When = "upcoming" | "past";

export default async function MyBookings({ searchParams }: { searchParams: Promise<{ when?: string }> }) {
  const actor = await actorFromSession();
  if (!actor) redirect("/login?next=/account/bookings");
  const when: When = (await searchParams).when === "past" ? "past" : "upcoming";
  const bookings = await listMyBookings(actor, { when });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-bold tracking-tight">My bookings</h1>
        <Link href="/account/holds" className="text-sm font-semibold text-brand-700 underline">
          My active holds
        </Link>
      </div>
      <nav aria-label="Which bookings">
        <ul className="flex gap-2">
          {(["upcoming", "past"] as const).map((w) => (
            <li key={w}>
              <Link
                href={w === "upcoming" ? "/account/bookings" : "/account/bookings?when=past"}
                aria-current={w === when ? "page" : undefined}
                className={`inline-block rounded-full px-4 py-1.5 text-sm font-medium ring-1 ring-inset ${w === when ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-100"}`}
              >
                {w === "upcoming" ? "Upcoming" : "Past"}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {bookings.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium">{when === "upcoming" ? "No upcoming bookings yet." : "No past bookings."}</p>
          <p className="mt-1 text-sm text-slate-700">
            <Link href="/" className="font-semibold text-brand-700 underline">
              Find something to go to
            </Link>
          </p>
        </div>
      ) : (
        <ul className="space-y-3" data-testid="booking-list">
          {bookings.map((b) => (
            <li
              key={b.id}
              className="relative rounded-xl border border-slate-200 bg-white p-4 shadow-sm focus-within:ring-4 focus-within:ring-brand-600 hover:shadow-md"
            >
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div>
                  <h2 className="text-lg font-semibold">
                    <Link href={`/account/bookings/${b.reference}`} className="after:absolute after:inset-0 focus-visible:outline-none">
                      {b.eventTitle}
                    </Link>
                  </h2>
                  <p className="text-sm text-slate-700">
                    <ZonedTime iso={b.startsAt} timeZone={b.timeZone} /> · {b.venueName}
                  </p>
                </div>
                <div className="text-right text-sm">
                  <p className="font-mono font-semibold">{formatReference(b.reference)}</p>
                  <p className="text-slate-700">
                    {b.tickets.length} ticket{b.tickets.length === 1 ? "" : "s"} · {b.amountMinor === 0 ? "Free" : formatMoney(b.amountMinor, b.currency)}
                  </p>
                  {b.status === "CANCELLED" && <p className="font-semibold text-red-800">Cancelled — refunded</p>}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
