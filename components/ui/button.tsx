"use client";
import type { ButtonHTMLAttributes } from "react";
import { useFormStatus } from "react-dom";
import { buttonStyles } from "@/components/button-styles";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string; variant?: Parameters<typeof buttonStyles>[0] };

/** A submit button that disables itself while its form is pending (no double submits). */
export function SubmitButton({ children, pendingText, variant = "primary", disabled, ...rest }: Props) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={buttonStyles(variant)} {...rest} disabled={pending || disabled} aria-disabled={pending || disabled}>
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}
