import "server-only";
import { notFound } from "next/navigation";
import { env } from "@/lib/env";

// The caught-mail pages exist only under `npm run dev` (which starts the catcher and names its
// folder); anywhere else, production above all, they answer 404.
export function catcherDirOrNull(): string | null {
  const e = env();
  return e.NODE_ENV === "development" && e.MAIL_CATCHER_DIR ? e.MAIL_CATCHER_DIR : null;
}

export function catcherDir(): string {
  return catcherDirOrNull() ?? notFound();
}
