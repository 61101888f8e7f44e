import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";

// Reads a V8 .cpuprofile (node --cpu-prof) of the app and says where its time went: the top
// functions by self time, and the time per area (Next.js, React, zod, the database driver, our
// own files…). Bundled server code is mapped back to its sources through the build's source maps
// (bench/profile.ts builds with them); a built-in (JSON.stringify, a crypto call) counts for the
// area of the JavaScript that called it, so "zod" includes the regular expressions zod runs.

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const maps = new Map<string, SourceMapConsumer | null>();

function consumer(url: string): SourceMapConsumer | null {
  if (!maps.has(url)) {
    let c: SourceMapConsumer | null = null;
    try {
      const file = url.startsWith("file://") ? fileURLToPath(url) : url;
      const map = `${file}.map`;
      if (fs.existsSync(map)) c = new SourceMapConsumer(JSON.parse(fs.readFileSync(map, "utf8")) as RawSourceMap);
    } catch {
      c = null;
    }
    maps.set(url, c);
  }
  return maps.get(url)!;
}

/** The original source and function name of a frame (bundled code through its source map). */
function origin(frame: CallFrame): { source: string; name: string } {
  const c = frame.url ? consumer(frame.url) : null;
  if (c) {
    const pos = c.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
    if (pos.source) return { source: `${pos.source}:${pos.line}`, name: frame.functionName || pos.name || "(anonymous)" };
  }
  return { source: frame.url ? `${frame.url}:${frame.lineNumber + 1}` : "", name: frame.functionName || "(anonymous)" };
}

// Areas by package; bundled server code (.next/server) by the source its map names.
const PACKAGES: [RegExp, string][] = [
  [/node_modules\/next\/|^webpack:\/\/next\/|^webpack:\/\/tessera\/src\/|^(\.\.\/)+(src|dist)\//, "Next.js"],
  [/node_modules\/(react|react-dom|react-server-dom[^/]*|scheduler)\//, "React"],
  [/node_modules\/zod\//, "zod"],
  [/node_modules\/jose\//, "jose (bearer tokens)"],
  [/node_modules\/drizzle-orm\//, "drizzle-orm"],
  [/node_modules\/postgres\//, "postgres driver"],
  [/node_modules\/(@upstash|ioredis)\//, "Redis client"],
  [/node_modules\/(next-auth|@auth)\//, "Auth.js"],
  [/node_modules\//, "other packages"],
];
const OURS = /^webpack:\/\/tessera\/((?:lib|app|db|components)\/[^?:]+|middleware\.ts|instrumentation\.ts)/;

/** The area of a frame's own code, or null for built-ins and Node's internals (they count for their caller). */
function area(frame: CallFrame): string | null {
  if (!frame.url || frame.url.startsWith("node:")) return null;
  if (frame.url.includes("/node_modules/")) return PACKAGES.find(([re]) => re.test(frame.url))?.[1] ?? "other packages";
  const source = origin(frame).source;
  const ours = source.match(OURS);
  if (ours) return `ours: ${ours[1]}`;
  if (/^webpack:\/\/tessera\/\?/.test(source)) return "bundle glue (webpack module wrappers)";
  return PACKAGES.find(([re]) => re.test(source))?.[1] ?? `other (${source.replace(/:\d+$/, "").slice(-60)})`;
}

/** Self time per sample node (µs), only for samples within [from, to] (µs on the profile's clock) when given. */
function selfTimes(p: CpuProfile, window?: { from: number; to: number }): Map<number, number> {
  const self = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (window && (t < window.from || t > window.to)) continue;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  return self;
}

export function summarizeProfile(p: CpuProfile, opts: { window?: { from: number; to: number }; top?: number } = {}): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const rootId = p.nodes.find((n) => n.callFrame.functionName === "(root)")?.id;
  const areaOf = new Map<number, string>();
  const areaFor = (id: number): string => {
    if (areaOf.has(id)) return areaOf.get(id)!;
    const f = byId.get(id)!.callFrame;
    let a: string;
    if (["(garbage collector)", "(program)", "(idle)", "(root)"].includes(f.functionName)) a = f.functionName;
    else a = area(f) ?? (parent.has(id) && parent.get(id) !== rootId ? areaFor(parent.get(id)!) : "Node.js (event loop, sockets, timers)");
    areaOf.set(id, a);
    return a;
  };
  // The JavaScript function a sample counts for: its own frame, or for a built-in or Node.js
  // internal the nearest caller of ours or a package's.
  const jsOf = new Map<number, number | null>();
  const jsFor = (id: number): number | null => {
    if (jsOf.has(id)) return jsOf.get(id)!;
    const r = area(byId.get(id)!.callFrame) !== null ? id : parent.has(id) ? jsFor(parent.get(id)!) : null;
    jsOf.set(id, r);
    return r;
  };
  const self = selfTimes(p, opts.window);
  const oursFns = new Map<string, number>();
  let total = 0;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === "(idle)") continue;
    total += us;
    const o = origin(f);
    const key = `${o.name}  ${o.source}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const a = areaFor(id);
    const js = a.startsWith("ours: ") ? jsFor(id) : null;
    if (js !== null) {
      const o = origin(byId.get(js)!.callFrame);
      const k = `${o.name}  ${o.source.replace(/^webpack:\/\/tessera\//, "")}`;
      oursFns.set(k, (oursFns.get(k) ?? 0) + us);
    }
    areas.set(a, (areas.get(a) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const top = opts.top ?? 15;
  const lines = [`busy CPU in the profile: ${(total / 1000).toFixed(0)} ms (idle left out)`, "", "top functions by self time:"];
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us).padStart(6)}  ${k}`);
  lines.push("", "by area (a built-in or Node.js internal counts for the JavaScript that called it):");
  const ours = [...areas].filter(([a]) => a.startsWith("ours: ")).reduce((s, [, us]) => s + us, 0);
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top + 10)) lines.push(`  ${pct(us).padStart(6)}  ${a}`);
  lines.push(`  ours altogether: ${pct(ours)}`, "", "our functions (with the built-ins they call):");
  for (const [k, us] of [...oursFns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us).padStart(6)}  ${k}`);
  return lines.join("\n");
}

// `tsx bench/profile-summary.ts file.cpuprofile [fromUs toUs]` (default: the window bench/profile.ts saved beside it)
if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const [file, from, to] = process.argv.slice(2);
  const saved = `${file}.window.json`;
  const window =
    from && to
      ? { from: Number(from), to: Number(to) }
      : fs.existsSync(saved)
        ? (JSON.parse(fs.readFileSync(saved, "utf8")) as { from: number; to: number })
        : undefined;
  console.log(summarizeProfile(JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile, { window, top: 25 }));
}
