ALTER TABLE "events" ADD COLUMN "time_zone" text DEFAULT 'Europe/Berlin' NOT NULL;--> statement-breakpoint
ALTER TABLE "venues" ADD COLUMN "time_zone" text DEFAULT 'Europe/Berlin' NOT NULL;