import { describe, expect, test } from "vitest";
import { toActor } from "@/lib/auth/users";
import { joinQueue, queueStatus, updateRoomSettings, type QueueView } from "@/lib/waiting-room";
import { getRoomStats } from "@/lib/waiting-room/stats";
import { sleep, sleepUntil } from "@/tests/helpers/wait";
import { roomEvent, spearman } from "@/tests/helpers/waiting-room";

// The line's fairness, against real Redis: visitors who arrive before the opening are admitted
// in a random order (not their arrival order), those after it in arrival order and after every
// early one; each visitor is admitted exactly once; a position never moves backwards.

const EARLY = 200;
const LATE = 40;
const RATE = 1200; // per minute: 20 a second, so the whole line clears in ~12 s

type Visitor = { arrival: number; token: string; admittedRound: number | null; positions: number[]; passExpiresAt: string | null; rank: number | null };

async function join(eventId: string, token?: string) {
  const r = await joinQueue(eventId, token);
  if (!r.ok) throw new Error(`join failed: ${r.code} ${r.message}`);
  return r;
}

describe("ordering", () => {
  test(`${EARLY} early arrivals are drawn at random, ${LATE} later ones keep arrival order, each admitted once`, async () => {
    const { event, organizer, opensAt } = await roomEvent({ opensInMs: 4_000, rate: RATE });
    const visitors: Visitor[] = [];

    for (let i = 0; i < EARLY; i++) {
      const r = await join(event.id);
      expect(r.view.state).toBe("waiting");
      expect(r.view.opened).toBe(false);
      expect(r.view.position).toBeNull(); // no place before the draw
      visitors.push({ arrival: i, token: r.visitorToken!, admittedRound: null, positions: [], passExpiresAt: null, rank: null });
    }
    expect(Date.now()).toBeLessThan(opensAt); // all of them really arrived early

    // Rejoining with the same token keeps the same place (reload, closed tab).
    const again = await join(event.id, visitors[0].token);
    expect(again.visitorToken).toBe(visitors[0].token);
    expect(again.view.waiting).toBe(EARLY);

    await sleepUntil(opensAt + 50);
    for (let i = 0; i < LATE; i++) {
      const r = await join(event.id);
      expect(r.view.state).toBe("waiting");
      // rank = everyone ahead, admitted or not: position + admitted - 1, read in one script call
      const rank = r.view.position! + r.view.admitted - 1;
      visitors.push({ arrival: EARLY + i, token: r.visitorToken!, admittedRound: null, positions: [r.view.position!], passExpiresAt: null, rank });
    }
    const late = visitors.slice(EARLY);
    // Later arrivals stand behind every early one, in arrival order.
    expect(late.every((v) => v.rank! >= EARLY)).toBe(true);
    expect(late.map((v) => v.rank)).toEqual(late.map((v) => v.rank).sort((a, b) => a! - b!));
    expect(new Set(late.map((v) => v.rank)).size).toBe(LATE);

    // Poll everyone sleepUntil all are admitted, recording positions and the round of admission.
    const deadline = Date.now() + 60_000;
    for (let round = 0; visitors.some((v) => v.admittedRound === null) && Date.now() < deadline; round++) {
      const views = await Promise.all(visitors.map((v) => queueStatus(event.id, v.token)));
      views.forEach((r, i) => {
        if (!r.ok) throw new Error(`status failed: ${r.code}`);
        const v = visitors[i];
        const view: QueueView = r.view;
        if (view.state === "admitted") {
          v.admittedRound ??= round;
          // Admitted exactly once: every later poll shows the same admission (same pass expiry).
          v.passExpiresAt ??= view.passExpiresAt;
          expect(view.passExpiresAt).toBe(v.passExpiresAt);
          expect(view.pass).toBeTruthy();
        } else {
          expect(v.admittedRound, "admitted, then waiting again").toBeNull();
          expect(view.state).toBe("waiting");
          v.positions.push(view.position!);
        }
      });
      await sleep(150);
    }
    expect(visitors.filter((v) => v.admittedRound === null)).toEqual([]);

    // A position never moves backwards.
    for (const v of visitors) {
      for (let i = 1; i < v.positions.length; i++) expect(v.positions[i]).toBeLessThanOrEqual(v.positions[i - 1]);
    }

    // Early arrivals: admission order unrelated to arrival order (|rho| ~ 0.07 by chance at N=200;
    // arrival order would give 1).
    const early = visitors.slice(0, EARLY);
    const rho = spearman(
      early.map((v) => v.arrival),
      early.map((v) => v.admittedRound!),
    );
    expect(Math.abs(rho)).toBeLessThan(0.3);
    // Later arrivals: after every early one, in arrival order.
    const lastEarly = Math.max(...early.map((v) => v.admittedRound!));
    const firstEarly = Math.min(...early.map((v) => v.admittedRound!));
    for (const v of late) expect(v.admittedRound!).toBeGreaterThanOrEqual(lastEarly);
    expect(late.map((v) => v.admittedRound)).toEqual(late.map((v) => v.admittedRound).sort((a, b) => a! - b!));
    expect(lastEarly).toBeGreaterThan(firstEarly); // admission really was spread over time

    const stats = await getRoomStats(toActor(organizer), event.id);
    if (!stats.ok) throw new Error(stats.message);
    expect(stats.stats.live).toMatchObject({ joined: EARLY + LATE, admitted: EARLY + LATE, waiting: 0, passesIssued: EARLY + LATE });
    console.log(`[waiting-room] early-arrival rank correlation rho = ${rho.toFixed(3)} (N = ${EARLY})`);
  });

  test("admission follows the configured rate; a pause stops it; a new rate counts from the change", async () => {
    const { event, organizer, opensAt } = await roomEvent({ opensInMs: 1_000, rate: 600 });
    const actor = toActor(organizer);
    const tokens: string[] = [];
    for (let i = 0; i < 150; i++) tokens.push((await join(event.id)).visitorToken!);
    // The line's figures (admitted, waiting) are the same whoever asks; `who` picks the visitor.
    let who = 149;
    const last = async () => {
      const r = await queueStatus(event.id, tokens[who]);
      if (!r.ok) throw new Error(r.message);
      return { ...r.view, at: Date.parse(r.view.serverTime) };
    };
    await sleepUntil(opensAt + 2_000);
    const a = await last();
    // admitted = rate x time since the opening, on Redis's clock
    expect(Math.abs(a.admitted - Math.floor((600 * (a.at - opensAt)) / 60_000))).toBeLessThanOrEqual(1);
    expect(a.waiting).toBe(150 - a.admitted);

    const settings = { enabled: true, admitPerMinute: 600, sessionMinutes: 15, paused: true };
    expect((await updateRoomSettings(actor, event.id, settings)).ok).toBe(true);
    // Ask as someone still in line: early arrivals are drawn at random, so the last to join may
    // already have been let in (its view then has no wait to estimate).
    const views = await Promise.all(tokens.map((t) => queueStatus(event.id, t)));
    who = views.findIndex((r) => r.ok && r.view.state === "waiting");
    expect(who).toBeGreaterThanOrEqual(0);
    const p1 = await last();
    await sleep(1_000);
    const p2 = await last();
    expect(p2.paused).toBe(true);
    expect(p2.admitted).toBe(p1.admitted);
    expect(p2.estimatedWaitSeconds).toBeNull();

    expect((await updateRoomSettings(actor, event.id, { ...settings, paused: false, admitPerMinute: 1_200 })).ok).toBe(true);
    const r1 = await last();
    await sleep(1_000);
    const r2 = await last();
    expect(r2.admitPerMinute).toBe(1_200);
    const expected = (1_200 * (r2.at - r1.at)) / 60_000;
    expect(Math.abs(r2.admitted - r1.admitted - expected)).toBeLessThanOrEqual(1.01);
  });
});
