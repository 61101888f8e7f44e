import type { LayoutSection, SeatLayout } from "./types";

// A compact wire form of the seat layout, built on the server and handed to the seat map with
// the first render (no client fetch waterfall). Positions are quantised to hundredths of a seat
// and stored as arithmetic runs [first, step, count]: a straight row of 50 seats is 3 numbers.
// The 20,000-seat stadium shrinks from about 700 KB of per-seat JSON to a few KB.

type Run = [first: number | null, step: number, count: number];

export type CompactLayout = {
  v: 1;
  count: number;
  sections: LayoutSection[];
  ids: Run[];
  x: Run[];
  y: Run[];
  rows: [label: string | null, count: number][];
  numbers: { numeric: true; runs: Run[] } | { numeric: false; values: (string | null)[] };
  access: Run[];
};

/** Arithmetic runs of integers; nulls form their own runs. */
export function encodeRuns(values: (number | null)[]): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < values.length) {
    const first = values[i];
    if (first === null) {
      let j = i + 1;
      while (j < values.length && values[j] === null) j++;
      runs.push([null, 0, j - i]);
      i = j;
      continue;
    }
    const next = values[i + 1];
    const step = next === null || next === undefined ? 0 : next - first;
    let j = i + 1;
    while (j < values.length && values[j] !== null && (values[j] as number) - (values[j - 1] as number) === step) j++;
    runs.push([first, step, j - i]);
    i = j;
  }
  return runs;
}

export function decodeRuns(runs: Run[], scale = 1): (number | null)[] {
  const out: (number | null)[] = [];
  for (const [first, step, count] of runs) {
    for (let k = 0; k < count; k++) out.push(first === null ? null : (first + step * k) / scale);
  }
  return out;
}

const quantise = (v: number | null) => (v === null ? null : Math.round(v * 100));
const CANONICAL_INT = /^(0|[1-9]\d{0,8})$/;

export function compactLayout(layout: SeatLayout): CompactLayout {
  const rows: [string | null, number][] = [];
  for (const label of layout.rows) {
    const last = rows[rows.length - 1];
    if (last && last[0] === label) last[1]++;
    else rows.push([label, 1]);
  }
  const numeric = layout.numbers.every((n) => n === null || CANONICAL_INT.test(n));
  return {
    v: 1,
    count: layout.ids.length,
    sections: layout.sections,
    ids: encodeRuns(layout.ids),
    x: encodeRuns(layout.x.map(quantise)),
    y: encodeRuns(layout.y.map(quantise)),
    rows,
    numbers: numeric
      ? { numeric: true, runs: encodeRuns(layout.numbers.map((n) => (n === null ? null : Number(n)))) }
      : { numeric: false, values: layout.numbers },
    access: encodeRuns(layout.access ?? []),
  };
}

export function expandLayout(c: CompactLayout): SeatLayout {
  const rows: (string | null)[] = [];
  for (const [label, count] of c.rows) for (let k = 0; k < count; k++) rows.push(label);
  return {
    sections: c.sections,
    ids: decodeRuns(c.ids) as number[],
    x: decodeRuns(c.x, 100),
    y: decodeRuns(c.y, 100),
    rows,
    numbers: c.numbers.numeric ? decodeRuns(c.numbers.runs).map((n) => (n === null ? null : String(n))) : c.numbers.values,
    access: decodeRuns(c.access ?? []).map((a) => a ?? 0),
  };
}
