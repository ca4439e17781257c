-- expect: refresh-materialized-view-without-concurrently
REFRESH MATERIALIZED VIEW daily_revenue;
