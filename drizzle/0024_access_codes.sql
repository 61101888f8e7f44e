ALTER TYPE "public"."promo_kind" ADD VALUE 'ACCESS';--> statement-breakpoint
CREATE TABLE "access_grants" (
	"code_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_grants_code_id_user_id_pk" PRIMARY KEY("code_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "promo_codes" DROP CONSTRAINT "promo_codes_amount_valid";--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_code_id_promo_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."promo_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_grants_event_user_idx" ON "access_grants" USING btree ("event_id","user_id");--> statement-breakpoint
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_amount_valid" CHECK (CASE "promo_codes"."kind"::text WHEN 'ACCESS' THEN "promo_codes"."amount" = 0 WHEN 'PERCENT' THEN "promo_codes"."amount" BETWEEN 1 AND 100 ELSE "promo_codes"."amount" > 0 END);