import { requireRequestActor } from "@/lib/auth/actor";
import { findUserById, publicUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const actor = await requireRequestActor(req);
  const user = await findUserById(actor.id);
  if (!user) throw new AppError("unauthorized", "Sign in to continue.");
  return json(publicUser(user), 200, { "cache-control": "no-store" });
});
