import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db";
import { users } from "@/db/schema";
import { listAudit } from "@/lib/audit";
import { actorFromBearer } from "@/lib/auth/actor";
import { issueApiToken } from "@/lib/auth/tokens";
import { changeUserRole, listUsers } from "@/lib/users";
import { createUser, createCast } from "@/tests/helpers/fixtures";

// Users and roles (ADMIN only) and the audit trail.

describe("listUsers", () => {
  it("admins search by name or email (LIKE wildcards taken literally) and filter by role", async () => {
    const c = await createCast();
    const tag = `zq${Date.now().toString(36)}`;
    const a = await createUser("CUSTOMER", { name: `Ann ${tag}` });
    await createUser("ORGANIZER", { name: `Bob ${tag}` });
    const byName = await listUsers(c.admin, { q: tag });
    expect(byName.items.map((u) => u.name).sort()).toEqual([`Ann ${tag}`, `Bob ${tag}`]);
    expect(byName.items[0]).not.toHaveProperty("passwordHash");
    expect((await listUsers(c.admin, { q: tag, role: "ORGANIZER" })).items.map((u) => u.name)).toEqual([`Bob ${tag}`]);
    expect((await listUsers(c.admin, { q: a.email.toUpperCase() })).items.map((u) => u.id)).toEqual([a.id]);
    expect((await listUsers(c.admin, { q: "%" })).total).toBe(0);
  });

  it("organizers and customers cannot list users", async () => {
    const c = await createCast();
    for (const who of [c.organizer, c.customer]) await expect(listUsers(who)).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("changeUserRole", () => {
  it("changes the role, revokes the user's old sessions and tokens, and writes the audit trail", async () => {
    const c = await createCast();
    const target = await createUser("CUSTOMER");
    const { token } = await issueApiToken(target);
    expect(await actorFromBearer(`Bearer ${token}`)).toMatchObject({ id: target.id, role: "CUSTOMER" });

    const r = await changeUserRole(c.admin, { userId: target.id, role: "ORGANIZER" });
    expect(r).toMatchObject({ ok: true, changed: true, user: { id: target.id, role: "ORGANIZER" } });
    const [row] = await db().select().from(users).where(eq(users.id, target.id));
    expect(row.sessionVersion).toBe(target.sessionVersion + 1);
    expect(await actorFromBearer(`Bearer ${token}`)).toBe("invalid"); // the old token no longer works

    const trail = await listAudit(c.admin, { q: target.id });
    expect(trail.items[0]).toMatchObject({
      action: "role.change",
      targetId: target.id,
      details: { from: "CUSTOMER", to: "ORGANIZER", email: target.email },
      actor: { id: c.admin.id },
    });

    // Same role again: nothing changes, no new entry.
    expect(await changeUserRole(c.admin, { userId: target.id, role: "ORGANIZER" })).toMatchObject({ ok: true, changed: false });
    expect((await listAudit(c.admin, { q: target.id })).items).toHaveLength(1);
  });

  it("refuses self-demotion, unknown users and bad input", async () => {
    const c = await createCast();
    expect(await changeUserRole(c.admin, { userId: c.admin.id, role: "CUSTOMER" })).toMatchObject({ ok: false, code: "conflict" });
    expect(await changeUserRole(c.admin, { userId: "00000000-0000-4000-8000-000000000000", role: "ADMIN" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await changeUserRole(c.admin, { userId: "x", role: "GOD" as never })).toMatchObject({ ok: false, code: "validation_failed" });
  });

  it("organizers and customers cannot change roles (not even their own)", async () => {
    const c = await createCast();
    for (const who of [c.organizer, c.otherOrganizer, c.customer, c.otherCustomer]) {
      await expect(changeUserRole(who, { userId: who.id, role: "ADMIN" })).rejects.toMatchObject({ code: "forbidden" });
      await expect(changeUserRole(who, { userId: c.customer.id, role: "ADMIN" })).rejects.toMatchObject({ code: "forbidden" });
    }
    const [row] = await db().select().from(users).where(eq(users.id, c.customer.id));
    expect(row.role).toBe("CUSTOMER");
  });
});

describe("listAudit", () => {
  it("is for admins only, newest first, filterable by action and paged", async () => {
    const c = await createCast();
    const target = await createUser("CUSTOMER");
    await changeUserRole(c.admin, { userId: target.id, role: "ORGANIZER" });
    await changeUserRole(c.admin, { userId: target.id, role: "CUSTOMER" });
    const page = await listAudit(c.admin, { action: "role.change", q: target.id });
    expect(page.items.map((e) => e.details.to)).toEqual(["CUSTOMER", "ORGANIZER"]);
    expect((await listAudit(c.admin, { q: target.id, before: page.items[0].id })).items.map((e) => e.details.to)).toEqual(["ORGANIZER"]);
    for (const who of [c.organizer, c.customer]) await expect(listAudit(who)).rejects.toMatchObject({ code: "forbidden" });
  });
});
