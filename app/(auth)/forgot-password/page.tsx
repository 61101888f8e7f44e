import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Forgot your password?</h1>
      <p className="text-sm text-slate-700">
        Enter your email address and we will send you a link to choose a new password. Bought tickets as a guest? Use the address you bought with: the link lets
        you create your account, with those tickets in it.
      </p>
      <ForgotPasswordForm />
      <p className="text-sm text-slate-700">
        Remembered it?{" "}
        <Link className="font-semibold text-brand-700 underline" href="/login">
          Sign in
        </Link>
      </p>
    </div>
  );
}
