import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import type { Event } from "@/db/schema";
import { actorFromSession } from "./actor";
import { findManagedEvent } from "./event-access";
import { STAFF_ROLES, type Actor, type Role } from "./roles";

// Page-level guards for server components. middleware.ts only checks that a session cookie
// exists; these re-check the user in the database and the role, so a request that bypasses
// middleware still meets the rule here (403 via forbidden(), or a redirect to sign in).

export async function requirePageActor(nextPath: string, roles?: readonly Role[]): Promise<Actor> {
  const actor = await actorFromSession();
  if (!actor) redirect(`/login?next=${encodeURIComponent(nextPath)}`);
  if (roles && !roles.includes(actor.role)) forbidden();
  return actor;
}

/** An organizer-area page of one event: staff only, and only an event the actor may manage (else 404). */
export async function requireManagedEventPage(nextPath: string, eventId: string): Promise<{ actor: Actor; event: Event }> {
  const actor = await requirePageActor(nextPath, STAFF_ROLES);
  const event = await findManagedEvent(actor, eventId);
  if (!event) notFound();
  return { actor, event };
}
