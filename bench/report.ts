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
  if (f.holdRequestsPerSecond !== undefined) return { rate: f.holdRequestsPerSecond, unit: "hold req/s", p50: f.hold?.p50 ?? f.p50, p99: f.hold?.p99 ?? f.p99 };
  return { rate: f.requestsPerSecond ?? 0, unit: "req/s", p50: f.p50 ?? 0, p99: f.p99 ?? 0 };
}

function markdown(meta: Record<string, unknown>, results: ScenarioResult[], targets: Target[]) {
  const lines = [
    `# Tessera on-sale benchmark (${meta.mode})`,
    "",
    `Run ${meta.date} on ${meta.machine}. Every scenario uses real PostgreSQL and redis-server unless stated; the invariants are checked in SQL afterwards.`,
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
    if (f.seconds !== undefined) extra.push(`${f.soldOut ? "sold out (all paid)" : "NOT sold out"} in ${f.seconds} s`);
    if (f.conflictRate !== undefined) extra.push(`conflict rate ${f.conflictRate}`);
    if (f.bytesPerResponse) extra.push(`${f.bytesPerResponse} bytes/response`);
    if (f.ratio !== undefined) extra.push(`ratio ${f.ratio}`);
    if (f.errors && Object.keys(f.errors).length) extra.push(`errors ${JSON.stringify(f.errors)}`);
    const inv = r.invariants
      ? r.invariants.ok
        ? `ok (sold ${r.invariants.counts.sold}, charges ${r.invariants.charges}, bookings ${r.invariants.bookings})`
        : `VIOLATED ${JSON.stringify(r.invariants.violations)}`
      : "—";
    lines.push(`| **${r.id}** ${r.title} | ${h.rate} ${h.unit} | ${h.p50} | ${h.p99} | ${extra.join("; ")} | ${inv} |`);
  }
  lines.push("", "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|");
  for (const t of targets) lines.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? "yes" : "no"} |`);
  lines.push("", "![throughput and p99 latency per scenario](latest.svg)", "");
  lines.push(
    "What these figures mean, what was profiled and changed, and why some targets cannot be met on this machine: [bench/README.md](../README.md).",
    "",
  );
  return lines.join("\n");
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
