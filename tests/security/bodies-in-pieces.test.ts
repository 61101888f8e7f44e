import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../helpers/app";
import { actionFormData, outcome, parseActionReply, serverActions } from "../helpers/actions";
import { createUser, TEST_PASSWORD, uniqueEmail } from "../helpers/fixtures";
import { testIp } from "../helpers/sign-in";

// A request body may reach the server in any number of pieces (slow links, proxies that stream,
// large forms split across TCP segments). Every form and endpoint must see the whole body,
// however it was cut: server actions, the REST API and Auth.js's own sign-in. Each request here
// is written in several pieces with pauses between them, with a Content-Length or chunked.

let app: App;
beforeAll(async () => {
  app = await startApp();
  await fetch(`${app.url}/login`); // warm: a cold first request is too slow to show a race
});
afterAll(() => app?.stop());

type Sent = { status: number; headers: Headers; text: string };

function sendInPieces(url: string, headers: Record<string, string>, body: Buffer, opts: { pieces: number; pauseMs: number; chunked: boolean }): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: { ...headers, ...(opts.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(body.length) }) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const item of Array.isArray(v) ? v : [v ?? ""]) h.append(k, item);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.flushHeaders();
    const size = Math.ceil(body.length / opts.pieces);
    let i = 0;
    const next = () => {
      const piece = body.subarray(i * size, (i + 1) * size);
      i += 1;
      if (i >= opts.pieces) req.end(piece);
      else {
        req.write(piece);
        setTimeout(next, opts.pauseMs);
      }
    };
    setTimeout(next, opts.pauseMs);
  });
}

async function encode(form: FormData | URLSearchParams): Promise<{ body: Buffer; type: string }> {
  const r = new Request("http://encode.invalid/", { method: "POST", body: form });
  return { body: Buffer.from(await r.arrayBuffer()), type: r.headers.get("content-type")! };
}

const ways = [
  { pieces: 2, pauseMs: 40, chunked: false },
  { pieces: 5, pauseMs: 25, chunked: false },
  { pieces: 3, pauseMs: 60, chunked: true },
];

describe("bodies that arrive in pieces", () => {
  it.each(ways)("a server action (sign-in form) sees every field: %o", async (way) => {
    const u = await createUser();
    const { body, type } = await encode(actionFormData({ email: u.email, password: TEST_PASSWORD, next: "/account" }));
    const sent = await sendInPieces(
      `${app.url}/login`,
      { "content-type": type, "next-action": serverActions().loginAction.id, accept: "text/x-component", origin: app.url, "x-forwarded-for": testIp() },
      body,
      way,
    );
    const reply = parseActionReply(sent.status, sent.headers, sent.text);
    expect({ outcome: outcome(reply), redirect: reply.redirect }, JSON.stringify(reply.state ?? sent.text.slice(0, 300))).toEqual({
      outcome: "redirect",
      redirect: "/account",
    });
  });

  it.each(ways)("the REST API (JSON) sees the whole document: %o", async (way) => {
    const body = Buffer.from(JSON.stringify({ email: uniqueEmail("pieces"), password: TEST_PASSWORD, name: "Sent in pieces " + "x".repeat(80) }));
    const sent = await sendInPieces(`${app.url}/api/v1/auth/register`, { "content-type": "application/json", "x-forwarded-for": testIp() }, body, way);
    expect(sent.status, sent.text).toBe(201);
  });

  it.each(ways)("Auth.js's own sign-in (form-urlencoded) sees the credentials: %o", async (way) => {
    const u = await createUser();
    const ip = testIp();
    const csrf = await fetch(`${app.url}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const { body, type } = await encode(new URLSearchParams({ email: u.email, password: TEST_PASSWORD, csrfToken, callbackUrl: "/" }));
    const sent = await sendInPieces(`${app.url}/api/auth/callback/credentials`, { "content-type": type, cookie, "x-forwarded-for": ip }, body, way);
    expect(sent.status).toBe(302);
    expect(sent.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(true);
  });
});
