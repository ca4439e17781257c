-- expect:
-- expect-not: require-concurrent-partition-detach
ALTER TABLE measurements ATTACH PARTITION measurements_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
