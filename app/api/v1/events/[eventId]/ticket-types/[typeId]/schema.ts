export { managedTicketTypeSchema, ticketTypeInputSchema, ticketTypeItemParamsSchema } from "@/lib/ticket-types/schemas";
