import { z } from "zod";
import { maskSensitive } from "../masking/mask";

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, "must be 3–40 lowercase letters, digits or dashes");
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email("must be an email address"));
export const passwordSchema = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");
/** Names are free text too: a card number typed into one is masked like anywhere else. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(120, "must be at most 120 characters")
  .transform((name) => maskSensitive(name).text);

export const signupBody = z.strictObject({
  /** Slug of the tenant the customer signs up to. */
  tenant: slugSchema,
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema,
});

export const loginBody = z.strictObject({
  /** Tenant slug; omitted by super admins, who belong to the platform. */
  tenant: slugSchema.optional(),
  email: emailSchema,
  password: z.string().min(1, "is required").max(200),
});
