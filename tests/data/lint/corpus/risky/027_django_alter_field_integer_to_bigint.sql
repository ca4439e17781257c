-- expect: change-column-type
--
-- Alter field id on event
--
ALTER TABLE "analytics_event" ALTER COLUMN "id" TYPE bigint USING "id"::bigint;
ALTER SEQUENCE IF EXISTS "analytics_event_id_seq" AS bigint;
