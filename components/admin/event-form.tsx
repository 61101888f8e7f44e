"use client";
import { useActionState, useState } from "react";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";
import { VENUE_TIME_ZONE_DEFAULT } from "@/lib/time-zone";
import { DateTimeField } from "./datetime-field";
import { keepInputs } from "./keep-inputs";
import { linkButton } from "./link-button";
import { SectionEditor } from "./section-editor";
import { blankSection, parseEditorJson, type EditorSection } from "./section-model";

// Create or edit an event. Create: a registered venue (its sections copied, a price per
// section) or a custom venue (sections defined here). Edit: details always; sections only while
// the event is a draft (the server refuses section changes after publication).

export type VenueOption = {
  id: string;
  name: string;
  address: string;
  timeZone: string;
  sections: { id: string; name: string; kind: "ASSIGNED" | "GA"; capacity: number }[];
};
export type EditableEvent = {
  id: string;
  version: number;
  title: string;
  description: string;
  imageUrl: string;
  startsAt: string;
  endsAt: string;
  saleStartsAt: string;
  saleEndsAt: string;
  holdMinutes: number;
  maxPerOrder: number;
  maxPerCustomer: number | null;
  currency: string;
  published: boolean;
  customVenue: boolean;
  venueName: string;
  venueAddress: string;
  timeZone: string;
  sections: EditorSection[];
};
type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;
type Props = {
  action: Action;
  venues?: VenueOption[];
  event?: EditableEvent;
  defaults?: { startsAt: string; endsAt: string; saleStartsAt: string; saleEndsAt: string };
};

