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

export async function loadActor(userId: string, sessionVersion: number): Promise<Actor | null> {
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
  if (bearer === "invalid") throw invalidCaller("bearer");
  if (bearer) return bearer;
  return actorFromSession();
}

/**
 * Who the caller says they are, read from the token or cookie without the database: the user id
 * and the session version it carries. Not yet an actor: a use case that takes Claims checks them
 * against the users table itself, in its own statement (lib/holds/place-hold.ts does, to keep a
 * hold to one round trip), and answers with invalidCaller() when they no longer hold.
 */
export type Claims = { userId: string; sessionVersion: number; source: "bearer" | "session" };

/** Route handlers: the claims of the bearer token when one is sent, else of the session cookie; null when neither. */
export async function claimsFromRequest(req: Request): Promise<Claims | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = header.match(/^Bearer\s+(\S+)$/i);
    const claims = m ? await verifyApiToken(m[1]) : null;
    if (!claims) throw invalidCaller("bearer");
    return { userId: claims.sub, sessionVersion: claims.sv, source: "bearer" };
  }
  return claimsFromSession();
}

/** Server actions and route handlers: the session cookie's claims, or null. */
export async function claimsFromSession(): Promise<Claims | null> {
  const session = readSession(await cookies(), await headers());
  return session ? { userId: session.sub, sessionVersion: session.sv, source: "session" } : null;
}

/** The refusal for claims that do not (or no longer) name a user at that session version. */
export function invalidCaller(source: Claims["source"]): AppError {
  if (source === "bearer")
    return new AppError("unauthorized", "Your token is invalid or has expired. Sign in again.", {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
  return new AppError("unauthorized", "Your session has ended. Sign in again to continue.", {}, { "WWW-Authenticate": "Bearer" });
}

/** The refusal for a request that names nobody (no token, no session). */
export function signInRequired(): never {
  throw new AppError("unauthorized", "Sign in to continue.", {}, { "WWW-Authenticate": "Bearer" });
}

export function assertRole(actor: Actor | null, roles?: readonly Role[]): Actor {
  if (!actor) return signInRequired();
  if (roles && !roles.includes(actor.role)) throw new AppError("forbidden", "Your account is not allowed to do this.");
  return actor;
}

export async function requireRequestActor(req: Request, roles?: readonly Role[]): Promise<Actor> {
  return assertRole(await actorFromRequest(req), roles);
}

export async function requireSessionActor(roles?: readonly Role[]): Promise<Actor> {
  return assertRole(await actorFromSession(), roles);
}
