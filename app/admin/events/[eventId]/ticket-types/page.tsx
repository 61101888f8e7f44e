import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RetireTypeButton, TicketTypeForm } from "@/components/admin/ticket-type-form";
import { LocalTime } from "@/components/local-time";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getEventDetail } from "@/lib/events/queries";
import { formatMoney } from "@/lib/money";
import { listTicketTypes } from "@/lib/ticket-types/manage";
import { createTicketTypeAction, retireTicketTypeAction, updateTicketTypeAction } from "./actions";

export const metadata: Metadata = { title: "Ticket types" };

// An event's price categories (docs/box-office.md): each with a note, a price per section and an
// optional limit. Prices may change at any time: a seat already held keeps the prices in force
// when its hold began, and sold tickets never change. Retired types are offered to no new hold.

export default async function TicketTypesPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  const actor = await requirePageActor(`/admin/events/${eventId}/ticket-types`, STAFF_ROLES);
  const [event, listed] = await Promise.all([getEventDetail(eventId, actor), listTicketTypes(actor, eventId)]);
  if (!event || !listed.ok) notFound();
  const closed = event.status === "CANCELLED" || event.status === "COMPLETED";
  const sections = event.sections.map((s) => ({ id: s.id, name: s.name, priceMinor: s.priceMinor }));
  const live = listed.items.filter((t) => !t.retiredAt);
  const retired = listed.items.filter((t) => t.retiredAt);
  return (
    <div className="space-y-6">
      <Link href={`/admin/events/${event.id}`} className="text-sm font-semibold text-brand-700 underline">
        ← {event.title}
      </Link>
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Ticket types</h1>
        <p className="max-w-prose text-sm text-slate-700">
          Price categories customers choose per seat at checkout, such as Adult, Child or Concession. Without any, each section sells at its own price. A price
          change applies to holds made from now on: seats already held keep their prices, and sold tickets never change.
        </p>
      </header>
      {live.length === 0 && <p className="text-sm text-slate-700">No ticket types yet: every section sells at its own price.</p>}
      <ul className="space-y-4" data-testid="ticket-types">
        {live.map((t) => (
          <li key={t.id} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`ticket-type-${t.name}`}>
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 className="text-lg font-semibold">{t.name}</h2>
                {t.note && <p className="text-sm text-slate-700">{t.note}</p>}
                <p className="text-sm text-slate-800">{t.prices.map((p) => `${p.sectionName} ${formatMoney(p.priceMinor, event.currency)}`).join(" · ")}</p>
                <p className="text-sm text-slate-700">
                  {t.sold} sold{t.limit !== null ? ` · limit ${t.limit} (${Math.max(0, t.limit - t.taken)} left)` : ""}
                </p>
              </div>
              {!closed && <RetireTypeButton action={retireTicketTypeAction} eventId={event.id} typeId={t.id} name={t.name} />}
            </div>
            {!closed && (
              <details>
                <summary className="cursor-pointer text-sm font-semibold text-brand-700">Edit {t.name}</summary>
                <div className="pt-3">
                  <TicketTypeForm
                    action={updateTicketTypeAction}
                    eventId={event.id}
                    currency={event.currency}
                    sections={sections}
                    initial={t}
                    submitText="Save changes"
                  />
                </div>
              </details>
            )}
          </li>
        ))}
      </ul>
      {!closed && (
        <section aria-labelledby="new-type" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="new-type" className="text-lg font-semibold">
            Add a ticket type
          </h2>
          <TicketTypeForm action={createTicketTypeAction} eventId={event.id} currency={event.currency} sections={sections} submitText="Add ticket type" />
        </section>
      )}
      {retired.length > 0 && (
        <section aria-labelledby="retired" className="space-y-2">
          <h2 id="retired" className="text-lg font-semibold">
            Retired
          </h2>
          <ul className="text-sm text-slate-700">
            {retired.map((t) => (
              <li key={t.id}>
                {t.name}: {t.sold} sold, retired <LocalTime iso={t.retiredAt!} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
