import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import QRCode from "qrcode";
import { signInPage } from "@/tests/helpers/browser";
import { createTestEvent, createUser, seats } from "@/tests/helpers/fixtures";
import { testIp } from "@/tests/helpers/sign-in";
import { buySeats } from "./support/purchase";

// The check-in page's camera path, headless: Chromium's fake camera plays a video file, and the
// file is a ticket's QR code (a YUV4MPEG2 still, written before the browser starts). The page
// reads frames with getUserMedia, decodes them with jsQR and checks the ticket in — no typing.

const baseURL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3107)}`;
const video = path.join(os.tmpdir(), `tessera-qr-${process.pid}-${crypto.randomBytes(3).toString("hex")}.y4m`);

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  },
});

/** A 640×480 greyscale frame (I420, neutral chroma) with the QR code in the middle. */
function writeQrVideo(file: string, text: string) {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const W = 640;
  const H = 480;
  const n = qr.modules.size;
  const scale = Math.floor(Math.min(W, H) / (n + 8));
  const x0 = Math.floor((W - n * scale) / 2);
  const y0 = Math.floor((H - n * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma]));
}

let organizerEmail = "";
let eventId = "";
let ticket = { id: "", qrPayload: "" };

test.beforeAll(async () => {
  const organizer = await createUser("ORGANIZER", { name: "Door Staff" });
  const customer = await createUser("CUSTOMER");
  const { event, places } = await createTestEvent({ organizer, sections: [seats(1, 4, 900)] });
  organizerEmail = organizer.email;
  eventId = event.id;
  // Bought through the REST API, as a customer would.
  ticket = (await buySeats(baseURL, customer.email, event.id, [places[0].id])).tickets[0];
  writeQrVideo(video, ticket.qrPayload);
});

test.afterAll(() => fs.rmSync(video, { force: true }));

test("the camera reads a ticket's QR code and checks it in", async ({ browser }) => {
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": testIp() } });
  await context.grantPermissions(["camera"], { origin: baseURL });
  const page = await context.newPage();
  await signInPage(page, organizerEmail);

  await page.goto(`/admin/events/${eventId}/check-in`);
  await page.getByRole("button", { name: "Start camera" }).click();
  const result = page.getByTestId("checkin-result");
  await expect(result).toHaveAttribute("data-outcome", "valid", { timeout: 15_000 });
  await page.screenshot({ path: "test-results/screens/admin-checkin-camera.png" });
  // The same code stays in front of the camera: after a pause (8 s) it is read again and refused.
  await expect(result).toHaveAttribute("data-outcome", "already_used", { timeout: 20_000 });
  await page.getByRole("button", { name: "Stop camera" }).click();
  await expect(page.getByRole("button", { name: "Start camera" })).toBeVisible();
});
