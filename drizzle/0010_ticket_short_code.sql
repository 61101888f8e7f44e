ALTER TABLE "tickets" ADD COLUMN "short_code" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_event_short_code_idx" ON "tickets" USING btree ("event_id","short_code");