export { createVenueBody as createVenueBodySchema, listVenuesQuery as listVenuesQuerySchema } from "@/lib/api/requests";
