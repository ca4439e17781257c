-- expect:
-- expect-not: refresh-materialized-view-without-concurrently
REFRESH MATERIALIZED VIEW CONCURRENTLY daily_revenue;
