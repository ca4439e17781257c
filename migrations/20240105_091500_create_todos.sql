-- Todo items. Each belongs to a user (foreign key); deleting the user deletes
-- their todos. The referencing side of a foreign key is not indexed by
-- PostgreSQL itself: index it in the same migration, while the table is new
-- and empty.

-- DIRECTION: up
CREATE TABLE todos (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL,
    title      text        NOT NULL,
    done       boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT todos_title_check CHECK (title <> ''),
    CONSTRAINT todos_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX todos_user_id_idx ON todos (user_id);

-- DIRECTION: down
DROP TABLE todos;
