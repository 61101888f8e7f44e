export { confirmCheckout, providerKeyFor, type ConfirmResult } from "./confirm";
export { sweepStuckCheckouts, type SweepReport } from "./sweep";
export { purgeExpiredIdempotencyKeys } from "./idempotency";
export { armFault, disarmAllFaults, runWithRequestFaults, FAULT_POINTS, type FaultPoint } from "./faults";
export { confirmInputSchema, cardSchema, idempotencyKeySchema, type CardInput, type ConfirmInput } from "./schemas";
export type { BookingView } from "@/lib/bookings";
