// Seat state colours, shared by the canvas and its legend. Besides colour, states differ in
// lightness and in a mark drawn on each seat when zoomed in (× sold, – held, dot for yours), so
// they stay distinguishable for colour-blind visitors. Seats kept off sale (blocked) look like
// the background with a slash: not a choice. Wheelchair spaces and companion seats carry a
// symbol; when the accessible filter is on, other free seats fade to `faded`.
export const SEAT_COLORS = {
  held: "#cbd5e1",
  blocked: "#e7e5e4",
  faded: "#e2e8f0",
  sold: "#475569",
  selected: "#0f172a",
  mine: "#15803d",
  focus: "#4338ca",
  flagged: "#dc2626",
} as const;
