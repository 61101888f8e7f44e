export { createEventBody as createEventBodySchema, listEventsQuery as listEventsQuerySchema } from "@/lib/api/requests";
