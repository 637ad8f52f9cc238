ALTER TABLE "idempotency_keys" ADD COLUMN "request_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The first request's row is written before it runs and completed (or removed) after.
GRANT UPDATE, DELETE ON idempotency_keys TO switchboard_app;
