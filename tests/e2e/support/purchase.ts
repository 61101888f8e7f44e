import crypto from "node:crypto";
import { expect } from "@playwright/test";
import { ApiClient } from "@/tests/helpers/api";
import type { Booking, Reservation } from "@/tests/helpers/responses";

// A customer's purchase through the public REST API, for specs that need sold tickets.

// The mock provider's success card (lib/payments/mock.ts). Written out here because that module
// is server-only and Playwright, unlike Vitest, does not stub the server-only marker.
const SUCCESS_CARD = { number: "4242424242424242", expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: "123" };

/** Holds the given seats as `email` and pays for them with the mock card. */
export async function buySeats(baseURL: string, email: string, eventId: string, seatIds: number[]): Promise<Booking> {
  const anon = new ApiClient(baseURL);
  const api = anon.as(await anon.login(email));
  const held = await api.post<Reservation>(`/api/v1/events/${eventId}/reservations`, { seatIds });
  expect(held.status, held.text).toBe(201);
  const payment = { method: "mock", card: SUCCESS_CARD };
  const paid = await api.post<Booking>(
    "/api/v1/bookings/confirm",
    { reservationId: held.body.id, payment },
    { headers: { "idempotency-key": crypto.randomUUID() } },
  );
  expect(paid.status, paid.text).toBe(201);
  return paid.body;
}
