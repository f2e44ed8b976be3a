CREATE TABLE "announcement_notices" (
	"announcement_id" integer NOT NULL,
	"kind" text NOT NULL,
	"conversation_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "announcement_notices_announcement_id_kind_conversation_id_pk" PRIMARY KEY("announcement_id","kind","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "announcement_subscriptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"area" text NOT NULL,
	"area_label" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "announcements" (
	"id" serial PRIMARY KEY NOT NULL,
	"area" text NOT NULL,
	"area_label" text NOT NULL,
	"day" text NOT NULL,
	"from_time" text NOT NULL,
	"to_time" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"tell_at" timestamp with time zone NOT NULL,
	"reason" jsonb NOT NULL,
	"status" text NOT NULL,
	"created_by" integer,
	"cancelled_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"before_done_at" timestamp with time zone,
	"ended_done_at" timestamp with time zone,
	"cancel_done_at" timestamp with time zone,
	"paced_until" jsonb
);
--> statement-breakpoint
ALTER TABLE "announcement_notices" ADD CONSTRAINT "announcement_notices_announcement_id_announcements_id_fk" FOREIGN KEY ("announcement_id") REFERENCES "public"."announcements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_notices" ADD CONSTRAINT "announcement_notices_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_subscriptions" ADD CONSTRAINT "announcement_subscriptions_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_cancelled_by_staff_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "announcement_notices_chat" ON "announcement_notices" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "announcement_subscriptions_chat_area" ON "announcement_subscriptions" USING btree ("conversation_id","area");--> statement-breakpoint
CREATE INDEX "announcement_subscriptions_area" ON "announcement_subscriptions" USING btree ("area");--> statement-breakpoint
CREATE INDEX "announcements_ends" ON "announcements" USING btree ("status","ends_at");