import crypto from "node:crypto";
import { addDays, addHours, subDays } from "date-fns";
import { eq } from "drizzle-orm";
import { db } from "@/db";
import { events, users, type User } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { Actor, Role } from "@/lib/auth/roles";
import { toActor } from "@/lib/auth/users";
import { orThrow } from "@/lib/errors";
import { createEvent } from "@/lib/events/create";
import type { CustomSectionInput } from "@/lib/events/schemas";

// Test data builders. Every test makes its own users and events (unique emails and ids), so
// test files can run in parallel against one database without seeing each other.

export const TEST_PASSWORD = "test-pass-123";
let hashed: Promise<string> | undefined;

export function uniqueEmail(prefix = "user") {
  return `${prefix}-${crypto.randomUUID().slice(0, 12)}@example.test`;
}

export async function createUser(role: Role = "CUSTOMER", overrides: Partial<User> = {}): Promise<User> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const [u] = await db()
    .insert(users)
    .values({ email: uniqueEmail(role.toLowerCase()), name: `${role} tester`, role, passwordHash: await hashed, ...overrides })
    .returning();
  return u;
}

/** The cast every authorization test tries: an admin, two organizers and two customers. */
export type Cast = { admin: Actor; organizer: Actor; otherOrganizer: Actor; customer: Actor; otherCustomer: Actor; organizerUser: User };

export async function createCast(): Promise<Cast> {
  const [admin, organizerUser, otherOrganizer, customer, otherCustomer] = await Promise.all([
    createUser("ADMIN"),
    createUser("ORGANIZER"),
    createUser("ORGANIZER"),
    createUser("CUSTOMER"),
    createUser("CUSTOMER"),
  ]);
  return {
    admin: toActor(admin),
    organizer: toActor(organizerUser),
    otherOrganizer: toActor(otherOrganizer),
    customer: toActor(customer),
    otherCustomer: toActor(otherCustomer),
    organizerUser,
  };
}

/** `emailPrefix`: their addresses start with it (default: the role), e.g. for a mail test's TESSERA_TEST_MAIL_SCOPE. */
export async function createUsers(n: number, role: Role = "CUSTOMER", emailPrefix = role.toLowerCase()): Promise<User[]> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const hash = await hashed;
  return db()
    .insert(users)
    .values(Array.from({ length: n }, () => ({ email: uniqueEmail(emailPrefix), name: `${role} tester`, role, passwordHash: hash })))
    .returning();
}

type EventOpts = {
  organizer?: User;
  sections?: CustomSectionInput[];
  onSale?: boolean; // default true: sale window open now
  holdMinutes?: number;
  holdSeconds?: number; // overrides holdMinutes (tests with short holds)
  maxPerOrder?: number;
  maxPerCustomer?: number | null;
  title?: string;
  draft?: boolean; // default false: published
};

/** An assigned section of rows × seats. */
export function seats(rows: number, seatsPerRow: number, priceMinor = 1000, name = "Stalls"): CustomSectionInput {
  return {
    kind: "ASSIGNED",
    name,
    priceMinor,
    layout: { rows, seatsPerRow, rowLabels: "letters", numbering: "ltr", aisles: [], curve: 0, offsetX: 0, offsetY: 0 },
  };
}

/** A general-admission section. */
export function ga(capacity: number, priceMinor = 1000, name = "Floor"): CustomSectionInput {
  return { kind: "GA", name, capacity, priceMinor };
}

export async function createTestEvent(opts: EventOpts = {}) {
  const organizer = opts.organizer ?? (await createUser("ORGANIZER"));
  const now = new Date();
  const onSale = opts.onSale ?? true;
  const { event } = orThrow(
    await createEvent(toActor(organizer), {
      title: opts.title ?? `Test event ${crypto.randomUUID().slice(0, 6)}`,
      description: "",
      venue: { name: "Test Hall", address: "" },
      sections: opts.sections ?? [seats(2, 10)],
      startsAt: addDays(now, 10),
      endsAt: addHours(addDays(now, 10), 3),
      saleStartsAt: onSale ? subDays(now, 1) : addDays(now, 1),
      saleEndsAt: addDays(now, 10),
      holdMinutes: opts.holdMinutes ?? 10,
      maxPerOrder: opts.maxPerOrder ?? 10,
      maxPerCustomer: opts.maxPerCustomer ?? null,
      currency: "EUR",
      publish: !opts.draft,
    }),
  );
  if (opts.holdSeconds) {
    await db().update(events).set({ holdSeconds: opts.holdSeconds }).where(eq(events.id, event.id));
    event.holdSeconds = opts.holdSeconds;
  }
  const sections = await db().query.eventSections.findMany({ where: (s, { eq }) => eq(s.eventId, event.id), orderBy: (s, { asc }) => asc(s.sortOrder) });
  const places = await db().query.inventory.findMany({ where: (i, { eq }) => eq(i.eventId, event.id), orderBy: (i, { asc }) => asc(i.seq) });
  return { event, organizer, sections, places };
}
