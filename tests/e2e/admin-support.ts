import crypto from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { TEST_PASSWORD } from "../helpers/fixtures";

// Shared by the admin-*.spec.ts files.

/** A made-up client address per browser context, so per-IP sign-in limits do not couple tests. */
export const fakeIp = () => `10.${crypto.randomInt(1, 250)}.${crypto.randomInt(1, 250)}.${crypto.randomInt(1, 250)}`;

/**
 * Signs in through the form. Sign-in limits fail closed: on a busy 2-core machine a slow Redis
 * answer reads as "briefly unavailable" and the page asks to try again, so we do, like a person.
 */
export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  for (let attempt = 1; ; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const outcome = await Promise.race([
      page
        .getByTestId("account-link")
        .waitFor()
        .then(() => "in" as const),
      page
        .getByText("Sign-in is briefly unavailable")
        .waitFor()
        .then(() => "retry" as const),
    ]);
    if (outcome === "in" || attempt === 3) break;
    await page.waitForTimeout(500);
  }
  await expect(page.getByTestId("account-link")).toBeVisible();
}

/** A bearer token from the REST API (retried once on the same fail-closed 503). */
export async function apiToken(baseURL: string, email: string): Promise<{ token: string; headers: Record<string, string> }> {
  const headers = { "content-type": "application/json", "x-forwarded-for": fakeIp() };
  const login = () => fetch(`${baseURL}/api/v1/auth/login`, { method: "POST", headers, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  let res = await login();
  if (res.status === 503) res = await login();
  expect(res.status).toBe(200);
  const { token } = await res.json();
  return { token, headers: { ...headers, authorization: `Bearer ${token}` } };
}

/** A customer's purchase through the public REST API: hold the given seats, pay with the mock card. */
export async function buySeats(baseURL: string, email: string, eventId: string, seatIds: number[]) {
  const { headers } = await apiToken(baseURL, email);
  const hold = await fetch(`${baseURL}/api/v1/events/${eventId}/reservations`, { method: "POST", headers, body: JSON.stringify({ seatIds }) });
  expect(hold.status).toBe(201);
  const reservation = await hold.json();
  const card = { number: "4242424242424242", expMonth: 12, expYear: new Date().getFullYear() + 2, cvc: "123" };
  const paid = await fetch(`${baseURL}/api/v1/bookings/confirm`, {
    method: "POST",
    headers: { ...headers, "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ reservationId: reservation.id, payment: { method: "mock", card } }),
  });
  expect(paid.status).toBe(201);
  return (await paid.json()) as { reference: string; tickets: { id: string; qrPayload: string; seatNumber: string }[] };
}
