export { accessCodeEntrySchema, accessGrantSchema, promoCodeParamsSchema } from "@/lib/promo-codes/schemas";
