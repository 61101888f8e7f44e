-- A booking made with a discount code records its redemption (docs/promo-codes.md): when a
-- checkout with a code becomes BOOKED — in whichever of the booking paths in
-- lib/checkout/book.ts — the same statement inserts the promo_redemptions row, so the use moves
-- from "open checkout" to "redemption" atomically and is never counted twice or lost.
CREATE OR REPLACE FUNCTION promo_redeem() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO promo_redemptions (code_id, event_id, user_id, booking_id, discount_minor)
  VALUES (NEW.promo_code_id, NEW.event_id, NEW.user_id, NEW.booking_id, NEW.discount_minor)
  ON CONFLICT (booking_id) DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER checkouts_promo_redeem AFTER UPDATE OF state ON checkouts
  FOR EACH ROW
  WHEN (NEW.state = 'BOOKED' AND OLD.state IS DISTINCT FROM 'BOOKED' AND NEW.promo_code_id IS NOT NULL AND NEW.booking_id IS NOT NULL)
  EXECUTE FUNCTION promo_redeem();
