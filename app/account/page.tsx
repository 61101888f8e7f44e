import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { Notice } from "@/components/ui/form";
import { requirePageActor } from "@/lib/auth/guards";
import { findUserById } from "@/lib/auth/users";
import { ChangeEmailForm, ChangePasswordForm, OneButtonForm } from "./settings-forms";

export const metadata: Metadata = { title: "Your account" };

type Props = { searchParams: Promise<{ reset?: string; claimed?: string }> };

export default async function AccountPage({ searchParams }: Props) {
  const actor = await requirePageActor("/account");
  const user = await findUserById(actor.id);
  if (!user) notFound();
  const { reset, claimed } = await searchParams;
  const card = "space-y-4 rounded-lg border border-slate-200 bg-white p-5";
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">{user.guest ? "Your guest checkout" : "Your account"}</h1>
      {reset && (
        <Notice>
          Your new password is saved and you are signed in. Every other device was signed out.
          {Number(claimed) > 0 &&
            ` ${claimed} booking${claimed === "1" ? "" : "s"} made as a guest with your address ${claimed === "1" ? "is" : "are"} now in My bookings.`}
        </Notice>
      )}
      <dl className="grid grid-cols-3 gap-y-3 rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <dt className="font-medium text-slate-600">Name</dt>
        <dd className="col-span-2" data-testid="profile-name">
          {user.name}
        </dd>
        <dt className="font-medium text-slate-600">Email</dt>
        <dd className="col-span-2" data-testid="profile-email">
          {user.email}{" "}
          {!user.guest && (
            <span
              className={`ml-1 rounded px-1.5 py-0.5 text-xs font-semibold ${user.emailVerifiedAt ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}
              data-testid="email-status"
            >
              {user.emailVerifiedAt ? "confirmed" : "not confirmed yet"}
            </span>
          )}
        </dd>
        {!user.guest && (
          <>
            <dt className="font-medium text-slate-600">Role</dt>
            <dd className="col-span-2" data-testid="profile-role">
              {user.role.toLowerCase()}
            </dd>
            <dt className="font-medium text-slate-600">Member since</dt>
            <dd className="col-span-2" data-testid="member-since">
              <LocalTime iso={user.createdAt.toISOString()} dateOnly />
            </dd>
          </>
        )}
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
      {user.guest ? (
        <section aria-labelledby="claim-title" className={card}>
          <h2 id="claim-title" className="text-lg font-semibold">
            Keep your tickets in an account
          </h2>
          <p className="text-sm text-slate-700">
            You are buying as a guest: your tickets are emailed to {user.email}. To have them in an account, we send you a link to choose a password. Every
            booking made as a guest with this address then appears in My bookings.
          </p>
          <OneButtonForm kind="claim" label="Email me a link to create my account" pendingText="Sending…" />
        </section>
      ) : (
        <>
          {!user.emailVerifiedAt && (
            <section aria-labelledby="verify-title" className={card}>
              <h2 id="verify-title" className="text-lg font-semibold">
                Confirm your email address
              </h2>
              <p className="text-sm text-slate-700">We sent a link to {user.email} when you signed up. It also adds tickets you bought there as a guest.</p>
              <OneButtonForm kind="resend" label="Send the link again" pendingText="Sending…" />
            </section>
          )}
          <section aria-labelledby="email-title" className={card}>
            <h2 id="email-title" className="text-lg font-semibold">
              Change email address
            </h2>
            <p className="text-sm text-slate-700">We send a link to the new address; the change happens when you open it, and we tell the old address.</p>
            <ChangeEmailForm />
          </section>
          <section aria-labelledby="password-title" className={card}>
            <h2 id="password-title" className="text-lg font-semibold">
              Change password
            </h2>
            <ChangePasswordForm />
          </section>
        </>
      )}
    </div>
  );
}
