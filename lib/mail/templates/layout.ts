import "server-only";
import { formatInZone, zoneLabel } from "@/lib/time-zone";
import { env } from "@/lib/env";

// The shell every message shares: HTML for mail clients (tables and inline styles, because
// many clients ignore <style> and flexbox; a lang attribute, a title, presentation roles and
// high-contrast colours for screen readers and readers alike) and the same words as plain text.

export type Attachment = { filename: string; content: Buffer; contentType: string; cid?: string; contentDisposition?: "inline" | "attachment" };
export type Rendered = { subject: string; html: string; text: string; attachments?: Attachment[] };

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML; every value from the database or a user goes through it. */
export const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);

export function siteUrl(path = "/"): string {
  const base = env().PUBLIC_BASE_URL ?? "http://localhost:3000";
  return new URL(path, base).toString();
}

export function button(href: string, label: string): string {
  return `<table role="presentation" cellspacing="0" cellpadding="0" border="0" style="margin:24px 0"><tr>
<td style="border-radius:8px;background:#4338ca"><a href="${esc(href)}" style="display:inline-block;padding:12px 22px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:8px">${esc(label)}</a></td>
</tr></table>`;
}

export const paragraph = (html: string) => `<p style="margin:0 0 14px">${html}</p>`;

export function shell(opts: { title: string; preheader: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(opts.title)}</title>
</head>
<body style="margin:0;padding:0;background:#f1f5f9">
<div style="display:none;max-height:0;overflow:hidden">${esc(opts.preheader)}</div>
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="background:#f1f5f9">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" border="0" style="max-width:600px">
<tr><td style="padding:0 4px 12px;font:700 20px/1.3 Arial,Helvetica,sans-serif;color:#312e81">Tessera</td></tr>
<tr><td style="background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:28px 28px 12px;font:16px/1.55 Arial,Helvetica,sans-serif;color:#0f172a">
<h1 style="margin:0 0 16px;font-size:24px;line-height:1.25;color:#0f172a">${esc(opts.title)}</h1>
${opts.body}
</td></tr>
<tr><td style="padding:16px 4px;font:13px/1.5 Arial,Helvetica,sans-serif;color:#475569">
You receive this email because of your account or booking at <a href="${esc(siteUrl())}" style="color:#3730a3">Tessera</a>.
Questions? Reply to this email.
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}

/** Plain-text version: the title underlined, then paragraphs; links written out in full. */
export function textShell(title: string, paragraphs: string[]): string {
  return [title, "=".repeat(Math.min(title.length, 70)), "", ...paragraphs.flatMap((p) => [p, ""]), "-- ", `Tessera · ${siteUrl()}`].join("\n");
}

/** "Saturday 14 March 2026, 19:30 UTC": email has no browser to tell the reader's zone. */
/** An event's time on its venue's clock, labelled ("Sat 12 Dec 2026, 19:30 GMT+1"); in UTC when the zone is not known. */
export function formatWhen(iso: string | Date, timeZone?: string): string {
  if (timeZone) return `${formatInZone(iso, timeZone)} ${zoneLabel(iso, timeZone)}`;
  const d = typeof iso === "string" ? new Date(iso) : iso;
  const date = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(d);
  return `${date}, ${time} UTC`;
}
