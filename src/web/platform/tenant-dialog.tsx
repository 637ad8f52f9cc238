import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, errorMessage, fieldErrors, isApiError } from "../lib/api";
import type { Tenant } from "../lib/types";
import { Alert, Button, Checkbox, Dialog, Field, Input, useToast } from "../ui";

type TenantField = "slug" | "name" | "adminEmail" | "adminName" | "adminPassword";

export interface TenantDialogProps {
  open: boolean;
  /** null creates a tenant; otherwise only its name can change (the slug is in people's sign-in links). */
  tenant: Tenant | null;
  onClose: () => void;
}

export function TenantDialog({ open, tenant, onClose }: TenantDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={tenant ? `Rename ${tenant.name}` : "New tenant"}
      testId="tenant-dialog"
    >
      <TenantForm tenant={tenant} onDone={onClose} />
    </Dialog>
  );
}

function TenantForm({ tenant, onDone }: { tenant: Tenant | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<Record<TenantField, string>>({
    slug: "",
    name: tenant?.name ?? "",
    adminEmail: "",
    adminName: "",
    adminPassword: "",
  });
  const [withAdmin, setWithAdmin] = useState(true);

  const save = useMutation({
    mutationFn: () => {
      if (tenant) return api.patch<Tenant>(`/tenants/${tenant.id}`, { name: form.name.trim() });
      const admin = withAdmin
        ? { email: form.adminEmail.trim(), name: form.adminName.trim(), password: form.adminPassword }
        : undefined;
      return api.post<Tenant>("/tenants", { slug: form.slug.trim(), name: form.name.trim(), admin });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["/tenants"] });
      toast(tenant ? "Tenant renamed" : "Tenant created", "success");
      onDone();
    },
  });

  // Nested admin fields come back as "admin.email"; they are shown on the flat inputs here.
  const raw = fieldErrors(save.error);
  const errors: Partial<Record<TenantField, string>> = {
    slug: raw.slug ?? (isApiError(save.error, 409) ? "This short name is taken." : undefined),
    name: raw.name,
    adminEmail: raw["admin.email"],
    adminName: raw["admin.name"],
    adminPassword: raw["admin.password"],
  };
  const shown = Object.values(errors).some(Boolean);
  const formError = save.error && !shown ? errorMessage(save.error) : null;

  const input = (field: TenantField, label: string, type = "text", hint?: string) => (
    <Field label={label} hint={hint} error={errors[field]} testId={`tenant-field-${field}`}>
      {(p) => (
        <Input
          {...p}
          type={type}
          value={form[field]}
          onChange={(e) => setForm((f) => ({ ...f, [field]: e.target.value }))}
          data-testid={`tenant-field-${field}`}
        />
      )}
    </Field>
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="tenant-form">
      {!tenant &&
        input("slug", "Short name", "text", "Lower-case letters, digits and dashes; used to sign in")}
      {input("name", "Name")}
      {!tenant && (
        <Checkbox
          label="Create the first administrator"
          checked={withAdmin}
          onChange={(e) => setWithAdmin(e.target.checked)}
          data-testid="tenant-with-admin"
        />
      )}
      {!tenant && withAdmin && (
        <>
          {input("adminName", "Admin name")}
          {input("adminEmail", "Admin email", "email")}
          {input("adminPassword", "Admin password", "password")}
        </>
      )}
      {formError && (
        <Alert tone="danger" testId="tenant-form-error">
          {formError}
        </Alert>
      )}
      <div className="dialog-actions">
        <Button onClick={onDone} data-testid="tenant-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={save.isPending} data-testid="tenant-submit">
          {tenant ? "Save" : "Create"}
        </Button>
      </div>
    </form>
  );
}
