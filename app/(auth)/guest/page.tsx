import type { Metadata } from "next";
import Link from "next/link";
import { safeNext } from "@/lib/auth/next-path";
import { GuestForm } from "./guest-form";

export const metadata: Metadata = { title: "Continue as a guest" };

export default async function GuestPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const to = safeNext(next);
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Continue as a guest</h1>
      <p className="text-sm text-slate-700">
        No password needed. We send your tickets to this address, with a private link to them. You can create an account with the same address later.
      </p>
      <GuestForm next={to} />
      <p className="text-sm text-slate-700">
        Have an account?{" "}
        <Link className="font-semibold text-brand-700 underline" href={`/login?next=${encodeURIComponent(to)}`}>
          Sign in
        </Link>
      </p>
    </div>
  );
}
