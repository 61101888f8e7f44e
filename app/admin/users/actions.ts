"use server";

import { revalidatePath } from "next/cache";
import { action, failureState, type ActionState } from "@/lib/actions";
import { changeRoleSchema, changeUserRole } from "@/lib/users";

// Admins change a user's role. lib/users bumps the user's session version (old sessions and
// tokens stop working) and records the change in the audit trail.
export const changeRoleAction = action({ schema: changeRoleSchema, roles: ["ADMIN"] }, async (input, actor): Promise<ActionState> => {
  const r = await changeUserRole(actor, input);
  if (!r.ok) return failureState(r);
  revalidatePath("/admin/users");
  return { ok: true, message: r.changed ? `Now ${r.user.role.toLowerCase()}; their old sessions were signed out.` : "No change." };
});
