-- expect: drop-database, non-transactional-in-transaction
DROP DATABASE IF EXISTS app_test_shadow;
