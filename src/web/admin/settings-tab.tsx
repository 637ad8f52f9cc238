import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../lib/api";
import type { TenantSettings } from "../lib/types";
import { Alert, Button, Card, Checkbox, Field, Input, useToast } from "../ui";
import { BusinessHoursEditor } from "./business-hours-editor";
import {
  type NumberKey,
  retentionKeys,
  type SettingsForm,
  settingsPatch,
  type ToggleKey,
  toForm,
} from "./settings-form";

const settingsKey = ["/settings"];

export function SettingsTab() {
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<Partial<TenantSettings>>("/settings"),
  });
  if (settings.isPending) return <p className="muted">Loading settings…</p>;
  if (settings.isError) return <Alert tone="danger">{errorMessage(settings.error)}</Alert>;
  // Keyed on the loaded data so the form starts again from what the server now holds after each save.
  return <SettingsEditor key={JSON.stringify(settings.data)} original={toForm(settings.data)} />;
}

const toggleLabels: Record<ToggleKey, string> = {
  autoAssignment: "Assign new chats automatically to available agents",
  autoTicketFromChat: "Open a ticket automatically from each new chat",
  recordingEnabled: "Record voice calls",
};
const numberLabels: Record<NumberKey, string> = {
  defaultMaxChats: "Default max chats per agent",
  defaultMaxCalls: "Default max calls per agent",
  maxUploadMb: "Max upload size (MB)",
  firstResponseTargetSeconds: "First response target (seconds)",
};
const retentionLabels: Record<(typeof retentionKeys)[number], string> = {
  ticketArchiveDays: "Archive tickets after (days)",
  ticketDeleteDays: "Delete tickets after (days)",
  conversationArchiveDays: "Archive conversations after (days)",
  conversationDeleteDays: "Delete conversations after (days)",
};

function SettingsEditor({ original }: { original: SettingsForm }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState(original);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const save = useMutation({
    mutationFn: (patch: Partial<TenantSettings>) => api.patch<TenantSettings>("/settings", patch),
    onSuccess: (saved) => {
      toast("Settings saved", "success");
      // The answer is the whole resulting settings object, so no second request is needed.
      queryClient.setQueryData(settingsKey, saved);
    },
  });

  const dirty = JSON.stringify(form) !== JSON.stringify(original);
  const errors = { ...fieldErrors(save.error), ...localErrors };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = settingsPatch(original, form);
    setLocalErrors(result.errors);
    if (Object.keys(result.errors).length === 0 && Object.keys(result.patch).length > 0)
      save.mutate(result.patch);
  };

  const numberField = (key: string, label: string, value: string, onChange: (v: string) => void) => (
    <Field key={key} label={label} error={errors[key]} testId={`settings-${key}`}>
      {(p) => (
        <Input
          {...p}
          inputMode="numeric"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={`settings-${key}`}
        />
      )}
    </Field>
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="settings-form">
      <Card title="Routing and capacity">
        <div className="stack">
          {(Object.keys(toggleLabels) as ToggleKey[]).map((key) => (
            <Checkbox
              key={key}
              label={toggleLabels[key]}
              checked={form.toggles[key]}
              onChange={(e) => setForm((f) => ({ ...f, toggles: { ...f.toggles, [key]: e.target.checked } }))}
              data-testid={`settings-${key}`}
            />
          ))}
          <div className="grid">
            {(Object.keys(numberLabels) as NumberKey[]).map((key) =>
              numberField(key, numberLabels[key], form.numbers[key], (v) =>
                setForm((f) => ({ ...f, numbers: { ...f.numbers, [key]: v } })),
              ),
            )}
          </div>
        </div>
      </Card>
      <Card title="Business hours">
        <BusinessHoursEditor
          value={form.businessHours}
          onChange={(businessHours) => setForm((f) => ({ ...f, businessHours }))}
          errors={errors}
        />
      </Card>
      <Card title="Data retention">
        <div className="grid">
          {retentionKeys.map((key) =>
            numberField(`retention.${key}`, retentionLabels[key], form.retention[key], (v) =>
              setForm((f) => ({ ...f, retention: { ...f.retention, [key]: v } })),
            ),
          )}
        </div>
      </Card>
      {save.isError && (
        <Alert tone="danger" testId="settings-error">
          {errorMessage(save.error)}
        </Alert>
      )}
      <div className="row">
        <span className="spacer muted">{dirty ? "You have unsaved changes." : "No changes."}</span>
        <Button onClick={() => setForm(original)} disabled={!dirty} data-testid="settings-reset">
          Discard
        </Button>
        <Button
          type="submit"
          variant="primary"
          disabled={!dirty}
          busy={save.isPending}
          data-testid="settings-save"
        >
          Save settings
        </Button>
      </div>
    </form>
  );
}
