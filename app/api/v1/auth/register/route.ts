import { clientAddress } from "@/lib/security/client-address";
import { publicUser, registerUser } from "@/lib/auth/users";
import { json, readJson, route } from "@/lib/http";
import { orThrow } from "@/lib/errors";
import { registerBodySchema } from "./schema";

export const dynamic = "force-dynamic";

// Creates a CUSTOMER account. Rate limited per IP inside registerUser (fails closed without Redis).
export const POST = route(async (req) => {
  const input = await readJson(req, registerBodySchema);
  const { user } = orThrow(await registerUser(input, clientAddress(req.headers)));
  return json(publicUser(user), 201, { location: "/api/v1/auth/profile", "cache-control": "no-store" });
});
