import "server-only";
import { eq } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { db } from "@/db";
import { users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Actor, Role } from "./roles";
import { readSession } from "./session-cookie";
import { verifyApiToken } from "./tokens";

// The one place that answers "who is calling?". Every server action, page and route handler
// asks here; middleware.ts is only a first gate for navigation. The user is re-read from the
// database on each call so a role change or sign-out everywhere takes effect at once.

async function loadActor(userId: string, sessionVersion: number): Promise<Actor | null> {
  const [u] = await db()
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, sv: users.sessionVersion, guest: users.guest })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!u || u.sv !== sessionVersion) return null;
  return { id: u.id, email: u.email, name: u.name, role: u.role, ...(u.guest ? { guest: true } : {}) };
}

/** The caller from a bearer token (REST API). A malformed or revoked token is anonymous. */
export async function actorFromBearer(header: string | null): Promise<Actor | null | "invalid"> {
  if (!header) return null;
  const m = header.match(/^Bearer\s+(\S+)$/i);
  if (!m) return "invalid";
  const claims = await verifyApiToken(m[1]);
  if (!claims) return "invalid";
  return (await loadActor(claims.sub, claims.sv)) ?? "invalid";
}

/**
 * The caller from the website session cookie, decoded without Auth.js's round of decrypting and
 * re-encrypting (lib/auth/session-cookie.ts). Once per request: a page and its layout share it.
 */
export const actorFromSession = cache(async (): Promise<Actor | null> => {
  const session = readSession(await cookies(), await headers());
  if (!session) return null;
  return loadActor(session.sub, session.sv);
});

/** Route handlers: a bearer token when one is sent, else the session cookie. */
export async function actorFromRequest(req: Request): Promise<Actor | null> {
  const bearer = await actorFromBearer(req.headers.get("authorization"));
  if (bearer === "invalid")
    throw new AppError("unauthorized", "Your token is invalid or has expired. Sign in again.", {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
  if (bearer) return bearer;
  return actorFromSession();
}

export function assertRole(actor: Actor | null, roles?: readonly Role[]): Actor {
  if (!actor) throw new AppError("unauthorized", "Sign in to continue.", {}, { "WWW-Authenticate": "Bearer" });
  if (roles && !roles.includes(actor.role)) throw new AppError("forbidden", "Your account is not allowed to do this.");
  return actor;
}

export async function requireRequestActor(req: Request, roles?: readonly Role[]): Promise<Actor> {
  return assertRole(await actorFromRequest(req), roles);
}

export async function requireSessionActor(roles?: readonly Role[]): Promise<Actor> {
  return assertRole(await actorFromSession(), roles);
}
