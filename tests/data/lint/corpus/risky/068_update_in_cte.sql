-- expect: update-without-where
WITH moved AS (
    UPDATE subscriptions SET plan = 'basic' RETURNING id
)
INSERT INTO plan_changes (subscription_id, plan) SELECT id, 'basic' FROM moved;
