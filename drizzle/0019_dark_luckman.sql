CREATE TABLE "ticket_type_prices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ticket_type_prices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"section_id" uuid NOT NULL,
	"price_minor" integer,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "ticket_type_prices_price_nonneg" CHECK ("ticket_type_prices"."price_minor" IS NULL OR "ticket_type_prices"."price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ticket_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"limit_quantity" integer,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_types_limit_positive" CHECK ("ticket_types"."limit_quantity" IS NULL OR "ticket_types"."limit_quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "ticket_type_id" uuid;--> statement-breakpoint
ALTER TABLE "ticket_type_prices" ADD CONSTRAINT "ticket_type_prices_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_prices" ADD CONSTRAINT "ticket_type_prices_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_prices" ADD CONSTRAINT "ticket_type_prices_section_id_event_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."event_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type_prices" ADD CONSTRAINT "ticket_type_prices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_types" ADD CONSTRAINT "ticket_types_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_type_prices_version_idx" ON "ticket_type_prices" USING btree ("ticket_type_id","section_id","valid_from");--> statement-breakpoint
CREATE INDEX "ticket_type_prices_event_idx" ON "ticket_type_prices" USING btree ("event_id","valid_from");--> statement-breakpoint
CREATE INDEX "ticket_types_event_idx" ON "ticket_types" USING btree ("event_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_types_live_name_idx" ON "ticket_types" USING btree ("event_id",lower("name")) WHERE "ticket_types"."retired_at" IS NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_ticket_type_id_ticket_types_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkouts_open_event_idx" ON "checkouts" USING btree ("event_id") WHERE "checkouts"."state" IN ('STARTED', 'CHARGED');--> statement-breakpoint
CREATE INDEX "tickets_live_type_idx" ON "tickets" USING btree ("ticket_type_id") WHERE "tickets"."ticket_type_id" IS NOT NULL AND "tickets"."status" <> 'VOID';