export { confirmBody as bodySchema } from "@/lib/api/requests";
