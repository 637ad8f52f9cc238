import { dayNames } from "../../protocol/business-hours";
import type { DayHours, WeekDay } from "../lib/types";
import { weekDays } from "../lib/types";
import { Checkbox, Field, Input } from "../ui";
import type { SettingsForm } from "./settings-form";

const defaultHours = { open: "09:00", close: "17:00" };

type Hours = SettingsForm["businessHours"];

export interface BusinessHoursEditorProps {
  value: Hours;
  onChange: (next: Hours) => void;
  errors: Record<string, string>;
}

/** One row per day: closed, or open between two times in the tenant's timezone. */
export function BusinessHoursEditor({ value, onChange, errors }: BusinessHoursEditorProps) {
  return (
    <div className="stack" data-testid="business-hours">
      <Checkbox
        label="Only offer live support during business hours"
        checked={value.limited}
        onChange={(e) => onChange({ ...value, limited: e.target.checked })}
        data-testid="settings-business-hours-limited"
      />
      {!value.limited && <p className="muted">Support is open around the clock.</p>}
      {value.limited && <HoursTable value={value} onChange={onChange} errors={errors} />}
    </div>
  );
}

function HoursTable({ value, onChange, errors }: BusinessHoursEditorProps) {
  const setDay = (day: WeekDay, hours: DayHours) =>
    onChange({ ...value, days: { ...value.days, [day]: hours } });
  return (
    <>
      <Field
        label="Timezone"
        hint="An IANA name such as Europe/London"
        error={errors["businessHours.timezone"]}
        testId="settings-timezone"
      >
        {(p) => (
          <Input
            {...p}
            value={value.timezone}
            onChange={(e) => onChange({ ...value, timezone: e.target.value })}
            data-testid="settings-timezone"
          />
        )}
      </Field>
      <div className="hours-grid">
        {weekDays.map((day) => {
          const hours = value.days[day];
          const error = errors[`businessHours.days.${day}`];
          return (
            <div key={day} className="hours-row" data-testid={`hours-${day}`}>
              <Checkbox
                label={dayNames[day]}
                checked={hours !== null}
                onChange={(e) => setDay(day, e.target.checked ? defaultHours : null)}
                data-testid={`hours-${day}-open`}
              />
              {hours ? (
                <span className="row">
                  <Input
                    type="time"
                    aria-label={`${dayNames[day]} opens`}
                    value={hours.open}
                    onChange={(e) => setDay(day, { ...hours, open: e.target.value })}
                    data-testid={`hours-${day}-from`}
                    style={{ width: "8rem" }}
                  />
                  <span aria-hidden="true">–</span>
                  <Input
                    type="time"
                    aria-label={`${dayNames[day]} closes`}
                    value={hours.close}
                    onChange={(e) => setDay(day, { ...hours, close: e.target.value })}
                    data-testid={`hours-${day}-to`}
                    style={{ width: "8rem" }}
                  />
                </span>
              ) : (
                <span className="muted">Closed</span>
              )}
              {error && <span className="field-error">{error}</span>}
            </div>
          );
        })}
      </div>
    </>
  );
}
