import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router-dom";
import { api, errorMessage, fieldErrors, isApiError } from "../lib/api";
import { fetchMe, homePath, meKey, useMe } from "../lib/me";
import type { User } from "../lib/types";
import { Alert, Button, Field, Input } from "../ui";
import { AuthLayout } from "./auth-layout";

type SignupField = "tenant" | "name" | "email" | "password";

/** Maps the server's answer onto the form: which field is wrong, or a sentence for the whole form. */
function signupErrors(err: unknown): { fields: Partial<Record<SignupField, string>>; form: string | null } {
  if (!err) return { fields: {}, form: null };
  if (isApiError(err, 409)) return { fields: { email: "This email is already registered." }, form: null };
  if (isApiError(err, 404)) return { fields: { tenant: "No organisation with this name." }, form: null };
  const fields = fieldErrors(err);
  return { fields, form: Object.keys(fields).length > 0 ? null : errorMessage(err) };
}

export function SignupPage() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const me = useMe();
  const [form, setForm] = useState<Record<SignupField, string>>({
    tenant: params.get("tenant") ?? "",
    name: "",
    email: "",
    password: "",
  });

  const signup = useMutation({
    mutationFn: async () => {
      await api.post<{ user: User; token: string }>("/auth/signup", {
        tenant: form.tenant.trim(),
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
      });
      return queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
    },
  });

  if (me.isSuccess) return <Navigate replace to={homePath(me.data.user.role)} />;

  const errors = signupErrors(signup.error);
  const set = (field: SignupField) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    signup.mutate();
  };
  const inputs: { field: SignupField; label: string; type: string; autoComplete: string; hint?: string }[] = [
    { field: "tenant", label: "Organisation", type: "text", autoComplete: "organization", hint: "e.g. acme" },
    { field: "name", label: "Full name", type: "text", autoComplete: "name" },
    { field: "email", label: "Email", type: "email", autoComplete: "email" },
    { field: "password", label: "Password", type: "password", autoComplete: "new-password" },
  ];

  return (
    <AuthLayout title="Create your account" testId="signup-page">
      <form className="stack" onSubmit={onSubmit} noValidate data-testid="signup-form">
        {inputs.map(({ field, label, type, autoComplete, hint }) => (
          <Field
            key={field}
            label={label}
            hint={hint}
            error={errors.fields[field]}
            testId={`signup-${field}`}
          >
            {(p) => (
              <Input
                {...p}
                name={field}
                type={type}
                autoComplete={autoComplete}
                required
                value={form[field]}
                onChange={set(field)}
                data-testid={`signup-${field}`}
              />
            )}
          </Field>
        ))}
        {errors.form && (
          <Alert tone="danger" testId="signup-error">
            {errors.form}
          </Alert>
        )}
        <Button type="submit" variant="primary" block busy={signup.isPending} data-testid="signup-submit">
          Create account
        </Button>
        <p className="muted">
          Already have an account?{" "}
          <Link
            to={`/login${form.tenant.trim() ? `?tenant=${encodeURIComponent(form.tenant.trim())}` : ""}`}
            data-testid="signup-login-link"
          >
            Sign in
          </Link>
        </p>
      </form>
    </AuthLayout>
  );
}
