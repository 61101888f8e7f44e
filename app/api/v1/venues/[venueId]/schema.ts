export { venueParams as venueParamsSchema } from "@/lib/api/requests";
