import { z } from "zod";
import { confirmInputSchema, idempotencyKeySchema } from "@/lib/checkout/schemas";

// { "reservationId": "…", "payment": { "method": "mock", "card": { "number": "4242 4242 4242 4242",
//   "expMonth": 12, "expYear": 2030, "cvc": "123" } } } — or { "method": "stripe", "paymentMethodId":
// "pm_…" } with PAYMENT_PROVIDER=stripe, or { "method": "free" } for a free reservation.
export const bodySchema = confirmInputSchema;

export const headersSchema = z.object({ "idempotency-key": idempotencyKeySchema });
