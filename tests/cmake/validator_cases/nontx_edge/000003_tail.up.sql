CREATE INDEX CONCURRENTLY i ON t (x);
/* unterminated comment; VACUUM;
