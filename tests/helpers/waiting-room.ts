import { eq } from "drizzle-orm";
import { db } from "@/db";
import { events } from "@/db/schema";
import type { CustomSectionInput } from "@/lib/events/schemas";
import { createTestEvent, seats } from "./fixtures";

// For the waiting-room tests: an event whose room is on, opening at a chosen instant, and a rank
// correlation to judge how well the line keeps its order.

export async function roomEvent(opts: { opensInMs: number; rate: number; sessionSeconds?: number; sections?: CustomSectionInput[]; maxPerOrder?: number }) {
  const made = await createTestEvent({ onSale: opts.opensInMs <= 0, sections: opts.sections ?? [seats(2, 10)], maxPerOrder: opts.maxPerOrder });
  const saleStartsAt = new Date(Date.now() + opts.opensInMs);
  await db()
    .update(events)
    .set({
      saleStartsAt,
      waitingRoom: true,
      admitPerMinute: opts.rate,
      waitingRoomSessionSeconds: opts.sessionSeconds ?? 900,
      ...(opts.opensInMs <= 0 ? {} : { status: "UPCOMING" as const }),
    })
    .where(eq(events.id, made.event.id));
  return { ...made, opensAt: saleStartsAt.getTime() };
}

/** Spearman's rank correlation of two equally long samples (ties get their average rank). */
export function spearman(a: number[], b: number[]): number {
  const ranks = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db2 = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db2 += (rb[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db2);
}
