import "server-only";
import crypto from "node:crypto";
import QRCode from "qrcode";
import { env } from "@/lib/env";
import { isUuid } from "@/lib/ids";

// A ticket's QR code carries "TK1.<ticketId>.<code>.<mac>": the ticket id, its unguessable code
// (128 random bits, stored in tickets.code) and an HMAC-SHA256 over both with a key derived
// from AUTH_SECRET. Check-in can reject forged or altered payloads before touching the
// database, and a leaked database dump alone cannot mint valid QR codes.

const VERSION = "TK1";
const CODE = /^[A-Za-z0-9_-]{16,64}$/;

let cachedKey: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = env().AUTH_SECRET!;
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(crypto.hkdfSync("sha256", secret, "tessera", "ticket-qr-v1", 32)) };
  }
  return cachedKey.key;
}

function mac(body: string): string {
  return crypto.createHmac("sha256", key()).update(body).digest("base64url");
}

/** A fresh unguessable ticket code. */
export function newTicketCode(): string {
  return crypto.randomBytes(16).toString("base64url");
}

export function ticketQrPayload(ticket: { id: string; code: string }): string {
  const body = `${VERSION}.${ticket.id}.${ticket.code}`;
  return `${body}.${mac(body)}`;
}

export function verifyTicketPayload(payload: string): { ticketId: string; code: string } | null {
  if (typeof payload !== "string" || payload.length > 200) return null;
  const parts = payload.trim().split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const [, ticketId, code, sig] = parts;
  if (!isUuid(ticketId) || !CODE.test(code)) return null;
  const expected = Buffer.from(mac(`${VERSION}.${ticketId}.${code}`));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { ticketId, code };
}

/** The QR code as an inline SVG document. */
export async function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
