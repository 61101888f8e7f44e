import "server-only";
import QRCode from "qrcode";
import { db } from "@/db";
import { formatReference, loadBookingView, type BookingView, type TicketView } from "@/lib/bookings";
import { formatShortCode } from "@/lib/tickets/short-code";
import { ticketsPdf } from "./tickets-pdf";
import { button, esc, formatWhen, paragraph, shell, siteUrl, textShell, type Attachment, type Rendered } from "./layout";
import { formatMoney } from "@/lib/money";
import { placeLabel } from "@/lib/seatmap/labels";

// Booking messages. The confirmation is rendered when it is sent, from the booking as it is
// then (tickets, QR codes, a PDF of the tickets); cancellation and refund notices carry what
// they say in their payload, written with the change that caused them.

export function bookingLink(reference: string, accessKey?: string): string {
  return siteUrl(`/bookings/${encodeURIComponent(reference)}${accessKey ? `?key=${encodeURIComponent(accessKey)}` : ""}`);
}

export async function bookingConfirmed(payload: { bookingId?: unknown }, secret: Record<string, string>): Promise<Rendered> {
  const booking = typeof payload.bookingId === "string" ? await loadBookingView(db(), payload.bookingId) : null;
  if (!booking) throw new Error(`booking ${String(payload.bookingId)} not found`);
  const link = bookingLink(booking.reference, secret.accessKey);
  const live = booking.tickets.filter((t) => t.status !== "VOID");
  const qrs: Attachment[] = await Promise.all(
    live.map(async (t) => ({
      filename: `ticket-${t.id.slice(0, 8)}.png`,
      content: await QRCode.toBuffer(t.qrPayload, { type: "png", width: 240, margin: 2, errorCorrectionLevel: "M" }),
      contentType: "image/png",
      cid: `qr-${t.id}@tessera`,
      contentDisposition: "inline" as const,
    })),
  );
  const ref = formatReference(booking.reference);
  const pdf: Attachment = { filename: `tickets-${ref}.pdf`, content: await ticketsPdf(booking, qrs), contentType: "application/pdf" };
  const title = "You're going! Your booking is confirmed";
  const when = formatWhen(booking.startsAt, booking.timeZone);
  const total = formatMoney(booking.amountMinor, booking.currency);
  const intro = `${booking.eventTitle} · ${when} · ${booking.venueName}`;
  const rows = live.map((t, i) => ticketHtml(t, booking, qrs[i].cid!)).join("\n");
  const html = shell({
    title,
    preheader: `Booking ${ref}: ${live.length} ticket${live.length === 1 ? "" : "s"} for ${booking.eventTitle}.`,
    body: [
      paragraph(`<strong>${esc(booking.eventTitle)}</strong><br>${esc(when)}<br>${esc(booking.venueName)}`),
      paragraph(
        `Booking reference <strong style="font-family:Consolas,monospace;font-size:18px">${esc(ref)}</strong> · Total paid <strong>${esc(total)}</strong>`,
      ),
      paragraph(
        "Show the QR code of each ticket at the door, on your phone or printed; if it cannot be scanned, the door staff type the ticket code under it. The tickets are also attached as a PDF.",
      ),
      button(link, "View your tickets"),
      rows,
      paragraph(
        `<span style="font-size:13px;color:#475569">This link is private: anyone who has it can see and use these tickets. Keep this email to yourself.<br><a href="${esc(link)}" style="color:#3730a3;word-break:break-all">${esc(link)}</a></span>`,
      ),
    ].join("\n"),
  });
  const text = textShell(title, [
    intro,
    `Booking reference: ${ref}\nTotal paid: ${total}`,
    live
      .map(
        (t, i) =>
          `Ticket ${i + 1}: ${placeLabel(t)} (${t.ticketTypeName ? `${t.ticketTypeName}, ` : ""}${formatMoney(t.priceMinor, booking.currency)}), ticket code ${formatShortCode(t.shortCode)}`,
      )
      .join("\n"),
    `View your tickets and their QR codes: ${link}`,
    "The tickets are attached as a PDF. This link is private: anyone who has it can see and use these tickets.",
  ]);
  return { subject: `Your tickets for ${booking.eventTitle} (booking ${ref})`, html, text, attachments: [...qrs, pdf] };
}

