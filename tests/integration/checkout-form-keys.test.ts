import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outcome, postAction, serverActions, type ActionInfo } from "@/tests/helpers/actions";
import { shareAppSecrets, startApp, type App } from "@/tests/helpers/app";
import { checkoutsOf } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { ledger } from "@/tests/helpers/integrity";
import { hold } from "@/tests/helpers/purchase";
import { signInCookie } from "@/tests/helpers/sign-in";
import { sleep } from "@/tests/helpers/wait";

// The website's pay action tells the form which Idempotency-Key its next press must carry:
// after a final answer (a decline) a fresh one, so another card is a new attempt at once and
// never "already used with other card details"; while the outcome is still open (the provider
// timed out) the same one, so pressing again asks about that attempt and cannot pay twice. The
// Stripe rule stays: the same key with the same body gets the same answer.

shareAppSecrets();

let app: App;
let actions: Record<string, ActionInfo>;

beforeAll(async () => {
  app = await startApp({ env: { PAYMENT_TIMEOUT_MS: "400", RATE_LIMIT_CONFIRM: "1000/60", RATE_LIMIT_ACTION: "100000/60" } });
  actions = serverActions();
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

const CARDS = { declined: "4000000000000002", success: "4242424242424242", slow: "4000000000000077" };

async function customerWithHold() {
  const user = await createUser("CUSTOMER");
  const { event, places } = await createTestEvent({ sections: [seats(1, 4, 2000)] });
  const reservation = await hold(user, event.id, { seatIds: [places[0].id] });
  const cookie = await signInCookie(app.url, user.email, TEST_PASSWORD);
  const pay = (key: string, card: keyof typeof CARDS) =>
    postAction(
      app.url,
      actions.payAction.id,
      { reservationId: reservation.id, idempotencyKey: key, method: "mock", cardNumber: CARDS[card], cardExpiry: "12/39", cardCvc: "123" },
      { cookie },
    );
  return { event, reservation, pay };
}

describe("the checkout form's next key", () => {
  it("after a decline: a fresh key comes back, and another card with it pays; the old key still replays the decline", async () => {
    const { event, reservation, pay } = await customerWithHold();
    const first = crypto.randomUUID();
    const declined = await pay(first, "declined");
    expect(outcome(declined)).toBe("payment_declined");
    const next = declined.state?.values?.idempotencyKey;
    expect(next).toMatch(/^[0-9a-f-]{36}$/);
    expect(next).not.toBe(first);

    // A real retry of the first attempt (same key, same card) gets the same answer, charging nothing.
    const replay = await pay(first, "declined");
    expect(outcome(replay)).toBe("payment_declined");
    expect(replay.state?.formError).toBe(declined.state?.formError);

    const paid = await pay(next!, "success");
    expect(paid.redirect).toMatch(/^\/bookings\/[0-9A-Z]{8}\?paid=1$/);
    expect((await checkoutsOf(reservation.id)).map((c) => c.state).sort()).toEqual(["BOOKED", "DECLINED"]);
    expect(await ledger(event.id)).toMatchObject({ charges: 1, refunds: 0 });
  });

  it("while the payment is still open (provider timeout): the same key comes back, and pressing again stays that one attempt", async () => {
    const { event, reservation, pay } = await customerWithHold();
    const key = crypto.randomUUID();
    const pending = await pay(key, "slow"); // the slow test card answers after 3 × PAYMENT_TIMEOUT_MS
    expect(outcome(pending)).toBe("payment_timeout");
    expect(pending.state?.values?.idempotencyKey).toBe(key);
    // "Check payment" twice with the key it was given: still the same attempt, never a second one.
    for (let i = 0; i < 2; i++) {
      const again = await pay(pending.state!.values!.idempotencyKey, "slow");
      expect(["payment_timeout", "idempotency_in_flight"]).toContain(outcome(again));
      expect(again.state?.values?.idempotencyKey).toBe(key);
    }
    await sleep(1500); // let every provider call made so far land
    expect(await checkoutsOf(reservation.id)).toHaveLength(1);
    expect(await ledger(event.id)).toMatchObject({ charges: 1 });
  });
});
