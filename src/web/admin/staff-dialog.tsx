import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { rank, staffRoles } from "../../protocol/roles";
import { api, errorMessage, fieldErrors, isApiError } from "../lib/api";
import { availabilityOptions, roleLabels } from "../lib/labels";
import { hasPermission } from "../lib/me";
import type { StaffMember, Team } from "../lib/types";
import { useSignedIn } from "../shell/signed-in";
import { Alert, Button, Dialog, Field, Input, Select, useToast } from "../ui";
import { initialForm, LocalErrors, type StaffForm, toBody } from "./staff-form";

type Saved = StaffMember & { temporaryPassword?: string };

export interface StaffDialogProps {
  open: boolean;
  /** null adds a new member. */
  member: StaffMember | null;
  teams: readonly Team[];
  onClose: () => void;
}

export function StaffDialog({ open, member, teams, onClose }: StaffDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={member ? `Edit ${member.name}` : "Add staff member"}
      testId="staff-dialog"
    >
      <StaffFormBody member={member} teams={teams} onDone={onClose} />
    </Dialog>
  );
}

function StaffFormBody({
  member,
  teams,
  onDone,
}: {
  member: StaffMember | null;
  teams: readonly Team[];
  onDone: () => void;
}) {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState(() => initialForm(member));
  const set = <K extends keyof StaffForm>(key: K, value: StaffForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const save = useMutation({
    mutationFn: async (): Promise<Saved> => {
      const body = toBody(form, member);
      if (!member) return api.post<Saved>("/staff", body);
      if (Object.keys(body).length === 0) return member;
      return api.patch<Saved>(`/staff/${member.id}`, body);
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ["/staff"] });
      toast(member ? "Staff member updated" : "Staff member added", "success");
      // A generated password is shown once, so the dialog stays open until the admin has copied it.
      if (!saved.temporaryPassword) onDone();
    },
  });

  if (save.data?.temporaryPassword) {
    return <TemporaryPassword member={save.data} password={save.data.temporaryPassword} onDone={onDone} />;
  }

  const err = save.error;
  const errors: Record<string, string> = err instanceof LocalErrors ? err.fields : fieldErrors(err);
  if (isApiError(err, 409)) errors.email = "This email is already registered.";
  const availabilityError =
    errors.availability ?? errors["availability.status"] ?? errors["availability.until"];
  const formError = err && Object.keys(errors).length === 0 ? errorMessage(err) : null;

  // Nobody may hand out a role above their own; without staff.role the role is shown but fixed.
  const roleOptions = staffRoles
    .filter((r) => rank(r) <= rank(me.user.role))
    .map((r) => ({ value: r, label: roleLabels[r] }));
  const canChangeRole = !member || hasPermission(me, "staff.role");
  const teamOptions = teams.map((t) => ({ value: t.id, label: t.name }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const text = (
    key: "email" | "name" | "password" | "maxChats" | "maxCalls",
    label: string,
    type = "text",
    hint?: string,
  ) => (
    <Field label={label} hint={hint} error={errors[key]} testId={`staff-${key}`}>
      {(p) => (
        <Input
          {...p}
          type={type}
          inputMode={key.startsWith("max") ? "numeric" : undefined}
          value={form[key]}
          onChange={(e) => set(key, e.target.value)}
          placeholder={key.startsWith("max") && !member ? "Tenant default" : undefined}
          data-testid={`staff-${key}`}
        />
      )}
    </Field>
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="staff-form">
      {!member && text("email", "Email", "email")}
      {text("name", "Name")}
      <Field label="Role" error={errors.role} testId="staff-role">
        {(p) => (
          <Select
            {...p}
            options={roleOptions}
            value={form.role}
            disabled={!canChangeRole}
            onChange={(e) =>
              set("role", roleOptions.find((o) => o.value === e.target.value)?.value ?? form.role)
            }
            data-testid="staff-role"
          />
        )}
      </Field>
      {!member && text("password", "Initial password", "password", "Leave empty to generate one.")}
      <div className="grid">
        {text("maxChats", "Max chats")}
        {text("maxCalls", "Max calls")}
      </div>
      <Field label="Team" error={errors.teamId} testId="staff-team">
        {(p) => (
          <Select
            {...p}
            options={teamOptions}
            placeholder="No team"
            value={form.teamId}
            onChange={(e) => set("teamId", e.target.value)}
            data-testid="staff-team"
          />
        )}
      </Field>
      {member && (
        <Field label="Availability" error={availabilityError} testId="staff-availability">
          {(p) => (
            <Select
              {...p}
              options={availabilityOptions}
              value={form.availability}
              onChange={(e) =>
                set(
                  "availability",
                  availabilityOptions.find((o) => o.value === e.target.value)?.value ?? "offline",
                )
              }
              data-testid="staff-availability"
            />
          )}
        </Field>
      )}
      {formError && (
        <Alert tone="danger" testId="staff-form-error">
          {formError}
        </Alert>
      )}
      <div className="dialog-actions">
        <Button onClick={onDone} data-testid="staff-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="staff-submit">
          {member ? "Save" : "Add"}
        </Button>
      </div>
    </form>
  );
}

function TemporaryPassword({
  member,
  password,
  onDone,
}: {
  member: StaffMember;
  password: string;
  onDone: () => void;
}) {
  return (
    <div className="stack" data-testid="staff-temporary-password">
      <p>{member.name} can sign in with this temporary password. It is shown only now: pass it on safely.</p>
      <code className="secret" data-testid="staff-temporary-password-value">
        {password}
      </code>
      <div className="dialog-actions">
        <Button variant="primary" onClick={onDone} data-testid="staff-temporary-password-done">
          Done
        </Button>
      </div>
    </div>
  );
}
