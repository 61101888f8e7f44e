import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// docs/invariants.md is the index from each invariant to the integrity checks and the tests that
// prove it. This keeps it true: every test it names exists under that name, every check it names
// exists, and every check is in it. Also: docs/operations.md names every configuration variable,
// and every repository path the docs (and the README) cite is there.

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const invariants = read("docs/invariants.md");

/** The cited tests: `- \`tests/…\`` lines, each followed by `  - "title"` lines. */
function citedTests(doc: string): { file: string; title: string }[] {
  const out: { file: string; title: string }[] = [];
  let file: string | null = null;
  for (const line of doc.split("\n")) {
    const fileLine = /^- `(tests\/[^`]+\.(?:test|spec)\.ts)`/.exec(line);
    if (fileLine) {
      file = fileLine[1];
      continue;
    }
    const titleLine = /^ {2}- "(.+)"$/.exec(line);
    if (titleLine && file) out.push({ file, title: titleLine[1] });
    else if (!line.startsWith("  ")) file = null;
  }
  return out;
}

/** Whether `title` is the title of a describe, it or test call in `source` (quoted any way). */
function hasTitle(source: string, title: string): boolean {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\\b(?:describe|it|test)(?:\\.\\w+)*\\(\\s*(["'\`])${escaped}\\1`).test(source);
}

const checkNames = [...read("lib/integrity/checks.ts").matchAll(/name: "([a-z_]+)"/g)].map((m) => m[1]);

describe("docs/invariants.md", () => {
  it("has one section per invariant, I1 to I7, each with its anchor", () => {
    for (let n = 1; n <= 7; n++) {
      expect(invariants, `I${n}`).toMatch(new RegExp(`<a id="i${n}"></a>\\n\\n## I${n} `));
    }
  });

  it("names only tests that exist, under their current titles", () => {
    const cited = citedTests(invariants);
    expect(cited.length).toBeGreaterThan(40);
    const missing = cited.filter(({ file, title }) => !fs.existsSync(path.join(root, file)) || !hasTitle(read(file), title));
    expect(missing).toEqual([]);
  });

  it("names every integrity check, and only checks that exist", () => {
    expect(checkNames.length).toBeGreaterThan(10);
    const named = new Set(
      [...invariants.matchAll(/\*\*Integrity checks\.\*\*([\s\S]+?)(?:\n\n|$)/g)].flatMap((m) => [...m[1].matchAll(/`([a-z_]+)`/g)].map((x) => x[1])),
    );
    expect(
      checkNames.filter((c) => !named.has(c)),
      "checks not listed under an invariant",
    ).toEqual([]);
    expect(
      [...named].filter((c) => !checkNames.includes(c)),
      "listed checks that do not exist",
    ).toEqual([]);
  });
});

describe("docs/operations.md", () => {
  it("names every variable lib/env.ts declares", () => {
    const source = read("lib/env.ts");
    const schema = source.slice(source.indexOf(".object({"), source.indexOf(".superRefine("));
    const declared = [...schema.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(20);
    const operations = read("docs/operations.md");
    expect(declared.filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  });
});

describe("docs/", () => {
  it("cites only repository files that exist", () => {
    const docs = fs.readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md"));
    const missing = new Set<string>();
    for (const doc of [...docs.map((d) => `docs/${d}`), "README.md"]) {
      const text = read(doc);
      // `path/to/file.ext` in code spans, and relative links [..](../path/to/file.ext).
      const spans = [...text.matchAll(/`((?:app|bench|components|db|docs|lib|server|tests)\/[\w./[\]()@-]+\.\w+)`/g)].map((m) => m[1]);
      const links = [...text.matchAll(/\]\(((?:\.\.\/|\.\/)?[\w./[\]()@-]+\.\w+)(?:#[\w-]+)?\)/g)]
        .map((m) => m[1])
        .filter((l) => !/^https?:/.test(l))
        .map((l) => path.normalize(path.join(path.dirname(doc), l)));
      for (const file of [...spans, ...links]) if (!fs.existsSync(path.join(root, file))) missing.add(`${doc}: ${file}`);
    }
    expect([...missing]).toEqual([]);
  });
});
