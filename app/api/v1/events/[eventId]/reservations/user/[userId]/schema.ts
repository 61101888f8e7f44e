export { userReservationsParams as paramsSchema } from "@/lib/api/requests";
