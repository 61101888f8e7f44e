export { blockParamsSchema, unblockRequestSchema, unblockResultSchema } from "@/lib/blocking/schemas";
