CREATE TABLE `articles` (
	`id` text PRIMARY KEY NOT NULL,
	`title_sw` text NOT NULL,
	`title_en` text NOT NULL,
	`questions` text NOT NULL,
	`steps` text NOT NULL,
	`offer` text NOT NULL,
	`retired` integer DEFAULT false NOT NULL,
	`file_hash` text,
	`edited_by` integer,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`edited_by`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `kb_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`article_id` text NOT NULL,
	`conversation_id` integer,
	`outcome` text DEFAULT 'shown' NOT NULL,
	`shown_at` integer NOT NULL,
	`answered_at` integer,
	`key` text,
	FOREIGN KEY (`article_id`) REFERENCES `articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_answers_shown` ON `kb_answers` (`shown_at`);--> statement-breakpoint
CREATE INDEX `kb_answers_outcome` ON `kb_answers` (`outcome`);--> statement-breakpoint
CREATE UNIQUE INDEX `kb_answers_key` ON `kb_answers` (`key`);