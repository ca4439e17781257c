-- expect:
-- expect-not: require-concurrent-partition-detach, non-transactional-in-transaction
-- pgmig:no-transaction
ALTER TABLE measurements DETACH PARTITION measurements_2021 CONCURRENTLY;
