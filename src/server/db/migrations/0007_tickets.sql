CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid,
	"assignee_id" uuid,
	"team_id" uuid,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"source" text DEFAULT 'form' NOT NULL,
	"rating" integer,
	"feedback" text,
	"rated_at" timestamp with time zone,
	"first_response_due_at" timestamp with time zone,
	"sla_due_at" timestamp with time zone,
	"sla_paused_at" timestamp with time zone,
	"sla_paused_seconds" integer DEFAULT 0 NOT NULL,
	"sla_breached_at" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"assigned_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', subject || ' ' || description)) STORED
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_tenant_number" ON "tickets" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_conversation" ON "tickets" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "tickets_tenant_activity" ON "tickets" USING btree ("tenant_id","last_activity_at");--> statement-breakpoint
CREATE INDEX "tickets_tenant_status" ON "tickets" USING btree ("tenant_id","status","last_activity_at");--> statement-breakpoint
CREATE INDEX "tickets_tenant_assignee" ON "tickets" USING btree ("tenant_id","assignee_id","last_activity_at");--> statement-breakpoint
CREATE INDEX "tickets_tenant_customer" ON "tickets" USING btree ("tenant_id","customer_id","last_activity_at");--> statement-breakpoint
CREATE INDEX "tickets_search" ON "tickets" USING gin ("search");--> statement-breakpoint
CREATE INDEX "tickets_sla_open" ON "tickets" USING btree ("tenant_id","sla_due_at") WHERE "tickets"."sla_breached_at" is null and "tickets"."status" not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_tenant_created" ON "tickets" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_retention" ON "tickets" USING btree ("tenant_id","status","archived_at");--> statement-breakpoint
CREATE INDEX "activity_tenant_created" ON "activity" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_tenant_created" ON "conversations" USING btree ("tenant_id","created_at");--> statement-breakpoint
SELECT app_enable_tenant_rls('tickets');
