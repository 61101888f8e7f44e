import type { Metadata } from "next";
import Link from "next/link";
import { format } from "date-fns";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/guards";
import { findUserById } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requirePageActor("/account");
  const user = await findUserById(actor.id);
  if (!user) notFound();
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Your account</h1>
      <dl className="grid grid-cols-3 gap-y-3 rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <dt className="font-medium text-slate-600">Name</dt>
        <dd className="col-span-2" data-testid="profile-name">
          {user.name}
        </dd>
        <dt className="font-medium text-slate-600">Email</dt>
        <dd className="col-span-2" data-testid="profile-email">
          {user.email}
        </dd>
        <dt className="font-medium text-slate-600">Role</dt>
        <dd className="col-span-2" data-testid="profile-role">
          {user.role.toLowerCase()}
        </dd>
        <dt className="font-medium text-slate-600">Member since</dt>
        <dd className="col-span-2">{format(user.createdAt, "d MMMM yyyy")}</dd>
      </dl>
      <ul className="flex flex-wrap gap-3 text-sm">
        <li>
          <Link className="font-semibold text-brand-700 underline" href="/account/bookings">
            My bookings
          </Link>
        </li>
        <li>
          <Link className="font-semibold text-brand-700 underline" href="/account/holds">
            My active holds
          </Link>
        </li>
      </ul>
    </div>
  );
}
