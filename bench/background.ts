import { createBenchEvent, seatBlock } from "./data";

// Every scenario runs beside ten other large events, as a real ticketing database would: a query
// whose cost grows with the whole inventory table (a sequential scan, a badly chosen index) shows
// up here, where an event almost alone in its database would hide it. They are on sale with every
// place available, created through the product's own code (lib/events) like the scenarios' events.

export type Background = { events: number; seatsEach: number; places: number; seconds: number };

export async function createBackgroundEvents(count: number, seatsEach: number, say: (m: string) => void): Promise<Background> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await createBenchEvent(`Background event ${i + 1}`, seatBlock(seatsEach));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  say(`${count} background events of ${seatsEach.toLocaleString("en")} seats created in ${seconds} s`);
  return { events: count, seatsEach, places: count * seatsEach, seconds };
}
