ALTER TABLE "tenants" ADD COLUMN "widget_secret" text DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_external" ON "users" USING btree ("tenant_id","external_id");