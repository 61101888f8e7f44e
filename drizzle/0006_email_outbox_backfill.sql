-- Bookings confirmed before email existed never had a confirmation message. Record that
-- (status SKIPPED: nothing is sent) so the integrity check "every confirmed booking has its
-- confirmation message" holds on databases that already have data.
INSERT INTO "email_outbox" ("kind", "recipient", "payload", "dedupe_key", "status")
SELECT 'booking_confirmed', u."email", jsonb_build_object('bookingId', b."id"), 'booking_confirmed:' || b."id", 'SKIPPED'
FROM "bookings" b JOIN "users" u ON u."id" = b."user_id"
ON CONFLICT ("dedupe_key") DO NOTHING;
