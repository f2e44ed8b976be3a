CREATE TABLE `whatsapp_auth` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `whatsapp_messages` (
	`remote_jid` text NOT NULL,
	`message_id` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`remote_jid`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `whatsapp_messages_created` ON `whatsapp_messages` (`created_at`);