CREATE TABLE `canned_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`text_sw` text NOT NULL,
	`text_en` text NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `handoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer,
	`person_id` integer NOT NULL,
	`text` text,
	`requested_at` integer NOT NULL,
	`taken_by` text,
	`taken_at` integer,
	`ended_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `handoffs_conversation` ON `handoffs` (`conversation_id`,`requested_at`);--> statement-breakpoint
ALTER TABLE `requests` ADD `assignee_id` integer REFERENCES staff(id);--> statement-breakpoint
ALTER TABLE `requests` ADD `team` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `about_request_id` integer;--> statement-breakpoint
CREATE INDEX `requests_assignee` ON `requests` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `requests_team` ON `requests` (`team`,`status`);--> statement-breakpoint
ALTER TABLE `staff` ADD `locale` text DEFAULT 'sw' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `team` text;--> statement-breakpoint
ALTER TABLE `staff` ADD `telegram_user_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `staff_telegram` ON `staff` (`telegram_user_id`);--> statement-breakpoint
INSERT INTO handoffs (conversation_id, person_id, text, requested_at) SELECT conversation_id, person_id, text, created_at FROM notices WHERE kind = 'handoff_wish';--> statement-breakpoint
DELETE FROM notices WHERE kind = 'handoff_wish';
