"use client";
import { buttonClass } from "@/components/ui/button";

export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={buttonClass("secondary")}>
      {label}
    </button>
  );
}
