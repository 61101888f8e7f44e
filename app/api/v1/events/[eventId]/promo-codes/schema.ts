export { managedPromoCodeListSchema, managedPromoCodeSchema, promoCodeInputSchema, promoCodeParamsSchema } from "@/lib/promo-codes/schemas";
