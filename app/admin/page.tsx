import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHome() {
  const actor = await requirePageActor("/admin", STAFF_ROLES);
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-bold">Organizer area</h1>
      <p className="text-slate-700">Signed in as {actor.name} ({actor.role.toLowerCase()}).</p>
    </div>
  );
}
