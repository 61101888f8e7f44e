import "server-only";
import { sql } from "drizzle-orm";
import { db } from "@/db";
import type { Actor } from "@/lib/auth/roles";
import { fail, fieldErrors, type Failure } from "@/lib/errors";
import { claimable } from "@/lib/inventory/places";
import { isUuid } from "@/lib/ids";
import { sectionOffered } from "@/lib/promo-codes/hidden";
import { getMyWaitlistEntry, type MyWaitlistEntry } from "./read";
import { joinWaitlistSchema, type JoinWaitlistInput } from "./schemas";

// Joining and leaving a waiting list. One may join while the event (or the chosen section) has
// nothing left to hold: while places are on sale, the way in is the seat map. One place in line
// per customer and event (waitlist_one_live_per_user_idx); joining again answers the place one
// already has.

type Result = { ok: true; entry: MyWaitlistEntry; joined: boolean } | Failure;

export async function joinWaitlist(actor: Actor, eventId: string, input: JoinWaitlistInput): Promise<Result> {
  const parsed = joinWaitlistSchema.safeParse(input);
  if (!parsed.success) return fail("validation_failed", "Please correct the highlighted fields.", { fields: fieldErrors(parsed.error) });
  if (!isUuid(eventId)) return fail("not_found", "This event does not exist.");
  const { quantity, sectionId } = parsed.data;
  // A hidden section the customer may not see is no section of this event (lib/promo-codes/hidden.ts).
  const offered = sectionOffered("s", sql`${actor.id}::uuid`);
  const [e] = await db().execute<{
    status: string;
    published: boolean;
    sale_over: boolean;
    max_per_order: number;
    max_per_customer: number | null;
    section_ok: boolean;
    free: number;
  }>(sql`
    SELECT e.status, e.published_at IS NOT NULL AS published, now() >= e.sale_ends_at AS sale_over, e.max_per_order, e.max_per_customer,
      ${sectionId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM event_sections s WHERE s.id = ${sectionId ?? null}::uuid AND s.event_id = e.id
        AND ${offered}) AS section_ok,
      (SELECT count(*)::int FROM inventory i JOIN event_sections s ON s.id = i.section_id AND ${offered}
        WHERE i.event_id = e.id AND ${claimable()} ${sectionId ? sql`AND i.section_id = ${sectionId}` : sql``}) AS free
    FROM events e WHERE e.id = ${eventId}`);
  if (!e || !e.published) return fail("not_found", "This event does not exist.");
  if (e.status === "CANCELLED" || e.status === "COMPLETED" || e.sale_over) return fail("sale_not_open", "Sales for this event have ended.");
  if (!e.section_ok) return fail("validation_failed", "That section does not belong to this event.", { fields: { sectionId: ["Unknown section"] } });
  // The per-customer limit bounds one entry too; the offer counts it again, with the places the
  // customer has by then (lib/waitlist/offer.ts).
  const most = Math.min(e.max_per_order, e.max_per_customer ?? e.max_per_order);
  if (quantity > most) {
    return fail("limit_exceeded", `You can ask for at most ${most} places for this event.`, {
      limit: most,
      fields: { quantity: [`At most ${most}`] },
    });
  }
  if (e.status === "UPCOMING") return fail("sale_not_open", "Sales for this event have not started yet: the waiting list opens once it sells out.");
  if (e.free > 0) {
    return fail("conflict", `${e.free} place${e.free === 1 ? " is" : "s are"} still on sale: choose ${e.free === 1 ? "it" : "them"} on the seat map instead.`, {
      available: e.free,
    });
  }
  const [row] = await db().execute<{ id: string }>(sql`
    INSERT INTO waitlist_entries (event_id, section_id, user_id, quantity)
    VALUES (${eventId}, ${sectionId ?? null}, ${actor.id}, ${quantity})
    ON CONFLICT (event_id, user_id) WHERE status IN ('WAITING', 'OFFERED') DO NOTHING
    RETURNING id`);
  const entry = await getMyWaitlistEntry(actor, eventId);
  return { ok: true, entry: entry!, joined: !!row };
}

/** Leaves the list while still waiting. An offer already made is given back by releasing its hold. */
export async function leaveWaitlist(actor: Actor, eventId: string): Promise<{ ok: true; left: boolean } | Failure> {
  if (!isUuid(eventId)) return fail("not_found", "This event does not exist.");
  const rows = await db().execute<{ id: string }>(sql`
    UPDATE waitlist_entries SET status = 'LEFT', updated_at = now()
    WHERE event_id = ${eventId} AND user_id = ${actor.id} AND status = 'WAITING'
    RETURNING id`);
  return { ok: true, left: rows.length > 0 };
}
