import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { getRedis } from "@/lib/redis";
import { checkHoldAdmission, joinQueue, queueStatus, signPass, signVisitor, verifyPass } from "@/lib/waiting-room";
import { keys } from "@/lib/waiting-room/scripts";
import { createTestEvent, createUser } from "@/tests/helpers/fixtures";
import { sleep } from "@/tests/helpers/wait";
import { roomEvent } from "@/tests/helpers/waiting-room";

// Admission passes against real Redis: only a pass this server signed, for this event, before
// its expiry and used by one account gets to the hold path. Forged, altered, other-event,
// expired and replayed passes are refused with queue_required and a way back to the queue.

async function admitted(eventId: string) {
  const joined = await joinQueue(eventId, null);
  if (!joined.ok) throw new Error(joined.message);
  const r = await queueStatus(eventId, joined.visitorToken);
  if (!r.ok || r.view.state !== "admitted") throw new Error(`not admitted: ${JSON.stringify(r)}`);
  return { token: joined.visitorToken!, pass: r.view.pass!, view: r.view };
}

function expectRefused(r: Awaited<ReturnType<typeof checkHoldAdmission>>, reason: string, eventId: string) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe("queue_required");
  expect(r.reason).toBe(reason);
  expect(r.queueUrl).toBe(`/queue/${eventId}`);
  expect(r.joinUrl).toBe(`/api/v1/events/${eventId}/queue`);
}

describe("passes", () => {
  test("an admitted visitor's pass opens the hold path; no pass, a forged or an altered one does not", async () => {
    const { event } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const buyer = await createUser();
    const { pass, view } = await admitted(event.id);
    expect(Date.parse(view.passExpiresAt!) - Date.parse(view.serverTime)).toBeGreaterThan(899_000); // the 15-minute session

    expect((await checkHoldAdmission(event.id, buyer.id, pass)).ok).toBe(true);
    expect((await checkHoldAdmission(event.id, buyer.id, pass)).ok).toBe(true); // the same shopper again

    expectRefused(await checkHoldAdmission(event.id, buyer.id, null), "missing", event.id);
    expectRefused(await checkHoldAdmission(event.id, buyer.id, "garbage"), "invalid", event.id);
    const [visitorId, exp, sig] = pass.split(".");
    const forgedSig = crypto.createHmac("sha256", "not-the-server-key").update(`${event.id}.${visitorId}.${exp}`).digest("base64url");
    expectRefused(await checkHoldAdmission(event.id, buyer.id, `${visitorId}.${exp}.${forgedSig}`), "invalid", event.id);
    // A later expiry with the old signature (trying to stretch the session).
    expectRefused(await checkHoldAdmission(event.id, buyer.id, `${visitorId}.${Number(exp) + 3_600_000}.${sig}`), "invalid", event.id);
    // Another visitor id under the same signature.
    expectRefused(await checkHoldAdmission(event.id, buyer.id, `${"A".repeat(22)}.${exp}.${sig}`), "invalid", event.id);
    // A visitor token is not a pass, even though both are signed by the server.
    expectRefused(await checkHoldAdmission(event.id, buyer.id, signVisitor(event.id, visitorId)), "invalid", event.id);
  });

  test("a pass of one event does not open another event's hold path", async () => {
    const a = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const b = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const buyer = await createUser();
    const { pass } = await admitted(a.event.id);
    expect((await checkHoldAdmission(a.event.id, buyer.id, pass)).ok).toBe(true);
    expectRefused(await checkHoldAdmission(b.event.id, buyer.id, pass), "invalid", b.event.id);
  });

  test("an expired pass is refused, even with a valid signature", async () => {
    const { event } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const buyer = await createUser();
    const { pass } = await admitted(event.id);
    const visitorId = pass.split(".")[0];
    const shortLived = signPass(event.id, visitorId, Date.now() + 1_000);
    expect((await checkHoldAdmission(event.id, buyer.id, shortLived)).ok).toBe(true);
    await sleep(1_200);
    expectRefused(await checkHoldAdmission(event.id, buyer.id, shortLived), "expired", event.id);
    expect(verifyPass(event.id, shortLived)).toEqual({ ok: false, reason: "expired" });
  });

  test("a pass replayed by another account is refused; its first user keeps it", async () => {
    const { event } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const [owner, other] = [await createUser(), await createUser()];
    const { pass } = await admitted(event.id);
    expect((await checkHoldAdmission(event.id, owner.id, pass)).ok).toBe(true);
    expectRefused(await checkHoldAdmission(event.id, other.id, pass), "used", event.id);
    expect((await checkHoldAdmission(event.id, owner.id, pass)).ok).toBe(true);
  });

  test("when the session is over there is no new pass: the visitor queues again, at the end", async () => {
    const { event } = await roomEvent({ opensInMs: -60_000, rate: 600 });
    const { token, pass } = await admitted(event.id);
    const visitorId = pass.split(".")[0];
    // Fast-forward: this visitor was admitted an hour ago (the session is 15 minutes).
    await getRedis()!.hset(keys(event.id).adm, { [visitorId]: String(Date.now() - 3_600_000) });
    const r = await queueStatus(event.id, token);
    expect(r.ok && r.view.state).toBe("expired");
    expect(r.ok && r.view.pass).toBeNull();
    const back = await joinQueue(event.id, token);
    if (!back.ok) throw new Error(back.message);
    expect(back.visitorToken).not.toBe(token); // a new place, not the old admission
    expect(back.view.state).toBe("admitted"); // the line is empty, so straight through
    expect(back.view.pass!.split(".")[0]).not.toBe(visitorId);
  });

  test("without a waiting room no pass is needed; a forged visitor token is not in line", async () => {
    const { event } = await createTestEvent();
    const buyer = await createUser();
    expect((await checkHoldAdmission(event.id, buyer.id, null)).ok).toBe(true);
    const off = await joinQueue(event.id, null);
    expect(off.ok && off.view.state).toBe("off");

    const room = await roomEvent({ opensInMs: 60_000, rate: 600 });
    const forged = `${"B".repeat(22)}.${crypto.randomBytes(32).toString("base64url")}`;
    const r = await queueStatus(room.event.id, forged);
    expect(r.ok && r.view.state).toBe("not_in_line");
    const unknown = await queueStatus(crypto.randomUUID(), null);
    expect(!unknown.ok && unknown.code).toBe("not_found");
  });
});
