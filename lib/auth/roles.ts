export const ROLES = ["ADMIN", "ORGANIZER", "CUSTOMER"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: Role[] = ["ADMIN", "ORGANIZER"];

// guest: a guest checkout's session (no password; lib/accounts/guest.ts).
export type Actor = { id: string; email: string; name: string; role: Role; guest?: boolean };
