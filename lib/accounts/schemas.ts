import { z } from "zod";
import { passwordSchema } from "@/lib/auth/password";
import { emailSchema } from "@/lib/auth/schemas";

// Form inputs of the account flows (website forms; the REST API stays account-only).

const token = z.string({ message: "This link is incomplete" }).min(1, "This link is incomplete").max(100, "This link is not valid");

export const forgotPasswordSchema = z.strictObject({ email: emailSchema });

export const resetPasswordSchema = z
  .strictObject({ token, password: passwordSchema, confirmPassword: z.string().max(1024) })
  .refine((d) => d.password === d.confirmPassword, { path: ["confirmPassword"], message: "The two passwords are not the same" });

export const changePasswordSchema = z
  .strictObject({
    currentPassword: z.string({ message: "Enter your current password" }).min(1, "Enter your current password").max(1024),
    newPassword: passwordSchema,
    confirmPassword: z.string().max(1024),
  })
  .refine((d) => d.newPassword === d.confirmPassword, { path: ["confirmPassword"], message: "The two passwords are not the same" });

export const changeEmailSchema = z.strictObject({
  newEmail: emailSchema,
  currentPassword: z.string({ message: "Enter your current password" }).min(1, "Enter your current password").max(1024),
});

export const guestSchema = z.strictObject({
  email: emailSchema,
  name: z.string({ message: "Enter your name" }).trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
});
