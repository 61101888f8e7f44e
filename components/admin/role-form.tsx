"use client";
import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/actions";
import { keepInputs } from "./keep-inputs";

type Action = (prev: ActionState, formData: FormData) => Promise<ActionState>;
const ROLES = ["CUSTOMER", "ORGANIZER", "ADMIN"] as const;

export function RoleForm({ action, user, self }: { action: Action; user: { id: string; email: string; role: string }; self: boolean }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [role, setRole] = useState(user.role);
  const id = `role-${user.id}`;
  return (
    <form action={formAction} onSubmit={keepInputs(formAction)} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={user.id} />
      <label htmlFor={id} className="sr-only">
        Role of {user.email}
      </label>
      <select
        id={id}
        name="role"
        value={role}
        onChange={(e) => setRole(e.target.value)}
        disabled={self}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r.toLowerCase()}
          </option>
        ))}
      </select>
      <button
        type="submit"
        disabled={self || pending}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-50"
        aria-label={`Save role of ${user.email}`}
      >
        {pending ? "Saving…" : "Save"}
      </button>
      <span aria-live="polite" className={`text-xs ${state && !state.ok ? "text-red-700" : "text-emerald-800"}`}>
        {self ? "You cannot change your own role." : state ? (state.ok ? state.message : state.formError) : ""}
      </span>
    </form>
  );
}
