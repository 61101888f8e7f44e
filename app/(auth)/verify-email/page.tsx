import type { Metadata } from "next";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata: Metadata = { title: "Confirm your email address", referrer: "no-referrer" };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/**
 * Opened from a verification email. Confirming takes a press of the button (a POST), so a mail
 * scanner or a browser prefetching the link does not use it up.
 */
export default async function VerifyEmailPage({ searchParams }: Props) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Confirm your email address</h1>
      <VerifyEmailForm token={typeof token === "string" ? token : ""} />
    </div>
  );
}
