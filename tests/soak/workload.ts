import crypto from "node:crypto";
import type postgres from "postgres";
import { db } from "@/db";
import type { User } from "@/db/schema";
import { issueApiToken } from "@/lib/auth/tokens";
import { runIntegrityChecks } from "@/lib/integrity/checks";
import { postAction, serverActions } from "@/tests/helpers/actions";
import { createTestEvent, createUser, createUsers, ga, seats, TEST_PASSWORD } from "@/tests/helpers/fixtures";
import { call, type Answer } from "@/tests/helpers/http";
import { card } from "@/tests/helpers/payments";
import { pgConnections, rssMb } from "@/tests/helpers/process-figures";
import type { Booking, EventDetail, InventorySnapshot, OrProblem, Problem, Reservation, SeatLayout, TickResult } from "@/tests/helpers/responses";
import { signInCookie } from "@/tests/helpers/sign-in";
import { sleep } from "@/tests/helpers/wait";

// The soak workload, shared by `npm run soak` (10 minutes) and the CI test (about a minute):
// virtual customers spread over the app processes browse (REST and the HTML pages), buy seats
// and GA places (hold + pay), hold and release, and let holds on a short-hold event expire; a
// cron loop calls /api/cron/tick like Vercel Cron; an organizer loop creates an event over REST,
// sells it and cancels it through the admin server action (refunding every booking). Every answer
// is checked against the outcomes that are valid for that step (a lost race for a seat is valid,
// a 5xx never is). A sampler records each app process's RSS and its Postgres connections.

export type SoakApp = { url: string; pid: number; pgApp: string; output?: () => string };
export type SoakConfig = {
  apps: SoakApp[];
  durationMs: number;
  warmupMs: number; // the "start" figures are taken after this
  customers: number;
  sampleEveryMs?: number;
  cancelEveryMs?: number;
  pg: postgres.Sql; // for pg_stat_activity
  cronSecret: string;
  progress?: (line: string) => void;
};

type Sample = { t: number; rss: number[]; pg: number[] };
// RSS: after warm-up, at the end, the highest; and the highest in the middle fifth and in the
// last fifth of the run — a leak keeps climbing from one to the other, a warmed-up heap does not.
export type AppFigures = {
  url: string;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  rssMidMaxMb: number;
  rssLastMaxMb: number;
  pgStart: number;
  pgEnd: number;
  pgMax: number;
  errorLogLines: number;
};
export type SoakReport = {
  seconds: number;
  requests: number;
  errors: number;
  errorRate: number;
  errorSamples: string[];
  steps: Record<string, { n: number; errors: number; p50Ms: number; p99Ms: number }>;
  outcomes: Record<string, number>;
  apps: AppFigures[];
  integrity: { checked: number; violations: { name: string; violations: number }[] };
};

const codeOf = (a: Answer<unknown>) => (a.body as Partial<Problem> | null)?.code ?? "";
const VALID: Record<string, (a: Answer<unknown>) => boolean> = {
  browse: (a) => a.status === 200 || a.status === 304,
  page: (a) => a.status === 200,
  hold: (a) => a.status === 201 || (a.status === 409 && ["seat_taken", "sold_out"].includes(codeOf(a))),
  pay: (a) => a.status === 201,
  release: (a) => a.status === 204,
  expiringHold: (a) => a.status === 201 || (a.status === 409 && codeOf(a) === "seat_taken"),
  tick: (a) => a.status === 200 && (a.body as TickResult | null)?.ok === true,
  createEvent: (a) => a.status === 201,
  cancelEvent: (a) => a.status === 303 || a.status === 200,
};

function percentile(xs: number[], p: number) {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]);
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

function maxIn(samples: Sample[], app: number, from: number, to: number) {
  const end = samples.at(-1)!.t;
  const inRange = samples.filter((s) => s.t >= from * end && s.t < to * end).map((s) => s.rss[app]);
  return inRange.length ? Math.max(...inRange) : samples.at(-1)!.rss[app];
}

