export { registerBody as registerBodySchema } from "@/lib/api/requests";
