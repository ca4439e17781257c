CREATE TABLE p (x int);
VACUUM p;
