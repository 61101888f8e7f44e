"use client";
import { useActionState } from "react";
import { Field, FormError, Input } from "@/components/ui/form";
import type { ActionState } from "@/lib/actions";
import { keepInputs } from "./keep-inputs";
import { linkButton } from "./link-button";
import { SectionEditor } from "./section-editor";
import { blankSection, parseEditorJson, type EditorSection } from "./section-model";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;
type Props = { action: Action; venue?: { id: string; version: number; name: string; address: string; timeZone?: string; sections: EditorSection[] } };

export function VenueForm({ action, venue }: Props) {
  const [state, formAction, pending] = useActionState(action, null);
  const failed = state && !state.ok ? state : undefined;
  const fe = failed?.fieldErrors ?? {};
  const v = failed?.values;
  const sections = parseEditorJson(v?.sections) ?? venue?.sections ?? [blankSection("ASSIGNED", 0)];
  return (
    <form action={formAction} onSubmit={keepInputs(formAction)} className="space-y-5" noValidate>
      <FormError message={failed?.formError} />
      {failed?.code === "stale_version" && (
        <a href="" className="text-sm font-semibold text-brand-700 underline">
          Reload the latest version (your changes here will be discarded)
        </a>
      )}
      {venue && <input type="hidden" name="venueId" value={venue.id} />}
      {venue && <input type="hidden" name="version" value={venue.version} />}
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Venue name" name="name" errors={fe.name}>
          <Input name="name" required maxLength={120} defaultValue={v?.name ?? venue?.name} invalid={!!fe.name} />
        </Field>
        <Field label="Address" name="address" errors={fe.address}>
          <Input name="address" maxLength={300} defaultValue={v?.address ?? venue?.address} invalid={!!fe.address} />
        </Field>
        <Field
          label="Time zone"
          name="timeZone"
          errors={fe.timeZone}
          hint="An IANA name such as Europe/Berlin: events here are entered and shown on this clock. Events already created keep theirs."
        >
          <Input name="timeZone" maxLength={64} defaultValue={v?.timeZone ?? venue?.timeZone ?? "Europe/Berlin"} invalid={!!fe.timeZone} />
        </Field>
      </div>
      <h2 className="text-lg font-semibold">Sections</h2>
      {/* A failed save remounts the editor with what was submitted. */}
      <SectionEditor key={v?.sections ?? "initial"} initial={sections} withPrice={false} errors={fe} />
      <button type="submit" disabled={pending} className={linkButton()}>
        {pending ? "Saving venue…" : venue ? "Save venue" : "Create venue"}
      </button>
    </form>
  );
}
