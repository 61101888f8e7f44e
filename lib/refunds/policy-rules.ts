import type { Event } from "@/db/schema";
import type { CancellationPolicy } from "./schemas";

// The customer cancellation policy's rules that need no database (docs/refunds.md): reading it
// from an event row, the fee it keeps, and how it reads to people. Pure: the event page, the
// checkout, the booking page and the REST event detail all show it the same way.

type PolicyColumns = Pick<Event, "customerCancelHours" | "customerCancelFeeMinor" | "customerCancelFeePercent" | "currency">;

export function policyOf(e: PolicyColumns): CancellationPolicy {
  return {
    allowed: e.customerCancelHours !== null,
    hoursBefore: e.customerCancelHours,
    feeMinor: e.customerCancelFeeMinor,
    feePercent: e.customerCancelFeePercent,
    currency: e.currency.trim(),
  };
}

/** The fee kept when tickets worth `ticketsMinor` are cancelled under `policy`. */
export function cancellationFee(policy: Pick<CancellationPolicy, "feeMinor" | "feePercent">, ticketsMinor: number): number {
  const fee = policy.feePercent > 0 ? Math.floor((ticketsMinor * policy.feePercent) / 100) : policy.feeMinor;
  return Math.max(0, Math.min(ticketsMinor, fee));
}

/** "Free cancellation until 48 hours before the start", "… for a fee of 10%": for people. */
export function describePolicy(p: CancellationPolicy, money: (minor: number) => string): string {
  if (!p.allowed) return "Bookings cannot be cancelled by customers; contact the organizer.";
  const until = p.hoursBefore === 0 ? "until the start" : `until ${p.hoursBefore} hour${p.hoursBefore === 1 ? "" : "s"} before the start`;
  const fee = p.feePercent > 0 ? ` for a fee of ${p.feePercent}%` : p.feeMinor > 0 ? ` for a fee of ${money(p.feeMinor)}` : " free of charge";
  return `You can cancel your booking ${until}${fee}.`;
}
