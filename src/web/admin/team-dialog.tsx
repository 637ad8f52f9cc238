import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../lib/api";
import type { StaffMember, Team } from "../lib/types";
import { Alert, Button, Checkbox, Dialog, Field, Input, Select, useToast } from "../ui";
import { changedFields } from "./form-values";

export interface TeamDialogProps {
  open: boolean;
  /** null creates a new team. */
  team: Team | null;
  staff: readonly StaffMember[];
  onClose: () => void;
}

export function TeamDialog({ open, team, staff, onClose }: TeamDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={team ? `Edit ${team.name}` : "New team"}
      testId="team-dialog"
    >
      <TeamForm team={team} staff={staff} onDone={onClose} />
    </Dialog>
  );
}

interface TeamFields {
  name: string;
  leadId: string | null;
  memberIds: string[];
}

function TeamForm({
  team,
  staff,
  onDone,
}: {
  team: Team | null;
  staff: readonly StaffMember[];
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const initial: TeamFields = {
    name: team?.name ?? "",
    leadId: team?.leadId ?? null,
    memberIds: team?.memberIds ?? [],
  };
  const [form, setForm] = useState<TeamFields>(initial);

  const save = useMutation({
    mutationFn: () => {
      const next = { ...form, name: form.name.trim() };
      if (!team) return api.post<Team>("/teams", { ...next, leadId: next.leadId ?? undefined });
      return api.patch<Team>(`/teams/${team.id}`, changedFields(initial, next));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["/teams"] });
      // Membership is also shown as each staff member's team.
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
      toast(team ? "Team updated" : "Team created", "success");
      onDone();
    },
  });

  const errors = fieldErrors(save.error);
  const formError = save.error && Object.keys(errors).length === 0 ? errorMessage(save.error) : null;
  const toggleMember = (id: string, on: boolean) =>
    setForm((f) => ({ ...f, memberIds: on ? [...f.memberIds, id] : f.memberIds.filter((m) => m !== id) }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="team-form">
      <Field label="Name" error={errors.name} testId="team-name">
        {(p) => (
          <Input
            {...p}
            value={form.name}
            onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            data-testid="team-name"
          />
        )}
      </Field>
      <Field label="Team lead" error={errors.leadId} testId="team-lead">
        {(p) => (
          <Select
            {...p}
            options={staff.map((s) => ({ value: s.id, label: s.name }))}
            placeholder="No lead"
            value={form.leadId ?? ""}
            onChange={(e) => setForm((f) => ({ ...f, leadId: e.target.value || null }))}
            data-testid="team-lead"
          />
        )}
      </Field>
      <fieldset className="stack" style={{ gap: "0.4rem", border: "none", padding: 0, margin: 0 }}>
        <legend className="field-label">Members</legend>
        {staff.length === 0 && <span className="muted">No staff to add yet.</span>}
        <div className="member-list">
          {staff.map((s) => (
            <Checkbox
              key={s.id}
              label={s.name}
              checked={form.memberIds.includes(s.id)}
              onChange={(e) => toggleMember(s.id, e.target.checked)}
              data-testid={`team-member-${s.email}`}
            />
          ))}
        </div>
        {errors.memberIds && <span className="field-error">{errors.memberIds}</span>}
      </fieldset>
      {formError && (
        <Alert tone="danger" testId="team-form-error">
          {formError}
        </Alert>
      )}
      <div className="dialog-actions">
        <Button onClick={onDone} data-testid="team-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="team-submit">
          {team ? "Save" : "Create"}
        </Button>
      </div>
    </form>
  );
}
