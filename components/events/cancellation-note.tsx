import { formatMoney } from "@/lib/money";
import { describePolicy } from "@/lib/refunds/policy-rules";
import type { CancellationPolicy } from "@/lib/refunds/schemas";
import { LocalTime } from "../local-time";

// The event's customer cancellation policy in words (lib/refunds/policy-rules.ts), with the
// last moment to cancel as a time in the viewer's zone: shown before buying (event page,
// checkout) and on the booking.

export function CancellationNote({ policy, startsAt, className = "" }: { policy: CancellationPolicy; startsAt: string; className?: string }) {
  const until = policy.allowed && policy.hoursBefore !== null ? new Date(Date.parse(startsAt) - policy.hoursBefore * 3600_000).toISOString() : null;
  return (
    <p className={`text-sm text-slate-800 ${className}`} data-testid="cancellation-policy-note">
      <span className="font-medium">Cancellation: </span>
      {describePolicy(policy, (minor) => formatMoney(minor, policy.currency))}
      {until && (
        <>
          {" "}
          Last moment to cancel: <LocalTime iso={until} />.
        </>
      )}
    </p>
  );
}
