import fs from "node:fs";
import path from "node:path";
import type { ScenarioResult } from "./scenarios";

// Writes bench/results/latest.json, latest.md (a table people can read) and latest.svg (a chart).

export type Target = { name: string; goal: string; measured: string; met: boolean };

export function writeReport(dir: string, meta: Record<string, unknown>, results: ScenarioResult[], targets: Target[]) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "latest.json"), JSON.stringify({ meta, results, targets }, null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "latest.md"), markdown(meta, results, targets));
  fs.writeFileSync(path.join(dir, "latest.svg"), chart(results));
}

function headline(r: ScenarioResult): { rate: number; unit: string; p50?: number; p99?: number } {
  const f = r.figures;
  if (f.holdInProcess !== undefined) return { rate: 0, unit: "(CPU per operation: see below)" };
  if (f.holdRequestsPerSecond !== undefined) return { rate: f.holdRequestsPerSecond, unit: "hold req/s", p50: f.hold?.p50 ?? f.p50, p99: f.hold?.p99 ?? f.p99 };
  return { rate: f.requestsPerSecond ?? 0, unit: "req/s", p50: f.p50 ?? 0, p99: f.p99 ?? 0 };
}

function markdown(meta: Record<string, unknown>, results: ScenarioResult[], targets: Target[]) {
  const lines = [
    `# Tessera on-sale benchmark (${meta.mode})`,
    "",
    `Run ${meta.date} on ${meta.machine}, app served by ${meta.appWorkers ?? 1} worker process(es), machine load average at the end ${(meta.loadAtEnd as { loadAverage1m?: number } | undefined)?.loadAverage1m ?? "?"}. Every scenario uses real PostgreSQL and redis-server unless stated, beside ${background(meta)}; the invariants are checked in SQL afterwards.`,
    "",
    "| scenario | throughput | p50 ms | p99 ms | other figures | invariants |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const h = headline(r);
    const f = r.figures;
    const extra: string[] = [];
    if (f.winners !== undefined) extra.push(`winners ${f.winners}`);
    if (f.confirmsPerSecond !== undefined) extra.push(`confirms/s ${f.confirmsPerSecond} (p50 ${f.confirm?.p50}, p99 ${f.confirm?.p99} ms)`);
    if (f.allHeldSeconds) extra.push(`every place held or sold after ${f.allHeldSeconds} s`);
    if (f.seconds !== undefined && f.soldOut !== undefined) extra.push(`${f.soldOut ? "sold out (all paid)" : "NOT sold out"} in ${f.seconds} s`);
    if (f.conflictRate !== undefined) extra.push(`conflict rate ${f.conflictRate}`);
    if (f.bytesPerResponse) extra.push(`${f.bytesPerResponse} bytes/response`);
    if (f.ratio !== undefined) extra.push(`ratio ${f.ratio}`);
    if (f.singleProcessRequestsPerSecond !== undefined) extra.push(`one process: ${f.singleProcessRequestsPerSecond} req/s`);
    if (typeof f.summary === "string") extra.push(f.summary);
    if (f.maxHoldRateWithinTarget !== undefined)
      extra.push(
        `highest rate with p99 ≤ ${f.targetP99Ms} ms: ${f.maxHoldRateWithinTarget} holds/s${f.ratioToS0 !== null ? ` (${f.ratioToS0} × S0)` : ""}` +
          (f.kneeReached === false ? ` (knee not reached: the ramp ended at ${f.highestOffered} holds/s within the target, a lower bound)` : ""),
      );
    if (f.knee !== undefined)
      extra.push(
        `${f.admitPerMinuteConfigured !== undefined ? `room admitting ${f.admitPerMinuteConfigured}/min` : `knee ${f.knee} customers/s`}; ${f.holdsOk} held, ${f.confirms} paid, ${f.abandoned} abandoned, ${f.declined} declined`,
      );
    if (f.errors && Object.keys(f.errors).length) extra.push(`errors ${JSON.stringify(f.errors)}`);
    const inv = r.invariants
      ? r.invariants.ok
        ? `ok (sold ${r.invariants.counts.sold}, charges ${r.invariants.charges}, bookings ${r.invariants.bookings})`
        : `VIOLATED ${JSON.stringify(r.invariants.violations)}`
      : "—";
    const rate = f.holdInProcess !== undefined ? "—" : `${h.rate} ${h.unit}`;
    lines.push(`| **${r.id}** ${r.title} | ${rate} | ${h.p50 ?? "—"} | ${h.p99 ?? "—"} | ${extra.join("; ")} | ${inv} |`);
  }
  lines.push(...details(results));
  lines.push("", "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|");
  for (const t of targets) lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? "yes" : "no"} |`);
  lines.push("", "![throughput and p99 latency per scenario](latest.svg)", "");
  lines.push(
    "What these figures mean, what was profiled and changed, and why some targets cannot be met on this machine: [bench/README.md](../README.md).",
    "",
  );
  return lines.join("\n");
}

function background(meta: Record<string, unknown>) {
  const b = meta.background as { events: number; seatsEach: number } | null | undefined;
  return b ? `${b.events} other events of ${b.seatsEach.toLocaleString("en")} seats` : "no other events";
}

type Tail = { p50: number; p99: number; p999?: number; count: number };
type Cpu = { appMs: number; postgresMs: number; redisMs: number; totalMs: number; loadGeneratorMs: number | null; operations: number } | null;
/** One step of S10 (latency, served, within) or of S11/S12 (the rest). */
type StepRow = {
  offered: number;
  served?: number;
  latency?: Tail;
  within?: boolean;
  errors?: number | Record<string, number>;
  cpuPerHold: Cpu;
  holdsSentPerSecond?: number;
  holdsServedPerSecond?: number;
  hold?: Tail;
  map?: Tail;
  confirm?: Tail;
  inLine?: Tail;
  holdsOk?: number;
  confirms?: number;
  conflicts?: number;
  keptUp?: boolean;
};
const ms = (t?: Tail) => (t ? `${t.p50} / ${t.p99} / ${t.p999 ?? "–"}` : "–");
const cpu = (c: Cpu) => (c ? `${c.totalMs} (${c.appMs} + ${c.postgresMs} + ${c.redisMs})` : "–");

/** Tables for the CPU scenario and the open-loop steps (S9–S12). */
function details(results: ScenarioResult[]): string[] {
  const out: string[] = [];
  const s9 = results.find((r) => r.id === "S9")?.figures as Record<string, Cpu & { failed: number }> | undefined;
  if (s9) {
    out.push(
      "",
      "## CPU per operation (S9)",
      "",
      "ms of CPU per operation: total (app + PostgreSQL + Redis); the load generator's own CPU over HTTP beside it.",
      "",
    );
    out.push("| operation | in process | over HTTP | load generator (HTTP) |", "|---|---|---|---|");
    out.push(`| hold (new reservation, 2 seats) | ${cpu(s9.holdInProcess)} | ${cpu(s9.holdHttp)} | ${s9.holdHttp?.loadGeneratorMs ?? "–"} |`);
    out.push(`| checkout (mock provider, no latency) | ${cpu(s9.checkoutInProcess)} | ${cpu(s9.checkoutHttp)} | ${s9.checkoutHttp?.loadGeneratorMs ?? "–"} |`);
  }
  for (const r of results.filter((x) => ["S10", "S11", "S12"].includes(x.id))) {
    const steps = (r.figures as { steps?: StepRow[] }).steps ?? [];
    out.push("", `## ${r.id} step by step`, "");
    if (r.id === "S10") {
      out.push("| offered holds/s | served holds/s | p50 / p99 / p99.9 ms | errors | CPU ms per hold | within target |", "|---|---|---|---|---|---|");
      for (const s of steps) out.push(`| ${s.offered} | ${s.served} | ${ms(s.latency)} | ${s.errors} | ${cpu(s.cpuPerHold)} | ${s.within ? "yes" : "no"} |`);
    } else {
      out.push(
        "| offered customers/s | holds sent/s | holds served/s | hold p50 / p99 / p99.9 ms | map p50 / p99 / p99.9 | pay p50 / p99 / p99.9 | " +
          (r.id === "S12" ? "time in line p50 / p99 | " : "") +
          "held · paid · conflicts | errors | CPU ms per hold answered | kept up |",
        `|---|---|---|---|---|---|${r.id === "S12" ? "---|" : ""}---|---|---|---|`,
      );
      for (const s of steps) {
        const errs =
          Object.entries(s.errors ?? {})
            .map(([k, v]) => `${k} ×${v}`)
            .join(", ") || "0";
        out.push(
          `| ${s.offered} | ${s.holdsSentPerSecond} | ${s.holdsServedPerSecond} | ${ms(s.hold)} | ${ms(s.map)} | ${ms(s.confirm)} | ` +
            (r.id === "S12" ? `${s.inLine?.p50 ?? "–"} / ${s.inLine?.p99 ?? "–"} | ` : "") +
            `${s.holdsOk} · ${s.confirms} · ${s.conflicts} | ${errs} | ${cpu(s.cpuPerHold)} | ${s.keptUp ? "yes" : "no"} |`,
        );
      }
    }
  }
  return out;
}

