import fs from "node:fs";
import path from "node:path";
import type { OrProblem, Reservation, SeatLayout } from "@/tests/helpers/responses";
import { call, runWorkers } from "./client";
import { CpuMeter, perOperation } from "./cpu";
import { createBenchEvent, createCustomers, seatBlock } from "./data";
import { ensureBuild, root, Stack } from "./stack";
import { summarizeProfile } from "./profile-summary";

// `npm run bench:profile -- [hold|ping] [operations]`: one app process (`next start`) under a
// CPU profiler, serving only REST holds of fresh seat pairs (or only S0's trivial route), eight
// at a time after a warm-up. Prints the app's CPU per request and the profile's top entries by
// self time and by where the time goes (Next.js, our code, zod, jose, the database driver…);
// the .cpuprofile file itself (Chrome DevTools, speedscope) is kept in bench/results/profiles/.
// What it found, and what a request costs beyond S0's: bench/README.md.

const mode = process.argv[2] === "ping" ? "ping" : "hold";
const n = Number(process.argv[3] ?? 3000);
const say = (m: string) => console.log(`[profile] ${m}`);

async function main() {
  // Its own build folder, with server source maps and unminified names (next.config.ts).
  process.env.NEXT_DIST_DIR ||= ".next-profile";
  process.env.NEXT_PROFILE_BUILD = "1";
  // `next build` adds its dist folder's types to tsconfig.json: put the file back as it was.
  const tsconfig = path.join(root, "tsconfig.json");
  const original = fs.readFileSync(tsconfig, "utf8");
  try {
    ensureBuild(say);
  } finally {
    if (fs.readFileSync(tsconfig, "utf8") !== original) fs.writeFileSync(tsconfig, original);
  }
  const dir = fs.mkdtempSync("/tmp/tessera-profile-");
  process.env.BENCH_APP_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=200`;
  const stack = new Stack();
  let window: { from: number; to: number } | undefined;
  try {
    await stack.start();
    const app = await stack.startApp({}, 0);
    const meter = new CpuMeter(() => ({ app: [app.pid], postgres: stack.postmasterPid(), redis: stack.redisPid() }));
    const warm = 500;
    let op: (i: number) => Promise<boolean>;
    if (mode === "ping") {
      op = async () => (await call("GET", `${app.url}/api/ping`)).status === 200;
    } else {
      const ev = await createBenchEvent("Profile holds", seatBlock(Math.ceil(((n + warm) * 2) / 100) * 100));
      const ids = (await call<SeatLayout>("GET", `${app.url}/api/v1/events/${ev.eventId}/seats`)).body.ids;
      const customers = await createCustomers(n + warm);
      op = async (i) =>
        (
          await call<OrProblem<Reservation>>("POST", `${app.url}/api/v1/events/${ev.eventId}/reservations`, {
            token: customers[i].token,
            body: { seatIds: [ids[2 * i], ids[2 * i + 1]] },
          })
        ).status === 201;
    }
    const run = async (from: number, count: number) => {
      let next = from;
      let ok = 0;
      await runWorkers(8, 10 * 60_000, async () => {
        const i = next++;
        if (i >= from + count) return false;
        if (await op(i)) ok++;
        return true;
      });
      return ok;
    };
    await run(0, warm);
    const before = meter.sample();
    // The profile's clock is the monotonic one process.hrtime reads: only the measured requests count.
    const from = Number(process.hrtime.bigint() / 1000n);
    const ok = await run(warm, n);
    window = { from, to: Number(process.hrtime.bigint() / 1000n) };
    const cpu = perOperation(before, meter.sample(), ok);
    say(`${mode}: ${ok} of ${n} answered as expected; CPU ms per request: ${JSON.stringify(cpu)}`);
    await app.stop();
  } finally {
    await stack.stop().catch(() => {});
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const out = path.join(import.meta.dirname, "results/profiles");
  fs.mkdirSync(out, { recursive: true });
  const kept = path.join(out, `${mode}.cpuprofile`);
  fs.copyFileSync(path.join(dir, file), kept);
  fs.writeFileSync(`${kept}.window.json`, JSON.stringify(window));
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(summarizeProfile(JSON.parse(fs.readFileSync(kept, "utf8")), { window, top: 25 }));
  say(`profile: ${kept}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
