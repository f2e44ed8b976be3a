CREATE TABLE "articles" (
	"id" text PRIMARY KEY NOT NULL,
	"title_sw" text NOT NULL,
	"title_en" text NOT NULL,
	"questions" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"offer" text NOT NULL,
	"retired" boolean DEFAULT false NOT NULL,
	"file_hash" text,
	"edited_by" integer,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"article_id" text NOT NULL,
	"conversation_id" integer,
	"outcome" text DEFAULT 'shown' NOT NULL,
	"shown_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"key" text
);
--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_edited_by_staff_id_fk" FOREIGN KEY ("edited_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_answers" ADD CONSTRAINT "kb_answers_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_answers" ADD CONSTRAINT "kb_answers_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_answers_shown" ON "kb_answers" USING btree ("shown_at");--> statement-breakpoint
CREATE INDEX "kb_answers_outcome" ON "kb_answers" USING btree ("outcome");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_answers_key" ON "kb_answers" USING btree ("key");