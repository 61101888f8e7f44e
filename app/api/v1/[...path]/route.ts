import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";

// Unknown /api/v1 paths answer problem+json like every other API error, not the HTML 404 page.
export const dynamic = "force-dynamic";

const notFound = route<{ path: string[] }>(async () => {
  throw new AppError("not_found", "No such endpoint. See /api/v1/openapi.json for the list.");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
