-- The same question as before (drizzle/0008_event_takeable_place.sql), the same partial indexes,
-- in PL/pgSQL instead of SQL: PostgreSQL 17 plans the body of a SQL function afresh on every
-- call that it cannot inline (and a function with SET is never inlined), which cost every
-- checkout's booking statement ~0.15 ms of planning (pg_stat_statements: 300 plans for 300
-- calls). PL/pgSQL keeps the plan for the connection's life. Sequential scans stay off while
-- that plan is made, for the reason 0008 gives.
CREATE OR REPLACE FUNCTION event_has_takeable_place(ev uuid, selling uuid) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET enable_seqscan = off
AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM inventory i WHERE i.event_id = ev AND i.status = 'AVAILABLE')
      OR EXISTS (SELECT 1 FROM inventory i WHERE i.event_id = ev AND i.status = 'HELD' AND i.hold_expires_at <= now()
                   AND i.reservation_id IS DISTINCT FROM selling);
END
$$;
