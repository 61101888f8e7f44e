import { handlers } from "./auth";
import { withSafeCallbackUrl } from "./callback-url";

export const GET = withSafeCallbackUrl(handlers.GET);
export const POST = withSafeCallbackUrl(handlers.POST);
