import "server-only";
import { cookies } from "next/headers";
import { EARLY_JOIN_MS } from "./defaults";
import { passCookie } from "./http";
import { getRoomSettings } from "./settings";
import { verifyPass } from "./tokens";

// The waiting room for pages and server actions, which read its tokens from the cookie jar
// (route handlers read them from the request: ./http.ts).

/** The queue URL when this visitor must wait in line before seeing the event page, else null. */
export async function queueRedirect(eventId: string): Promise<string | null> {
  const s = await getRoomSettings(eventId, 250);
  const now = Date.now();
  if (!s.exists || !s.enabled || now < s.opensAt - EARLY_JOIN_MS || now >= s.closesAt) return null;
  const pass = (await cookies()).get(passCookie(eventId))?.value;
  return verifyPass(eventId, pass, now).ok ? null : `/queue/${eventId}`;
}

/** The visitor's admission pass for this event, from the cookie jar (for the hold action). */
export async function passFromCookies(eventId: string): Promise<string | null> {
  return (await cookies()).get(passCookie(eventId))?.value ?? null;
}
