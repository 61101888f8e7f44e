export { holdBody as bodySchema, eventPathParams as paramsSchema } from "@/lib/api/requests";
