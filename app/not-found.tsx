import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md space-y-3 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="text-slate-700">We could not find what you were looking for. It may have moved or never existed.</p>
      <Link href="/" className="font-semibold text-brand-700 underline">
        Browse events
      </Link>
    </div>
  );
}
