export { ticketQrParams as paramsSchema } from "@/lib/api/requests";
