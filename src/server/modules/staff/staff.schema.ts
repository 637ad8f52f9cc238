import { z } from "zod";
import { availabilities, userStatuses } from "../../../protocol/enums";
import { staffRoles } from "../../../protocol/roles";
import { pageQuery } from "../../lib/pagination";
import { emailSchema, nameSchema, passwordSchema } from "../auth/auth.schema";

export const staffIdParams = z.strictObject({ id: z.uuid("must be an id") });

export const availabilityChange = z
  .strictObject({
    status: z.enum(availabilities),
    /** When a break ends; only with `on_break`, in the future and within 24 hours. */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((a) => !a.until || a.status === "on_break", {
    message: "only a break has an end",
    path: ["until"],
  });

export const createStaffBody = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: z.enum(staffRoles),
  /** Omitted: a temporary password is generated and returned once. */
  password: passwordSchema.optional(),
  maxChats: z.number().int().min(1).max(50).optional(),
  maxCalls: z.number().int().min(0).max(10).optional(),
  teamId: z.uuid("must be an id").nullable().optional(),
});

export const updateStaffBody = z
  .strictObject({
    name: nameSchema.optional(),
    role: z.enum(staffRoles).optional(),
    maxChats: z.number().int().min(1).max(50).optional(),
    maxCalls: z.number().int().min(0).max(10).optional(),
    teamId: z.uuid("must be an id").nullable().optional(),
    /** Break management: team leads and above. */
    availability: availabilityChange.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "name at least one field to change" });

export const listStaffQuery = z.strictObject({
  ...pageQuery,
  role: z.enum(staffRoles).optional(),
  availability: z.enum(availabilities).optional(),
  teamId: z.uuid().optional(),
  status: z.enum(userStatuses).default("active"),
  q: z.string().trim().max(100).optional().describe("matches name or email"),
});
