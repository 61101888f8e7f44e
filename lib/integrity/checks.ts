import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db";
import { claimable, heldNow } from "@/lib/inventory/places";

// Every invariant of docs/invariants.md as a query that counts violations (0 = holds). Used by
// `npm run check:integrity`, by every race and fault test, and by the benchmarks.
// Pass an eventId to check one event only.

export type IntegrityCheck = { name: string; description: string; violations: number };

function checks(eventId?: string): { name: string; description: string; query: SQL }[] {
  const ev = (col: SQL) => (eventId ? sql`AND ${col} = ${eventId}` : sql``);
  return [
    {
      name: "seat_sold_once",
      description: "No place has more than one live (valid or used) ticket",
      query: sql`SELECT count(*)::int AS n FROM (
        SELECT inventory_id FROM tickets WHERE status <> 'VOID' ${ev(sql`event_id`)}
        GROUP BY inventory_id HAVING count(*) > 1) d`,
    },
    {
      name: "sold_rows_have_one_ticket",
      description: "Every SOLD place has exactly one live ticket, and every live ticket's place is SOLD",
      query: sql`SELECT count(*)::int AS n FROM inventory i
        LEFT JOIN tickets t ON t.inventory_id = i.id AND t.status <> 'VOID'
        WHERE (i.status = 'SOLD') <> (t.id IS NOT NULL) ${ev(sql`i.event_id`)}`,
    },
    {
      name: "section_capacity",
      description: "Each section has exactly `capacity` places (available + held + sold + blocked = capacity)",
      query: sql`SELECT count(*)::int AS n FROM event_sections s
        LEFT JOIN LATERAL (SELECT count(*)::int AS places FROM inventory i WHERE i.section_id = s.id) c ON true
        WHERE c.places <> s.capacity ${ev(sql`s.event_id`)}`,
    },
    {
      // Kept off sale means not sold and not held: no reservation, no live ticket (the latter is
      // also in sold_rows_have_one_ticket; this one names the cause).
      name: "blocked_places_off_sale",
      description: "A blocked place belongs to no reservation and has no live ticket",
      query: sql`SELECT count(*)::int AS n FROM inventory i
        WHERE i.status = 'BLOCKED' ${ev(sql`i.event_id`)}
          AND (i.reservation_id IS NOT NULL OR EXISTS (SELECT 1 FROM tickets t WHERE t.inventory_id = i.id AND t.status <> 'VOID'))`,
    },
    {
      name: "ga_within_capacity",
      description: "Live tickets per section never exceed its capacity",
      query: sql`SELECT count(*)::int AS n FROM event_sections s
        WHERE (SELECT count(*) FROM tickets t WHERE t.section_id = s.id AND t.status <> 'VOID') > s.capacity ${ev(sql`s.event_id`)}`,
    },
    {
      name: "held_rows_belong_to_open_reservation",
      description: "A place held and not yet expired belongs to an open (ACTIVE or PAYMENT) reservation of the same event",
      query: sql`SELECT count(*)::int AS n FROM inventory i
        LEFT JOIN reservations r ON r.id = i.reservation_id
        WHERE ${heldNow()}
          AND (r.id IS NULL OR r.status NOT IN ('ACTIVE', 'PAYMENT') OR r.event_id <> i.event_id) ${ev(sql`i.event_id`)}`,
    },
    {
      // The other direction: a customer told "these places are yours" still holds every one of
      // them while the hold runs (nothing — a block, another claim — took one away).
      name: "open_reservation_holds_its_places",
      description: "An ACTIVE reservation whose hold is still running holds exactly `quantity` places",
      query: sql`SELECT count(*)::int AS n FROM reservations r
        WHERE r.status = 'ACTIVE' AND r.expires_at > now() ${ev(sql`r.event_id`)}
          AND r.quantity <> (SELECT count(*) FROM inventory i WHERE i.reservation_id = r.id AND i.status = 'HELD')`,
    },
    {
      name: "tickets_only_for_confirmed_bookings",
      description: "Live tickets belong to CONFIRMED bookings; cancelled bookings have only VOID tickets",
      query: sql`SELECT count(*)::int AS n FROM tickets t JOIN bookings b ON b.id = t.booking_id
        WHERE t.status <> 'VOID' AND b.status <> 'CONFIRMED' ${ev(sql`t.event_id`)}`,
    },
    {
      name: "charge_matched",
      description: "Every successful charge ends as a confirmed booking or a refund",
      query: sql`SELECT count(*)::int AS n FROM payments p JOIN checkouts c ON c.id = p.checkout_id
        WHERE p.kind = 'CHARGE' AND p.status = 'SUCCEEDED'
          AND c.state NOT IN ('STARTED', 'CHARGED')
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = c.booking_id AND b.status = 'CONFIRMED')
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.checkout_id = c.id AND r.kind = 'REFUND' AND r.status = 'SUCCEEDED')
          AND NOT EXISTS (SELECT 1 FROM refunds rf WHERE rf.booking_id = c.booking_id AND rf.amount_minor = 0)
          ${ev(sql`c.event_id`)}`,
    },
    {
      // docs/invariants.md, I4 to the cent: what a settled checkout charged, minus every refund
      // recorded for it (pending or done), is exactly what its booking still holds — the prices
      // of its live tickets plus the cancellation fees kept — or 0 without a booking.
      name: "money_balanced",
      description: "For every settled charge: charged − refunded = live tickets' prices + fees kept (0 without a booking)",
      query: sql`SELECT count(*)::int AS n FROM checkouts c
        JOIN payments ch ON ch.checkout_id = c.id AND ch.kind = 'CHARGE' AND ch.status = 'SUCCEEDED'
        WHERE c.state IN ('BOOKED', 'REFUNDED') ${ev(sql`c.event_id`)}
          AND ch.amount_minor - (SELECT coalesce(sum(r.amount_minor), 0) FROM payments r
                                 WHERE r.checkout_id = c.id AND r.kind = 'REFUND' AND r.status IN ('PENDING', 'SUCCEEDED'))
              <> ${heldBy(sql`c.booking_id`)}`,
    },
    {
      name: "refunds_consistent",
      description:
        "Each refund names its tickets (VOID, of its booking, at their price), its amount is their price minus the fee, and it has exactly one money movement of that amount when something was paid",
      query: sql`SELECT count(*)::int AS n FROM refunds r
        WHERE (r.tickets_minor <> (SELECT coalesce(sum(rt.price_minor), 0) FROM refund_tickets rt WHERE rt.refund_id = r.id)
           OR NOT EXISTS (SELECT 1 FROM refund_tickets rt WHERE rt.refund_id = r.id)
           OR EXISTS (SELECT 1 FROM refund_tickets rt JOIN tickets t ON t.id = rt.ticket_id
                      WHERE rt.refund_id = r.id AND (t.status <> 'VOID' OR t.booking_id <> r.booking_id OR t.price_minor <> rt.price_minor))
           OR (SELECT count(*) FROM payments p WHERE p.refund_id = r.id AND p.kind = 'REFUND' AND p.amount_minor = r.amount_minor)
              <> CASE WHEN r.amount_minor > 0 AND EXISTS (SELECT 1 FROM payments ch WHERE ch.checkout_id = r.checkout_id AND ch.kind = 'CHARGE' AND ch.status = 'SUCCEEDED')
                      THEN 1 ELSE 0 END
           OR EXISTS (SELECT 1 FROM payments p WHERE p.refund_id = r.id AND p.amount_minor <> r.amount_minor))
          ${ev(sql`r.event_id`)}`,
    },
    {
      name: "refund_not_stuck",
      description: "No refund waits for the payment provider more than 5 minutes (the sweep retries them)",
      query: sql`SELECT count(*)::int AS n FROM payments p JOIN checkouts c ON c.id = p.checkout_id
        WHERE p.kind = 'REFUND' AND p.status = 'PENDING' AND p.created_at < now() - interval '5 minutes' ${ev(sql`c.event_id`)}`,
    },
    {
      // The provider's own books, not ours: a charge it took that we never recorded (a process
      // died between charge and record) is money lost unless it ends as a booking or a refund.
      // Checkouts still in progress (up to 5 minutes past their deadline) are not counted yet.
      name: "provider_charges_settled",
      description: "Every charge the mock provider took ends as a confirmed booking or a refund (mock provider's ledger)",
      query: sql`SELECT count(*)::int AS n FROM mock_ledger l
        LEFT JOIN checkouts c ON c.provider_key = l.idempotency_key
        WHERE l.kind = 'CHARGE' AND l.outcome = 'succeeded'
          AND NOT EXISTS (SELECT 1 FROM mock_ledger r WHERE r.kind = 'REFUND' AND r.charge_id = l.charge_id)
          AND NOT coalesce(c.state = 'BOOKED' AND EXISTS (SELECT 1 FROM bookings b WHERE b.id = c.booking_id AND b.status = 'CONFIRMED'), false)
          AND NOT EXISTS (SELECT 1 FROM refunds rf WHERE rf.booking_id = c.booking_id AND rf.amount_minor = 0)
          AND NOT coalesce(c.state IN ('STARTED', 'CHARGED') AND c.deadline >= now() - interval '5 minutes', false)
          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND' AND p.status = 'PENDING' AND p.created_at >= now() - interval '5 minutes')
          ${eventId ? sql`AND c.event_id = ${eventId}` : sql``}`,
    },
    {
      // The same balance on the provider's own books (the mock provider's ledger): what it
      // charged minus what it refunded is what the booking holds, once no refund is under way.
      name: "provider_books_balanced",
      description: "For every settled mock charge: charged − refunded at the provider = live tickets' prices + fees kept (0 without a booking)",
      query: sql`SELECT count(*)::int AS n FROM mock_ledger l JOIN checkouts c ON c.provider_key = l.idempotency_key
        WHERE l.kind = 'CHARGE' AND l.outcome = 'succeeded' AND c.state IN ('BOOKED', 'REFUNDED') ${ev(sql`c.event_id`)}
          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'REFUND' AND p.status = 'PENDING')
          AND l.amount_minor - (SELECT coalesce(sum(r.amount_minor), 0) FROM mock_ledger r WHERE r.kind = 'REFUND' AND r.charge_id = l.charge_id)
              <> ${heldBy(sql`c.booking_id`)}`,
    },
    {
      name: "charged_at_most_once",
      description: "No reservation was charged more than once (refunded charges excepted)",
      query: sql`SELECT count(*)::int AS n FROM (
        SELECT c.reservation_id FROM payments p JOIN checkouts c ON c.id = p.checkout_id
        WHERE p.kind = 'CHARGE' AND p.status = 'SUCCEEDED'
          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.checkout_id = c.id AND r.kind = 'REFUND' AND r.status = 'SUCCEEDED')
          ${ev(sql`c.event_id`)}
        GROUP BY c.reservation_id HAVING count(*) > 1) d`,
    },
    {
      // A web sale is paid through a checkout: a booking without one (or without a successful
      // charge when it cost something) is a sale nobody paid for. Box-office orders (payment
      // method and staff member recorded, lib/box-office) are paid at the desk or given away,
      // and never go through a checkout.
      name: "booking_paid_or_box_office",
      description: "A web booking comes from a checkout with a successful charge (or a free one); a box-office booking from no checkout",
      query: sql`SELECT count(*)::int AS n FROM bookings b
        WHERE (CASE WHEN b.payment_method IS NULL THEN NOT EXISTS (
            SELECT 1 FROM checkouts c WHERE c.booking_id = b.id
              AND (c.amount_minor = 0 OR EXISTS (SELECT 1 FROM payments p WHERE p.checkout_id = c.id AND p.kind = 'CHARGE' AND p.status IN ('SUCCEEDED', 'REFUNDED'))))
          ELSE b.sold_by IS NULL OR EXISTS (SELECT 1 FROM checkouts c WHERE c.reservation_id = b.reservation_id) END) ${ev(sql`b.event_id`)}`,
    },
    {
      name: "booking_amount_matches_tickets",
      description: "A booking's amount equals the sum of its tickets' prices",
      query: sql`SELECT count(*)::int AS n FROM bookings b
        WHERE b.amount_minor <> (SELECT coalesce(sum(t.price_minor), 0) FROM tickets t WHERE t.booking_id = b.id) ${ev(sql`b.event_id`)}`,
    },
    {
      // Checkout start and box-office orders count under a lock on the type's row (docs/box-office.md).
      name: "ticket_type_within_limit",
      description: "Live tickets of a ticket type never exceed its limit",
      query: sql`SELECT count(*)::int AS n FROM ticket_types ty
        WHERE ty.limit_quantity IS NOT NULL ${ev(sql`ty.event_id`)}
          AND (SELECT count(*) FROM tickets t WHERE t.ticket_type_id = ty.id AND t.status <> 'VOID') > ty.limit_quantity`,
    },
    {
      // Checkout start counts a code's uses under a lock on its row (docs/promo-codes.md).
      name: "promo_code_within_limits",
      description: "No discount code is redeemed more often than its limits allow, in total or by one customer",
      query: sql`SELECT count(*)::int AS n FROM promo_codes pc
        WHERE (pc.max_uses IS NOT NULL OR pc.max_uses_per_customer IS NOT NULL) ${ev(sql`pc.event_id`)}
          AND ((SELECT count(*) FROM promo_redemptions r WHERE r.code_id = pc.id) > pc.max_uses
            OR EXISTS (SELECT 1 FROM promo_redemptions r WHERE r.code_id = pc.id GROUP BY r.user_id HAVING count(*) > pc.max_uses_per_customer))`,
    },
    {
      name: "promo_redemption_matches_booking",
      description: "Every booking paid with a code has its redemption, of a code of its event, with the checkout's discount",
      query: sql`SELECT count(*)::int AS n FROM checkouts c
        LEFT JOIN promo_redemptions r ON r.booking_id = c.booking_id
        LEFT JOIN promo_codes pc ON pc.id = r.code_id
        WHERE c.state = 'BOOKED' AND c.promo_code_id IS NOT NULL ${ev(sql`c.event_id`)}
          AND (r.id IS NULL OR r.code_id <> c.promo_code_id OR r.discount_minor <> c.discount_minor OR pc.event_id <> c.event_id)`,
    },
    {
      name: "ticket_type_of_its_event",
      description: "A ticket's type belongs to the ticket's event",
      query: sql`SELECT count(*)::int AS n FROM tickets t JOIN ticket_types ty ON ty.id = t.ticket_type_id
        WHERE ty.event_id <> t.event_id ${ev(sql`t.event_id`)}`,
    },
    {
      name: "no_checkout_stuck",
      description: "No checkout is left between steps more than 5 minutes past its deadline (the sweep finishes them)",
      query: sql`SELECT count(*)::int AS n FROM checkouts c
        WHERE c.state IN ('STARTED', 'CHARGED') AND c.deadline < now() - interval '5 minutes' ${ev(sql`c.event_id`)}`,
    },
    {
      // Written in the booking's own statement or transaction (lib/mail/outbox.ts): a booking
      // without one means a path that books without telling the customer.
      name: "booking_confirmation_queued",
      description: "Every booking has its confirmation email in the outbox (queued, sent, or skipped for bookings older than email)",
      query: sql`SELECT count(*)::int AS n FROM bookings b
        WHERE NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.dedupe_key = 'booking_confirmed:' || b.id::text) ${ev(sql`b.event_id`)}`,
    },
    {
      name: "outbox_secrets_cleared",
      description: "A message that was sent or given up no longer keeps the secrets it carried",
      query: sql`SELECT count(*)::int AS n FROM email_outbox WHERE status <> 'PENDING' AND secret IS NOT NULL`,
    },
    {
      name: "no_reservation_stuck_in_payment",
      description: "No reservation stays in PAYMENT more than 5 minutes past its payment deadline",
      query: sql`SELECT count(*)::int AS n FROM reservations r
        WHERE r.status = 'PAYMENT' AND r.payment_deadline < now() - interval '5 minutes' ${ev(sql`r.event_id`)}`,
    },
  ];
}

