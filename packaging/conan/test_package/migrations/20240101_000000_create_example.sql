-- DIRECTION: up
CREATE TABLE example (id bigint PRIMARY KEY);

-- DIRECTION: down
DROP TABLE example;
