// Next.js 15.5 runs a Node.js-runtime middleware on a copy of the request body while the route
// handler or server action reads the original, and it lets the request go on before the copy is
// complete (the body's "finalize" step is not awaited; fixed upstream in Next.js 16). A body that
// arrives in several pieces then reaches the action or handler with its first pieces missing:
// forms answer "please correct the highlighted fields", JSON is malformed. Reading the copy to its
// end inside the middleware makes the request wait for the whole body before it goes on, which is
// what the edge runtime does. The copy's chunks are dropped as they arrive, so a body costs no
// extra memory; a client that goes away mid-body ends the wait through the request's signal.

export async function untilBodyArrived(req: Request): Promise<void> {
  if (!req.body) return; // GET and HEAD: no copy is made
  const reader = req.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  req.signal.addEventListener("abort", stop, { once: true });
  try {
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // a broken body is the handler's to report, with the original stream
  } finally {
    req.signal.removeEventListener("abort", stop);
  }
}
