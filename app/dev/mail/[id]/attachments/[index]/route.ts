import { readCaughtAttachment } from "@/lib/dev/caught-mail";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
import { catcherDirOrNull } from "../../../catcher";

export const dynamic = "force-dynamic";

/** A caught message's attachment (development only; 404 anywhere else). */
export const GET = route<{ id: string; index: string }>(async (_req, { params }) => {
  const dir = catcherDirOrNull();
  const { id, index } = await params;
  const a = dir && /^\d{1,3}$/.test(index) ? readCaughtAttachment(dir, id, Number(index)) : null;
  if (!a) throw new AppError("not_found", "No such attachment.");
  return new Response(new Uint8Array(a.content), {
    headers: {
      "content-type": a.contentType,
      "content-disposition": `inline; filename="${a.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "no-store",
    },
  });
});
