import { clientAddress } from "@/lib/security/client-address";
import { issueApiToken } from "@/lib/auth/tokens";
import { authenticate, publicUser } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { json, readJson, route } from "@/lib/http";
import { loginBodySchema } from "./schema";

export const dynamic = "force-dynamic";

// Exchanges credentials for a bearer token. The 401 never says whether the email or the password
// was wrong; rate limits per IP and per account run before any password check.
export const POST = route(async (req) => {
  const input = await readJson(req, loginBodySchema);
  const user = await authenticate(input, clientAddress(req.headers));
  if (!user) throw new AppError("invalid_credentials", "The email or password is incorrect.");
  const { token, expiresAt } = await issueApiToken(user);
  return json({ token, expiresAt: expiresAt.toISOString(), user: publicUser(user) }, 200, { "cache-control": "no-store" });
});
