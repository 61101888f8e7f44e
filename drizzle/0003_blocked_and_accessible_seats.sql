CREATE TYPE "public"."seat_access" AS ENUM('WHEELCHAIR', 'COMPANION');--> statement-breakpoint
ALTER TYPE "public"."inventory_status" ADD VALUE 'BLOCKED';--> statement-breakpoint
ALTER TABLE "inventory" DROP CONSTRAINT "inventory_hold_consistent";--> statement-breakpoint
ALTER TABLE "inventory" ADD COLUMN "access" "seat_access";--> statement-breakpoint
ALTER TABLE "inventory" ADD COLUMN "block_reason" text;--> statement-breakpoint
ALTER TABLE "inventory" ADD COLUMN "blocked_by" uuid;--> statement-breakpoint
ALTER TABLE "inventory" ADD COLUMN "blocked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_blocked_by_users_id_fk" FOREIGN KEY ("blocked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_block_consistent" CHECK (("inventory"."status"::text = 'BLOCKED') = ("inventory"."block_reason" IS NOT NULL AND "inventory"."blocked_at" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_hold_consistent" CHECK (("inventory"."status" = 'AVAILABLE' AND "inventory"."reservation_id" IS NULL AND "inventory"."hold_expires_at" IS NULL)
       OR ("inventory"."status" = 'HELD' AND "inventory"."reservation_id" IS NOT NULL AND "inventory"."hold_expires_at" IS NOT NULL)
       OR ("inventory"."status" = 'SOLD' AND "inventory"."reservation_id" IS NOT NULL)
       OR ("inventory"."status"::text = 'BLOCKED' AND "inventory"."reservation_id" IS NULL AND "inventory"."hold_expires_at" IS NULL));