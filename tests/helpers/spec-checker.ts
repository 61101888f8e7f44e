import Ajv2020 from "ajv/dist/2020.js";
import { expect } from "vitest";
import type { ApiResponse } from "./api";

// OpenAPI conformance: real answers checked against the served document.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The parts of an OpenAPI document the checker reads. */
type SpecResponse = { headers?: Record<string, { required?: boolean }>; content?: Record<string, unknown> };
type SpecSchema = { required?: string[]; additionalProperties?: unknown };
type SpecOperation = { requestBody?: { content: Record<string, { schema: SpecSchema }> }; responses?: Record<string, SpecResponse> };
export type OpenApiSpec = { openapi: string; paths: Record<string, Record<string, SpecOperation>> };

function pointer(...segments: string[]) {
  return segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/**
 * Validates responses against /api/v1/openapi.json: the status must be documented for the
 * operation, the media type and required headers must match, and the body must satisfy the
 * documented JSON Schema. Records which (operation, status) pairs were seen.
 */
export class SpecChecker {
  readonly covered = new Set<string>();
  private readonly ajv: InstanceType<typeof Ajv2020>;

  constructor(readonly spec: OpenApiSpec) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    this.ajv.addFormat("uuid", UUID);
    this.ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s) && !Number.isNaN(Date.parse(s)));
    this.ajv.addFormat("email", /@/);
    this.ajv.addFormat("uri", (s: string) => URL.canParse(s));
    this.ajv.addSchema(spec, "spec");
  }

  /** Every documented "METHOD /path status". */
  documented(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const status of Object.keys(op.responses ?? {})) out.push(`${method.toUpperCase()} ${path} ${status}`);
      }
    }
    return out.sort();
  }

  /** `path` is the spec's template, e.g. /events/{eventId}. Throws (test failure) on mismatch. */
  check(method: string, path: string, res: ApiResponse<unknown>) {
    const op = this.spec.paths[path]?.[method.toLowerCase()];
    expect(op, `${method} ${path} is not documented`).toBeTruthy();
    const documented = op?.responses?.[String(res.status)];
    expect(documented, `${method} ${path} answered undocumented ${res.status}: ${res.text.slice(0, 300)}`).toBeTruthy();
    this.covered.add(`${method.toUpperCase()} ${path} ${res.status}`);
    if (!documented) return;
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required) expect(res.headers.get(name), `${method} ${path} ${res.status} lacks header ${name}`).not.toBeNull();
    }
    const media = Object.keys(documented.content ?? {});
    if (media.length === 0) {
      expect(res.text, `${method} ${path} ${res.status} should have no body`).toBe("");
      return;
    }
    const type = res.contentType.split(";")[0].trim();
    expect(media, `${method} ${path} ${res.status} answered ${type}`).toContain(type);
    const ref = `spec#/${pointer("paths", path, method.toLowerCase(), "responses", String(res.status), "content", type, "schema")}`;
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    const valid = validate(res.body);
    expect(valid, `${method} ${path} ${res.status} body does not match the spec: ${this.ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`).toBe(
      true,
    );
  }
}