/** What a booking still holds of its charge: its live tickets' prices plus the cancellation fees kept (0 for none). */
function heldBy(bookingId: SQL): SQL {
  return sql`coalesce((SELECT sum(t.price_minor) FROM tickets t WHERE t.booking_id = ${bookingId} AND t.status <> 'VOID'), 0)
    + coalesce((SELECT sum(f.fee_minor) FROM refunds f WHERE f.booking_id = ${bookingId}), 0)`;
}

export async function runIntegrityChecks(q: DbOrTx, eventId?: string): Promise<IntegrityCheck[]> {
  const out: IntegrityCheck[] = [];
  for (const c of checks(eventId)) {
    const [row] = await q.execute<{ n: number }>(c.query);
    out.push({ name: c.name, description: c.description, violations: row.n });
  }
  return out;
}

/** Section counts at this instant: available (incl. expired holds), held, sold, blocked (off sale). */
export async function sectionCounts(q: DbOrTx, eventId: string) {
  const rows = await q.execute<{ section_id: string; capacity: number; available: number; held: number; sold: number; blocked: number }>(sql`
    SELECT s.id AS section_id, s.capacity,
      count(*) FILTER (WHERE ${claimable()})::int AS available,
      count(*) FILTER (WHERE ${heldNow()})::int AS held,
      count(*) FILTER (WHERE i.status = 'SOLD')::int AS sold,
      count(*) FILTER (WHERE i.status = 'BLOCKED')::int AS blocked
    FROM event_sections s JOIN inventory i ON i.section_id = s.id
    WHERE s.event_id = ${eventId}
    GROUP BY s.id, s.capacity`);
  return [...rows];
}