function chart(results: ScenarioResult[]) {
  const rows = results.map((r) => ({ id: r.id, ...headline(r) }));
  const maxRate = Math.max(1, ...rows.map((r) => r.rate));
  const maxP99 = Math.max(1, ...rows.map((r) => r.p99 ?? 0));
  const rowH = 34;
  const h = 60 + rows.length * rowH;
  const bar = (v: number, max: number, x: number, y: number, color: string, label: string) =>
    `<rect x="${x}" y="${y}" width="${Math.max(1, (v / max) * 300).toFixed(1)}" height="12" fill="${color}"/><text x="${x + Math.max(1, (v / max) * 300) + 6}" y="${y + 10}" font-size="11">${label}</text>`;
  const body = rows
    .map((r, i) => {
      const y = 50 + i * rowH;
      return (
        `<text x="10" y="${y + 10}" font-size="12" font-weight="bold">${r.id}</text>` +
        bar(r.rate, maxRate, 50, y, "#4f46e5", `${r.rate} ${r.unit}`) +
        bar(r.p99 ?? 0, maxP99, 500, y, "#d97706", `p99 ${r.p99} ms`)
      );
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="920" height="${h}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="50" y="28" font-size="14" font-weight="bold">Throughput</text><text x="500" y="28" font-size="14" font-weight="bold">p99 latency</text>
${body}
</svg>
`;
}
