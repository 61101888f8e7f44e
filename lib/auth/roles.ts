export const ROLES = ["ADMIN", "ORGANIZER", "CUSTOMER"] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: Role[] = ["ADMIN", "ORGANIZER"];

export type Actor = { id: string; email: string; name: string; role: Role };
