import type { Metadata } from "next";
import Link from "next/link";
import { RoleForm } from "@/components/admin/role-form";
import { requirePageActor } from "@/lib/auth/guards";
import { ROLES, type Role } from "@/lib/auth/roles";
import { listUsers } from "@/lib/users";
import { changeRoleAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

type Search = { q?: string; role?: string; page?: string };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requirePageActor("/admin/users", ["ADMIN"]);
  const sp = await searchParams;
  const role = (ROLES as readonly string[]).includes(sp.role ?? "") ? (sp.role as Role) : undefined;
  const q = (sp.q ?? "").slice(0, 200);
  const page = Math.max(1, Number.parseInt(sp.page ?? "1", 10) || 1);
  const result = await listUsers(actor, { q, role, page });
  const link = (p: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), ...(role ? { role } : {}), page: String(p) })}`;
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">Users</h1>
      <form method="get" className="flex flex-wrap items-end gap-3" role="search">
        <div className="space-y-1">
          <label htmlFor="q" className="block text-sm font-medium">
            Search name or email
          </label>
          <input id="q" name="q" defaultValue={q} className="rounded-md border border-slate-300 bg-white px-3 py-2" />
        </div>
        <div className="space-y-1">
          <label htmlFor="role" className="block text-sm font-medium">
            Role
          </label>
          <select id="role" name="role" defaultValue={role ?? ""} className="rounded-md border border-slate-300 bg-white px-3 py-2">
            <option value="">Any</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
          Search
        </button>
      </form>
      <p className="text-sm text-slate-700">
        {result.total} user{result.total === 1 ? "" : "s"}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Email</th>
              <th className="px-3 py-2">Role</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((u) => (
              <tr key={u.id} className="border-t border-slate-100" data-testid={`user-${u.email}`}>
                <td className="px-3 py-2">{u.name}</td>
                <td className="px-3 py-2">{u.email}</td>
                <td className="px-3 py-2">
                  <RoleForm action={changeRoleAction} user={u} self={u.id === actor.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {result.page > 1 && (
          <Link href={link(result.page - 1)} className="underline">
            Previous
          </Link>
        )}
        <span>
          Page {result.page} of {result.totalPages}
        </span>
        {result.page < result.totalPages && (
          <Link href={link(result.page + 1)} className="underline">
            Next
          </Link>
        )}
      </nav>
    </div>
  );
}
