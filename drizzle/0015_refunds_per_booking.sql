CREATE TYPE "public"."refund_kind" AS ENUM('ORGANIZER', 'CUSTOMER', 'EVENT_CANCELLED');--> statement-breakpoint
CREATE TABLE "refund_tickets" (
	"refund_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"price_minor" integer NOT NULL,
	CONSTRAINT "refund_tickets_refund_id_ticket_id_pk" PRIMARY KEY("refund_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"checkout_id" uuid,
	"actor_id" uuid,
	"kind" "refund_kind" NOT NULL,
	"reason" text NOT NULL,
	"tickets_minor" integer NOT NULL,
	"fee_minor" integer DEFAULT 0 NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amounts" CHECK ("refunds"."fee_minor" >= 0 AND "refunds"."fee_minor" <= "refunds"."tickets_minor" AND "refunds"."amount_minor" = "refunds"."tickets_minor" - "refunds"."fee_minor")
);
--> statement-breakpoint
DROP INDEX "mock_ledger_one_refund_idx";--> statement-breakpoint
DROP INDEX "payments_checkout_kind_idx";--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "customer_cancel_hours" integer;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "customer_cancel_fee_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "customer_cancel_fee_percent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refund_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "refund_tickets" ADD CONSTRAINT "refund_tickets_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_tickets" ADD CONSTRAINT "refund_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_checkout_id_checkouts_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refund_tickets_once_idx" ON "refund_tickets" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "refunds_booking_idx" ON "refunds" USING btree ("booking_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_event_idx" ON "refunds" USING btree ("event_id","created_at");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mock_ledger_charge_idx" ON "mock_ledger" USING btree ("charge_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_charge_idx" ON "payments" USING btree ("checkout_id") WHERE "payments"."kind" = 'CHARGE';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_compensation_idx" ON "payments" USING btree ("checkout_id") WHERE "payments"."kind" = 'REFUND' AND "payments"."refund_id" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_per_refund_idx" ON "payments" USING btree ("refund_id") WHERE "payments"."refund_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_pending_idx" ON "payments" USING btree ("created_at") WHERE "payments"."status" = 'PENDING';--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_idempotency_key_unique" UNIQUE("idempotency_key");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_cancel_hours_range" CHECK ("events"."customer_cancel_hours" IS NULL OR "events"."customer_cancel_hours" BETWEEN 0 AND 8760);--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_cancel_fee" CHECK ("events"."customer_cancel_fee_minor" >= 0 AND "events"."customer_cancel_fee_percent" BETWEEN 0 AND 100 AND ("events"."customer_cancel_fee_minor" = 0 OR "events"."customer_cancel_fee_percent" = 0));--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_refund_only" CHECK ("payments"."refund_id" IS NULL OR "payments"."kind" = 'REFUND');