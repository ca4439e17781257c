-- expect: parse-error
-- PostgreSQL 17 syntax
ALTER TABLE metrics MERGE PARTITIONS (metrics_2023_q1, metrics_2023_q2) INTO metrics_2023_h1;
