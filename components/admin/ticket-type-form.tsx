"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice } from "@/components/ui/form";
import { majorUnits } from "@/lib/money";

// One ticket type's form (create, or edit an existing one): name, note, order, limit, and the
// sections it is offered in with a price each — prefilled with the section's own price for a
// new type. Server actions come in as props (components never import app/).

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;
export type TypeSection = { id: string; name: string; priceMinor: number };
export type TypeValues = {
  id: string;
  name: string;
  note: string;
  sortOrder: number;
  limit: number | null;
  prices: { sectionId: string; priceMinor: number }[];
};

export function TicketTypeForm({
  action,
  eventId,
  currency,
  sections,
  initial,
  submitText,
}: {
  action: Action;
  eventId: string;
  currency: string;
  sections: TypeSection[];
  initial?: TypeValues;
  submitText: string;
}) {
  const [state, formAction] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  const fe = failed?.fieldErrors;
  const v = failed?.values;
  const prefix = initial ? `t-${initial.id.slice(0, 8)}-` : "new-";
  const offered = new Map(initial?.prices.map((p) => [p.sectionId, p.priceMinor]));
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid={initial ? `ticket-type-form-${initial.name}` : "new-ticket-type-form"}>
      {state?.ok && state.message && <Notice>{state.message}</Notice>}
      <FormError message={failed?.formError} />
      <input type="hidden" name="eventId" value={eventId} />
      {initial && <input type="hidden" name="typeId" value={initial.id} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" name={`${prefix}name`} errors={fe?.name}>
          <Input id={`${prefix}name`} name="name" defaultValue={v?.name ?? initial?.name ?? ""} placeholder="Adult, Child, Concession…" invalid={!!fe?.name} />
        </Field>
        <Field label="Note for customers (optional)" name={`${prefix}note`} errors={fe?.note}>
          <Input id={`${prefix}note`} name="note" defaultValue={v?.note ?? initial?.note ?? ""} placeholder="ID required" />
        </Field>
        <Field label="Order (lowest first; the first is the default)" name={`${prefix}sortOrder`} errors={fe?.sortOrder}>
          <Input id={`${prefix}sortOrder`} name="sortOrder" inputMode="numeric" defaultValue={v?.sortOrder ?? String(initial?.sortOrder ?? 0)} />
        </Field>
        <Field label="Limit for the event (empty: no limit)" name={`${prefix}limit`} errors={fe?.limit}>
          <Input
            id={`${prefix}limit`}
            name="limit"
            inputMode="numeric"
            defaultValue={v?.limit ?? (initial?.limit != null ? String(initial.limit) : "")}
            invalid={!!fe?.limit}
          />
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Sections and prices ({currency})</legend>
        {fe?.["sections[]"] && <p className="text-sm text-red-700">{fe["sections[]"][0]}</p>}
        {sections.map((s) => {
          const price = offered.get(s.id);
          const id = `${prefix}price-${s.id.slice(0, 8)}`;
          return (
            <div key={s.id} className="flex flex-wrap items-center gap-3">
              <label className="flex w-48 items-center gap-2 text-sm">
                <input type="checkbox" name="sections[]" value={s.id} defaultChecked={initial ? price !== undefined : true} />
                {s.name}
              </label>
              <input
                id={id}
                name={`price_${s.id}`}
                aria-label={`Price in ${s.name}`}
                inputMode="decimal"
                className="w-28 rounded-md border border-slate-300 px-2 py-1 text-sm"
                defaultValue={v?.[`price_${s.id}`] ?? majorUnits(price ?? s.priceMinor, currency)}
              />
              {fe?.[`price_${s.id}`] && <span className="text-sm text-red-700">{fe[`price_${s.id}`][0]}</span>}
            </div>
          );
        })}
      </fieldset>
      <SubmitButton pendingText="Saving…">{submitText}</SubmitButton>
    </form>
  );
}

export function RetireTypeButton({ action, eventId, typeId, name }: { action: Action; eventId: string; typeId: string; name: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="max-w-48 space-y-1 text-right">
      <input type="hidden" name="eventId" value={eventId} />
      <input type="hidden" name="typeId" value={typeId} />
      {state && !state.ok && <FormError message={state.formError} />}
      <SubmitButton variant="secondary" pendingText="Retiring…" aria-label={`Retire ${name}`} aria-describedby={`retire-hint-${typeId}`}>
        Retire
      </SubmitButton>
      <p id={`retire-hint-${typeId}`} className="text-xs text-slate-600">
        No new holds get it; tickets sold keep it.
      </p>
    </form>
  );
}
