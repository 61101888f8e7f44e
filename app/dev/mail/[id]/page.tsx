import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { readCaughtMessage } from "@/lib/dev/caught-mail";
import { catcherDir } from "../catcher";

export const metadata: Metadata = { title: "Caught mail (development)" };
export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** One caught message: its headers, the HTML as a mail client shows it (scripts off), the text. */
export default async function CaughtMessagePage({ params }: Params) {
  const dir = catcherDir();
  const { id } = await params;
  const m = readCaughtMessage(dir, id);
  if (!m) notFound();
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p className="text-sm">
        <Link href="/dev/mail" className="font-semibold text-brand-700 underline">
          ← All caught mail
        </Link>
      </p>
      <h1 className="text-2xl font-bold">{m.subject || "(no subject)"}</h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <dt className="font-medium text-slate-600">From</dt>
        <dd>{m.from}</dd>
        <dt className="font-medium text-slate-600">To</dt>
        <dd data-testid="mail-to">{m.to}</dd>
        <dt className="font-medium text-slate-600">Message-ID</dt>
        <dd className="break-all font-mono text-xs">{m.messageId}</dd>
        <dt className="font-medium text-slate-600">Attachments</dt>
        <dd>
          {m.attachments.length === 0
            ? "none"
            : m.attachments.map((a, i) => (
                <span key={a.file} className="mr-3 inline-block">
                  <a className="text-brand-700 underline" href={`/dev/mail/${m.id}/attachments/${i}`}>
                    {a.filename}
                  </a>{" "}
                  <span className="text-slate-600">({Math.ceil(a.size / 1024)} KB)</span>
                </span>
              ))}
        </dd>
      </dl>
      {m.html && (
        <section aria-labelledby="html-title" className="space-y-2">
          <h2 id="html-title" className="text-lg font-semibold">
            HTML
          </h2>
          {/* sandbox without allow-scripts: the message is shown, never run */}
          <iframe title="The message as HTML" sandbox="" srcDoc={m.html} className="h-[900px] w-full rounded-lg border border-slate-300 bg-white" />
        </section>
      )}
      {m.text && (
        <section aria-labelledby="text-title" className="space-y-2">
          <h2 id="text-title" className="text-lg font-semibold">
            Plain text
          </h2>
          <pre className="whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-sm">{m.text}</pre>
        </section>
      )}
    </div>
  );
}
