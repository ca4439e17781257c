-- expect: non-transactional-in-transaction
ALTER TABLE measurements DETACH PARTITION measurements_2022 CONCURRENTLY;
