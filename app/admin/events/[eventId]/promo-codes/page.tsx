import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeactivateCodeButton, PromoCodeForm } from "@/components/admin/promo-code-form";
import { ZonedTime } from "@/components/zoned-time";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getEventDetail } from "@/lib/events/queries";
import { formatMoney } from "@/lib/money";
import { listPromoCodes } from "@/lib/promo-codes/manage";
import { createPromoCodeAction, deactivatePromoCodeAction } from "./actions";

export const metadata: Metadata = { title: "Discount codes" };

// An event's discount codes (docs/promo-codes.md) with their use counts: bookings made with each,
// checkouts being paid with it (they count against its limits) and the discount given.

export default async function PromoCodesPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/promo-codes`, STAFF_ROLES);
  const [event, listed] = await Promise.all([getEventDetail(eventId, actor), listPromoCodes(actor, eventId)]);
  if (!event || !listed.ok) notFound();
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED";
  const sectionName = new Map(event.sections.map((s) => [s.id, s.name]));
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Discount codes</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Customers enter a code in the order summary when they pay. A use counts while its checkout is being paid and stays counted once booked; a failed or
          abandoned payment gives it back. Codes are not case-sensitive.
        </p>
      </header>
      {listed.items.length === 0 && <p className="text-sm text-slate-700">No discount codes yet.</p>}
      <ul className="space-y-3" data-testid="promo-codes">
        {listed.items.map((c) => (
          <li
            key={c.id}
            className="flex flex-wrap items-start justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
            data-testid={`promo-code-${c.code}`}
          >
            <div className="space-y-1 text-sm">
              <h2 className="font-mono text-lg font-semibold">
                {c.code} {!c.active && <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 font-sans text-xs">inactive</span>}
              </h2>
              <p>
                {c.kind === "ACCESS"
                  ? "Presale access: customers who enter it may buy before the public sale"
                  : c.kind === "PERCENT"
                    ? `${c.amount}% off each seat`
                    : `${formatMoney(c.amount, event.currency)} off the order`}
                {c.sectionIds ? ` · only ${c.sectionIds.map((id) => sectionName.get(id) ?? "a removed section").join(", ")}` : ""}
              </p>
              <p data-testid="promo-code-uses">
                {c.used} used{c.maxUses !== null ? ` of ${c.maxUses}` : ""}
                {c.pending > 0 ? ` · ${c.pending} being paid` : ""}
                {c.maxUsesPerCustomer !== null ? ` · at most ${c.maxUsesPerCustomer} per customer` : ""} · {formatMoney(c.discountMinor, event.currency)} given
              </p>
              {(c.validFrom || c.validUntil) && (
                <p className="text-slate-700" data-testid="promo-code-validity">
                  {c.validFrom && (
                    <>
                      from <ZonedTime iso={c.validFrom} timeZone={event.timeZone} />{" "}
                    </>
                  )}
                  {c.validUntil && (
                    <>
                      until <ZonedTime iso={c.validUntil} timeZone={event.timeZone} />
                    </>
                  )}
                </p>
              )}
            </div>
            {c.active && <DeactivateCodeButton action={deactivatePromoCodeAction} eventId={event.id} codeId={c.id} code={c.code} />}
          </li>
        ))}
      </ul>
      {!closed && (
        <section aria-labelledby="new-code" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="new-code" className="text-lg font-semibold">
            Create a code
          </h2>
          <PromoCodeForm
            action={createPromoCodeAction}
            eventId={event.id}
            timeZone={event.timeZone}
            sections={event.sections.map((s) => ({ id: s.id, name: s.name }))}
          />
        </section>
      )}
    </div>
  );
}
