import { AdminNav } from "@/components/admin/admin-nav";
import { requirePageActor } from "@/lib/auth/guards";
import { STAFF_ROLES } from "@/lib/auth/roles";

// Every page under /admin is staff-only, checked here on the server for each request.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("/admin", STAFF_ROLES);
  return (
    <>
      <AdminNav role={actor.role} />
      {children}
    </>
  );
}
