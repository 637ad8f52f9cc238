import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router-dom";
import {
  daysBetween,
  defaultInterval,
  intervalProblem,
  maxReportDays,
  type ReportInterval,
  reportIntervals,
} from "../../protocol/reports";
import { Button, Field, Input, Select } from "../ui";
import { addDays, localToday } from "./dashboard-format";

export interface DateRange {
  from: string;
  to: string;
  interval: ReportInterval;
}

const presets = [7, 30, 90] as const;
const intervalLabels: Record<ReportInterval, string> = { day: "By day", week: "By week", month: "By month" };
const isDate = (s: string | null): s is string =>
  !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));

export function presetRange(days: number, today = localToday()): DateRange {
  return { from: addDays(today, -(days - 1)), to: today, interval: defaultInterval(days) };
}

/** What is wrong with a custom range, field by field, by the same rules as the server (protocol/reports.ts). */
export function rangeErrors(r: {
  from: string;
  to: string;
  interval: ReportInterval | "";
}): Record<string, string> {
  if (!isDate(r.from)) return { from: "must be a date" };
  if (!isDate(r.to)) return { to: "must be a date" };
  if (r.from > r.to) return { from: "must be on or before the end" };
  const days = daysBetween(r.from, r.to);
  if (days > maxReportDays) return { to: `must be at most ${maxReportDays} days after the start` };
  const problem = r.interval ? intervalProblem(r.interval, days) : null;
  return problem ? { interval: problem } : {};
}

/** The range in the address (?from&to&interval), so a view can be bookmarked; the last 30 days otherwise. */
export function useDateRange(): [DateRange, (r: DateRange) => void] {
  const [params, setParams] = useSearchParams();
  const from = params.get("from");
  const to = params.get("to");
  const interval = params.get("interval") as ReportInterval | null;
  let range = presetRange(30);
  if (isDate(from) && isDate(to)) {
    const chosen =
      interval && reportIntervals.includes(interval) ? interval : defaultInterval(daysBetween(from, to));
    if (!Object.keys(rangeErrors({ from, to, interval: chosen })).length)
      range = { from, to, interval: chosen };
  }
  return [range, (r) => setParams({ from: r.from, to: r.to, interval: r.interval }, { replace: true })];
}

/** Presets of 7, 30 and 90 days up to today, or any range of days with the interval the charts use. */
export function RangeFilter({ value, onChange }: { value: DateRange; onChange: (r: DateRange) => void }) {
  const active = presets.find((n) => {
    const p = presetRange(n);
    return p.from === value.from && p.to === value.to && p.interval === value.interval;
  });
  const [custom, setCustom] = useState(active === undefined);
  const [draft, setDraft] = useState<{ from: string; to: string; interval: ReportInterval | "" }>({
    from: value.from,
    to: value.to,
    interval: value.interval,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const found = rangeErrors(draft);
    setErrors(found);
    if (Object.keys(found).length) return;
    const interval = draft.interval || defaultInterval(daysBetween(draft.from, draft.to));
    onChange({ from: draft.from, to: draft.to, interval });
  };

  return (
    <div className="dashboard-range" data-testid="dashboard-range">
      <fieldset className="dashboard-presets">
        <legend className="visually-hidden">Period</legend>
        {presets.map((n) => (
          <Button
            key={n}
            size="sm"
            variant={active === n && !custom ? "primary" : "secondary"}
            aria-pressed={active === n && !custom}
            data-testid={`dashboard-preset-${n}`}
            onClick={() => {
              setCustom(false);
              setErrors({});
              onChange(presetRange(n));
            }}
          >
            Last {n} days
          </Button>
        ))}
        <Button
          size="sm"
          variant={custom ? "primary" : "secondary"}
          aria-pressed={custom}
          aria-expanded={custom}
          data-testid="dashboard-preset-custom"
          onClick={() => setCustom(true)}
        >
          Custom
        </Button>
      </fieldset>
      {custom && (
        <form className="dashboard-custom" onSubmit={apply} noValidate data-testid="dashboard-custom">
          <Field label="From" error={errors.from} testId="dashboard-from">
            {(p) => (
              <Input
                {...p}
                type="date"
                value={draft.from}
                data-testid="dashboard-from"
                onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              />
            )}
          </Field>
          <Field label="To" error={errors.to} testId="dashboard-to">
            {(p) => (
              <Input
                {...p}
                type="date"
                value={draft.to}
                data-testid="dashboard-to"
                onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              />
            )}
          </Field>
          <Field label="Interval" error={errors.interval} testId="dashboard-interval">
            {(p) => (
              <Select
                {...p}
                value={draft.interval}
                placeholder="Automatic"
                options={reportIntervals.map((i) => ({ value: i, label: intervalLabels[i] }))}
                data-testid="dashboard-interval"
                onChange={(e) => setDraft({ ...draft, interval: e.target.value as ReportInterval | "" })}
              />
            )}
          </Field>
          <Button type="submit" variant="primary" data-testid="dashboard-apply">
            Apply
          </Button>
        </form>
      )}
    </div>
  );
}
