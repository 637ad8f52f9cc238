import { type Settings, weekdays } from "./settings";

type Hours = NonNullable<Settings["businessHours"]>;
type Weekday = (typeof weekdays)[number];

/** The weekday and "HH:MM" it is at `at` in a time zone. */
function localTime(at: Date, timezone: string): { day: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    day: get("weekday").toLowerCase().slice(0, 3) as Weekday,
    time: `${get("hour")}:${get("minute")}`,
  };
}

/** Whether live support is open at `at`; no business hours means always open. */
export function isOpenAt(hours: Hours | null, at: Date): boolean {
  if (!hours) return true;
  const { day, time } = localTime(at, hours.timezone);
  const today = hours.days[day];
  return !!today && time >= today.open && time < today.close;
}

export const dayNames: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

/**
 * When support next opens, in words a customer understands ("today at 09:00", "Monday at 09:00"), in the
 * tenant's time zone; null when it never opens or is open now.
 */
export function nextOpening(hours: Hours | null, at: Date): string | null {
  if (!hours || isOpenAt(hours, at)) return null;
  const { day, time } = localTime(at, hours.timezone);
  const start = weekdays.indexOf(day);
  for (let i = 0; i < 8; i++) {
    const d = weekdays[(start + i) % 7]!;
    const open = hours.days[d];
    if (!open || (i === 0 && time >= open.open)) continue;
    const when = i === 0 ? "today" : i === 1 ? "tomorrow" : dayNames[d];
    return `${when} at ${open.open} (${hours.timezone})`;
  }
  return null;
}
