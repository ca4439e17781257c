-- comment

-- DIRECTION: up
CREATE TABLE a (x int);
-- DIRECTION: down
DROP TABLE a;
