-- expect: drop-schema
-- V42__remove_reporting_schema.sql
DROP SCHEMA IF EXISTS reporting CASCADE;
