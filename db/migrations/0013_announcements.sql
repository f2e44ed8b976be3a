CREATE TABLE `announcement_notices` (
	`announcement_id` integer NOT NULL,
	`kind` text NOT NULL,
	`conversation_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`announcement_id`, `kind`, `conversation_id`),
	FOREIGN KEY (`announcement_id`) REFERENCES `announcements`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `announcement_notices_chat` ON `announcement_notices` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `announcement_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`area` text NOT NULL,
	`area_label` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `announcement_subscriptions_chat_area` ON `announcement_subscriptions` (`conversation_id`,`area`);--> statement-breakpoint
CREATE INDEX `announcement_subscriptions_area` ON `announcement_subscriptions` (`area`);--> statement-breakpoint
CREATE TABLE `announcements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`area` text NOT NULL,
	`area_label` text NOT NULL,
	`day` text NOT NULL,
	`from_time` text NOT NULL,
	`to_time` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`tell_at` integer NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`created_by` integer,
	`cancelled_by` integer,
	`created_at` integer NOT NULL,
	`cancelled_at` integer,
	`updated_at` integer NOT NULL,
	`before_done_at` integer,
	`ended_done_at` integer,
	`cancel_done_at` integer,
	`paced_until` text,
	FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `announcements_ends` ON `announcements` (`status`,`ends_at`);