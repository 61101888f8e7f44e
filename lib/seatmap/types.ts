// The shapes of the seat layout and the live inventory snapshot, defined once here: lib/inventory
// builds them on the server, the seat map reads them in the browser. This folder stays pure and
// importable from client components and unit tests.
import type { MapArea } from "@/db/schema";

export type SectionKind = "ASSIGNED" | "GA";

/** Where a general-admission section is drawn on the map: a rectangle in seat units. */
export type { MapArea };

export type LayoutSection = {
  id: string;
  name: string;
  kind: SectionKind;
  color: string;
  priceMinor: number;
  capacity: number;
  firstSeq: number;
  count: number;
  area?: MapArea | null; // general admission only; without one the section is sold from its picker alone
  hidden?: true; // offered only to holders of an access code naming it (only in views that show it)
};

/** Arrays indexed by seq (the position of a place within its event). */
export type SeatLayout = {
  sections: LayoutSection[];
  ids: number[];
  x: (number | null)[];
  y: (number | null)[];
  rows: (string | null)[];
  numbers: (string | null)[];
  access: number[]; // SEAT_ACCESS_* per seq
};

export type SnapshotSection = {
  id: string;
  name: string;
  kind: SectionKind;
  capacity: number;
  priceMinor: number;
  color: string;
  available: number;
  held: number;
  sold: number;
  blocked: number;
};

export type InventorySnapshot = {
  eventId: string;
  status: string;
  etag: string;
  generatedAt: string;
  sections: SnapshotSection[];
  seats: { encoding: "2bit-base64"; count: number; data: string };
};

/** Seat states as the bitmap carries them. "Mine" is not in the bitmap: it comes from the reservation. */
export const SEAT_AVAILABLE = 0;
export const SEAT_HELD = 1;
export const SEAT_SOLD = 2;
/** Off sale: kept back by the organizer (house, press, production). Shown as not available. */
export const SEAT_BLOCKED = 3;

/** Accessibility of a seat, from the venue layout. */
export const SEAT_ACCESS_NONE = 0;
export const SEAT_ACCESS_WHEELCHAIR = 1;
export const SEAT_ACCESS_COMPANION = 2;
