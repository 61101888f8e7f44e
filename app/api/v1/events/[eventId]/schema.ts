export { eventDetailParams as eventParamsSchema } from "@/lib/api/requests";
