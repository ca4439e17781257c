-- expect: reindex-without-concurrently
-- bloat after the big import
REINDEX TABLE orders;
