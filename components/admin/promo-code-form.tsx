"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormError, Input, Notice, Select } from "@/components/ui/form";
import { DateTimeField } from "./datetime-field";

// The organizer's new discount code form and the deactivate button (docs/promo-codes.md).
// Server actions come in as props (components never import app/). Validity dates are typed on the
// venue's clock (`timeZone`, the event's), like every other time of the event.

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function PromoCodeForm({
  action,
  eventId,
  timeZone,
  sections,
}: {
  action: Action;
  eventId: string;
  timeZone: string;
  sections: { id: string; name: string }[];
}) {
  const [state, formAction] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  const fe = failed?.fieldErrors;
  const v = failed?.values;
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid="new-promo-code-form">
      {state?.ok && state.message && <Notice>{state.message}</Notice>}
      <FormError message={failed?.formError} />
      <input type="hidden" name="eventId" value={eventId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Code" name="promo-code" errors={fe?.code}>
          <Input id="promo-code" name="code" defaultValue={v?.code ?? ""} placeholder="EARLYBIRD" invalid={!!fe?.code} />
        </Field>
        <Field label="Discount" name="promo-kind" errors={fe?.kind}>
          <Select id="promo-kind" name="kind" defaultValue={v?.kind ?? "PERCENT"}>
            <option value="PERCENT">Percentage off each seat</option>
            <option value="FIXED">Fixed amount off the order</option>
            <option value="ACCESS">Presale access (no discount; valid dates are the presale)</option>
          </Select>
        </Field>
        <Field label="Amount (percent, or money for a fixed amount)" name="promo-amount" errors={fe?.amount}>
          <Input id="promo-amount" name="amount" inputMode="decimal" defaultValue={v?.amount ?? ""} placeholder="20" invalid={!!fe?.amount} />
        </Field>
        <Field label="Uses in total (empty: no limit)" name="promo-max" errors={fe?.maxUses}>
          <Input id="promo-max" name="maxUses" inputMode="numeric" defaultValue={v?.maxUses ?? ""} />
        </Field>
        <Field label="Uses per customer (empty: no limit)" name="promo-per" errors={fe?.maxUsesPerCustomer}>
          <Input id="promo-per" name="maxUsesPerCustomer" inputMode="numeric" defaultValue={v?.maxUsesPerCustomer ?? ""} />
        </Field>
        <DateTimeField name="validFrom" label="Valid from (optional)" timeZone={timeZone} defaultIso={v?.validFrom || undefined} errors={fe?.validFrom} />
        <DateTimeField name="validUntil" label="Valid until (optional)" timeZone={timeZone} defaultIso={v?.validUntil || undefined} errors={fe?.validUntil} />
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Only for these sections (none ticked: every section)</legend>
        {sections.map((s) => (
          <label key={s.id} className="mr-4 inline-flex items-center gap-2 text-sm">
            <input type="checkbox" name="sectionIds[]" value={s.id} /> {s.name}
          </label>
        ))}
        {fe?.["sectionIds[]"] && <p className="text-sm text-red-700">{fe["sectionIds[]"].join(" ")}</p>}
      </fieldset>
      <SubmitButton pendingText="Creating…">Create code</SubmitButton>
    </form>
  );
}

export function DeactivateCodeButton({ action, eventId, codeId, code }: { action: Action; eventId: string; codeId: string; code: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="eventId" value={eventId} />
      <input type="hidden" name="codeId" value={codeId} />
      <SubmitButton variant="secondary" pendingText="Deactivating…" aria-label={`Deactivate ${code}`}>
        Deactivate
      </SubmitButton>
      {state && !state.ok && <p className="text-sm text-red-700">{state.formError}</p>}
    </form>
  );
}
