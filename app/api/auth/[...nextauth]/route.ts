export { GET, POST } from "@/lib/accounts/sign-in";
