-- PostgreSQL 17 syntax: libpg_query's PostgreSQL 15 grammar cannot parse it.
ALTER TABLE measurements MERGE PARTITIONS (measurements_2023, measurements_2024) INTO measurements_old;
