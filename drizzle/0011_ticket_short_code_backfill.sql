-- Gives every ticket sold before short codes existed its code the door can type: 9 characters
-- of Crockford's base32 (lib/tickets/short-code.ts) from a strong random source (the 122 random
-- bits of gen_random_uuid(); the UUID's fixed version and variant bytes, 6 and 8, are skipped).
-- Unique per event: a code another ticket of the same event already has is drawn again.
DO $$
DECLARE
  t record;
  alphabet CONSTANT text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  positions CONSTANT int[] := ARRAY[0, 1, 2, 3, 4, 5, 9, 10, 11];
  bytes bytea;
  drawn text;
  p int;
BEGIN
  FOR t IN SELECT id FROM tickets WHERE short_code IS NULL LOOP
    LOOP
      bytes := uuid_send(gen_random_uuid());
      drawn := '';
      FOREACH p IN ARRAY positions LOOP
        drawn := drawn || substr(alphabet, (get_byte(bytes, p) & 31) + 1, 1);
      END LOOP;
      BEGIN
        UPDATE tickets SET short_code = drawn WHERE id = t.id;
        EXIT;
      EXCEPTION WHEN unique_violation THEN
        NULL; -- taken in this event: draw again
      END;
    END LOOP;
  END LOOP;
END $$;
