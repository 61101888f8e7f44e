CREATE TYPE "public"."box_office_method" AS ENUM('CASH', 'CARD_AT_DESK', 'COMPLIMENTARY', 'INVITATION');--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_method" "box_office_method";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "sold_by" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_sold_by_users_id_fk" FOREIGN KEY ("sold_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_box_office_consistent" CHECK (("bookings"."payment_method" IS NULL) = ("bookings"."sold_by" IS NULL));--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_comp_free" CHECK ("bookings"."payment_method" IS NULL OR "bookings"."payment_method" NOT IN ('COMPLIMENTARY', 'INVITATION') OR "bookings"."amount_minor" = 0);