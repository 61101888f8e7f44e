import fs from "node:fs";
import { expect, SCREENS, seatPoint, seriousA11yViolations, test } from "./fixtures";

// The 20,000-seat stadium of the demo data: the seat map's first render and the inventory
// payload, measured in this Chromium, written to test-results/seatmap-metrics.json. Read-only:
// it selects seats but never holds them.

test("the stadium's seat map draws fast, stays interactive and polls a small payload", async ({ page, stadiumId }) => {
  await page.goto(`/events/${stadiumId}`);
  await page.waitForFunction(() => window.__tesseraSeatMap?.firstDrawMs !== undefined);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const mark = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return {
      firstDrawAtMs: mark("seatmap:first-draw"), // since navigation start: what the visitor waited for
      firstDrawDurationMs: window.__tesseraSeatMap!.firstDrawMs!, // the canvas draw itself
      modelStartAtMs: mark("seatmap:model-start"), // hydration reached the seat map
      modelBuildMs: mark("seatmap:model-ready") - mark("seatmap:model-start"), // layout expanded, rows and hit grid built
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      htmlTransferBytes: nav.transferSize,
      htmlDecodedBytes: nav.decodedBodySize,
    };
  });
  const seats = await page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/events/${id}/inventory`, { cache: "no-store" });
    const text = await res.text();
    const entry = performance
      .getEntriesByType("resource")
      .filter((e) => e.name.endsWith(`/api/v1/events/${id}/inventory`))
      .at(-1) as PerformanceResourceTiming;
    const snap = JSON.parse(text);
    return {
      count: snap.seats.count as number,
      jsonBytes: text.length,
      bitmapBase64Bytes: snap.seats.data.length as number,
      wireBytes: entry?.encodedBodySize,
      etag: res.headers.get("etag"),
    };
  }, stadiumId);
  const notModified = await page.evaluate(
    async ({ id, etag }) => (await fetch(`/api/v1/events/${id}/inventory`, { cache: "no-store", headers: { "If-None-Match": etag! } })).status,
    { id: stadiumId, etag: seats.etag },
  );

  // Interaction on 20,000 seats: a click selects within a frame or two; zoom redraws.
  const canvas = page.getByTestId("seat-map");
  const p = await seatPoint(page, 10_123);
  const clickStart = Date.now();
  await page.mouse.click(p.x, p.y);
  await expect(page.getByTestId("selected-items")).toContainText("row");
  const clickToSelectedMs = Date.now() - clickStart;
  const redraw = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        document.querySelector<HTMLButtonElement>('button[aria-label="Zoom in"]')!.click();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }),
  );
  await canvas.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("seat-map-caption")).toContainText("seat");

  const metrics = {
    event: "Stadium Summer Concert",
    seats: seats.count,
    ...timing,
    inventory: { ...seats, notModifiedStatus: notModified },
    clickToSelectedMs,
    zoomRedrawTwoFramesMs: redraw,
  };
  fs.writeFileSync("test-results/seatmap-metrics.json", JSON.stringify(metrics, null, 2));
  console.log("seat map metrics:", JSON.stringify(metrics));
  await page.screenshot({ path: `${SCREENS}/stadium.png`, fullPage: true });

  expect(seats.count).toBe(25_000);
  expect(seats.bitmapBase64Bytes).toBeLessThan(9_000); // 2 bits per place
  expect(seats.jsonBytes).toBeLessThan(12_000);
  expect(notModified).toBe(304);
  expect(timing.firstDrawDurationMs).toBeLessThan(200);
  expect(timing.htmlDecodedBytes).toBeLessThan(250_000); // layout travels compact in the page
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test("the stadium is drawn as a stadium: stands around the pitch, and a click on the pitch opens its picker", async ({ page, stadiumId }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(`/events/${stadiumId}`);
  await page.waitForFunction(() => window.__tesseraSeatMap?.firstDrawMs !== undefined);
  const map = page.getByTestId("seat-map");
  await map.scrollIntoViewIfNeeded();
  // Where a seat in the middle of each stand and the pitch's middle are drawn on the screen.
  const where = await page.evaluate(() => {
    const map = window.__tesseraSeatMap!;
    const v = map.view()!;
    const rect = document.querySelector('[data-testid="seat-map"]')!.getBoundingClientRect();
    const world = (x: number, y: number) => ({ x: rect.left + x * v.scale + v.ox, y: rect.top + y * v.scale + v.oy });
    return { pitch: world(101, 80), north: map.point(2_550)!, east: map.point(7_550)!, south: map.point(12_550)!, west: map.point(17_550)! };
  });
  expect(where.north.y).toBeLessThan(where.pitch.y);
  expect(where.south.y).toBeGreaterThan(where.pitch.y);
  expect(where.east.x).toBeGreaterThan(where.pitch.x);
  expect(where.west.x).toBeLessThan(where.pitch.x);
  await map.screenshot({ path: `${SCREENS}/stadium-around-the-pitch.png` });

  await page.mouse.move(where.pitch.x, where.pitch.y);
  await expect(page.getByTestId("seat-map-caption")).toContainText("Pitch (standing): general admission");
  await page.mouse.click(where.pitch.x, where.pitch.y);
  const picker = page.getByTestId("ga-Pitch (standing)");
  await expect(picker).toHaveAttribute("data-opened", "true");
  await expect(picker).toBeFocused(); // signed out: the picker itself (signed in, its quantity)
  await expect(picker).toBeInViewport();
  await page.screenshot({ path: `${SCREENS}/stadium-pitch-picker.png` });
  expect(await page.getByTestId("selected-items").count()).toBe(0); // the click chose no seat
});
