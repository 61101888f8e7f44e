export { blockParamsSchema, blockRequestSchema, blockResultSchema } from "@/lib/blocking/schemas";
