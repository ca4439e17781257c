-- expect: rename-table
ALTER TABLE public.raw_events SET SCHEMA archive;