export async function runSoak(cfg: SoakConfig): Promise<SoakReport> {
  const log = cfg.progress ?? (() => {});
  const latencies = new Map<string, number[]>();
  const errorCounts = new Map<string, number>();
  const errorSamples: string[] = [];
  const outcomes: Record<string, number> = {};
  const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  let requests = 0;

  const check = <T>(step: string, a: Answer<T>, what: string): Answer<T> => {
    requests++;
    (latencies.get(step) ?? latencies.set(step, []).get(step)!).push(a.ms);
    if (!VALID[step](a)) {
      errorCounts.set(step, (errorCounts.get(step) ?? 0) + 1);
      if (errorSamples.length < 20) errorSamples.push(`${step} ${what}: ${a.status} ${a.error ?? a.text.slice(0, 300)}`);
    }
    return a;
  };

  // ---- the cast and the stock ----
  const organizer = await createUser("ORGANIZER");
  const orgToken = (await issueApiToken(organizer)).token;
  const orgCookie = await signInCookie(cfg.apps[0].url, organizer.email, TEST_PASSWORD);
  const users = await createUsers(cfg.customers + 3);
  const tokens = await Promise.all(users.map(async (u: User) => (await issueApiToken(u)).token));
  const cancelBuyers = tokens.splice(cfg.customers, 3);
  const cancelAction = serverActions().cancelEventAction?.id;
  if (!cancelAction) throw new Error("cancelEventAction is not in the build");

  const eventIds: string[] = [];
  const layouts = new Map<string, SeatLayout>();
  const newMainEvent = async () => {
    const { event } = await createTestEvent({ organizer, sections: [seats(10, 40, 1500), ga(200, 900)], title: `Soak main ${eventIds.length}` });
    eventIds.push(event.id);
    return event.id;
  };
  let mainEvent = await newMainEvent();
  let rotating: Promise<string> | null = null;
  const expiring = await createTestEvent({ organizer, sections: [seats(5, 20, 500)], holdSeconds: 3, maxPerOrder: 100, title: "Soak short holds" });
  eventIds.push(expiring.event.id);

  const layoutOf = async (app: SoakApp, eventId: string) => {
    let l = layouts.get(eventId);
    if (!l) {
      const res = check("browse", await call<SeatLayout>(`${app.url}/api/v1/events/${eventId}/seats`), "seats");
      l = res.body;
      layouts.set(eventId, l);
    }
    return l;
  };
  const freePlaces = async (app: SoakApp, eventId: string, kind: "ASSIGNED" | "GA") => {
    const inv = check("browse", await call<InventorySnapshot>(`${app.url}/api/v1/events/${eventId}/inventory`), "inventory");
    const layout = await layoutOf(app, eventId);
    const bytes = Buffer.from(inv.body.seats.data, "base64");
    const free: { id: number; sectionId: string }[] = [];
    for (const s of layout.sections.filter((x) => x.kind === kind)) {
      for (let seq = s.firstSeq; seq < s.firstSeq + s.count; seq++) {
        if (((bytes[seq >> 2] >> ((seq & 3) * 2)) & 3) === 0) free.push({ id: layout.ids[seq], sectionId: s.id });
      }
    }
    return free;
  };
  const hold = (app: SoakApp, token: string, eventId: string, body: unknown, step = "hold") =>
    call<OrProblem<Reservation>>(`${app.url}/api/v1/events/${eventId}/reservations`, { token, json: body }).then((a) => check(step, a, "hold"));
  const pay = (app: SoakApp, token: string, reservationId: string) =>
    call<OrProblem<Booking>>(`${app.url}/api/v1/bookings/confirm`, {
      token,
      json: { reservationId, payment: { method: "mock", card: card() } },
      headers: { "idempotency-key": crypto.randomUUID() },
    }).then((a) => check("pay", a, "confirm"));

  // ---- what a customer does ----
  const browse = async (app: SoakApp) => {
    const which = Math.floor(Math.random() * 6);
    if (which === 0) return check("browse", await call(`${app.url}/api/v1/events?status=on_sale`), "list");
    if (which === 1) return check("browse", await call(`${app.url}/api/v1/events/${mainEvent}`), "detail");
    if (which === 2) return check("browse", await call(`${app.url}/api/v1/events/${mainEvent}/inventory`), "inventory");
    if (which === 3) return check("browse", await call(`${app.url}/api/v1/events/${mainEvent}/seats`), "seats");
    if (which === 4) return check("page", await call(`${app.url}/events/${mainEvent}`), "event page");
    return check("page", await call(`${app.url}/`), "home page");
  };

  const buy = async (app: SoakApp, token: string) => {
    const eventId = mainEvent;
    const gaBuy = Math.random() < 0.3;
    const free = await freePlaces(app, eventId, gaBuy ? "GA" : "ASSIGNED");
    if (free.length < 5) {
      // Sold (nearly) out: open the next event, once, whoever notices first.
      rotating ??= newMainEvent().then((id) => {
        mainEvent = id;
        rotating = null;
        count("eventsRotated");
        return id;
      });
      await rotating;
      return;
    }
    const body = gaBuy ? { sectionId: free[0].sectionId, quantity: 1 + Math.floor(Math.random() * 2) } : { seatIds: [pick(free).id] };
    const h = await hold(app, token, eventId, body);
    if (h.status !== 201) return count("lostRace");
    const p = await pay(app, token, h.body.id);
    if (p.status === 201) count("booked");
  };

  const holdAndRelease = async (app: SoakApp, token: string) => {
    const eventId = mainEvent; // read once: another customer may open the next event meanwhile
    const free = await freePlaces(app, eventId, "ASSIGNED");
    if (free.length < 5) return;
    const h = await hold(app, token, eventId, { seatIds: [pick(free).id] });
    if (h.status !== 201) return count("lostRace");
    await sleep(50 + Math.random() * 200);
    const r = check("release", await call(`${pick(cfg.apps).url}/api/v1/events/${eventId}/reservations/${h.body.id}`, { method: "DELETE", token }), "release");
    if (r.status === 204) count("released");
  };

  const lastExpiring = new Map<string, number>();
  const holdAndWalkAway = async (app: SoakApp, token: string) => {
    if (Date.now() - (lastExpiring.get(token) ?? 0) < 3500) return browse(app);
    lastExpiring.set(token, Date.now());
    const free = await freePlaces(app, expiring.event.id, "ASSIGNED");
    if (free.length === 0) return;
    const h = await hold(app, token, expiring.event.id, { seatIds: [pick(free).id] }, "expiringHold");
    if (h.status === 201) count("leftToExpire");
  };

  const end = performance.now() + cfg.durationMs;
  const running = () => performance.now() < end;
  const pause = (ms: number) => sleep(Math.max(0, Math.min(ms, end - performance.now())));

  const customer = async (i: number) => {
    const token = tokens[i];
    while (running()) {
      const app = cfg.apps[(i + Math.floor(Math.random() * 2)) % cfg.apps.length];
      const r = Math.random();
      if (r < 0.45) await browse(app);
      else if (r < 0.7) await buy(app, token);
      else if (r < 0.85) await holdAndRelease(app, token);
      else await holdAndWalkAway(app, token);
      await sleep(50 + Math.random() * 200);
    }
  };

  const cron = async () => {
    let i = 0;
    while (running()) {
      await pause(Math.min(10_000, cfg.durationMs / 6));
      if (!running()) break;
      check(
        "tick",
        await call(`${cfg.apps[i++ % cfg.apps.length].url}/api/cron/tick`, { headers: { authorization: `Bearer ${cfg.cronSecret}` }, timeoutMs: 60_000 }),
        "cron",
      );
    }
  };

  const cancelCycles = async () => {
    const every = cfg.cancelEveryMs ?? 20_000;
    while (running()) {
      const app = pick(cfg.apps);
      const day = 86_400_000;
      const now = Date.now();
      const created = check(
        "createEvent",
        await call<EventDetail>(`${app.url}/api/v1/events`, {
          token: orgToken,
          json: {
            title: `Soak cancel ${crypto.randomUUID().slice(0, 6)}`,
            description: "",
            venue: { name: "Soak Hall", address: "" },
            sections: [{ kind: "ASSIGNED", name: "Stalls", priceMinor: 2000, layout: { rows: 1, seatsPerRow: 6 } }],
            startsAt: new Date(now + 20 * day).toISOString(),
            endsAt: new Date(now + 20 * day + 3_600_000).toISOString(),
            saleStartsAt: new Date(now - day).toISOString(),
            saleEndsAt: new Date(now + 19 * day).toISOString(),
            publish: true,
          },
        }),
        "create event",
      );
      if (created.status === 201) {
        const eventId = created.body.id;
        eventIds.push(eventId);
        const free = await freePlaces(app, eventId, "ASSIGNED");
        await Promise.all(
          cancelBuyers.map(async (token, k) => {
            const h = await hold(pick(cfg.apps), token, eventId, { seatIds: [free[k].id] });
            if (h.status === 201 && (await pay(pick(cfg.apps), token, h.body.id)).status === 201) count("bookedThenCancelled");
          }),
        );
        const reply = await postAction(pick(cfg.apps).url, cancelAction, { eventId, confirm: "yes" }, { cookie: orgCookie });
        const answer: Answer<unknown> = {
          status: reply.redirect ? 303 : reply.status,
          body: reply.state,
          text: reply.text.slice(0, 300),
          ms: 0,
          contentType: "",
          headers: new Headers(),
        };
        if (check("cancelEvent", answer, "cancel event").status === 303 && reply.redirect?.includes("cancelled=")) count("eventsCancelled");
        else if (errorSamples.length < 20) errorSamples.push(`cancelEvent: no redirect (${reply.status}) ${JSON.stringify(reply.state)}`);
      }
      await pause(every);
    }
  };

  // ---- figures ----
  const samples: Sample[] = [];
  const t0 = performance.now();
  const sample = async () => {
    const rss = cfg.apps.map((a) => rssMb(a.pid));
    const pgc = await Promise.all(cfg.apps.map((a) => pgConnections(cfg.pg, a.pgApp)));
    samples.push({ t: performance.now() - t0, rss, pg: pgc });
  };
  const sampler = async () => {
    while (running()) {
      await sample();
      const last = samples.at(-1)!;
      log(
        `t=${Math.round(last.t / 1000)}s requests=${requests} errors=${[...errorCounts.values()].reduce((a, b) => a + b, 0)} rss=${last.rss.join("/")}MB pg=${last.pg.join("/")}`,
      );
      await pause(cfg.sampleEveryMs ?? 5000);
    }
  };

  await Promise.all([...Array.from({ length: cfg.customers }, (_, i) => customer(i)), cron(), cancelCycles(), sampler()]);
  await sample();

  const checks = (await Promise.all(eventIds.map((id) => runIntegrityChecks(db(), id)))).flat();
  const violations = checks.filter((c) => c.violations > 0).map((c) => ({ name: c.name, violations: c.violations }));
  const startSample = samples.find((s) => s.t >= cfg.warmupMs) ?? samples[0];
  const endSample = samples.at(-1)!;
  const errors = [...errorCounts.values()].reduce((a, b) => a + b, 0);
  const steps: SoakReport["steps"] = {};
  for (const [step, xs] of latencies) steps[step] = { n: xs.length, errors: errorCounts.get(step) ?? 0, p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99) };
  return {
    seconds: Math.round((performance.now() - t0) / 1000),
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    errorSamples,
    steps,
    outcomes,
    apps: cfg.apps.map((a, i) => ({
      url: a.url,
      rssStartMb: startSample.rss[i],
      rssEndMb: endSample.rss[i],
      rssMaxMb: Math.max(...samples.map((s) => s.rss[i])),
      rssMidMaxMb: maxIn(samples, i, 0.4, 0.6),
      rssLastMaxMb: maxIn(samples, i, 0.8, 1.01),
      pgStart: startSample.pg[i],
      pgEnd: endSample.pg[i],
      pgMax: Math.max(...samples.map((s) => s.pg[i])),
      errorLogLines: (a.output?.() ?? "").split("\n").filter((l) => l.includes('"level":"error"')).length,
    })),
    integrity: { checked: eventIds.length, violations },
  };
}

export function formatReport(r: SoakReport): string {
  const lines = [
    `soak: ${r.seconds} s, ${r.requests} requests, ${r.errors} errors (error rate ${(r.errorRate * 100).toFixed(3)} %)`,
    ...r.apps.map(
      (a, i) =>
        `  app ${i + 1} ${a.url}: RSS ${a.rssStartMb} MB → ${a.rssEndMb} MB (max ${a.rssMaxMb}; highest in the middle fifth ${a.rssMidMaxMb}, in the last fifth ${a.rssLastMaxMb}); pg connections ${a.pgStart} → ${a.pgEnd} (max ${a.pgMax}); error log lines ${a.errorLogLines}`,
    ),
    `  steps: ${Object.entries(r.steps)
      .map(([k, v]) => `${k} ${v.n} (err ${v.errors}, p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms)`)
      .join("; ")}`,
    `  outcomes: ${JSON.stringify(r.outcomes)}`,
    `  integrity: ${r.integrity.violations.length === 0 ? `clean over ${r.integrity.checked} events` : JSON.stringify(r.integrity.violations)}`,
    ...r.errorSamples.map((e) => `  error: ${e}`),
  ];
  return lines.join("\n");
}
