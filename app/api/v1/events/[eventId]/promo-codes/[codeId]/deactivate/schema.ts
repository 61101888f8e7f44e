export { managedPromoCodeSchema, promoCodeItemParamsSchema } from "@/lib/promo-codes/schemas";
