import { z } from "zod";

// An event happens somewhere: its times are shown in the time zone of its venue (an IANA name
// such as "Europe/Dublin"), labelled with the offset, and read the same way on the server and in
// every browser. Everything here is computed from the instant and the zone alone, never from the
// machine's own zone, and the text is assembled from parts rather than left to each runtime's
// locale data, so a page renders the same text on the server as after hydration.

export const DEFAULT_TIME_ZONE = "UTC";
/** A venue's zone when none is given (the demo's venues are in Berlin); db/schema.ts has the same default. */
export const VENUE_TIME_ZONE_DEFAULT = "Europe/Berlin";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

let known: Map<string, string> | undefined;

/**
 * The zone as stored: an IANA name this runtime knows, spelled as its list spells it ("europe/dublin"
 * → "Europe/Dublin"); a valid name missing from the list (a newer alias such as "Asia/Kolkata")
 * is kept as given. Null when it is not a zone.
 */
export function canonicalTimeZone(name: unknown): string | null {
  if (typeof name !== "string" || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    return null;
  }
  known ??= new Map(timeZoneNames().map((z) => [z.toLowerCase(), z]));
  return known.get(name.toLowerCase()) ?? name;
}

export const timeZoneSchema = z
  .string({ message: "Choose a time zone" })
  .trim()
  .transform((v, ctx) => {
    const zone = canonicalTimeZone(v);
    if (!zone) {
      ctx.addIssue({ code: "custom", message: 'Use a time zone name such as "Europe/Dublin" or "America/New_York"' });
      return z.NEVER;
    }
    return zone;
  });

/** Every zone name to offer in a picker. */
export function timeZoneNames(): string[] {
  const names = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return names.includes(DEFAULT_TIME_ZONE) ? names : [DEFAULT_TIME_ZONE, ...names];
}

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallTime(instant: number, timeZone: string): Wall {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** Minutes the zone is ahead of UTC at that instant (Dublin in summer: 60). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const w = wallTime(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60_000);
}

/** "GMT", "GMT+1", "GMT-5", "GMT+5:30". */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return "GMT";
  const abs = Math.abs(minutes);
  const mm = abs % 60;
  return `GMT${minutes < 0 ? "-" : "+"}${Math.floor(abs / 60)}${mm ? `:${String(mm).padStart(2, "0")}` : ""}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "Sat 14 Mar 2026, 19:30" (or "14 Mar 2026", or "19:30", or "19:30:05" with seconds) as the clock on the wall of `timeZone` reads it. */
export function formatInZone(iso: string | Date, timeZone: string, opts: { dateOnly?: boolean; timeOnly?: boolean; seconds?: boolean } = {}): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const w = wallTime(t, timeZone);
  const time = `${pad(w.hour)}:${pad(w.minute)}${opts.seconds ? `:${pad(w.second)}` : ""}`;
  if (opts.timeOnly) return time;
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
  const date = `${w.day} ${MONTHS[w.month - 1]} ${w.year}`;
  return opts.dateOnly ? date : `${weekday} ${date}, ${time}`;
}

/** The offset label of `timeZone` at that instant ("GMT+1"). */
export function zoneLabel(iso: string | Date, timeZone: string): string {
  return offsetLabel(offsetMinutes(new Date(iso), timeZone));
}

/** "2026-03-14T19:30": the value a datetime-local input shows for that instant in `timeZone`. */
export function toWallInput(iso: string | Date, timeZone: string): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const w = wallTime(t, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The wall time `days` calendar days after `wall` ("2026-03-14T19:30" + 1 → "2026-03-15T19:30"), whatever the clocks do meanwhile. */
export function addWallDays(wall: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T.*)$/.exec(wall);
  if (!m) return "";
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${m[4]}`;
}

/**
 * The instant at which the clocks of `timeZone` show `wall` ("2026-03-14T19:30"), or null when it
 * is not a date and time. A wall time that happens twice (clocks going back) is the first of the
 * two; one skipped by clocks going forward is read with the offset from before the change, so it
 * lands as far after the change as it was meant after the hour (02:30 → 03:30).
 */
export function fromWallInput(wall: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  if (h > 23 || mi > 59 || s > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(asUtc) || new Date(asUtc).getUTCDate() !== d || new Date(asUtc).getUTCMonth() !== mo - 1) return null;
  const day = 86_400_000;
  const before = asUtc - offsetMinutes(asUtc - day, timeZone) * 60_000;
  const after = asUtc - offsetMinutes(asUtc + day, timeZone) * 60_000;
  const shows = (t: number) => t + offsetMinutes(t, timeZone) * 60_000 === asUtc;
  const fits = [before, after].filter(shows);
  return new Date(fits.length ? Math.min(...fits) : before);
}
