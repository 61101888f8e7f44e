import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { placeLabel } from "@/lib/seatmap/labels";
import { formatMoney } from "@/lib/money";
import { ZonedTime } from "@/components/zoned-time";
import { PrintButton } from "@/components/bookings/print-button";
import { actorFromSession } from "@/lib/auth/actor";
import { formatReference } from "@/lib/bookings";
import { resolveBooking } from "@/lib/bookings/access";
import { formatShortCode } from "@/lib/tickets/short-code";
import { getEventDetail } from "@/lib/events/queries";
import { qrSvg } from "@/lib/tickets";

export const metadata: Metadata = { title: "Printable tickets", referrer: "no-referrer" };

// One ticket per block, large QR codes, black on white, no page breaks inside a ticket:
// prints cleanly and "Save as PDF" gives a tidy file.
export default async function PrintTickets({
  params,
  searchParams,
}: {
  params: Promise<{ reference: string }>;
  searchParams: Promise<{ key?: string | string[] }>;
}) {
  const { reference } = await params;
  const { key } = await searchParams;
  const accessKey = typeof key === "string" ? key : undefined;
  const actor = await actorFromSession();
  if (!actor && !accessKey) redirect(`/login?next=${encodeURIComponent(`/bookings/${reference}/print`)}`);
  const booking = await resolveBooking(reference, accessKey, actor);
  if (!booking) notFound();
  const event = await getEventDetail(booking.eventId, actor);
  const qrs = await Promise.all(booking.tickets.map((t) => qrSvg(t.qrPayload)));
  return (
    <div className="mx-auto max-w-2xl space-y-6 bg-white">
      <div className="no-print flex items-center justify-between gap-3 rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
        <p className="text-sm text-slate-700">Print these tickets or save them as a PDF.</p>
        <PrintButton label="Print or save as PDF" />
      </div>
      <h1 className="sr-only">Tickets for {booking.eventTitle}</h1>
      {booking.tickets.map((t, i) => (
        <section key={t.id} className="break-inside-avoid rounded-lg border-2 border-dashed border-slate-400 p-6 print:mb-6" aria-label={`Ticket ${i + 1}`}>
          <div className="flex flex-col gap-6 sm:flex-row sm:items-center">
            <div className="w-48 shrink-0 text-center">
              <div
                role="img"
                aria-label={`QR code for ticket ${i + 1}`}
                className="[&>svg]:h-auto [&>svg]:w-full"
                dangerouslySetInnerHTML={{ __html: qrs[i] }}
              />
              <p className="text-xs">
                Ticket code{" "}
                <span className="block font-mono text-lg font-bold tracking-widest" data-testid="print-ticket-code">
                  {formatShortCode(t.shortCode)}
                </span>
              </p>
            </div>
            <div className="space-y-1 text-slate-900">
              <p className="text-xs font-semibold uppercase tracking-widest">
                Tessera ticket {i + 1} of {booking.tickets.length}
              </p>
              <h2 className="text-2xl font-bold">{booking.eventTitle}</h2>
              <p>
                <ZonedTime iso={booking.startsAt} timeZone={booking.timeZone} />
              </p>
              <p>
                {booking.venueName}
                {event?.venueAddress ? `, ${event.venueAddress}` : ""}
              </p>
              <p className="pt-2 text-lg font-semibold">{placeLabel(t)}</p>
              <p className="text-sm">
                {t.ticketTypeName ? `${t.ticketTypeName} · ` : ""}
                {formatMoney(t.priceMinor, booking.currency)} · booking <span className="font-mono font-semibold">{formatReference(booking.reference)}</span>
                {t.status !== "VALID" && <strong> · {t.status === "VOID" ? "VOID — not valid for entry" : "already checked in"}</strong>}
              </p>
            </div>
          </div>
        </section>
      ))}
    </div>
  );
}
