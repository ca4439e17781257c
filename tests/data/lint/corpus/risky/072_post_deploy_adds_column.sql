-- expect: post-deploy-adds-schema
-- expect-not: drop-column
-- pgmig:phase post-deploy
ALTER TABLE users ADD COLUMN nickname text;
