// Section colours in order: a section without a chosen colour gets the next one. Pure, so the
// section editor in the browser and event creation on the server pick the same.

export const SECTION_PALETTE = ["#4f46e5", "#0891b2", "#059669", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#65a30d"];

export function sectionColor(index: number): string {
  return SECTION_PALETTE[index % SECTION_PALETTE.length];
}
