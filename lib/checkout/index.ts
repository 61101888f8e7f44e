export { confirmCheckout, providerKeyFor, type ConfirmResult } from "./confirm";
export { sweepStuckCheckouts, type SweepReport } from "./sweep";
export { purgeExpiredIdempotencyKeys } from "./idempotency";
export { confirmInputSchema, cardSchema, idempotencyKeySchema, type CardInput, type ConfirmInput } from "./schemas";
export type { BookingView } from "@/lib/bookings";
