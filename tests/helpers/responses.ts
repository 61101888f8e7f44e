import type { z } from "zod";
import type { queuePlaceSchema } from "@/lib/api/paths/queue";
import type { bookingSchema, inventorySnapshotSchema, reservationSchema, seatLayoutSchema } from "@/lib/api/sales-schemas";
import type { eventDetailSchema, eventSummarySchema, healthSchema, paginated, tokenResponseSchema, publicUserSchema, venueSchema } from "@/lib/api/schemas";
import type { ErrorCode } from "@/lib/errors";

// The REST API's JSON answers as types, inferred from the response schemas the OpenAPI document
// is built from (the conformance test holds the answers to those schemas). A test names the
// answer it expects — `api.post<Reservation>(…)`, `call<Booking>(…)` — and reads it typed; without
// a name an answer reads as a problem.

/** RFC 9457 problem details (problemSchema in lib/api/schemas.ts) with the extra members some codes carry. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  fields?: Record<string, string[]>;
  takenSeatIds?: number[];
  available?: number;
  retryAfter?: number;
  visitorToken?: string;
  /** queue_required: why, and where to queue. */
  reason?: string;
  queueUrl?: string;
  joinUrl?: string;
};
export type Token = z.infer<typeof tokenResponseSchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
export type EventSummary = z.infer<typeof eventSummarySchema>;
export type EventDetail = z.infer<typeof eventDetailSchema>;
export type Page<T> = Omit<z.infer<ReturnType<typeof paginated>>, "items"> & { items: T[] };
export type Venue = z.infer<typeof venueSchema>;
export type Reservation = z.infer<typeof reservationSchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type InventorySnapshot = z.infer<typeof inventorySnapshotSchema>;
export type SeatLayout = z.infer<typeof seatLayoutSchema>;
export type QueuePlace = z.infer<typeof queuePlaceSchema>;
export type Health = z.infer<typeof healthSchema>;

/** An answer that is `T` when the call succeeded and a problem otherwise: check the status, then read. */
export type OrProblem<T> = T & Partial<Omit<Problem, keyof T>>;
export type { TickResult } from "@/lib/cron/tick";
