-- pgmig:no-transaction
VACUUM;
CREATE DATABASE x;
