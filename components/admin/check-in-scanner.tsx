"use client";
import jsQR from "jsqr";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { ZonedTime } from "@/components/zoned-time";
import { placeLabel } from "@/lib/seatmap/labels";
import type { ActionState } from "@/lib/actions";
import { formatReference } from "@/lib/bookings/reference";
import { formatShortCode } from "@/lib/tickets/short-code";
import type { CheckInOutcome } from "@/lib/checkin";

// Door check-in: the device camera reads QR codes (getUserMedia frames decoded by jsQR on a
// canvas), or staff type or paste a code (a USB scanner "types" too). Each result shows big,
// colour-coded and announced (aria-live), so it reads at a glance in a noisy doorway.

type Action = (prev: ActionState<CheckInOutcome>, formData: FormData) => Promise<ActionState<CheckInOutcome>>;

const SCAN_EVERY_MS = 200;
const SAME_CODE_PAUSE_MS = 8000; // a ticket still held up to the camera is not re-checked at once

/** `timeZone`: the venue's, on whose clock times are shown (lib/time-zone.ts). */
export function CheckInScanner({ action, eventId, timeZone }: { action: Action; eventId: string; timeZone: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  const [camera, setCamera] = useState<"off" | "starting" | "on">("off");
  const [cameraError, setCameraError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const last = useRef<{ code: string; at: number } | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  const submit = (code: string) => {
    const fd = new FormData();
    fd.set("eventId", eventId);
    fd.set("code", code);
    startTransition(() => formAction(fd));
  };

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setCamera("off");
  };

  const start = async () => {
    setCameraError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setCameraError("This browser cannot use a camera here (it needs https). Type the code instead.");
      return;
    }
    setCamera("starting");
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      if (video.current) {
        video.current.srcObject = stream.current;
        await video.current.play();
      }
      setCamera("on");
    } catch (err) {
      setCamera("off");
      const name = err instanceof DOMException ? err.name : "";
      setCameraError(
        name === "NotAllowedError"
          ? "Camera access was refused. Allow it in the browser (or reload this page), or type the code."
          : "No camera could be started. Type the code instead.",
      );
    }
  };

  // Decode frames while the camera runs.
  useEffect(() => {
    if (camera !== "on") return;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const id = setInterval(() => {
      const v = video.current;
      if (!v || !ctx || v.readyState < 2 || !v.videoWidth) return;
      const scale = Math.min(1, 640 / v.videoWidth);
      canvas.width = Math.round(v.videoWidth * scale);
      canvas.height = Math.round(v.videoHeight * scale);
      ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (!found?.data) return;
      const now = Date.now();
      if (last.current && last.current.code === found.data && now - last.current.at < SAME_CODE_PAUSE_MS) return;
      last.current = { code: found.data, at: now };
      submit(found.data);
    }, SCAN_EVERY_MS);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [camera]);

  useEffect(() => stop, []);
  useEffect(() => {
    if (!pending) codeInput.current?.focus();
  }, [pending, state]);

  return (
    <div className="grid gap-6 md:grid-cols-2">
      <div className="space-y-4">
        <form action={formAction} className="space-y-2" noValidate>
          <input type="hidden" name="eventId" value={eventId} />
          <label htmlFor="code" className="block text-sm font-medium text-slate-800">
            Ticket code
          </label>
          <div className="flex gap-2">
            <input
              ref={codeInput}
              id="code"
              name="code"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              placeholder="Scan or type the code"
              aria-describedby="code-help"
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono shadow-sm"
            />
            <button
              type="submit"
              disabled={pending}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
            >
              {pending ? "Checking…" : "Check in"}
            </button>
          </div>
          <p id="code-help" className="text-xs text-slate-700">
            No scanner? Type the 9-character code printed under the QR code, e.g. K7Q-2M9-XDP (any case, dashes optional).
          </p>
        </form>
        <div className="space-y-2">
          {camera === "off" ? (
            <button type="button" onClick={start} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50">
              Start camera
            </button>
          ) : (
            <button type="button" onClick={stop} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50">
              Stop camera
            </button>
          )}
          {cameraError && (
            <p className="text-sm text-red-700" role="alert">
              {cameraError}
            </p>
          )}
          <video
            ref={video}
            muted
            playsInline
            className={camera === "off" ? "hidden" : "aspect-video w-full rounded-lg bg-black object-cover"}
            aria-label="Camera view"
          />
        </div>
      </div>
      <Result state={state} timeZone={timeZone} />
    </div>
  );
}

const LOOK = {
  valid: { box: "border-emerald-600 bg-emerald-600 text-white", title: "VALID — let them in" },
  already_used: { box: "border-red-700 bg-red-700 text-white", title: "ALREADY USED" },
  void: { box: "border-slate-900 bg-slate-900 text-white", title: "VOID — do not admit" },
  wrong_event: { box: "border-orange-500 bg-orange-500 text-black", title: "WRONG EVENT" },
  unknown: { box: "border-red-700 bg-white text-red-800", title: "NOT A VALID TICKET" },
};

function Result({ state, timeZone }: { state: ActionState<CheckInOutcome>; timeZone: string }) {
  const body = (() => {
    if (!state) return <p className="text-lg text-slate-600">Scan a ticket or type its code.</p>;
    if (!state.ok) return <p className="text-lg font-semibold text-red-800">{state.fieldErrors?.code?.[0] ?? state.formError}</p>;
    const r = state.data!;
    const look = LOOK[r.outcome];
    return (
      <div className={`space-y-2 rounded-xl border-4 p-6 ${look.box}`} data-testid="checkin-result" data-outcome={r.outcome}>
        <p className="text-3xl font-black tracking-tight">{look.title}</p>
        {"ticket" in r && (
          <p className="text-lg">
            {r.ticket.holderName} · {placeLabel(r.ticket)}
            {r.ticket.ticketTypeName && <strong data-testid="checkin-ticket-type"> · {r.ticket.ticketTypeName}</strong>} · ticket{" "}
            <span className="whitespace-nowrap font-mono">{formatShortCode(r.ticket.shortCode)}</span> · booking{" "}
            <span className="whitespace-nowrap font-mono">{formatReference(r.ticket.reference)}</span>
          </p>
        )}
        {r.outcome === "already_used" && (
          <p className="text-lg font-semibold">
            Checked in <ZonedTime iso={r.checkedInAt} timeZone={timeZone} />
            {r.checkedInBy ? ` by ${r.checkedInBy}` : ""}.
          </p>
        )}
        {r.outcome === "void" && <p className="text-lg">This ticket was cancelled or refunded.</p>}
        {r.outcome === "wrong_event" && <p className="text-lg">This ticket is for {r.otherEventTitle ?? "another event"}.</p>}
        {r.outcome === "unknown" &&
          (r.looksLike === "booking_reference" ? (
            <p className="text-lg">
              That is a booking reference, not a ticket. Type the ticket code printed under the QR code instead (9 characters, like K7Q-2M9-XDP).
            </p>
          ) : (
            <p className="text-lg">The code is damaged, forged or not one of our tickets.</p>
          ))}
      </div>
    );
  })();
  return (
    <section aria-label="Check-in result" aria-live="assertive" role="status" className="min-h-40">
      {body}
    </section>
  );
}
