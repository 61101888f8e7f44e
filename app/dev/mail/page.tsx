import type { Metadata } from "next";
import Link from "next/link";
import { readCaughtMail } from "@/lib/dev/caught-mail";
import { AutoRefresh } from "@/components/shop/auto-refresh";
import { catcherDir } from "./catcher";

export const metadata: Metadata = { title: "Caught mail (development)" };
export const dynamic = "force-dynamic";

/** Development only: every email the app sent, as caught by `npm run dev`'s local SMTP server. */
export default async function CaughtMailPage() {
  const dir = catcherDir();
  const mail = readCaughtMail(dir).reverse();
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <h1 className="text-2xl font-bold">Caught mail</h1>
      <p className="text-sm text-slate-700">
        In development every email goes to a local mail catcher instead of the internet. Newest first; this page updates by itself. Stored in{" "}
        <code>.data/mail</code>.
      </p>
      <AutoRefresh everyMs={5000} />
      {mail.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-5 text-slate-700">
          No mail yet. Book tickets or ask for a password reset, then look again.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="caught-mail">
          {mail.map((m) => (
            <li key={m.id}>
              <Link href={`/dev/mail/${m.id}`} className="block px-4 py-3 hover:bg-slate-50">
                <span className="block font-semibold text-slate-900">{m.subject || "(no subject)"}</span>
                <span className="block text-sm text-slate-700">
                  To {m.to} · {new Date(m.receivedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC
                  {m.attachments.some((a) => !a.inline) ? " · 📎" : ""}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
