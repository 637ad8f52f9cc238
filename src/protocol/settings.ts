import { z } from "zod";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");
const dayHours = z
  .strictObject({ open: time, close: time })
  .refine((d) => d.open < d.close, "open must be before close")
  .nullable();
export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/London");

const slaTarget = z.strictObject({
  firstResponseMinutes: z.number().int().min(1).max(43200),
  resolutionMinutes: z.number().int().min(1).max(525600),
});
/** Per-priority ticket targets; the clock pauses while a ticket waits on the customer. */
export const defaultTicketSla = {
  low: { firstResponseMinutes: 1440, resolutionMinutes: 10080 },
  medium: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
  high: { firstResponseMinutes: 120, resolutionMinutes: 1440 },
  urgent: { firstResponseMinutes: 30, resolutionMinutes: 240 },
};
const ticketSla = z.strictObject({
  low: slaTarget,
  medium: slaTarget,
  high: slaTarget,
  urgent: slaTarget,
});

/** What any API shows instead of a TURN server's shared secret; sent back in a patch, it keeps the stored one. */
export const hiddenSecret = "********";

/**
 * A STUN or TURN server. A TURN server either has static credentials (handed to browsers as they are) or a
 * `secret` shared with coturn (`use-auth-secret`), from which each browser gets its own credential that expires.
 */
export const iceServerSchema = z
  .strictObject({
    urls: z.union([
      z.string().regex(/^(stuns?|turns?):\S+$/),
      z.array(z.string().regex(/^(stuns?|turns?):\S+$/)).min(1),
    ]),
    username: z.string().max(200).optional(),
    credential: z.string().max(200).optional(),
    secret: z
      .union([z.literal(hiddenSecret), z.string().min(16, "must be at least 16 characters").max(200)])
      .optional(),
  })
  .refine(
    (s) => !(s.secret && (s.username || s.credential)),
    "a server has either a shared secret or a username and credential",
  );
export type IceServerSetting = z.infer<typeof iceServerSchema>;

/** Settings as an API shows them: every TURN secret hidden. */
export function withHiddenSecrets(settings: Settings): Settings {
  return {
    ...settings,
    iceServers: settings.iceServers.map((s) => (s.secret ? { ...s, secret: hiddenSecret } : s)),
  };
}

/** Every tenant setting with its default. A tenant stores only what it changed. */
export const settingsSchema = z.strictObject({
  /** New support chats go to an available agent automatically; off means staff pick from the queue. */
  autoAssignment: z.boolean().default(true),
  defaultMaxChats: z.number().int().min(1).max(50).default(5),
  defaultMaxCalls: z.number().int().min(0).max(10).default(2),
  /** Null means always open. */
  businessHours: z
    .strictObject({
      timezone,
      days: z.strictObject(
        Object.fromEntries(weekdays.map((d) => [d, dayHours])) as Record<
          (typeof weekdays)[number],
          typeof dayHours
        >,
      ),
    })
    .nullable()
    .default(null),
  retention: z
    .strictObject({
      ticketArchiveDays: z.number().int().min(1).max(3650).default(180),
      ticketDeleteDays: z.number().int().min(1).max(36500).default(730),
      conversationArchiveDays: z.number().int().min(1).max(3650).default(180),
      conversationDeleteDays: z.number().int().min(1).max(36500).default(730),
    })
    .default({
      ticketArchiveDays: 180,
      ticketDeleteDays: 730,
      conversationArchiveDays: 180,
      conversationDeleteDays: 730,
    }),
  /** Card numbers are always masked (PCI DSS); these add the other kinds. */
  masking: z
    .strictObject({ accountNumbers: z.boolean().default(true), ibans: z.boolean().default(true) })
    .default({ accountNumbers: true, ibans: true }),
  recordingEnabled: z.boolean().default(false),
  maxUploadMb: z.number().int().min(1).max(100).default(10),
  firstResponseTargetSeconds: z.number().int().min(10).max(86400).default(120),
  autoTicketFromChat: z.boolean().default(false),
  ticketSla: ticketSla.default(defaultTicketSla),
  /** Ask the customer for a rating by email when a chat or ticket is resolved or closed. */
  ratingEmails: z.boolean().default(true),
  callRingTimeoutSeconds: z.number().int().min(10).max(600).default(60),
  /** STUN/TURN servers for voice calls; only a super admin may change them. */
  iceServers: z.array(iceServerSchema).max(10).default([]),
});
export type Settings = z.infer<typeof settingsSchema>;

/** What PATCH /settings accepts: some of the settings, nested objects partially. */
export const settingsPatchSchema = z.strictObject({
  autoAssignment: z.boolean().optional(),
  defaultMaxChats: z.number().int().min(1).max(50).optional(),
  defaultMaxCalls: z.number().int().min(0).max(10).optional(),
  businessHours: settingsSchema.shape.businessHours.unwrap().optional(),
  retention: settingsSchema.shape.retention.unwrap().partial().optional(),
  masking: settingsSchema.shape.masking.unwrap().partial().optional(),
  recordingEnabled: z.boolean().optional(),
  maxUploadMb: z.number().int().min(1).max(100).optional(),
  firstResponseTargetSeconds: z.number().int().min(10).max(86400).optional(),
  autoTicketFromChat: z.boolean().optional(),
  ticketSla: ticketSla.partial().optional(),
  ratingEmails: z.boolean().optional(),
  callRingTimeoutSeconds: z.number().int().min(10).max(600).optional(),
  iceServers: z.array(iceServerSchema).max(10).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export function resolveSettings(stored: unknown): Settings {
  const parsed = settingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : settingsSchema.parse({});
}
