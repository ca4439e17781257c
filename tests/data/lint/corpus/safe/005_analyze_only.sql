-- expect:
-- expect-not: vacuum-full, non-transactional-in-transaction
ANALYZE accounts;
