import fs from "node:fs";
import path from "node:path";

// `npm run lint` runs this: no two parts of lib/ may import each other in a loop. A part is a
// folder (lib/holds, lib/checkout, ...) or a file directly in lib/ (lib/errors.ts, ...). Loops
// make it unclear which rule sits below which, and every change to one side risks the other.
// Type-only imports (`import type`, `export type`) cost nothing at run time and do not count.
// Prints each loop with the imports that close it; exits 1 when there is one.

const root = path.resolve(import.meta.dirname, "../..");
const lib = path.join(root, "lib");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.tsx?$/.test(d.name) ? [p] : [];
  });
}

/** The part of lib/ a path inside it belongs to, or null outside lib/. */
function partOf(file: string): string | null {
  const rel = path.relative(lib, file);
  if (rel.startsWith("..")) return null;
  const [first, ...rest] = rel.split(path.sep);
  return rest.length ? first : first.replace(/\.tsx?$/, "");
}

function target(from: string, spec: string): string | null {
  if (spec.startsWith("@/")) return path.join(root, spec.slice(2));
  if (spec.startsWith(".")) return path.resolve(path.dirname(from), spec);
  return null;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?["']([^"']+)["']/gm;
const edges = new Map<string, Map<string, string>>(); // part → part → one file that imports it

for (const file of sources(lib)) {
  const from = partOf(file)!;
  for (const m of fs.readFileSync(file, "utf8").matchAll(IMPORT)) {
    if (m[1]) continue;
    const t = target(file, m[2]);
    const to = t && partOf(t);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, path.relative(root, file));
  }
}

// Tarjan's strongly connected components: every component of more than one part is a loop.
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const loops: string[][] = [];
let next = 0;
function visit(v: string) {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  for (const w of edges.get(v)?.keys() ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
  }
  if (low.get(v) === index.get(v)) {
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) loops.push(component);
  }
}
for (const v of edges.keys()) if (!index.has(v)) visit(v);

for (const loop of loops) {
  console.error(`lib/ parts that import each other in a loop: ${loop.join(", ")}`);
  for (const a of loop) for (const [b, file] of edges.get(a) ?? []) if (loop.includes(b)) console.error(`  ${a} → ${b} (${file})`);
}
if (loops.length) {
  console.error("Move the shared rule below both (see docs/architecture-rules.md), or import only types.");
  process.exit(1);
}
