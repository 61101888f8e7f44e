import { spawnSync } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { toActor } from "@/lib/auth/users";
import { confirmCheckout } from "@/lib/checkout";
import { runIntegrityChecks } from "@/lib/integrity/checks";
import { checkoutsOf } from "@/tests/helpers/db-state";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { newKey, pay } from "@/tests/helpers/payments";
import { hold } from "@/tests/helpers/purchase";

// `npm run check:integrity` is what every fault test ends with and what an operator runs after
// an incident. Here it must catch a planted violation the product cannot produce on its own: the
// provider's books showing money taken for a checkout that ended without a booking or a refund
// (a provider that charged although it answered "declined"). Our own payments table still says
// FAILED, so only the check against the provider's ledger can see it.

const root = path.resolve(import.meta.dirname, "../..");

function cli(eventId: string) {
  const r = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "lib/integrity/cli.ts", `--event=${eventId}`],
    {
      cwd: root,
      env: process.env,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("check:integrity", () => {
  it("prints every invariant with a count, and exits 1 on a charge the provider kept without booking or refund", async () => {
    const { event, places } = await createTestEvent({ sections: [seats(1, 4, 1400)] });
    const user = await createUser();
    const r = await hold(toActor(user), event.id, { seatIds: [places[0].id] });
    const declined = await confirmCheckout(toActor(user), { reservationId: r.id, payment: pay("decline") }, newKey());
    expect(declined).toMatchObject({ ok: false, code: "payment_declined" });

    const clean = cli(event.id);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toMatch(/ok\s+provider_charges_settled\s+0/);
    expect(clean.out).toMatch(/integrity: all \d+ checks hold/);

    const [c] = await checkoutsOf(r.id);
    await db().execute(sql`UPDATE mock_ledger SET outcome = 'succeeded' WHERE idempotency_key = ${c.provider_key}`);
    const broken = cli(event.id);
    expect(broken.code, broken.out).toBe(1);
    expect(broken.out).toMatch(/FAIL provider_charges_settled\s+1/);
    expect(broken.out).toMatch(/ok\s+charge_matched\s+0/); // our own records cannot see it
    expect((await runIntegrityChecks(db(), event.id)).find((x) => x.name === "provider_charges_settled")!.violations).toBe(1);

    // Refunding the charge at the provider settles it.
    const [charge] = await db().execute<{ charge_id: string }>(sql`SELECT charge_id FROM mock_ledger WHERE idempotency_key = ${c.provider_key}`);
    await db().execute(sql`
      INSERT INTO mock_ledger (idempotency_key, kind, charge_id, amount_minor, currency, outcome)
      VALUES (${"refund_test_" + c.provider_key}, 'REFUND', ${charge.charge_id}, 1400, 'EUR', 'succeeded')`);
    expect(cli(event.id).code).toBe(0);
  });
});
