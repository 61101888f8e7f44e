-- Can any place of the event still be taken (available, or held past its expiry)? `selling`: a
-- reservation whose places the calling statement is selling (a statement does not see its own
-- changes, so those must not count). Used by the event-status rule (lib/events/lifecycle.ts).
--
-- Why a function, with sequential scans off: asked inside a statement for "any row of this event
-- in this state", the planner estimates from the whole table's statistics (thousands of matching
-- rows per event on average) and picks a sequential scan that stops at the first match — which,
-- for a nearly sold-out event, reads every other event's rows first (measured: 60 ms with five
-- other 20,000-seat events, growing with each). Inside this function the only reasonable plan is
-- the partial indexes inventory_available_idx and inventory_held_expiry_idx: a few index pages,
-- whatever the size of the table.
CREATE FUNCTION event_has_takeable_place(ev uuid, selling uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$
  SELECT EXISTS (SELECT 1 FROM inventory i WHERE i.event_id = ev AND i.status = 'AVAILABLE')
      OR EXISTS (SELECT 1 FROM inventory i WHERE i.event_id = ev AND i.status = 'HELD' AND i.hold_expires_at <= now()
                   AND i.reservation_id IS DISTINCT FROM selling)
$$;
