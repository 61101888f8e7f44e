import { z } from "zod";
import {
  checkEventTimes,
  customVenueEventSchema,
  eventUpdateSchema,
  registeredVenueEventSchema,
  type EventInput,
  type EventUpdateInput,
} from "@/lib/events/schemas";
import { currencyDigits, priceToMinor } from "@/lib/money";
import { parseJsonField, refineWith } from "../form-data";

// The event forms arrive flat: text fields, dates as ISO strings (the browser converts the
// organizer's local time), prices as typed ("12.50"), and the sections as JSON. Here they are
// reshaped into the domain inputs and validated by the domain schemas; every issue keeps its
// path (sections.1.priceMinor) so the form can show it beside its input.

type Raw = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" ? v : "");

function common(raw: Raw) {
  return {
    title: text(raw.title),
    description: text(raw.description),
    imageUrl: text(raw.imageUrl),
    startsAt: text(raw.startsAt),
    endsAt: text(raw.endsAt),
    saleStartsAt: text(raw.saleStartsAt),
    saleEndsAt: text(raw.saleEndsAt),
    holdMinutes: text(raw.holdMinutes),
    maxPerOrder: text(raw.maxPerOrder),
    maxPerCustomer: text(raw.maxPerCustomer).trim(),
    currency: text(raw.currency).trim().toUpperCase() || "EUR",
  };
}

/** Typed prices → minor units; a price that is not one becomes an issue on its field. */
function withPrices(raw: Raw, currency: string, ctx: z.RefinementCtx): { sections: unknown; bad: boolean } {
  const list = parseJsonField(raw.sections);
  if (!Array.isArray(list)) return { sections: list, bad: false };
  const digits = currencyDigits(currency);
  let bad = false;
  const sections = list.map((s: Record<string, unknown>, i) => {
    if (!s || typeof s !== "object") return s;
    const { price, ...rest } = s;
    const minor = priceToMinor(price, digits);
    if (minor === null) {
      bad = true;
      ctx.addIssue({ code: "custom", path: ["sections", i, "priceMinor"], message: digits ? "Use a price like 12.50" : "Use a whole price like 1200" });
    }
    return { ...rest, priceMinor: minor ?? 0 };
  });
  return { sections, bad };
}

function times(input: ReturnType<typeof common>, ctx: z.RefinementCtx) {
  const d = [input.startsAt, input.endsAt, input.saleStartsAt, input.saleEndsAt].map((t) => new Date(t));
  if (d.some((x) => Number.isNaN(x.getTime()))) return;
  checkEventTimes({ startsAt: d[0], endsAt: d[1], saleStartsAt: d[2], saleEndsAt: d[3] }, ctx);
}

export const createEventFormSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): EventInput => {
  const base = common(raw);
  const { sections, bad } = withPrices(raw, base.currency, ctx);
  const publish = raw.publish === "on";
  const out =
    raw.venueMode === "registered"
      ? refineWith(registeredVenueEventSchema, { ...base, publish, venueId: text(raw.venueId), sections }, ctx)
      : refineWith(
          customVenueEventSchema,
          {
            ...base,
            publish,
            venue: { name: text(raw.venueName), address: text(raw.venueAddress), timeZone: text(raw.venueTimeZone).trim() || undefined },
            sections,
          },
          ctx,
        );
  const before = ctx.issues.length;
  times(base, ctx);
  if (bad || out === z.NEVER || ctx.issues.length > before) return z.NEVER;
  return out;
});

export const updateEventFormSchema = z.record(z.string(), z.unknown()).transform((raw, ctx): { eventId: string; input: EventUpdateInput } => {
  const base = common(raw);
  const eventId = refineWith(z.uuid("Unknown event"), raw.eventId, ctx);
  const hasSections = typeof raw.sections === "string";
  const { sections, bad } = hasSections ? withPrices(raw, base.currency, ctx) : { sections: undefined, bad: false };
  const venue =
    typeof raw.venueName === "string"
      ? { name: text(raw.venueName), address: text(raw.venueAddress), timeZone: text(raw.venueTimeZone).trim() || undefined }
      : undefined;
  const input = refineWith(eventUpdateSchema, { ...base, version: text(raw.version), venue, sections }, ctx);
  if (bad || input === z.NEVER || eventId === z.NEVER) return z.NEVER;
  return { eventId, input };
});
