import { qrSvg } from "@/lib/tickets";
import { formatShortCode } from "@/lib/tickets/short-code";
import type { BookingView } from "@/lib/bookings";
import { placeLabel } from "@/lib/seatmap/labels";
import { formatMoney } from "@/lib/money";

type Ticket = BookingView["tickets"][number];

const STATUS: Record<Ticket["status"], { label: string; tone: string }> = {
  VALID: { label: "Valid", tone: "bg-emerald-100 text-emerald-900" },
  USED: { label: "Checked in", tone: "bg-slate-200 text-slate-800" },
  VOID: { label: "Void (refunded)", tone: "bg-red-100 text-red-900" },
};

/**
 * One ticket with its QR code (inline SVG from lib/tickets: sharp at any print size) and, under
 * it, the code door staff can type when the QR code cannot be scanned (a cracked phone screen).
 */
export async function TicketCard({ ticket, index, currency, eventTitle }: { ticket: Ticket; index: number; currency: string; eventTitle: string }) {
  const svg = await qrSvg(ticket.qrPayload);
  const place = placeLabel(ticket);
  const status = STATUS[ticket.status];
  return (
    <li
      className="ticket flex flex-col items-center gap-3 rounded-xl border border-slate-300 bg-white p-4 text-center shadow-sm break-inside-avoid"
      data-testid="ticket"
    >
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-700">Ticket {index + 1}</p>
      <div
        role="img"
        aria-label={`QR code for ticket ${index + 1}: ${place}`}
        data-testid="ticket-qr"
        className={`w-44 max-w-full [&>svg]:h-auto [&>svg]:w-full ${ticket.status === "VOID" ? "opacity-30" : ""}`}
        dangerouslySetInnerHTML={{ __html: svg }}
      />
      <p className="text-xs text-slate-700">
        Ticket code{" "}
        <span className="block font-mono text-lg font-bold tracking-widest text-slate-900" data-testid="ticket-code">
          {formatShortCode(ticket.shortCode)}
        </span>
      </p>
      <div className="space-y-1">
        <p className="font-semibold text-slate-900">{place}</p>
        <p className="text-sm text-slate-700">
          {eventTitle} · {ticket.ticketTypeName && <span data-testid="ticket-type">{ticket.ticketTypeName} · </span>}
          {formatMoney(ticket.priceMinor, currency)}
        </p>
        <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${status.tone}`}>{status.label}</span>
      </div>
    </li>
  );
}
