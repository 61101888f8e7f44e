// The cheapest possible route handler: the benchmark's S0 ceiling for this framework and machine.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
