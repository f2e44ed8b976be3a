CREATE TABLE `staff_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`staff_id` integer NOT NULL,
	`csrf` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_sessions_expiry` ON `staff_sessions` (`expires_at`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `handed_off_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handoff_taken_by` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handoff_pickup_due_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `staff_thread` text;--> statement-breakpoint
CREATE INDEX `conversations_pickup_due` ON `conversations` (`handoff_pickup_due_at`) WHERE handoff_pickup_due_at is not null;--> statement-breakpoint
CREATE INDEX `conversations_handoff_queue` ON `conversations` (`handed_off_at`) WHERE handed_off_at is not null;--> statement-breakpoint
CREATE INDEX `conversations_staff_thread` ON `conversations` (`staff_thread`) WHERE staff_thread is not null;--> statement-breakpoint
ALTER TABLE `messages` ADD `author` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `paused_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `sla_stage` text DEFAULT 'warning' NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `sla_next_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `requests` ADD `rating_comment` text;--> statement-breakpoint
CREATE INDEX `requests_sla_next` ON `requests` (`sla_next_at`) WHERE sla_next_at is not null;