export function EventForm({ action, venues = [], event, defaults }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  const fe = failed?.fieldErrors ?? {};
  const v = failed?.values;
  const val = (k: keyof EditableEvent, fallback = "") => v?.[k] ?? (event && event[k] !== null ? String(event[k]) : fallback);
  const editing = !!event;
  const sectionsEditable = !event || !event.published;
  const [mode, setMode] = useState<"registered" | "custom">((v?.venueMode as "registered" | "custom") ?? (venues.length ? "registered" : "custom"));
  const [currency, setCurrency] = useState(val("currency", "EUR"));
  // The clock the times are typed on: the event's venue's (a registered venue's own, or the one
  // given for a custom venue).
  const [zone, setZone] = useState(v?.timeZone ?? event?.timeZone ?? venues[0]?.timeZone ?? VENUE_TIME_ZONE_DEFAULT);
  const initialSections = parseEditorJson(v?.sections) ?? event?.sections ?? [{ ...blankSection("ASSIGNED", 0), price: "25.00" }];

  return (
    <form action={formAction} onSubmit={keepInputs(formAction)} className="space-y-6" noValidate>
      <FormError message={failed?.formError} />
      {failed?.code === "stale_version" && (
        <a href="" className="text-sm font-semibold text-brand-700 underline">
          Reload the latest version (your changes here will be discarded)
        </a>
      )}
      {event && <input type="hidden" name="eventId" value={event.id} />}
      {event && <input type="hidden" name="version" value={event.version} />}

      <fieldset className="space-y-4">
        <legend className="text-lg font-semibold">Details</legend>
        <Field label="Title" name="title" errors={fe.title}>
          <Input name="title" required maxLength={160} defaultValue={val("title")} invalid={!!fe.title} />
        </Field>
        <Field label="Description" name="description" errors={fe.description}>
          <Textarea name="description" rows={4} maxLength={5000} defaultValue={val("description")} invalid={!!fe.description} />
        </Field>
        <Field label="Image URL" name="imageUrl" errors={fe.imageUrl} hint="Optional: an https:// link to a picture.">
          <Input name="imageUrl" type="url" defaultValue={val("imageUrl")} invalid={!!fe.imageUrl} />
        </Field>
      </fieldset>

      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-lg font-semibold">When</legend>
        <DateTimeField name="startsAt" label="Starts" timeZone={zone} defaultIso={v?.startsAt ?? event?.startsAt ?? defaults?.startsAt} errors={fe.startsAt} />
        <DateTimeField name="endsAt" label="Ends" timeZone={zone} defaultIso={v?.endsAt ?? event?.endsAt ?? defaults?.endsAt} errors={fe.endsAt} />
        <DateTimeField
          name="saleStartsAt"
          label="Sale starts"
          timeZone={zone}
          defaultIso={v?.saleStartsAt ?? event?.saleStartsAt ?? defaults?.saleStartsAt}
          errors={fe.saleStartsAt}
        />
        <DateTimeField
          name="saleEndsAt"
          label="Sale ends"
          timeZone={zone}
          defaultIso={v?.saleEndsAt ?? event?.saleEndsAt ?? defaults?.saleEndsAt}
          errors={fe.saleEndsAt}
        />
      </fieldset>

      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-2 text-lg font-semibold">Selling</legend>
        <Field label="Hold minutes" name="holdMinutes" errors={fe.holdMinutes} hint="How long a customer's seats stay held (1–60).">
          <Input name="holdMinutes" inputMode="numeric" defaultValue={val("holdMinutes", "10")} invalid={!!fe.holdMinutes} />
        </Field>
        <Field label="Per-order limit" name="maxPerOrder" errors={fe.maxPerOrder} hint="Tickets per customer and order (1–100).">
          <Input name="maxPerOrder" inputMode="numeric" defaultValue={val("maxPerOrder", "10")} invalid={!!fe.maxPerOrder} />
        </Field>
        <Field
          label="Per-customer limit"
          name="maxPerCustomer"
          errors={fe.maxPerCustomer}
          hint="Places per customer over all their orders, held and bought (1–1000). Empty: no limit. Box-office orders are exempt."
        >
          <Input name="maxPerCustomer" inputMode="numeric" defaultValue={val("maxPerCustomer", "")} invalid={!!fe.maxPerCustomer} />
        </Field>
        <Field label="Currency" name="currency" errors={fe.currency} hint={editing && event.published ? "Fixed once published." : "Three letters, e.g. EUR."}>
          <Input
            name="currency"
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            readOnly={editing && event.published}
            invalid={!!fe.currency}
          />
        </Field>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="text-lg font-semibold">Venue and sections</legend>
        {!editing && (
          <div className="flex gap-4" role="radiogroup" aria-label="Venue kind">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="venueMode"
                value="registered"
                checked={mode === "registered"}
                onChange={() => setMode("registered")}
                disabled={!venues.length}
              />
              Registered venue
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="venueMode" value="custom" checked={mode === "custom"} onChange={() => setMode("custom")} />
              Custom venue
            </label>
          </div>
        )}
        {!editing && mode === "registered" ? (
          <RegisteredVenue venues={venues} values={v} errors={fe} currency={currency} onZone={setZone} />
        ) : (
          <>
            {(!editing || event.customVenue) && (
              <div className="grid gap-4 md:grid-cols-2">
                <Field label="Venue name" name="venueName" errors={fe["venue.name"]}>
                  <Input name="venueName" maxLength={120} defaultValue={v?.venueName ?? event?.venueName} invalid={!!fe["venue.name"]} />
                </Field>
                <Field label="Venue address" name="venueAddress" errors={fe["venue.address"]}>
                  <Input name="venueAddress" maxLength={300} defaultValue={v?.venueAddress ?? event?.venueAddress} invalid={!!fe["venue.address"]} />
                </Field>
                <Field
                  label="Venue time zone"
                  name="venueTimeZone"
                  errors={fe["venue.timeZone"]}
                  hint="An IANA name such as Europe/Berlin or America/New_York: the times above are on this clock."
                >
                  <Input name="venueTimeZone" maxLength={64} value={zone} onChange={(e) => setZone(e.target.value.trim())} invalid={!!fe["venue.timeZone"]} />
                </Field>
              </div>
            )}
            {editing && !event.customVenue && <p className="text-sm text-slate-700">Venue: {event.venueName} (registered).</p>}
            {sectionsEditable ? (
              <SectionEditor key={v?.sections ?? "initial"} initial={initialSections} withPrice errors={fe} currency={currency} />
            ) : (
              <LockedSections sections={event!.sections} currency={currency} error={fe.sections?.[0]} />
            )}
          </>
        )}
      </fieldset>

      {!editing && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="publish" defaultChecked={v?.publish === "on"} />
          Publish now (otherwise it is saved as a draft only you can see)
        </label>
      )}
      <button type="submit" disabled={pending} className={linkButton()}>
        {pending ? "Saving…" : editing ? "Save changes" : "Create event"}
      </button>
    </form>
  );
}

