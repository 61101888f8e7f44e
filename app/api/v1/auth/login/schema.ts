export { loginBody as loginBodySchema } from "@/lib/api/requests";
