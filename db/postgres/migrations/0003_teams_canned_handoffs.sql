CREATE TABLE "canned_replies" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"text_sw" text NOT NULL,
	"text_en" text NOT NULL,
	"updated_by" integer,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handoffs" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer,
	"person_id" integer NOT NULL,
	"text" text,
	"requested_at" timestamp with time zone NOT NULL,
	"taken_by" text,
	"taken_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "assignee_id" integer;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "team" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "about_request_id" integer;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "locale" text DEFAULT 'sw' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "team" text;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "telegram_user_id" text;--> statement-breakpoint
ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoffs" ADD CONSTRAINT "handoffs_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handoffs_conversation" ON "handoffs" USING btree ("conversation_id","requested_at");--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_assignee_id_staff_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "requests_assignee" ON "requests" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "requests_team" ON "requests" USING btree ("team","status");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_telegram" ON "staff" USING btree ("telegram_user_id");--> statement-breakpoint
INSERT INTO handoffs (conversation_id, person_id, text, requested_at) SELECT conversation_id, person_id, text, created_at FROM notices WHERE kind = 'handoff_wish';--> statement-breakpoint
DELETE FROM notices WHERE kind = 'handoff_wish';
