import fs from "node:fs";
import path from "node:path";

// A server action is a POST with a `Next-Action` header carrying the action's id (from the
// build's server-reference-manifest.json) and the arguments as multipart form data, exactly as
// React's client encodes them: a `useActionState` action gets [prevState, formData], a plain
// form action [formData]; the FormData's fields travel with the prefix `_1_`.

const root = path.resolve(import.meta.dirname, "../..");

export type ActionInfo = { id: string; name: string; file: string };

/** Every server action in the build (NEXT_DIST_DIR or .next), keyed by exported name. */
export function serverActions(): Record<string, ActionInfo> {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, "server/server-reference-manifest.json"), "utf8"));
  const out: Record<string, ActionInfo> = {};
  for (const [id, entry] of Object.entries<{ exportedName?: string; filename?: string }>(manifest.node)) {
    if (!entry.exportedName || !entry.filename) continue;
    if (out[entry.exportedName]) throw new Error(`two server actions named ${entry.exportedName}: name them apart`);
    out[entry.exportedName] = { id, name: entry.exportedName, file: entry.filename };
  }
  return out;
}

export type ActionReply<D = unknown> = {
  status: number;
  /** Where the action redirected (x-action-redirect), if it did. */
  redirect: string | null;
  /** The ActionState the action returned, if one came back. */
  state: {
    ok: boolean;
    code?: string;
    formError?: string;
    fieldErrors?: Record<string, string[]>;
    data?: D;
    message?: string;
    values?: Record<string, string>;
  } | null;
  setCookies: string[];
  text: string;
};

/** A server action's arguments as React's client encodes them (see above). */
export function actionFormData(fields: Record<string, string | string[]>, opts: { plainForm?: boolean } = {}): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(`_1_${k}`, item);
  body.append("0", JSON.stringify(opts.plainForm ? ["$K1"] : [null, "$K1"]));
  return body;
}

export async function postAction<D = unknown>(
  base: string,
  actionId: string,
  fields: Record<string, string | string[]>,
  opts: { cookie?: string; origin?: string | null; headers?: Record<string, string>; plainForm?: boolean; path?: string } = {},
): Promise<ActionReply<D>> {
  const body = actionFormData(fields, opts);
  const origin = opts.origin === undefined ? base : opts.origin;
  const res = await fetch(base + (opts.path ?? "/"), {
    method: "POST",
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      ...(origin ? { origin } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...opts.headers,
    },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  return parseActionReply<D>(res.status, res.headers, await res.text());
}

/** Reads a server action's answer (RSC text) as the browser would: the redirect or the returned state. */
export function parseActionReply<D = unknown>(status: number, headers: Headers, text: string): ActionReply<D> {
  let state: ActionReply<D>["state"] = null;
  for (const line of text.split("\n")) {
    const m = /^[0-9a-f]+:(\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const obj = JSON.parse(m[1]);
      if (obj && typeof obj === "object" && "ok" in obj) state = obj;
    } catch {
      // not a JSON row
    }
  }
  // x-action-redirect is "<url>;push" (or ";replace"): keep the URL.
  return { status, redirect: headers.get("x-action-redirect")?.split(";")[0] ?? null, state, setCookies: headers.getSetCookie(), text };
}

/** One word for what happened: the redirect, the state's code, "ok", or "blocked" (the action never answered). */
export function outcome(r: ActionReply<unknown>): string {
  if (r.redirect) return "redirect";
  if (r.state) return r.state.ok ? "ok" : (r.state.code ?? "failed");
  return "blocked";
}
