-- Ticket-type prices are immutable versions (docs/box-office.md): a change inserts a new row
-- valid from now, so a hold keeps the prices in force when it began. Refuse any UPDATE.
CREATE OR REPLACE FUNCTION ticket_type_prices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_type_prices rows are immutable: insert a new version instead' USING ERRCODE = 'P0001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ticket_type_prices_no_update BEFORE UPDATE ON ticket_type_prices
  FOR EACH ROW EXECUTE FUNCTION ticket_type_prices_immutable();
