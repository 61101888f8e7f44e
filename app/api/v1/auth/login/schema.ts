import { loginSchema } from "@/lib/auth/schemas";

// The same schema the website's sign-in form parses with.
export const loginBodySchema = loginSchema;
