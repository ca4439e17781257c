-- expect:
-- expect-not: create-index-without-concurrently
CREATE TABLE page_hits (
    hit_at timestamptz NOT NULL,
    page_id bigint NOT NULL,
    visitor text
) PARTITION BY RANGE (hit_at);
CREATE TABLE page_hits_2024 PARTITION OF page_hits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX page_hits_page_idx ON page_hits (page_id);
