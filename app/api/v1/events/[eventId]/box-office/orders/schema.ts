export { staffOrderParamsSchema, staffOrderResultSchema, staffOrderSchema } from "@/lib/box-office/schemas";
