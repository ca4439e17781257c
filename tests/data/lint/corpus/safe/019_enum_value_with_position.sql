-- expect:
-- expect-not: require-enum-value-ordering
ALTER TYPE order_status ADD VALUE 'packed' BEFORE 'shipped';
