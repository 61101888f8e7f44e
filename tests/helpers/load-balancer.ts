import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "@/lib/dev/services";

// A real load balancer in front of app instances: nginx (the Debian package, /usr/sbin/nginx)
// as our own foreground process with a generated configuration on a free loopback port. Round
// robin; an instance that refuses connections is skipped (the request goes to the next one) and
// left out for a few seconds; a request already sent to an instance that dies is answered 502
// (nginx does not resend a POST: the client retries, as a browser or an API client would).
// Every answer names the instance that served it in X-Upstream.

export const NGINX = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

export type Balancer = { url: string; port: number; stop: () => Promise<void>; log: () => string };

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

export async function startNginx(upstreams: string[], opts: { keepalive?: number } = {}): Promise<Balancer> {
  if (!fs.existsSync(NGINX)) throw new Error(`nginx is not installed at ${NGINX} (apt-get install -y nginx)`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-nginx-"));
  fs.chmodSync(dir, 0o777); // workers run as nobody when started as root
  const servers = upstreams.map((u) => `    server ${new URL(u).host} max_fails=1 fail_timeout=5s;`).join("\n");
  const conf = `
worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app {
${servers}
    keepalive ${opts.keepalive ?? 64};
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_buffering off;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  running.add(child);
  child.once("exit", () => running.delete(child));
  const log = () => err + (fs.existsSync(path.join(dir, "error.log")) ? fs.readFileSync(path.join(dir, "error.log"), "utf8") : "");
  await waitForPort(port, 10_000).catch((e) => {
    child.kill("SIGKILL");
    throw new Error(`nginx did not start: ${e}\n${log()}`);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill("SIGQUIT"); // graceful: finish what is in flight
          setTimeout(() => child.kill("SIGKILL"), 5000).unref();
        });
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
