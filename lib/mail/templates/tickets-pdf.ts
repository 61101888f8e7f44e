import "server-only";
import { PDFDocument, StandardFonts, rgb, type PDFFont } from "pdf-lib";
import { formatReference, type BookingView } from "@/lib/bookings";
import { formatShortCode } from "@/lib/tickets/short-code";
import { formatWhen, type Attachment } from "./layout";
import { formatMoney } from "@/lib/money";
import { placeLabel } from "@/lib/seatmap/labels";

// The tickets as a PDF: one A6 page per ticket (prints four to an A4 sheet, fits a phone), with
// the event, the seat, the booking reference and the ticket's QR code with the code the door
// can type printed under it. pdf-lib is pure
// JavaScript; its standard fonts cover Latin-1, so other characters are shown as "?".

const A6: [number, number] = [297.64, 419.53];

function printable(font: PDFFont, text: string): string {
  return [...text].map((ch) => (canEncode(font, ch) ? ch : "?")).join("");
}

function canEncode(font: PDFFont, ch: string): boolean {
  try {
    font.encodeText(ch);
    return true;
  } catch {
    return false;
  }
}

export async function ticketsPdf(booking: BookingView, qrs: Attachment[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const ref = formatReference(booking.reference);
  doc.setTitle(`Tickets ${ref} — ${booking.eventTitle}`);
  doc.setAuthor("Tessera");
  doc.setLanguage("en");
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const live = booking.tickets.filter((t) => t.status !== "VOID");
  for (const [i, t] of live.entries()) {
    const page = doc.addPage(A6);
    const { width, height } = page.getSize();
    const put = (text: string, y: number, size: number, font = regular, color = rgb(0.06, 0.09, 0.16)) =>
      page.drawText(printable(font, text), { x: 24, y, size, font, color, maxWidth: width - 48 });
    page.drawRectangle({ x: 0, y: height - 44, width, height: 44, color: rgb(0.26, 0.22, 0.79) });
    page.drawText("TESSERA TICKET", { x: 24, y: height - 28, size: 13, font: bold, color: rgb(1, 1, 1) });
    page.drawText(`${i + 1} of ${live.length}`, { x: width - 74, y: height - 28, size: 11, font: regular, color: rgb(1, 1, 1) });
    put(booking.eventTitle.slice(0, 60), height - 74, 15, bold);
    put(formatWhen(booking.startsAt, booking.timeZone), height - 94, 10);
    put(booking.venueName.slice(0, 70), height - 108, 10);
    put(placeLabel(t), height - 134, 12, bold);
    put(`${t.ticketTypeName ? `${t.ticketTypeName} · ` : ""}${formatMoney(t.priceMinor, booking.currency)} · booking ${ref}`, height - 150, 10);
    const png = await doc.embedPng(qrs[i].content);
    const size = 180;
    page.drawImage(png, { x: (width - size) / 2, y: 64, width: size, height: size });
    const code = `Ticket code ${formatShortCode(t.shortCode)}`;
    page.drawText(code, { x: (width - bold.widthOfTextAtSize(code, 12)) / 2, y: 46, size: 12, font: bold, color: rgb(0.06, 0.09, 0.16) });
    put("Show this code at the door. Each ticket is valid for one entry.", 28, 8);
  }
  return Buffer.from(await doc.save());
}
