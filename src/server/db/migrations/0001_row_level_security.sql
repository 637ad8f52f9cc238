-- The application's queries run as switchboard_app, which owns nothing, so row-level security always applies.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_app') THEN
    CREATE ROLE switchboard_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT switchboard_app TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchboard_app;
--> statement-breakpoint
-- The tenant of the current transaction; NULL when none was set, which matches no row.
CREATE OR REPLACE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid
$$;
--> statement-breakpoint
-- Every tenant-owned table calls this once in its migration.
CREATE OR REPLACE FUNCTION app_enable_tenant_rls(tbl regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO switchboard_app USING (tenant_id = app_tenant_id()) WITH CHECK (tenant_id = app_tenant_id())',
    tbl);
  -- The owner runs migrations and the few system-scope queries (sign-in lookups, platform work). FORCE makes
  -- the policies bind it too when it is not a superuser, so it gets a policy of its own.
  EXECUTE format('DROP POLICY IF EXISTS system_access ON %s', tbl);
  EXECUTE format('CREATE POLICY system_access ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
  EXECUTE format('GRANT %s ON %s TO switchboard_app', privileges, tbl);
END $$;
--> statement-breakpoint
SELECT app_enable_tenant_rls('users');
--> statement-breakpoint
SELECT app_enable_tenant_rls('teams');
--> statement-breakpoint
SELECT app_enable_tenant_rls('sessions');
--> statement-breakpoint
SELECT app_enable_tenant_rls('api_tokens');
--> statement-breakpoint
SELECT app_enable_tenant_rls('idempotency_keys', 'SELECT, INSERT');
--> statement-breakpoint
-- The audit trail is append-only for the application.
SELECT app_enable_tenant_rls('activity', 'SELECT, INSERT');
--> statement-breakpoint
GRANT USAGE, SELECT ON SEQUENCE activity_seq_seq TO switchboard_app;
--> statement-breakpoint
-- A tenant sees only its own row in tenants.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON tenants TO switchboard_app USING (id = app_tenant_id()) WITH CHECK (id = app_tenant_id());
--> statement-breakpoint
DO $$ BEGIN EXECUTE format('CREATE POLICY system_access ON tenants TO %I USING (true) WITH CHECK (true)', current_user); END $$;
--> statement-breakpoint
GRANT SELECT, UPDATE ON tenants TO switchboard_app;
