CREATE TABLE "incident_notices" (
	"update_id" integer NOT NULL,
	"request_id" integer NOT NULL,
	"incident_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "incident_notices_update_id_request_id_pk" PRIMARY KEY("update_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "incident_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"incident_id" integer NOT NULL,
	"kind" text NOT NULL,
	"message" jsonb NOT NULL,
	"staff_id" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"area" text NOT NULL,
	"area_label" text NOT NULL,
	"message" jsonb,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"source_key" text,
	"opened_by" integer,
	"closed_by" integer,
	"created_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "area" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "incident_id" integer;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "incident_linked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "incident_notices" ADD CONSTRAINT "incident_notices_update_id_incident_updates_id_fk" FOREIGN KEY ("update_id") REFERENCES "public"."incident_updates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_notices" ADD CONSTRAINT "incident_notices_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_notices" ADD CONSTRAINT "incident_notices_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_updates" ADD CONSTRAINT "incident_updates_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_updates" ADD CONSTRAINT "incident_updates_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_opened_by_staff_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_closed_by_staff_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_notices_request" ON "incident_notices" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "incident_updates_incident" ON "incident_updates" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_updates_once" ON "incident_updates" USING btree ("incident_id","kind") WHERE kind <> 'update';--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_live" ON "incidents" USING btree ("service","area") WHERE status in ('proposed', 'open');--> statement-breakpoint
CREATE INDEX "incidents_status" ON "incidents" USING btree ("status","service");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_source_key" ON "incidents" USING btree ("source_key");--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "requests_area" ON "requests" USING btree ("service","area") WHERE area is not null;--> statement-breakpoint
CREATE INDEX "requests_incident" ON "requests" USING btree ("incident_id") WHERE incident_id is not null;--> statement-breakpoint
CREATE INDEX "requests_area_recent" ON "requests" USING btree ("created_at") WHERE area is not null and incident_id is null;