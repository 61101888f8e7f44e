ALTER TABLE "event_sections" ADD COLUMN "map_area" jsonb;--> statement-breakpoint
ALTER TABLE "venue_sections" ADD COLUMN "map_area" jsonb;--> statement-breakpoint
ALTER TABLE "event_sections" ADD CONSTRAINT "event_sections_area_for_ga" CHECK ("event_sections"."map_area" IS NULL OR "event_sections"."kind" = 'GA');--> statement-breakpoint
ALTER TABLE "venue_sections" ADD CONSTRAINT "venue_sections_area_for_ga" CHECK ("venue_sections"."map_area" IS NULL OR "venue_sections"."kind" = 'GA');