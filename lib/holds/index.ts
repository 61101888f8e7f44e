// The holds domain: hold, release and read reservations (see docs/architecture.md).
export { holdSeats } from "./hold";
export { releaseReservation } from "./release";
export { getReservation, listReservations } from "./read";
export { holdRequestSchema } from "./schemas";
export type { HoldRequest, ReservationItem, ReservationStatus, ReservationView } from "./types";
