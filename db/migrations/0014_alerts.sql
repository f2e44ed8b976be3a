CREATE TABLE `alert_reports` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`alert_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alert_reports_alert` ON `alert_reports` (`alert_id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`fingerprint` text NOT NULL,
	`starts_at` integer NOT NULL,
	`name` text NOT NULL,
	`severity` text,
	`receiver` text NOT NULL,
	`status` text NOT NULL,
	`service` text NOT NULL,
	`area` text,
	`request_id` integer,
	`incident_id` integer,
	`owns_incident` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_firing` ON `alerts` (`fingerprint`) WHERE status = 'firing';--> statement-breakpoint
CREATE INDEX `alerts_occurrence` ON `alerts` (`fingerprint`,`starts_at`);--> statement-breakpoint
CREATE INDEX `alerts_firing_service` ON `alerts` (`service`) WHERE status = 'firing';