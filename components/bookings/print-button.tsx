"use client";
import { buttonStyles } from "@/components/button-styles";

export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={buttonStyles("secondary")}>
      {label}
    </button>
  );
}
