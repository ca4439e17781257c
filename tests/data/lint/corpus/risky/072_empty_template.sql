-- expect: empty-migration
-- add_user_status: write the change here. It runs in one transaction together with its
-- history row (add -- pgmig:no-transaction for statements that cannot).

