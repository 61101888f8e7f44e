export { managedTicketTypeListSchema, managedTicketTypeSchema, ticketTypeInputSchema, ticketTypeParamsSchema } from "@/lib/ticket-types/schemas";
