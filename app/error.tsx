"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md space-y-3 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-slate-700">This page could not be shown. Nothing you did was lost; please try again.</p>
      <button onClick={reset} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
