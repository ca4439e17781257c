-- expect: ban-drop-not-null
ALTER TABLE profiles ALTER COLUMN avatar_url DROP NOT NULL;
