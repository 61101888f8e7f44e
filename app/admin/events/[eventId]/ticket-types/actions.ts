"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/roles";
import { fail } from "@/lib/errors";
import { getEventDetail } from "@/lib/events/queries";
import { currencyDigits, priceToMinor } from "@/lib/money";
import { createTicketType, retireTicketType, updateTicketType, type TicketTypeOutcome } from "@/lib/ticket-types/manage";
import type { TicketTypeRequest } from "@/lib/ticket-types/schemas";

// Ticket types from the organizer area (docs/box-office.md). action() checks the session and the
// staff role; lib/ticket-types checks that this organizer runs the event and applies the rules.
// The form names sections it offers the type in (sections[]) and a price per section in major
// units (price_<sectionId>); the lib takes minor units per section, and its field names
// (prices.N.priceMinor) are mapped back onto the form's.

const formSchema = z
  .object({
    eventId: z.uuid("Unknown event"),
    typeId: z.uuid().optional(),
    name: z.string().max(200),
    note: z.string().max(1000).optional(),
    sortOrder: z.string().max(10).optional(),
    limit: z.string().max(10).optional(),
    "sections[]": z.array(z.uuid("Unknown section")).max(100).optional(),
  })
  .catchall(z.unknown());

type Form = z.infer<typeof formSchema>;
type Parsed = { request: TicketTypeRequest; fieldOf: (libField: string) => string } | { error: ActionState };

async function toRequest(actor: Actor, d: Form): Promise<Parsed> {
  const event = await getEventDetail(d.eventId, actor);
  if (!event) return { error: failureState(fail("not_found", "This event does not exist or is not yours.")) };
  const digits = currencyDigits(event.currency);
  const chosen = d["sections[]"] ?? [];
  const fields: Record<string, string[]> = {};
  const prices = chosen.map((sectionId) => {
    const minor = priceToMinor(d[`price_${sectionId}`], digits);
    if (minor === null) fields[`price_${sectionId}`] = ["Enter a price, e.g. 25.00"];
    return { sectionId, priceMinor: minor ?? 0 };
  });
  const whole = (text: string | undefined, field: string): number | undefined => {
    if (!text?.trim()) return undefined;
    if (!/^\d{1,7}$/.test(text.trim())) {
      fields[field] = ["Use a whole number"];
      return undefined;
    }
    return Number(text.trim());
  };
  const sortOrder = whole(d.sortOrder, "sortOrder");
  const limit = whole(d.limit, "limit");
  if (Object.keys(fields).length)
    return { error: { ok: false, code: "validation_failed", formError: "Please correct the highlighted fields.", fieldErrors: fields } };
  return {
    request: { name: d.name, note: d.note ?? "", ...(sortOrder !== undefined ? { sortOrder } : {}), limit: limit ?? null, prices },
    fieldOf: (f) => {
      const m = f.match(/^prices\.(\d+)\.\w+$/);
      if (m) return `price_${chosen[Number(m[1])]}`;
      return f === "prices" ? "sections[]" : f;
    },
  };
}

function answer(eventId: string, r: TicketTypeOutcome, fieldOf: (f: string) => string, done: string): ActionState {
  if (!r.ok) {
    const fields = Object.fromEntries(Object.entries(r.fields ?? {}).map(([k, v]) => [fieldOf(k), v]));
    return failureState({ ...r, fields });
  }
  revalidatePath(`/admin/events/${eventId}/ticket-types`);
  revalidatePath(`/admin/events/${eventId}`);
  return { ok: true, message: `${r.ticketType.name}: ${done}.` };
}

export const createTicketTypeAction = action({ schema: formSchema, roles: STAFF_ROLES }, async (d, actor): Promise<ActionState> => {
  const parsed = await toRequest(actor, d);
  if ("error" in parsed) return parsed.error;
  return answer(d.eventId, await createTicketType(actor, d.eventId, parsed.request), parsed.fieldOf, "created");
});

export const updateTicketTypeAction = action({ schema: formSchema, roles: STAFF_ROLES }, async (d, actor): Promise<ActionState> => {
  if (!d.typeId) return { ok: false, code: "validation_failed", formError: "This form could not be read. Reload the page and try again." };
  const parsed = await toRequest(actor, d);
  if ("error" in parsed) return parsed.error;
  return answer(d.eventId, await updateTicketType(actor, d.eventId, d.typeId, parsed.request), parsed.fieldOf, "saved");
});

const retireSchema = z.object({ eventId: z.uuid("Unknown event"), typeId: z.uuid("Unknown ticket type") });

export const retireTicketTypeAction = action({ schema: retireSchema, roles: STAFF_ROLES }, async (d, actor): Promise<ActionState> => {
  return answer(d.eventId, await retireTicketType(actor, d.eventId, d.typeId), (f) => f, "retired: no new hold is offered it");
});
