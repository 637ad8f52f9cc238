import { z } from "zod";
import { actorTypes, availabilities } from "./enums";
import { permissionDescriptions, roles, staffRoles } from "./roles";

/** Shapes of what the API returns; the server validates its responses against them and documents them. */
export const userSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  availability: z.enum(availabilities).optional(),
  /** Staff on a break: when it ends. */
  availabilityUntil: z.string().nullable().optional(),
  createdAt: z.string().describe("ISO-8601 UTC"),
});
export type User = z.infer<typeof userSchema>;

export const staffSchema = userSchema.extend({
  role: z.enum(staffRoles),
  availability: z.enum(availabilities),
  availabilityUntil: z.string().nullable(),
  status: z.enum(["active", "deactivated"]),
  maxChats: z.number().int(),
  maxCalls: z.number().int(),
  activeChats: z.number().int(),
  activeCalls: z.number().int(),
  teamId: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
});
export type Staff = z.infer<typeof staffSchema>;

export const tenantSummarySchema = z.object({ id: z.string(), slug: z.string(), name: z.string() });

export const meSchema = z.object({
  user: userSchema,
  tenant: tenantSummarySchema.nullable(),
  permissions: z.array(z.enum(Object.keys(permissionDescriptions) as [keyof typeof permissionDescriptions])),
});

export const authResultSchema = z.object({
  user: userSchema,
  token: z.string().describe("the session token; also usable as `Authorization: Bearer`"),
  expiresAt: z.string(),
});

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  leadId: z.string().nullable(),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
});
export type Team = z.infer<typeof teamSchema>;

export const activitySchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  actor: z.object({ id: z.string().nullable(), name: z.string().nullable(), type: z.enum(actorTypes) }),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  hash: z.string(),
  prevHash: z.string(),
});
export type ActivityEntry = z.infer<typeof activitySchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const okSchema = z.object({ ok: z.literal(true) });
