/**
 * Shapes of the API's JSON. Where the server publishes a schema in src/protocol, the type comes from it
 * (type-only imports: no zod in the browser bundle), so a change there shows up here at compile time.
 */
import type { z } from "zod";
import type {
  ActivityEntry,
  meSchema,
  Staff,
  Team as TeamShape,
  User as UserShape,
} from "../../protocol/schemas";
import type { Settings, weekdays } from "../../protocol/settings";

export type User = UserShape;
export type StaffMember = Staff;
export type Team = TeamShape;
export type AuditEntry = ActivityEntry;
export type Me = z.infer<typeof meSchema>;
export type TenantSettings = Settings;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings?: Record<string, unknown>;
  createdAt?: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstTampered: { id: string; seq: number; createdAt: string } | null;
}

export type WeekDay = (typeof weekdays)[number];
/** Repeated rather than imported so the settings schema (and zod) stay out of the browser bundle. */
export const weekDays: readonly WeekDay[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export type DayHours = { open: string; close: string } | null;
export type BusinessHours = NonNullable<Settings["businessHours"]>;
export type Retention = Settings["retention"];
