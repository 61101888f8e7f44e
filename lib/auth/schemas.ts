import { z } from "zod";
import { passwordSchema } from "./password";

export const emailSchema = z
  .string({ message: "Enter your email" })
  .trim()
  .toLowerCase()
  .max(254, "That email is too long")
  .pipe(z.email({ message: "Enter a valid email address" }));

export const registerSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: z.string({ message: "Enter your name" }).trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
});

export const loginSchema = z.strictObject({
  email: emailSchema,
  password: z.string({ message: "Enter your password" }).min(1, "Enter your password").max(1024),
});

export type RegisterInput = z.infer<typeof registerSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
