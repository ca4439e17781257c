-- expect: truncate
-- +goose Up
-- +goose StatementBegin
TRUNCATE TABLE jobs_queue CASCADE;
-- +goose StatementEnd
