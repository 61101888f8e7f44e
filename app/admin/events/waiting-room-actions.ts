"use server";

import { z } from "zod";
import { action, failureState, type ActionState } from "@/lib/actions";
import { STAFF_ROLES } from "@/lib/auth/roles";
import { getRoomStats, updateRoomSettings, type RoomStats } from "@/lib/waiting-room";

// The organizer's waiting-room controls. action() checks the session and the staff role; the lib
// functions check that this organizer owns the event (someone else's reads as not found).

const eventId = z.uuid("Unknown event");
const checkbox = z
  .literal("on")
  .optional()
  .transform((v) => v === "on");

const settingsForm = z.object({
  eventId,
  enabled: checkbox,
  paused: checkbox,
  admitPerMinute: z.string(),
  sessionMinutes: z.string(),
});

export const updateWaitingRoomAction = action({ schema: settingsForm, roles: STAFF_ROLES }, async (data, actor): Promise<ActionState<RoomStats>> => {
  const r = await updateRoomSettings(actor, data.eventId, {
    enabled: data.enabled,
    paused: data.paused,
    admitPerMinute: data.admitPerMinute,
    sessionMinutes: data.sessionMinutes,
  });
  if (!r.ok) return failureState(r);
  const stats = await getRoomStats(actor, data.eventId);
  return { ok: true, message: "Waiting room settings saved.", data: stats.ok ? stats.stats : undefined };
});

export const waitingRoomStatsAction = action({ schema: z.object({ eventId }), roles: STAFF_ROLES }, async (data, actor): Promise<ActionState<RoomStats>> => {
  const r = await getRoomStats(actor, data.eventId);
  if (!r.ok) return failureState(r);
  return { ok: true, data: r.stats };
});
