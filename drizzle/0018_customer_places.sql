-- How many places of an event a customer has, held and bought, counted exactly under
-- concurrency (the per-customer limit, events.max_per_customer; lib/holds/customer-limit.ts).
--
-- A customer is an email address: a registered account and every guest checkout made with the
-- same address are one customer, so new guest sessions cannot sidestep the limit. Held: open
-- reservations (ACTIVE and not expired by the database clock, or PAYMENT). Bought: tickets not
-- voided in web bookings (box-office staff orders, bookings.sold_by set, are exempt).
--
-- The function first takes a transaction-scoped advisory lock on (event, address), then counts.
-- VOLATILE on purpose: under READ COMMITTED a volatile function takes a fresh snapshot for each
-- query it runs, so the count sees everything committed by the time the lock is granted — in
-- particular the reservation of the same customer's other request that held the lock until its
-- statement committed. (A lock taken in a CTE of the calling statement would not do: that
-- statement's own snapshot predates the lock.) The caller keeps the lock until it commits, so
-- its own new places are counted by whoever comes next.
CREATE FUNCTION customer_places(ev uuid, customer uuid) RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  address text;
  places integer;
BEGIN
  SELECT lower(u.email) INTO address FROM users u WHERE u.id = customer;
  IF address IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM pg_advisory_xact_lock(727306, hashtext(ev::text || ':' || address));
  WITH who AS (
    -- Two partial indexes (accounts, guests): one lookup each.
    SELECT u.id FROM users u WHERE lower(u.email) = address AND NOT u.guest
    UNION ALL
    SELECT u.id FROM users u WHERE lower(u.email) = address AND u.guest
  )
  SELECT
    coalesce((SELECT sum(r.quantity) FROM reservations r
      WHERE r.event_id = ev AND r.user_id IN (SELECT id FROM who)
        AND (r.status = 'PAYMENT' OR (r.status = 'ACTIVE' AND r.expires_at > now()))), 0)
    + coalesce((SELECT count(*) FROM tickets t JOIN bookings b ON b.id = t.booking_id
      WHERE b.event_id = ev AND b.user_id IN (SELECT id FROM who) AND b.sold_by IS NULL AND t.status <> 'VOID'), 0)
  INTO places;
  RETURN places;
END
$$;