function ticketHtml(t: TicketView, b: BookingView, cid: string): string {
  return `<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="margin:0 0 14px;border:1px solid #cbd5e1;border-radius:10px">
<tr><td style="padding:14px;vertical-align:top">
<p style="margin:0 0 4px;font-weight:700">${esc(placeLabel(t))}</p>
<p style="margin:0;color:#334155;font-size:14px">${esc(b.eventTitle)}<br>${t.ticketTypeName ? `${esc(t.ticketTypeName)} · ` : ""}${esc(formatMoney(t.priceMinor, b.currency))} · booking ${esc(formatReference(b.reference))}</p>
<p style="margin:6px 0 0;font-size:13px;color:#334155">Ticket code <strong style="font-family:Consolas,monospace;font-size:16px;letter-spacing:1px">${esc(formatShortCode(t.shortCode))}</strong></p>
</td><td width="132" style="padding:8px;text-align:right;vertical-align:middle">
<img src="cid:${esc(cid)}" width="120" height="120" alt="QR code for ${esc(placeLabel(t))}" style="display:block;border:0">
</td></tr></table>`;
}

type CancelPayload = {
  reference?: string;
  eventTitle?: string;
  startsAt?: string;
  timeZone?: string; // the venue's (older messages have none: their time reads in UTC)
  amountMinor?: number;
  currency?: string;
  refund?: boolean;
  byCard?: boolean; // false: paid at the box office (messages queued before this field said nothing: a card)
};

const notByCard = (amount: string) =>
  `You paid for these tickets at the box office, not by card on this site, so nothing goes back to a card: the organizer returns the ${amount} to you.`;

export function eventCancelled(p: CancelPayload): Rendered {
  const title = `${p.eventTitle ?? "Your event"} has been cancelled`;
  const amount = formatMoney(p.amountMinor ?? 0, p.currency ?? "EUR");
  const refund = !p.refund
    ? "Your tickets were free, so there is nothing to refund."
    : p.byCard === false
      ? notByCard(amount)
      : `We are refunding ${amount} (everything still paid for) to the card you paid with. Depending on your bank it shows within 5–10 days.`;
  const lines = [
    `We are sorry: ${p.eventTitle ?? "the event"}${p.startsAt ? ` on ${formatWhen(p.startsAt, p.timeZone)}` : ""} will not take place. Your tickets for booking ${formatReference(p.reference ?? "")} are no longer valid.`,
    refund,
  ];
  return {
    subject: `Cancelled: ${p.eventTitle ?? "your event"} (booking ${formatReference(p.reference ?? "")})`,
    html: shell({ title, preheader: lines[1], body: lines.map((l) => paragraph(esc(l))).join("\n") + button(siteUrl("/"), "See what else is on") }),
    text: textShell(title, [...lines, `See what else is on: ${siteUrl("/")}`]),
  };
}

type RefundPayload = CancelPayload & {
  reason?: string;
  tickets?: string[];
  feeMinor?: number;
  cancelledByCustomer?: boolean;
  bookingCancelled?: boolean;
};

/** A booking (or some of its tickets) refunded by the organizer or cancelled by the customer (lib/refunds). */
export function bookingRefunded(p: RefundPayload): Rendered {
  const money = (minor: number) => formatMoney(minor, p.currency ?? "EUR");
  const amount = p.amountMinor ?? 0;
  const booking = `booking ${formatReference(p.reference ?? "")} (${p.eventTitle ?? "your event"})`;
  const title = amount > 0 ? "Your refund is on its way" : p.cancelledByCustomer ? "Your booking is cancelled" : "Some of your tickets were cancelled";
  const lines = [
    p.cancelledByCustomer
      ? `As you asked, we cancelled ${booking}.`
      : p.bookingCancelled
        ? `The organizer cancelled and refunded ${booking}.`
        : `The organizer refunded some tickets of ${booking}; the others stay valid.`,
    p.tickets?.length ? `These tickets are no longer valid: ${p.tickets.join("; ")}.` : "",
    p.reason ? `Reason: ${p.reason}` : "",
    amount > 0 && p.byCard === false
      ? notByCard(money(amount))
      : amount > 0
        ? `We are refunding ${money(amount)} to the card you paid with${p.feeMinor ? ` (a cancellation fee of ${money(p.feeMinor)} was kept)` : ""}. Depending on your bank it shows within 5–10 days.`
        : p.feeMinor
          ? `The cancellation fee of ${money(p.feeMinor)} covers the whole price, so nothing is refunded.`
          : "The tickets were free, so there is nothing to refund.",
  ].filter(Boolean);
  return {
    subject: `${amount > 0 ? "Refund for" : "Cancelled:"} booking ${formatReference(p.reference ?? "")}`,
    html: shell({ title, preheader: lines[0], body: lines.map((l) => paragraph(esc(l))).join("\n") }),
    text: textShell(title, lines),
  };
}
