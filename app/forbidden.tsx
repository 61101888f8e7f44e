import Link from "next/link";

// Rendered with status 403 whenever a page calls forbidden() (lib/auth/guards.ts).
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md space-y-3 text-center">
      <h1 className="text-2xl font-bold">Not allowed</h1>
      <p className="text-slate-700">Your account cannot open this page. Organizer and admin pages need a staff account.</p>
      <Link href="/" className="font-semibold text-brand-700 underline">
        Back to events
      </Link>
    </div>
  );
}
