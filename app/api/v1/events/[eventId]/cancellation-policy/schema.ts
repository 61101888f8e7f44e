export { eventPathParams as paramsSchema } from "@/lib/api/requests";
