import crypto from "node:crypto";
import type { User } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";
import { RELAXED_LIMITS, startApp, type App } from "./app";
import { createUser, TEST_PASSWORD, uniqueEmail } from "./fixtures";
import type { OrProblem, Problem, PublicUser, Token } from "./responses";
import { testIp } from "./sign-in";
import { sleep } from "./wait";

// An HTTP client for black-box tests of the REST API against a real `next start`.
// Each client speaks from its own made-up client IP (X-Forwarded-For), so per-IP rate limits of
// one test never throttle another; tests that exercise those limits pin the IP themselves.

export function startApiApp(env: Record<string, string | undefined> = {}): Promise<App> {
  return startApp({ env: { ...RELAXED_LIMITS, ...env } });
}

/** An answer as the client saw it; `body` is the parsed JSON (a problem unless the caller names `T`). */
export type ApiResponse<T = Problem> = {
  status: number;
  headers: Headers;
  text: string;
  body: T;
  contentType: string;
};

type RequestOptions = {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  token?: string | null;
};

export class ApiClient {
  /**
   * `retryUnavailable`: like a well-behaved client, retry a 503 a few times. On this shared
   * 2-core machine Redis can miss sign-in's short deadline, and sign-in then fails closed.
   * Tests that expect the 503 turn it off.
   */
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
    readonly ip: string = testIp(),
    readonly retryUnavailable = true,
  ) {}

  as(token: string | null): ApiClient {
    return new ApiClient(this.baseUrl, token, this.ip, this.retryUnavailable);
  }

  async request<T = Problem>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    let res = await this.once<T>(method, path, opts);
    for (let i = 0; i < 3 && this.retryUnavailable && res.status === 503; i++) {
      await sleep(400);
      res = await this.once<T>(method, path, opts);
    }
    return res;
  }

  private async once<T>(method: string, path: string, opts: RequestOptions): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { "x-forwarded-for": this.ip, ...opts.headers };
    const token = opts.token === undefined ? this.token : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    let parsed: unknown = text;
    if (/json/.test(contentType) && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T, contentType };
  }

  get<T = Problem>(path: string, opts?: RequestOptions) {
    return this.request<T>("GET", path, opts);
  }
  post<T = Problem>(path: string, json?: unknown, opts: RequestOptions = {}) {
    return this.request<T>("POST", path, { ...opts, json });
  }
  delete<T = Problem>(path: string, opts?: RequestOptions) {
    return this.request<T>("DELETE", path, opts);
  }

  async register(overrides: Partial<{ email: string; password: string; name: string }> = {}) {
    const input = { email: uniqueEmail("api"), password: TEST_PASSWORD, name: "API tester", ...overrides };
    const res = await this.post<OrProblem<PublicUser>>("/api/v1/auth/register", input);
    return { res, input };
  }

  async login(email: string, password = TEST_PASSWORD): Promise<string> {
    const res = await this.post<Token>("/api/v1/auth/login", { email, password });
    if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${res.text}`);
    return res.body.token;
  }
}

export type Principal = { user: User; token: string; api: ApiClient };

/** A user of `role` made in the database (only customers can sign up), signed in over HTTP. */
export async function signedIn(app: { url: string }, role: Role = "CUSTOMER"): Promise<Principal> {
  const user = await createUser(role);
  const anon = new ApiClient(app.url);
  const token = await anon.login(user.email);
  return { user, token, api: anon.as(token) };
}

/** A valid POST /api/v1/events body with a custom venue, on sale now. */
export function sampleEventBody(overrides: Record<string, unknown> = {}) {
  const day = 86_400_000;
  const now = Date.now();
  return {
    title: `API event ${crypto.randomUUID().slice(0, 8)}`,
    description: "Made by the API tests",
    venue: { name: "API Hall", address: "1 Test Street" },
    sections: [
      { kind: "ASSIGNED", name: "Stalls", priceMinor: 2500, layout: { rows: 2, seatsPerRow: 5 } },
      { kind: "GA", name: "Floor", capacity: 20, priceMinor: 1500 },
    ],
    startsAt: new Date(now + 10 * day).toISOString(),
    endsAt: new Date(now + 10 * day + 3 * 3_600_000).toISOString(),
    saleStartsAt: new Date(now - day).toISOString(),
    saleEndsAt: new Date(now + 9 * day).toISOString(),
    publish: true,
    ...overrides,
  };
}

/** A valid POST /api/v1/venues body. */
export function sampleVenueBody(overrides: Record<string, unknown> = {}) {
  return {
    name: `API Venue ${crypto.randomUUID().slice(0, 8)}`,
    address: "2 Test Road",
    sections: [
      { kind: "ASSIGNED", name: "Circle", layout: { rows: 3, seatsPerRow: 8, aisles: [4] } },
      { kind: "GA", name: "Standing", capacity: 100 },
    ],
    ...overrides,
  };
}

export function isProblem(res: ApiResponse<unknown>): boolean {
  const body = res.body as Partial<Problem> | null;
  return (
    res.contentType.startsWith("application/problem+json") &&
    typeof body === "object" &&
    body !== null &&
    body.status === res.status &&
    typeof body.code === "string" &&
    typeof body.detail === "string"
  );
}
