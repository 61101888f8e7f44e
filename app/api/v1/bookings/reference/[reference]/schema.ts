export { bookingReferenceParams as paramsSchema } from "@/lib/api/requests";
