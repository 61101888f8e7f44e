import fs from "node:fs";
import os from "node:os";

// CPU time of the processes under test, read from /proc/<pid>/stat (Linux): user + system time
// of a process, plus what its exited children used (cutime + cstime, counted once the parent has
// reaped them). PostgreSQL is the postmaster and every backend it forked; an app is the process
// started plus its children (cluster workers); redis-server is one process. Figures are in
// milliseconds of CPU, so "CPU per hold" = Δ(app + PostgreSQL + Redis) ÷ holds.

const TICK_MS = 1000 / 100; // USER_HZ is 100 on every Linux we run on (getconf CLK_TCK)

type Stat = { pid: number; ppid: number; self: number; children: number };

function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // exited
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ")".
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state); utime, stime, cutime, cstime are fields 14–17.
  const n = (field: number) => Number(rest[field - 3]);
  return { pid, ppid: n(4), self: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS };
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** CPU ms of a process tree: the root (with its reaped children) and every live descendant. */
export function treeCpuMs(root: number, stats = allStats()): number {
  const byParent = new Map<number, Stat[]>();
  for (const s of stats) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const top = stats.find((s) => s.pid === root);
  if (!top) return 0;
  let total = top.self + top.children;
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length) {
    const s = stack.pop()!;
    total += s.self; // its own reaped children are counted below as live ones, or in s.children
    total += s.children;
    stack.push(...(byParent.get(s.pid) ?? []));
  }
  return total;
}

/** The postmaster's pid, from the first line of postmaster.pid in the data directory. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(fs.readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

export type CpuParts = { app: number; postgres: number; redis: number; bench: number };

/** Samples the CPU of each part; `diff` turns two samples into per-operation figures. */
export class CpuMeter {
  constructor(private readonly pids: () => { app: number[]; postgres: number | null; redis: number | null }) {}

  sample(): CpuParts {
    const stats = allStats();
    const p = this.pids();
    const usage = process.cpuUsage();
    return {
      app: p.app.reduce((sum, pid) => sum + treeCpuMs(pid, stats), 0),
      postgres: p.postgres ? treeCpuMs(p.postgres, stats) : 0,
      redis: p.redis ? treeCpuMs(p.redis, stats) : 0,
      bench: (usage.user + usage.system) / 1000,
    };
  }
}

/**
 * CPU per operation between two samples, in ms. `inProcess`: the code under test ran in this
 * (the bench) process, so its CPU counts as the app's.
 */
export function perOperation(before: CpuParts, after: CpuParts, operations: number, opts: { inProcess?: boolean } = {}) {
  const d = (k: keyof CpuParts) => Math.max(0, after[k] - before[k]);
  const app = opts.inProcess ? d("bench") : d("app");
  const per = (ms: number) => Math.round((1000 * ms) / Math.max(1, operations)) / 1000;
  return {
    operations,
    appMs: per(app),
    postgresMs: per(d("postgres")),
    redisMs: per(d("redis")),
    totalMs: per(app + d("postgres") + d("redis")),
    loadGeneratorMs: opts.inProcess ? null : per(d("bench")),
  };
}

export type PerOperation = ReturnType<typeof perOperation>;

/** The machine's load while a phase ran: 1-minute load average and how many cores there are. */
export function machineLoad() {
  return { loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100, cores: os.cpus().length };
}
