import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BoxOffice } from "@/components/admin/box-office";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { BOX_OFFICE_METHODS, METHOD_LABELS } from "@/lib/box-office/schemas";
import { getHouseLayout } from "@/lib/dashboard/house";
import { getEventDashboard } from "@/lib/dashboard/stats";
import { readSeatStates } from "@/lib/inventory/staff-states";
import { formatMoney } from "@/lib/money";
import { compactLayout } from "@/lib/seatmap/compact";
import { offeredTicketTypes } from "@/lib/ticket-types/read";
import { boxOfficeGaAction, boxOfficeSeatsAction } from "./actions";

export const metadata: Metadata = { title: "Box office" };

// Selling at the desk: pick seats on the map (or a number of standing places), name the
// customer by email and say how they paid. Read fresh from PostgreSQL on each visit and after
// each sale; the sale itself is lib/box-office/order.ts.

export default async function BoxOfficePage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/box-office`, STAFF_ROLES);
  const dashboard = await getEventDashboard(actor, eventId);
  if (!dashboard) notFound();
  const { event, totals } = dashboard;
  const [layout, seats] = await Promise.all([getHouseLayout(actor, event.id), readSeatStates(event.id)]);
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED" || !event.published;
  const ga = dashboard.sections.filter((s) => s.kind === "GA").map((s) => ({ id: s.id, name: s.name, free: s.available, priceMinor: s.priceMinor }));
  const methods = BOX_OFFICE_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }));
  const types = (await offeredTicketTypes(event.id)).map((t) => ({
    value: t.id,
    label: `${t.name} (${t.prices.map((p) => `${p.sectionName} ${formatMoney(p.priceMinor, event.currency)}`).join(", ")})`,
  }));
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Box office</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Sell places to a customer at the desk: choose seats, enter the customer&apos;s email address (their account, or a new guest account is made) and how
          they paid. Card payments at the desk are recorded here only; comps and invitations are free. The customer gets the tickets by email.
        </p>
        <p className="text-sm text-slate-800" data-testid="box-office-totals">
          {totals.sold} of {totals.capacity} sold · {totals.compPlaces} given away · {formatMoney(totals.boxOfficeMinor, event.currency)} taken at the desk ·{" "}
          {totals.available} available
        </p>
      </header>
      {closed ? (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
          {event.published ? "This event is closed: nothing can be sold for it any more." : "This event is a draft: publish it before selling places."}
        </p>
      ) : (
        layout && (
          <BoxOffice
            eventId={event.id}
            currency={event.currency}
            layout={compactLayout(layout)}
            seats={seats}
            gaSections={ga}
            methods={methods}
            types={types}
            seatsAction={boxOfficeSeatsAction}
            gaAction={boxOfficeGaAction}
          />
        )
      )}
    </div>
  );
}
