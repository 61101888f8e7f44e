import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "@/lib/dev/services";

// PgBouncer (the Debian package, /usr/sbin/pgbouncer) in front of a test PostgreSQL, as its own
// process with a generated configuration on a free loopback port. Transaction pooling by default:
// a server connection belongs to a client only for one transaction, which is why the app must
// run with DATABASE_PREPARED_STATEMENTS=false behind it (PgBouncer 1.18 does not carry prepared
// statements across server connections).

export const PGBOUNCER = process.env.PGBOUNCER_PATH ?? "/usr/sbin/pgbouncer";

export type Bouncer = {
  /** DATABASE_URL through PgBouncer. */
  url: string;
  port: number;
  /** SHOW <what> on the admin console (POOLS, STATS, CLIENTS, SERVERS …) as rows. */
  show: (what: string) => Promise<Record<string, string>[]>;
  stop: () => Promise<void>;
};

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

export async function startPgBouncer(
  databaseUrl: string,
  opts: { poolMode?: "transaction" | "session"; poolSize?: number; maxClients?: number } = {},
): Promise<Bouncer> {
  if (!fs.existsSync(PGBOUNCER)) throw new Error(`PgBouncer is not installed at ${PGBOUNCER} (apt-get install -y pgbouncer)`);
  const target = new URL(databaseUrl);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const database = target.pathname.slice(1);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-pgbouncer-"));
  fs.writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`);
  const ini = [
    "[databases]",
    `${database} = host=${target.hostname} port=${target.port || 5432} dbname=${database}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = md5",
    `auth_file = ${path.join(dir, "userlist.txt")}`,
    `admin_users = ${user}`,
    `pool_mode = ${opts.poolMode ?? "transaction"}`,
    `default_pool_size = ${opts.poolSize ?? 20}`,
    `max_client_conn = ${opts.maxClients ?? 2000}`,
    // postgres.js and drivers like it send these at connect; PgBouncer must not refuse them.
    "ignore_startup_parameters = extra_float_digits,options",
    "server_reset_query = DISCARD ALL",
    "log_connections = 0",
    "log_disconnections = 0",
    `logfile = ${path.join(dir, "pgbouncer.log")}`,
    `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
  ].join("\n");
  fs.writeFileSync(path.join(dir, "pgbouncer.ini"), ini + "\n");
  // PgBouncer refuses to run as root: run it as the postgres user the test databases run as.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    for (const f of ["", "userlist.txt", "pgbouncer.ini"]) fs.chownSync(path.join(dir, f), uid, gid);
  }
  const child = spawn(PGBOUNCER, [path.join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "ignore", "pipe"],
    ...(asRoot
      ? { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })) }
      : {}),
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  running.add(child);
  child.once("exit", () => running.delete(child));
  await waitForPort(port, 10_000).catch((e) => {
    child.kill("SIGKILL");
    const log = fs.existsSync(path.join(dir, "pgbouncer.log")) ? fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8") : "";
    throw new Error(`PgBouncer did not start: ${e}\n${err}\n${log}`);
  });
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const show = async (what: string) => {
    const postgres = (await import("postgres")).default;
    const admin = new URL(url);
    admin.pathname = "/pgbouncer";
    // The admin console speaks the simple query protocol only.
    const q = postgres(admin.toString(), { max: 1, prepare: false, onnotice: () => {}, fetch_types: false });
    try {
      return (await q.unsafe(`SHOW ${what}`).simple()) as unknown as Record<string, string>[];
    } finally {
      await q.end({ timeout: 1 });
    }
  };

  return {
    url: url.toString(),
    port,
    show,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGINT");
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
