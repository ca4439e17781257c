-- expect: delete-without-where
-- +goose Up
DELETE FROM feature_flags;
INSERT INTO feature_flags (name, enabled) VALUES ('new_checkout', true);
