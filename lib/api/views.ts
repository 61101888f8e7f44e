import type { Venue, VenueSection } from "@/db/schema";

// Database rows → API views (ISO timestamps, no internal columns such as created_by).

export function venueView(v: Venue & { sections: VenueSection[] }) {
  return {
    id: v.id,
    name: v.name,
    address: v.address,
    timeZone: v.timeZone,
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    capacity: v.sections.reduce((n, s) => n + s.capacity, 0),
    sections: v.sections.map((s) => ({ id: s.id, name: s.name, kind: s.kind, capacity: s.capacity, layout: s.layout, area: s.area, sortOrder: s.sortOrder })),
  };
}
