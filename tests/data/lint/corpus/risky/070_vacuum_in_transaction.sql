-- expect: vacuum-full, non-transactional-in-transaction
VACUUM FULL sessions;
