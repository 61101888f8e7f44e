import Link from "next/link";
import type { Role } from "@/lib/auth/roles";

// The organizer area's own navigation; admin-only sections only for admins.
export function AdminNav({ role }: { role: Role }) {
  const links = [
    { href: "/admin", label: "Events" },
    { href: "/admin/events/new", label: "New event" },
    { href: "/admin/venues", label: "Venues" },
    ...(role === "ADMIN"
      ? [
          { href: "/admin/users", label: "Users" },
          { href: "/admin/audit", label: "Audit trail" },
        ]
      : []),
  ];
  return (
    <nav aria-label="Organizer area" className="no-print mb-6 flex flex-wrap gap-2 border-b border-slate-200 pb-3 text-sm">
      <span className="mr-2 font-semibold text-slate-500">{role === "ADMIN" ? "Admin" : "Organizer"}</span>
      {links.map((l) => (
        <Link key={l.href} href={l.href} className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-950">
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
