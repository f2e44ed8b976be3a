CREATE TABLE `incident_notices` (
	`update_id` integer NOT NULL,
	`request_id` integer NOT NULL,
	`incident_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`update_id`, `request_id`),
	FOREIGN KEY (`update_id`) REFERENCES `incident_updates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_notices_request` ON `incident_notices` (`request_id`);--> statement-breakpoint
CREATE TABLE `incident_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`staff_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_updates_incident` ON `incident_updates` (`incident_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `incident_updates_once` ON `incident_updates` (`incident_id`,`kind`) WHERE kind <> 'update';--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service` text NOT NULL,
	`area` text NOT NULL,
	`area_label` text NOT NULL,
	`message` text,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`source_key` text,
	`opened_by` integer,
	`closed_by` integer,
	`created_at` integer NOT NULL,
	`opened_at` integer,
	`closed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`opened_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_live` ON `incidents` (`service`,`area`) WHERE status in ('proposed', 'open');--> statement-breakpoint
CREATE INDEX `incidents_status` ON `incidents` (`status`,`service`);--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_source_key` ON `incidents` (`source_key`);--> statement-breakpoint
ALTER TABLE `requests` ADD `area` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `incident_id` integer REFERENCES incidents(id);--> statement-breakpoint
ALTER TABLE `requests` ADD `incident_linked_at` integer;--> statement-breakpoint
CREATE INDEX `requests_area` ON `requests` (`service`,`area`) WHERE area is not null;--> statement-breakpoint
CREATE INDEX `requests_incident` ON `requests` (`incident_id`) WHERE incident_id is not null;--> statement-breakpoint
CREATE INDEX `requests_area_recent` ON `requests` (`created_at`) WHERE area is not null and incident_id is null;