CREATE TABLE "alert_reports" (
	"request_id" integer PRIMARY KEY NOT NULL,
	"alert_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"name" text NOT NULL,
	"severity" text,
	"receiver" text NOT NULL,
	"status" text NOT NULL,
	"service" text NOT NULL,
	"area" text,
	"request_id" integer,
	"incident_id" integer,
	"owns_incident" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "alert_reports" ADD CONSTRAINT "alert_reports_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_reports" ADD CONSTRAINT "alert_reports_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_reports_alert" ON "alert_reports" USING btree ("alert_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_firing" ON "alerts" USING btree ("fingerprint") WHERE status = 'firing';--> statement-breakpoint
CREATE INDEX "alerts_occurrence" ON "alerts" USING btree ("fingerprint","starts_at");--> statement-breakpoint
CREATE INDEX "alerts_firing_service" ON "alerts" USING btree ("service") WHERE status = 'firing';