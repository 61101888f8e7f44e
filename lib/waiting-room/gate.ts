import "server-only";
import { cookies } from "next/headers";
import { checkHoldAdmission, type Admission } from "./admission";
import { EARLY_JOIN_MS } from "./defaults";
import { passCookie } from "./http";
import { getRoomSettings } from "./settings";
import { verifyPass } from "./tokens";

// The waiting room for pages and server actions, which read the pass from the cookie jar.

/** The queue URL when this visitor must wait in line before seeing the event page, else null. */
export async function queueRedirect(eventId: string): Promise<string | null> {
  const s = await getRoomSettings(eventId, 250);
  const now = Date.now();
  if (!s.exists || !s.enabled || now < s.opensAt - EARLY_JOIN_MS || now >= s.closesAt) return null;
  const pass = (await cookies()).get(passCookie(eventId))?.value;
  return verifyPass(eventId, pass, now).ok ? null : `/queue/${eventId}`;
}

/** The storefront's hold action: the same check as the REST hold endpoint. */
export async function checkActionAdmission(eventId: string, userId: string): Promise<Admission> {
  const pass = (await cookies()).get(passCookie(eventId))?.value;
  return checkHoldAdmission(eventId, userId, pass);
}
