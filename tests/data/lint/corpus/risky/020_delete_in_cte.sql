-- expect: delete-without-where
WITH gone AS (DELETE FROM carts RETURNING user_id)
INSERT INTO cart_purge_log (user_id) SELECT user_id FROM gone;
