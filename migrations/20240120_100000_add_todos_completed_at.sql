-- When was a todo completed? A nullable column (no table rewrite), then a
-- backfill: todos already done get their creation time as the best guess.

-- DIRECTION: up
ALTER TABLE todos ADD COLUMN completed_at timestamptz;

UPDATE todos
   SET completed_at = created_at
 WHERE done
   AND completed_at IS NULL;

-- DIRECTION: down
ALTER TABLE todos DROP COLUMN completed_at;
