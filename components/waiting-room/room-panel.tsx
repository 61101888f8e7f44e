import "server-only";
import type { Actor } from "@/lib/auth/roles";
import { getRoomStats } from "@/lib/waiting-room";
import { RoomControls, type RoomActions } from "./room-controls";

/** The waiting room's settings and live line on an event's dashboard (renders nothing if not allowed). */
export async function WaitingRoomPanel({ actor, eventId, actions }: { actor: Actor; eventId: string; actions: RoomActions }) {
  const r = await getRoomStats(actor, eventId);
  if (!r.ok) return null;
  return <RoomControls eventId={eventId} initial={r.stats} actions={actions} />;
}
