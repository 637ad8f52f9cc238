import { z } from "zod";

/** Who sees a canned response: everyone on the tenant's staff, or only the person who keeps it. */
export const cannedScopes = ["tenant", "personal"] as const;
export type CannedScope = (typeof cannedScopes)[number];

export const cannedResponseSchema = z.object({
  id: z.string(),
  shortcut: z
    .string()
    .describe("typed after `/` in the composer; unique within its scope, in any letter case"),
  title: z.string(),
  body: z.string().describe("may hold variables such as {{customer.firstName}}, filled in when inserted"),
  scope: z.enum(cannedScopes),
  ownerId: z
    .string()
    .nullable()
    .describe("the person who keeps a personal snippet; null for tenant-wide ones"),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;