function RegisteredVenue({
  venues,
  values,
  errors,
  currency,
  onZone,
}: {
  venues: VenueOption[];
  values?: Record<string, string>;
  errors: Record<string, string[]>;
  currency: string;
  onZone: (zone: string) => void;
}) {
  const [venueId, setVenueId] = useState(values?.venueId ?? venues[0]?.id ?? "");
  const pick = (id: string) => {
    setVenueId(id);
    const zone = venues.find((x) => x.id === id)?.timeZone;
    if (zone) onZone(zone);
  };
  const echoed = (() => {
    try {
      return new Map<string, string>(
        (JSON.parse(values?.sections ?? "[]") as { venueSectionId: string; price: string }[]).map((s) => [s.venueSectionId, s.price]),
      );
    } catch {
      return new Map<string, string>();
    }
  })();
  const [prices, setPrices] = useState<Record<string, string>>(Object.fromEntries(echoed));
  const venue = venues.find((x) => x.id === venueId);
  const sections = venue?.sections.map((s) => ({ venueSectionId: s.id, price: prices[s.id] ?? "" })) ?? [];
  return (
    <div className="space-y-3">
      <Field label="Venue" name="venueId" errors={errors.venueId}>
        <Select name="venueId" value={venueId} onChange={(e) => pick(e.target.value)} invalid={!!errors.venueId}>
          {venues.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </Select>
      </Field>
      <input type="hidden" name="sections" value={JSON.stringify(sections)} />
      {errors.sections?.[0] && (
        <p className="text-sm text-red-700" role="alert">
          {errors.sections[0]}
        </p>
      )}
      <div className="grid gap-3 md:grid-cols-2">
        {venue?.sections.map((s, i) => {
          const id = `price-${s.id}`;
          const err = errors[`sections.${i}.priceMinor`]?.[0];
          return (
            <div key={s.id} className="space-y-1">
              <label htmlFor={id} className="block text-sm font-medium text-slate-800">
                Price for {s.name} ({currency})
              </label>
              <input
                id={id}
                inputMode="decimal"
                placeholder="25.00"
                value={prices[s.id] ?? ""}
                onChange={(e) => setPrices((p) => ({ ...p, [s.id]: e.target.value }))}
                aria-invalid={err ? true : undefined}
                aria-describedby={`${id}-error`}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm aria-[invalid=true]:border-red-600"
              />
              <p className="text-xs text-slate-600">
                {s.capacity.toLocaleString("en")} {s.kind === "GA" ? "standing places" : "seats"}
              </p>
              <p id={`${id}-error`} aria-live="polite" className="text-sm text-red-700">
                {err}
              </p>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function LockedSections({ sections, currency, error }: { sections: EditorSection[]; currency: string; error?: string }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700">
        Sections and prices are fixed once the event is published: customers may already hold or own tickets for these places.
      </p>
      {error && (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white text-sm">
        {sections.map((s) => (
          <li key={s.key} className="flex justify-between px-3 py-2">
            <span>
              {s.name} · {s.kind === "GA" ? `${s.capacity} standing` : `${s.rows} × ${s.seatsPerRow} seats`}
              {s.hidden && " · hidden (access code only)"}
            </span>
            <span className="tabular-nums">
              {s.price} {currency}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
