export { myBookingsQuery as querySchema } from "@/lib/api/requests";
