export { reservationParams as paramsSchema } from "@/lib/api/requests";
