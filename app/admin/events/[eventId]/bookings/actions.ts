"use server";

import { revalidatePath } from "next/cache";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { formatReference } from "@/lib/bookings/reference";
import { formatMoney } from "@/lib/money";
import { refundTickets } from "@/lib/refunds/refund";
import { refundFormSchema, type RefundView } from "@/lib/refunds/schemas";

// The organizer website's refund (docs/refunds.md): the same use case as
// POST /api/v1/bookings/reference/{reference}/refunds, so the same rules — the event's
// organizer (current role) or an admin, tickets still valid, each refunded once.

export const refundBookingAction = action(
  { schema: refundFormSchema, roles: STAFF_ROLES },
  async ({ eventId, reference, reason, "ticketIds[]": ticketIds }, actor): Promise<ActionState<RefundView>> => {
    const r = await refundTickets(actor, reference, { reason, ticketIds });
    if (!r.ok)
      return failureState(r, {
        not_found: "This booking does not exist, or it is not a booking of one of your events. Nothing was refunded.",
        forbidden: "Only the event's organizer or an admin can refund tickets. Nothing was refunded.",
      });
    revalidatePath(`/admin/events/${eventId}/bookings/${r.refund.reference}`);
    const money = formatMoney(r.refund.amountMinor, r.refund.currency);
    const n = r.refund.tickets.length;
    const what = `${n} ticket${n === 1 ? "" : "s"} of booking ${formatReference(r.refund.reference)} refunded`;
    const back =
      r.refund.status === "NONE"
        ? r.refund.amountMinor > 0
          ? `It was paid at the box office, not by card: return ${money} to the customer there.`
          : "Nothing was paid for these tickets, so no money moves."
        : r.refund.status === "REFUNDED"
          ? `${money} is on its way back to the customer's card.`
          : `${money} goes back to the customer's card as soon as the payment provider answers (retried automatically).`;
    return { ok: true, message: `${what}. ${back} The seats are back on sale and the customer was emailed.`, data: r.refund };
  },
);
