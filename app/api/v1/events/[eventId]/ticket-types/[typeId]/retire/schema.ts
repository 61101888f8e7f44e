export { managedTicketTypeSchema, ticketTypeItemParamsSchema } from "@/lib/ticket-types/schemas";
