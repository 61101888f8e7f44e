export const ROLES = ["ADMIN", "ORGANIZER", "CUSTOMER"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: Role[] = ["ADMIN", "ORGANIZER"];

// guest: a guest checkout's session (no password; lib/accounts/guest.ts).
export type Actor = { id: string; email: string; name: string; role: Role; guest?: boolean };

/** Organizers and admins: the staff of the organizer area. */
export function isStaff(role: Role): boolean {
  return role === "ADMIN" || role === "ORGANIZER";
}
