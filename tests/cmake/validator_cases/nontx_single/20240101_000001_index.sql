-- DIRECTION: up
CREATE TABLE t (x int);
create unique index
  concurrently t_x_idx on t (x);

-- DIRECTION: down
DROP INDEX CONCURRENTLY t_x_idx;
