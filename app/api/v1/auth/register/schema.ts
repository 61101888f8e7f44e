import { registerSchema } from "@/lib/auth/schemas";

// The same schema the website's sign-up form parses with.
export const registerBodySchema = registerSchema;
