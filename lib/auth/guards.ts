import "server-only";
import { forbidden, redirect } from "next/navigation";
import { actorFromSession } from "./actor";
import type { Actor, Role } from "./roles";

// Page-level guards for server components. middleware.ts only checks that a session cookie
// exists; these re-check the user in the database and the role, so a request that bypasses
// middleware still meets the rule here (403 via forbidden(), or a redirect to sign in).

export async function requirePageActor(nextPath: string, roles?: readonly Role[]): Promise<Actor> {
  const actor = await actorFromSession();
  if (!actor) redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  if (roles && !roles.includes(actor.role)) forbidden();
  return actor;
}
