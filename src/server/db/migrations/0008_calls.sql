CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"status" text NOT NULL,
	"customer_id" uuid,
	"agent_id" uuid,
	"conversation_id" uuid,
	"queued_at" timestamp with time zone NOT NULL,
	"ringing_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer,
	"quality" real,
	"poor_quality" boolean DEFAULT false NOT NULL,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"end_reason" text,
	"ended_by" uuid,
	"recording_notice_at" timestamp with time zone,
	"recording_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_recording_id_attachments_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."attachments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_waiting" ON "calls" USING btree ("tenant_id","queued_at") WHERE "calls"."status" in ('queued', 'ringing');--> statement-breakpoint
CREATE INDEX "calls_agent_active" ON "calls" USING btree ("tenant_id","agent_id") WHERE "calls"."status" = 'active';--> statement-breakpoint
CREATE INDEX "calls_tenant_created" ON "calls" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "calls_customer" ON "calls" USING btree ("tenant_id","customer_id");--> statement-breakpoint
SELECT app_enable_tenant_rls('calls');
