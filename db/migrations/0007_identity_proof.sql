CREATE TABLE `phone_proofs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`phone` text NOT NULL,
	`channel` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `phone_proofs_conversation` ON `phone_proofs` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `phone_proofs_phone` ON `phone_proofs` (`phone`,`created_at`);--> statement-breakpoint
/*
 * A number typed in a chat form used to make the chat's person (web chat, Telegram) the owner of that number: the
 * number's USSD, SMS and WhatsApp identities were attached to them on its first call, and with them the owner's
 * requests. Those joins are undone here. A person with an identity on a chat channel and identities of a phone
 * number (only such a join made that) gets the number's identities moved to a new person of the number's own,
 * with the conversations on those channels from that number, the requests filed in them and their notices;
 * each request moved gets an event saying so. people.phone keeps only numbers the person's identities prove.
 */
CREATE TABLE `identity_splits` (
	`id` integer PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`digits` text NOT NULL,
	`new_person_id` integer
);
--> statement-breakpoint
INSERT INTO `identity_splits` (`person_id`, `digits`)
SELECT DISTINCT i.`person_id`,
	CASE i.`channel` WHEN 'whatsapp' THEN substr(i.`external_id`, 1, length(i.`external_id`) - 15) WHEN 'whatsapp_cloud' THEN i.`external_id` ELSE substr(i.`external_id`, 2) END
FROM `identities` i
WHERE ((i.`channel` IN ('ussd', 'sms') AND i.`external_id` LIKE '+%') OR (i.`channel` = 'whatsapp' AND i.`external_id` LIKE '%@s.whatsapp.net') OR i.`channel` = 'whatsapp_cloud')
	AND EXISTS (SELECT 1 FROM `identities` o WHERE o.`person_id` = i.`person_id` AND o.`channel` NOT IN ('ussd', 'sms', 'whatsapp', 'whatsapp_cloud'))
ORDER BY 1, 2;
--> statement-breakpoint
UPDATE `identity_splits` SET `new_person_id` = `id` + (SELECT max(n) FROM (SELECT coalesce(max(`id`), 0) AS n FROM `people` UNION ALL SELECT coalesce(max(`seq`), 0) FROM `sqlite_sequence` WHERE `name` = 'people'));
--> statement-breakpoint
INSERT INTO `people` (`id`, `locale`, `name`, `phone`, `email`, `created_at`)
SELECT s.`new_person_id`, p.`locale`, NULL, '+' || s.`digits`, NULL, p.`created_at` FROM `identity_splits` s JOIN `people` p ON p.`id` = s.`person_id` ORDER BY s.`id`;
--> statement-breakpoint
UPDATE `conversations` SET `person_id` = (
	SELECT s.`new_person_id` FROM `identity_splits` s WHERE s.`person_id` = `conversations`.`person_id`
		AND s.`digits` = CASE `conversations`.`channel` WHEN 'whatsapp' THEN substr(`conversations`.`chat_id`, 1, length(`conversations`.`chat_id`) - 15) WHEN 'whatsapp_cloud' THEN `conversations`.`chat_id` ELSE substr(`conversations`.`chat_id`, 2) END
)
WHERE `channel` IN ('ussd', 'sms', 'whatsapp', 'whatsapp_cloud') AND EXISTS (
	SELECT 1 FROM `identity_splits` s WHERE s.`person_id` = `conversations`.`person_id`
		AND s.`digits` = CASE `conversations`.`channel` WHEN 'whatsapp' THEN substr(`conversations`.`chat_id`, 1, length(`conversations`.`chat_id`) - 15) WHEN 'whatsapp_cloud' THEN `conversations`.`chat_id` ELSE substr(`conversations`.`chat_id`, 2) END
);
--> statement-breakpoint
UPDATE `requests` SET `person_id` = (SELECT c.`person_id` FROM `conversations` c WHERE c.`id` = `requests`.`conversation_id`)
WHERE `conversation_id` IN (SELECT c.`id` FROM `conversations` c JOIN `identity_splits` s ON s.`new_person_id` = c.`person_id`);
--> statement-breakpoint
UPDATE `notices` SET `person_id` = (SELECT c.`person_id` FROM `conversations` c WHERE c.`id` = `notices`.`conversation_id`)
WHERE `conversation_id` IN (SELECT c.`id` FROM `conversations` c JOIN `identity_splits` s ON s.`new_person_id` = c.`person_id`);
--> statement-breakpoint
INSERT INTO `request_events` (`request_id`, `at`, `actor`, `kind`, `note`, `data`)
SELECT r.`id`, CAST(strftime('%s', 'now') AS INTEGER) * 1000, 'system', 'identity_split', NULL, json_object('from', s.`person_id`, 'into', s.`new_person_id`, 'phone', '+' || s.`digits`)
FROM `requests` r JOIN `identity_splits` s ON s.`new_person_id` = r.`person_id` ORDER BY r.`id`;
--> statement-breakpoint
UPDATE `identities` SET `person_id` = (
	SELECT s.`new_person_id` FROM `identity_splits` s WHERE s.`person_id` = `identities`.`person_id`
		AND s.`digits` = CASE `identities`.`channel` WHEN 'whatsapp' THEN substr(`identities`.`external_id`, 1, length(`identities`.`external_id`) - 15) WHEN 'whatsapp_cloud' THEN `identities`.`external_id` ELSE substr(`identities`.`external_id`, 2) END
)
WHERE `channel` IN ('ussd', 'sms', 'whatsapp', 'whatsapp_cloud') AND EXISTS (
	SELECT 1 FROM `identity_splits` s WHERE s.`person_id` = `identities`.`person_id`
		AND s.`digits` = CASE `identities`.`channel` WHEN 'whatsapp' THEN substr(`identities`.`external_id`, 1, length(`identities`.`external_id`) - 15) WHEN 'whatsapp_cloud' THEN `identities`.`external_id` ELSE substr(`identities`.`external_id`, 2) END
);
--> statement-breakpoint
UPDATE `people` SET `phone` = NULL
WHERE `phone` IS NOT NULL AND NOT EXISTS (
	SELECT 1 FROM `identities` i WHERE i.`person_id` = `people`.`id` AND (
		(i.`channel` IN ('ussd', 'sms') AND i.`external_id` = `people`.`phone`)
		OR (i.`channel` = 'whatsapp' AND i.`external_id` = substr(`people`.`phone`, 2) || '@s.whatsapp.net')
		OR (i.`channel` = 'whatsapp_cloud' AND i.`external_id` = substr(`people`.`phone`, 2))
	)
);
--> statement-breakpoint
DROP TABLE `identity_splits`;
