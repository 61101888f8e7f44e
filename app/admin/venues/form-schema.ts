import { z } from "zod";
import { venueInputSchema } from "@/lib/venues/schemas";
import { parseJsonField, refineWith } from "../form-data";

// The venue form: name, address and the section editor's JSON.

const fromForm = (raw: Record<string, unknown>) => ({
  name: raw.name ?? "",
  address: raw.address ?? "",
  timeZone: raw.timeZone || undefined,
  sections: parseJsonField(raw.sections),
});

export const createVenueFormSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => refineWith(venueInputSchema, fromForm(raw), ctx));

export const updateVenueFormSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const ids = refineWith(z.object({ venueId: z.uuid("Unknown venue"), version: z.coerce.number().int().min(1) }), raw, ctx);
  const input = refineWith(venueInputSchema, fromForm(raw), ctx);
  if (ids === z.NEVER || input === z.NEVER) return z.NEVER;
  return { ...ids, input };
});
