/** Tenant settings as an editable form: numbers are edited as text, missing values get sensible defaults. */
import type { BusinessHours, DayHours, Retention, TenantSettings, WeekDay } from "../lib/types";
import { weekDays } from "../lib/types";
import { changedFields, parseCount, wholeNumberMessage } from "./form-values";

export const numberKeys = [
  "defaultMaxChats",
  "defaultMaxCalls",
  "maxUploadMb",
  "firstResponseTargetSeconds",
] as const;
export type NumberKey = (typeof numberKeys)[number];
export const retentionKeys = [
  "ticketArchiveDays",
  "ticketDeleteDays",
  "conversationArchiveDays",
  "conversationDeleteDays",
] as const;
export const toggleKeys = ["autoAssignment", "recordingEnabled", "autoTicketFromChat"] as const;
export type ToggleKey = (typeof toggleKeys)[number];

export interface SettingsForm {
  toggles: Record<ToggleKey, boolean>;
  numbers: Record<NumberKey, string>;
  retention: Record<keyof Retention, string>;
  /** `limited: false` is the server's `businessHours: null`, open around the clock. */
  businessHours: { limited: boolean; timezone: string; days: Record<WeekDay, DayHours> };
}

function text(value: unknown): string {
  return typeof value === "number" ? String(value) : "";
}

/** Every day present (null = closed), so comparing before and after never sees a phantom change. */
function normalHours(hours: BusinessHours | null | undefined): SettingsForm["businessHours"] {
  const days = {} as Record<WeekDay, DayHours>;
  // A first switch to limited hours starts from a usual office week rather than seven closed days.
  for (const day of weekDays) days[day] = hours ? (hours.days[day] ?? null) : officeHours(day);
  return { limited: Boolean(hours), timezone: hours?.timezone ?? browserTimezone(), days };
}

function officeHours(day: WeekDay): DayHours {
  return day === "sat" || day === "sun" ? null : { open: "09:00", close: "17:00" };
}

function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function toForm(s: Partial<TenantSettings>): SettingsForm {
  return {
    toggles: {
      autoAssignment: s.autoAssignment ?? false,
      recordingEnabled: s.recordingEnabled ?? false,
      autoTicketFromChat: s.autoTicketFromChat ?? false,
    },
    numbers: {
      defaultMaxChats: text(s.defaultMaxChats),
      defaultMaxCalls: text(s.defaultMaxCalls),
      maxUploadMb: text(s.maxUploadMb),
      firstResponseTargetSeconds: text(s.firstResponseTargetSeconds),
    },
    retention: {
      ticketArchiveDays: text(s.retention?.ticketArchiveDays),
      ticketDeleteDays: text(s.retention?.ticketDeleteDays),
      conversationArchiveDays: text(s.retention?.conversationArchiveDays),
      conversationDeleteDays: text(s.retention?.conversationDeleteDays),
    },
    businessHours: normalHours(s.businessHours),
  };
}

type Values = Partial<TenantSettings>;

/** The form read back as settings, with a message for every field that is not a valid value. */
function fromForm(form: SettingsForm): { values: Values; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const { limited, timezone, days } = form.businessHours;
  const values: Values = {
    ...form.toggles,
    businessHours: limited ? { timezone: timezone.trim(), days } : null,
  };
  for (const key of numberKeys) {
    const n = parseCount(form.numbers[key]);
    if (n === "invalid") errors[key] = wholeNumberMessage;
    else if (n !== undefined) values[key] = n;
  }
  const retention: Partial<Retention> = {};
  for (const key of retentionKeys) {
    const n = parseCount(form.retention[key]);
    if (n === "invalid") errors[`retention.${key}`] = wholeNumberMessage;
    else if (n !== undefined) retention[key] = n;
  }
  // Retention is saved as one object: either all four periods or none.
  const empty = retentionKeys.filter((k) => form.retention[k].trim() === "");
  if (retentionKeys.every((k) => retention[k] !== undefined)) values.retention = retention as Retention;
  else if (empty.length < retentionKeys.length) {
    for (const key of empty) errors[`retention.${key}`] = "Needed with the other retention periods.";
  }
  for (const day of weekDays) {
    const hours = form.businessHours.days[day];
    if (hours && !(hours.open < hours.close))
      errors[`businessHours.days.${day}`] = "Closing must be after opening.";
  }
  return { values, errors };
}

/** Only the settings the user changed, so a save never overwrites what someone else set meanwhile. */
export function settingsPatch(
  original: SettingsForm,
  form: SettingsForm,
): { patch: Values; errors: Record<string, string> } {
  const before = fromForm(original).values;
  const { values, errors } = fromForm(form);
  return { patch: changedFields(before, values), errors };
}
