import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { actorFromSession } from "@/lib/auth/actor";
import { signOutAction } from "./(auth)/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tessera — tickets you can trust", template: "%s · Tessera" },
  description: "Pick your seats on a live map, hold them for 10 minutes, pay once, get your tickets.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await actorFromSession().catch(() => null);
  const staff = actor?.role === "ADMIN" || actor?.role === "ORGANIZER";
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <header className="no-print border-b border-slate-200 bg-white">
          <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-5 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
              Tessera
            </Link>
            <Link href="/" className="text-sm font-medium text-slate-700 hover:text-slate-950">
              Events
            </Link>
            {actor && (
              <Link href="/account/bookings" className="text-sm font-medium text-slate-700 hover:text-slate-950">
                My bookings
              </Link>
            )}
            {staff && (
              <Link href="/admin" className="text-sm font-medium text-slate-700 hover:text-slate-950">
                Admin
              </Link>
            )}
            <div className="ml-auto flex items-center gap-3 text-sm">
              {actor ? (
                <>
                  <Link href="/account" className="font-medium text-slate-700 hover:text-slate-950" data-testid="account-link">
                    {actor.name}
                  </Link>
                  <form action={signOutAction}>
                    <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <Link href="/login" className="font-medium text-slate-700 hover:text-slate-950">
                    Sign in
                  </Link>
                  <Link href="/register" className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white hover:bg-brand-700">
                    Create account
                  </Link>
                </>
              )}
            </div>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
          {children}
        </main>
        <footer className="no-print mx-auto max-w-6xl px-4 pb-10 pt-4 text-xs text-slate-600">
          Tessera — open-source ticketing.{" "}
          <Link href="/api/docs" className="underline">
            API docs
          </Link>
        </footer>
      </body>
    </html>
  );
}
