// How a place is named to people — on pages, tickets, emails, the door scanner and the calendar:
// "Stalls, row C, seat 12", or "Floor (general admission)". Pure: server and browser alike.

export type PlaceName = { sectionName: string; rowLabel: string | null; seatNumber: string | null };

export function placeLabel(p: PlaceName): string {
  if (p.rowLabel || p.seatNumber) {
    return [p.sectionName, p.rowLabel && `row ${p.rowLabel}`, p.seatNumber && `seat ${p.seatNumber}`].filter(Boolean).join(", ");
  }
  return `${p.sectionName} (general admission)`;
}
