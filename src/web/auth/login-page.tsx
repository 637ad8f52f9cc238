import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router-dom";
import { api, errorMessage, fieldErrors } from "../lib/api";
import { fetchMe, landingPath, meKey, useMe } from "../lib/me";
import type { User } from "../lib/types";
import { Alert, Button, Field, Input } from "../ui";
import { AuthLayout } from "./auth-layout";

export function LoginPage() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const me = useMe();
  const [tenant, setTenant] = useState(params.get("tenant") ?? "");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  const login = useMutation({
    mutationFn: async () => {
      await api.post<{ user: User; token: string }>("/auth/login", {
        // A super admin has no tenant: the field is left out rather than sent empty.
        tenant: tenant.trim() || undefined,
        email: email.trim(),
        password,
      });
      // Load /me before leaving, so the next page opens with the user already known.
      return queryClient.fetchQuery({ queryKey: meKey, queryFn: fetchMe, staleTime: 0 });
    },
  });

  // Signed in (now, or from an earlier visit): go where the user was heading, if their role may go there.
  // isSuccess, not data: after a session ends the last user stays cached next to the 401.
  if (me.isSuccess) return <Navigate replace to={landingPath(me.data.user.role, params.get("next"))} />;

  const errors = fieldErrors(login.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };

  return (
    <AuthLayout title="Sign in" testId="login-page">
      <form className="stack" onSubmit={onSubmit} noValidate data-testid="login-form">
        <Field
          label="Organisation"
          hint="Your organisation's short name, e.g. acme. Leave empty for a platform account."
          error={errors.tenant}
          testId="login-tenant"
        >
          {(p) => (
            <Input
              {...p}
              name="tenant"
              autoComplete="organization"
              value={tenant}
              onChange={(e) => setTenant(e.target.value)}
              data-testid="login-tenant"
            />
          )}
        </Field>
        <Field label="Email" error={errors.email} testId="login-email">
          {(p) => (
            <Input
              {...p}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="login-email"
            />
          )}
        </Field>
        <Field label="Password" error={errors.password} testId="login-password">
          {(p) => (
            <Input
              {...p}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
            />
          )}
        </Field>
        {login.isError && (
          <Alert tone="danger" testId="login-error">
            {errorMessage(login.error)}
          </Alert>
        )}
        <Button type="submit" variant="primary" block busy={login.isPending} data-testid="login-submit">
          Sign in
        </Button>
        <p className="muted">
          New customer?{" "}
          <Link
            to={`/signup${tenant.trim() ? `?tenant=${encodeURIComponent(tenant.trim())}` : ""}`}
            data-testid="login-signup-link"
          >
            Create an account
          </Link>
        </p>
      </form>
    </AuthLayout>
  );
}
