ALTER TABLE "events" ADD COLUMN "waiting_room_session_seconds" integer DEFAULT 900 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "waiting_room_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_waiting_room_session_range" CHECK ("events"."waiting_room_session_seconds" BETWEEN 60 AND 7200);